// omen::Session (include/omen/session.h): declarations kept as source text per file and per
// typed definition, re-parsed and checked as one module set on every change; expressions
// evaluated by lowering a synthesized rule (an AST, never source text) and running it in an
// engine over the loaded data, reading its condition output per tick.
#include "omen/session.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "compiler/check/checker.h"
#include "compiler/driver/compile.h"
#include "compiler/parse/parser.h"
#include "runtime/engine/engine_impl.h"

namespace omen {

namespace {

constexpr size_t kChunk = 65536;  // samples per push while evaluating (bounds memory)
constexpr const char* kEvalRule = "__session_eval";
constexpr const char* kTickSeries = "__session_tick";  // a constant expression's one tick

using Sources = std::vector<std::pair<std::string, std::string>>;

DeclKind decl_kind(ast::Item::Kind k) {
  switch (k) {
    case ast::Item::Import:
      return DeclKind::Import;
    case ast::Item::Const:
      return DeclKind::Const;
    case ast::Item::Fn:
      return DeclKind::Fn;
    case ast::Item::Series:
      return DeclKind::Series;
    case ast::Item::Rule:
      return DeclKind::Rule;
    case ast::Item::Test:
      return DeclKind::Test;
    case ast::Item::Graph:
      return DeclKind::Graph;
    case ast::Item::Intent:
      return DeclKind::Intent;
  }
  return DeclKind::Const;
}

std::string item_name(const ast::Module& m, const ast::Item& it) {
  switch (it.kind) {
    case ast::Item::Import:
      return m.imports[it.index].module;
    case ast::Item::Const:
      return m.consts[it.index].name;
    case ast::Item::Fn:
      return m.fns[it.index].name;
    case ast::Item::Series:
      return m.series[it.index].name;
    case ast::Item::Rule:
      return m.rules[it.index].name;
    case ast::Item::Test:
      return m.tests[it.index].name;
    case ast::Item::Graph:
      return m.graphs[it.index].name;
    case ast::Item::Intent:
      return m.intents[it.index].name;
  }
  return "";
}

std::string fn_signature(const ast::Fn& f) {
  std::string s = "(";
  for (size_t i = 0; i < f.params.size(); ++i)
    s += (i ? ", " : "") + f.params[i].name + ": " + f.params[i].type.name;
  s += ")";
  if (f.result) s += " -> " + f.result->name;
  return s;
}

std::string item_signature(const ast::Module& m, const ast::Item& it) {
  if (it.kind == ast::Item::Fn) return fn_signature(m.fns[it.index]);
  if (it.kind == ast::Item::Const) {
    const ast::Const& c = m.consts[it.index];
    return c.type ? ": " + c.type->name : "";
  }
  if (it.kind == ast::Item::Rule) {
    const ast::Rule& r = m.rules[it.index];
    std::string s = "on " + r.on;
    if (r.has_by) s += fmt::format(" by ({})", fmt::join(r.by, ", "));
    return s;
  }
  return "";
}

// A module parsed from each source, in order, into `sm`.
std::vector<ast::Module> parse_all(const Sources& sources, SourceManager& sm, Diagnostics& diags,
                                   const parse::ParseOptions& options) {
  std::vector<ast::Module> out;
  for (const auto& [name, text] : sources)
    out.push_back(parse::parse_module(sm, sm.add(name, text), diags, options));
  return out;
}

// Errors (with their notes) only: an evaluation does not repeat the session's warnings.
std::string render_errors(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags.all())  // notes travel with their error
    if (d.severity == Severity::Error) out += format(d);
  return out;
}

// Value names an expression reads, in source order (call names and named-argument names
// are not values).
void value_names(const ast::Expr& e, std::vector<std::string>& out) {
  if (e.kind == ast::ExprKind::Name) out.push_back(e.text);
  for (const auto& a : e.args) value_names(*a, out);
}

ast::ExprPtr metric_call(const std::string& metric, const Loc& loc) {
  auto name = std::make_unique<ast::Expr>();
  name->kind = ast::ExprKind::String;
  name->text = metric;
  name->loc = loc;
  auto call = std::make_unique<ast::Expr>();
  call->kind = ast::ExprKind::Call;
  call->text = "metric";
  call->loc = loc;
  call->args.push_back(std::move(name));
  call->arg_names.push_back("");
  return call;
}

// A series as users name it: an aggregate's output `@NAME:HASH{...}` shows as `NAME{...}`.
SeriesKey shown_series(SeriesKey key) {
  if (!key.name.empty() && key.name[0] == '@')
    key.name = key.name.substr(1, key.name.rfind(':') - 1);
  return key;
}

}  // namespace

const char* decl_kind_name(DeclKind kind) {
  switch (kind) {
    case DeclKind::Import:
      return "import";
    case DeclKind::Const:
      return "const";
    case DeclKind::Fn:
      return "fn";
    case DeclKind::Series:
      return "series";
    case DeclKind::Rule:
      return "rule";
    case DeclKind::Test:
      return "test";
    case DeclKind::Graph:
      return "graph";
    case DeclKind::Intent:
      return "intent";
  }
  return "?";
}

Session::Session(EngineOptions options) : options_(std::move(options)) {}
Session::~Session() = default;

Sources Session::sources(const Sources& files, const std::vector<Definition>& defs) const {
  Sources out = files;
  for (const auto& d : defs) out.emplace_back(d.fresh ? "<input>" : "<repl>", d.text);
  return out;
}

SessionResult Session::check(const Sources& files, const std::vector<Definition>& defs) const {
  const CompileOptions co = engine::compile_options(options_);
  auto sm = std::make_shared<SourceManager>();
  auto diags = std::make_shared<Diagnostics>(sm.get(), co.max_errors);
  diags->set_warnings_as_errors(co.warnings_as_errors);
  std::vector<ast::Module> modules = parse_all(sources(files, defs), *sm, *diags, co.parse);
  Compilation c = compile_parsed(sm, diags, std::move(modules), co);
  SessionResult r;
  r.ok = c.ok();
  r.diagnostics = c.diags->render();
  if (c.ok()) {
    r.rules = c.module->rules.size();
    r.tests = c.module->tests.size();
  }
  return r;
}

SessionResult Session::define(const std::string& text) {
  const CompileOptions co = engine::compile_options(options_);
  SourceManager sm;
  Diagnostics diags(&sm, co.max_errors);
  ast::Module m = parse::parse_module(sm, sm.add("<input>", text), diags, co.parse);
  SessionResult r;
  if (diags.has_errors()) {
    r.diagnostics = diags.render();
    return r;
  }
  if (m.items.empty()) {
    r.diagnostics = "error: nothing to define\n";
    return r;
  }
  std::vector<Definition> next = defs_;
  for (const ast::Item& it : m.items) {
    Definition d{decl_kind(it.kind), item_name(m, it),
                 m.items.size() == 1 ? text : ast::print(m, it), true};
    std::string key = fmt::format("{} {}", decl_kind_name(d.kind), d.name);
    // A definition with the kind and name of an earlier one replaces it.
    auto same = [&](const Definition& x) { return x.kind == d.kind && x.name == d.name; };
    size_t before = next.size();
    next.erase(std::remove_if(next.begin(), next.end(), same), next.end());
    if (next.size() != before) r.replaced.push_back(key);
    r.defined.push_back(key);
    next.push_back(std::move(d));
  }
  SessionResult checked = check(file_texts_, next);
  r.ok = checked.ok;
  r.diagnostics = checked.diagnostics;
  r.rules = checked.rules;
  r.tests = checked.tests;
  if (!r.ok) return r;
  for (auto& d : next) d.fresh = false;
  defs_ = std::move(next);
  return r;
}

SessionResult Session::load_files(const std::vector<std::string>& paths) {
  std::vector<std::string> next_files = files_;
  for (const auto& p : paths)
    if (std::find(next_files.begin(), next_files.end(), p) == next_files.end())
      next_files.push_back(p);
  Sources texts;
  SourceManager sm;
  Diagnostics unreadable(&sm);
  for (const auto& p : next_files) {
    std::ifstream f(p, std::ios::binary);
    if (!f) {
      unreadable.error(Loc{}, DiagCode::E000,
                       fmt::format("cannot read '{}': {}", p, std::strerror(errno)));
      continue;
    }
    std::ostringstream ss;
    ss << f.rdbuf();
    texts.emplace_back(p, ss.str());
  }
  if (unreadable.has_errors()) {
    SessionResult r;
    r.diagnostics = unreadable.render();
    return r;
  }
  SessionResult r = check(texts, defs_);
  if (!r.ok) return r;
  files_ = std::move(next_files);
  file_texts_ = std::move(texts);
  return r;
}

SessionResult Session::reload_files() {
  std::vector<std::string> keep = files_;
  std::vector<std::string> old = std::move(files_);
  files_.clear();
  SessionResult r = load_files(keep);
  if (!r.ok) files_ = std::move(old);
  return r;
}

void Session::reset() {
  files_.clear();
  file_texts_.clear();
  defs_.clear();
  data_ = Batch{};
  order_.clear();
}

void Session::add_data(const Batch& batch) {
  std::map<std::string, uint32_t> index;  // format_series -> position in data_.series
  for (uint32_t i = 0; i < data_.series.size(); ++i) index[format_series(data_.series[i])] = i;
  std::vector<uint32_t> map(batch.series.size());
  for (size_t i = 0; i < batch.series.size(); ++i) {
    auto [it, added] =
        index.emplace(format_series(batch.series[i]), static_cast<uint32_t>(data_.series.size()));
    if (added) data_.series.push_back(batch.series[i]);
    map[i] = it->second;
  }
  for (size_t i = 0; i < batch.t.size(); ++i) data_.add(map[batch.sid[i]], batch.t[i], batch.v[i]);
  order_.resize(data_.t.size());
  std::iota(order_.begin(), order_.end(), 0u);
  std::stable_sort(order_.begin(), order_.end(),
                   [&](uint32_t a, uint32_t b) { return data_.t[a] < data_.t[b]; });
}

TimeMs Session::first_time() const {
  return order_.empty() ? 0 : data_.t[order_.front()];
}
TimeMs Session::last_time() const {
  return order_.empty() ? 0 : data_.t[order_.back()];
}

void Session::replay(Engine& engine, const std::function<void(std::vector<Alert>&&)>& sink) const {
  Batch part;
  part.series = data_.series;
  for (size_t begin = 0; begin < order_.size(); begin += kChunk) {
    part.sid.clear();
    part.t.clear();
    part.v.clear();
    size_t end = std::min(order_.size(), begin + kChunk);
    for (size_t i = begin; i < end; ++i)
      part.add(data_.sid[order_[i]], data_.t[order_[i]], data_.v[order_[i]]);
    engine.push(part);
    sink(engine.poll());
  }
}

std::vector<std::string> Session::metrics() const {
  std::set<std::string> names;
  for (const auto& s : data_.series) names.insert(s.name);
  return {names.begin(), names.end()};
}

Evaluation Session::evaluate(const std::string& expr, const EvalOptions& options) const {
  const CompileOptions co = engine::compile_options(options_);
  const std::vector<std::string> data_metrics = metrics();
  auto is_metric = [&](const std::string& n) {
    return std::binary_search(data_metrics.begin(), data_metrics.end(), n);
  };
  Evaluation ev;
  std::string on;
  // One attempt: the expression as the rule's condition, or (as_value) as its value with a
  // condition that is always true; the value output then replaces the condition output.
  auto attempt = [&](bool as_value, Compilation* out) -> bool {
    auto sm = std::make_shared<SourceManager>();
    auto diags = std::make_shared<Diagnostics>(sm.get(), co.max_errors);
    std::vector<ast::Module> modules =
        parse_all(sources(file_texts_, defs_), *sm, *diags, co.parse);
    const uint32_t in = sm->add("<input>", expr);
    const Loc at{in, 1, 1, 1};
    ast::ExprPtr e = parse::parse_expr(expr, at, *sm, *diags, co.parse);
    if (!e || diags->has_errors()) {
      ev.diagnostics = render_errors(*diags);
      return false;
    }
    // Evaluation runs no rule, test, graph or intent of the session: keep the environment.
    std::set<std::string> series, others;
    for (auto& m : modules) {
      std::vector<ast::Item> keep;
      for (const auto& it : m.items)
        if (it.kind == ast::Item::Import || it.kind == ast::Item::Const ||
            it.kind == ast::Item::Fn || it.kind == ast::Item::Series)
          keep.push_back(it);
      m.items = std::move(keep);
      m.rules.clear();
      m.tests.clear();
      m.graphs.clear();
      m.intents.clear();
      for (const auto& s : m.series) series.insert(s.name);
      for (const auto& c : m.consts) others.insert(c.name);
      for (const auto& f : m.fns) others.insert(f.name);
    }
    // The `on` series: the first declared series, or metric of the data, that is read.
    ast::Module syn;
    syn.imports.push_back({"std", at});
    syn.items.push_back({ast::Item::Import, 0});
    std::vector<std::string> names;
    value_names(*e, names);
    on.clear();
    auto declare = [&](const std::string& name, const std::string& metric) {
      ast::SeriesDecl d;
      d.name = name;
      d.loc = at;
      d.value = metric_call(metric, at);
      syn.items.push_back({ast::Item::Series, syn.series.size()});
      syn.series.push_back(std::move(d));
      series.insert(name);
    };
    for (const auto& n : names) {
      bool declared = series.count(n) > 0;
      if (!declared && !others.count(n) && is_metric(n)) {
        declare(n, n);
        declared = true;
      }
      if (on.empty() && declared) on = n;
    }
    ev.constant = on.empty();
    if (!ev.constant && data_.t.empty()) {
      ev.no_data = true;
      return false;
    }
    if (ev.constant) {
      declare(kTickSeries, kTickSeries);
      on = kTickSeries;
    }
    ast::Rule rule;
    rule.name = kEvalRule;
    rule.loc = at;
    rule.on = on;
    rule.on_loc = at;
    if (as_value) {
      rule.when = std::make_unique<ast::Expr>();
      rule.when->kind = ast::ExprKind::Bool;
      rule.when->number = 1;
      rule.when->loc = at;
      rule.value = std::move(e);
    } else {
      rule.when = std::move(e);
    }
    syn.items.push_back({ast::Item::Rule, 0});
    syn.rules.push_back(std::move(rule));
    modules.push_back(std::move(syn));
    *out = compile_parsed(sm, diags, std::move(modules), co);
    if (out->ok()) return true;
    ev.diagnostics.clear();
    for (const Diagnostic& d : out->diags->all()) {
      if (d.severity != Severity::Error) continue;
      if (as_value && d.code == "E020" && d.file == sm->name(in)) {
        // Said of the synthesized rule's `value`: say it of the expression.
        Diagnostic x = d;
        size_t found = d.message.find("found ");
        x.message = "only a number or a bool can be evaluated" +
                    (found == std::string::npos ? "" : ", " + d.message.substr(found));
        ev.diagnostics += format(x);
      } else {
        ev.diagnostics += format(d);
      }
    }
    return false;
  };
  Compilation c;
  ev.boolean = true;
  if (!attempt(false, &c)) {
    // Only "the 'when' condition must be bool" sends the expression to the value slot.
    bool not_bool = c.diags && c.diags->error_count() == 1;
    if (not_bool) {
      not_bool = false;
      for (const Diagnostic& d : c.diags->all())
        if (d.severity == Severity::Error) not_bool = d.code == "E022";
    }
    if (!not_bool) return ev;
    ev.boolean = false;
    ev.diagnostics.clear();
    if (!attempt(true, &c)) return ev;
  }
  ev.on = on;
  if (!ev.boolean) {
    // The module was created by this compilation and is not shared yet.
    auto& module = const_cast<CompiledModule&>(*c.module);
    for (auto& r : module.rules)
      if (r.name == kEvalRule) r.program.outputs[0] = r.program.outputs[1];
  }
  EngineOptions eo = options_;
  eo.tier = options.tier;
  Engine::Built b = Engine::from_compiled(c.module, eo);
  if (!b.ok()) {
    ev.diagnostics = b.render();
    return ev;
  }
  std::map<std::string, SeriesValues> by_series;  // format_series -> values
  b.engine->on_verdicts([&](const std::string& rule, const SeriesKey& key, const TimeMs* t,
                            const double* v, const uint8_t* nan, size_t n) {
    if (rule != kEvalRule) return;
    SeriesValues& s = by_series[format_series(key)];
    s.series = shown_series(key);
    s.t.insert(s.t.end(), t, t + n);
    s.v.insert(s.v.end(), v, v + n);
    s.missing.insert(s.missing.end(), nan, nan + n);
  });
  if (ev.constant)
    b.engine->push({kTickSeries, {}}, first_time(), 0);
  else
    replay(*b.engine, [](std::vector<Alert>&&) {});  // the rule's alerts are not wanted
  for (auto& [name, s] : by_series) {
    size_t lo = 0, hi = s.t.size();  // the kept ticks: [lo, hi)
    if (!ev.constant && options.at) {
      hi = static_cast<size_t>(std::upper_bound(s.t.begin(), s.t.end(), *options.at) - s.t.begin());
      lo = hi == 0 || *options.at - s.t[hi - 1] > options_.staleness_ms ? hi : hi - 1;
    } else if (!ev.constant) {
      if (options.from)
        lo = static_cast<size_t>(std::lower_bound(s.t.begin(), s.t.end(), *options.from) -
                                 s.t.begin());
      if (options.to)
        hi = static_cast<size_t>(std::upper_bound(s.t.begin(), s.t.end(), *options.to) -
                                 s.t.begin());
      hi = std::max(lo, hi);
    }
    if (lo == hi && !ev.constant) continue;
    auto slice = [&](auto& v) {
      v.erase(v.begin() + static_cast<std::ptrdiff_t>(hi), v.end());
      v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(lo));
    };
    slice(s.t);
    slice(s.v);
    slice(s.missing);
    ev.series.push_back(std::move(s));
  }
  ev.ok = true;
  return ev;
}

std::vector<Declaration> Session::declarations() const {
  SourceManager sm;
  Diagnostics diags(&sm);
  const CompileOptions co = engine::compile_options(options_);
  Sources all = sources(file_texts_, defs_);
  std::vector<ast::Module> modules = parse_all(all, sm, diags, co.parse);
  std::vector<Declaration> out;
  for (size_t i = 0; i < modules.size(); ++i)
    for (const ast::Item& it : modules[i].items)
      out.push_back({decl_kind(it.kind), item_name(modules[i], it), item_signature(modules[i], it),
                     ast::print(modules[i], it),
                     i < file_texts_.size() ? file_texts_[i].first : ""});
  return out;
}

std::string Session::definitions_text() const {
  std::string s;
  for (const auto& d : defs_) {
    s += d.text;
    if (s.empty() || s.back() != '\n') s += '\n';
  }
  return s;
}

Engine::Built Session::build(Tier tier) const {
  const CompileOptions co = engine::compile_options(options_);
  auto sm = std::make_shared<SourceManager>();
  auto diags = std::make_shared<Diagnostics>(sm.get(), co.max_errors);
  diags->set_warnings_as_errors(co.warnings_as_errors);
  Compilation c =
      compile_parsed(sm, diags, parse_all(sources(file_texts_, defs_), *sm, *diags, co.parse), co);
  if (!c.ok()) return Engine::Built{nullptr, c.diags->all()};
  EngineOptions eo = options_;
  eo.tier = tier;
  Engine::Built b = Engine::from_compiled(c.module, eo);
  std::vector<Diagnostic> all = c.diags->all();
  all.insert(all.end(), b.diagnostics.begin(), b.diagnostics.end());
  b.diagnostics = std::move(all);
  return b;
}

std::vector<FunctionInfo> Session::functions() {
  std::vector<FunctionInfo> out;
  for (const auto& b : check::builtin_functions())
    out.push_back({b.name, b.signature,
                   b.window ? FunctionInfo::Origin::Window : FunctionInfo::Origin::Builtin});
  for (const auto& f : stdlib_functions())
    out.push_back({f.fn.name, fn_signature(f.fn), FunctionInfo::Origin::Stdlib});
  return out;
}

std::vector<std::string> Session::keywords() {
  return parse::keywords();
}

}  // namespace omen
