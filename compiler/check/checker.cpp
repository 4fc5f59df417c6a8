// Declarations, rules, messages and tests: the top level of the checker.
#include "compiler/check/checker.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <regex>

#include <fmt/format.h>

#include "compiler/check/elaborate.h"
#include "compiler/check/graphs.h"
#include "compiler/check/intents.h"
#include "compiler/parse/parser.h"
#include "core/io/dataset.h"

namespace omen::check {

namespace {

bool known_type(const std::string& n) {
  return n == "number" || n == "series" || n == "bool" || n == "duration" || n == "percent" ||
         n == "string";
}

Type declared_type(const std::string& n) {
  if (n == "bool") return Type::Bool;
  if (n == "duration") return Type::Duration;
  if (n == "percent") return Type::Percent;
  if (n == "string") return Type::String;
  return Type::Number;
}

class Checker {
 public:
  Checker(Diagnostics& diags, const Limits& limits, CompiledModule& out)
      : ctx_{diags, limits}, out_(out) {}

  template <typename T>
  void declare(std::unordered_map<std::string, const T*>& table, const T& decl, bool is_std,
               bool generated = false) {
    auto prev = decl_locs_.find(decl.name);
    if (prev != decl_locs_.end()) {
      if (is_std || std_names_.count(decl.name)) {
        // User definitions shadow the standard library.
        if (is_std) return;
        std_names_.erase(decl.name);
        ctx_.consts.erase(decl.name);
        ctx_.fns.erase(decl.name);
        ctx_.series.erase(decl.name);
      } else {
        ctx_.error(decl.loc, DiagCode::E011, fmt::format("'{}' is already defined", decl.name));
        ctx_.diags.note(prev->second,
                        fmt::format("previous definition of '{}' is here", decl.name));
        return;
      }
    }
    decl_locs_[decl.name] = decl.loc;
    if (is_std)
      std_names_.insert(decl.name);
    else if (!generated)
      user_decls_.push_back({decl.name, decl.loc});  // W001 candidates
    table[decl.name] = &decl;
  }

  // `generated`: an intent's expansion; its declarations are exempt from W001 (unused).
  void declare_module(const ast::Module& m, bool is_std, bool generated = false) {
    if (is_std) {  // the std module is assembled without an item list
      for (const auto& c : m.consts) declare(ctx_.consts, c, is_std);
      for (const auto& f : m.fns) declare(ctx_.fns, f, is_std);
      return;
    }
    for (const auto& item :
         m.items) {  // source order, so "already defined" points at the later one
      if (item.kind == ast::Item::Const)
        declare(ctx_.consts, m.consts[item.index], is_std, generated);
      if (item.kind == ast::Item::Fn) declare(ctx_.fns, m.fns[item.index], is_std, generated);
      if (item.kind == ast::Item::Series)
        declare(ctx_.series, m.series[item.index], is_std, generated);
    }
  }

  // Intents: each valid intent is expanded to Omen source (compiler/check/intents.cpp),
  // parsed into a module of its own and declared; `all` gains those modules.
  void expand_intents(const std::vector<const ast::Module*>& modules,
                      std::vector<const ast::Module*>& all) {
    std::map<std::string, Loc> seen;
    for (const auto* m : modules)
      for (const auto& in : m->intents) {
        if (seen.count(in.name)) {
          ctx_.error(in.loc, DiagCode::E011,
                     fmt::format("intent '{}' is already defined", in.name));
          ctx_.diags.note(seen[in.name], "previous definition is here");
          continue;
        }
        seen[in.name] = in.loc;
        CompiledIntent ci;
        if (!expand_intent(ctx_, in, &ci)) continue;
        if (!out_.sources) {  // compile() always sets it; the generated source lives there
          ctx_.error(in.loc, DiagCode::E080, "intents need the compiler driver's source manager");
          continue;
        }
        uint32_t id = out_.sources->add(ci.source_name, ci.source);
        auto gm = std::make_shared<ast::Module>(parse::parse_module(*out_.sources, id, ctx_.diags));
        out_.generated.push_back(gm);
        declare_module(*gm, false, true);
        all.push_back(gm.get());
        out_.intents.push_back(std::move(ci));
      }
  }

  void check_fn(const ast::Fn& fn) {
    Elaborator el(ctx_, nullptr);
    bool ok = true;
    std::set<std::string> seen;
    for (const auto& p : fn.params) {
      if (!seen.insert(p.name).second) {
        ctx_.error(p.loc, DiagCode::E011, fmt::format("parameter '{}' is declared twice", p.name));
        ok = false;
      }
      if (!known_type(p.type.name)) {
        ctx_.error(p.type.loc, DiagCode::E026,
                   fmt::format("unknown type '{}' (expected number, series, bool, duration, "
                               "percent or string)",
                               p.type.name));
        ok = false;
        continue;
      }
      Val v{declared_type(p.type.name)};
      v.symbolic = true;
      v.loc = p.loc;
      el.bind(p.name, v);
    }
    if (fn.result && !known_type(fn.result->name)) {
      ctx_.error(fn.result->loc, DiagCode::E026, fmt::format("unknown type '{}'", fn.result->name));
      ok = false;
    }
    if (!ok) return;
    // Generic check: reports errors in the body once, whatever the call sites.
    Val out = el.eval(*fn.body);
    if (out.ok() && fn.result && known_type(fn.result->name)) {
      Type want = declared_type(fn.result->name);
      bool match = out.type == want || (want == Type::Number && out.type == Type::Percent);
      if (!match)
        ctx_.error(
            fn.body->loc,
            out.type == Type::Duration || want == Type::Duration ? DiagCode::E021 : DiagCode::E020,
            fmt::format("{}() is declared to return {} but its body is {}", fn.name,
                        fn.result->name, type_name(out.type)));
    }
  }

  void check_series(const ast::SeriesDecl& s) {
    SeriesSelector sel;
    ctx_.resolve_selector(s.name, {}, s.loc, false, &sel);
  }

  Val const_duration(const ast::Expr& e, const char* what, bool allow_zero) {
    Elaborator el(ctx_, nullptr);
    Val v = el.eval(e);
    if (!v.ok()) return v;
    if (v.type != Type::Duration) {
      ctx_.error(
          e.loc, DiagCode::E035,
          fmt::format("{} must be a duration such as 5m, found {}", what, type_name(v.type)));
      return Val::error();
    }
    if (!v.is_const) {
      ctx_.error(e.loc, DiagCode::E035, fmt::format("{} must be known at compile time", what));
      return Val::error();
    }
    if (v.num < 0 || (!allow_zero && v.num == 0)) {
      ctx_.error(e.loc, DiagCode::E035,
                 fmt::format("{} must be {}, found {}ms", what,
                             allow_zero ? "zero or more" : "positive", v.num));
      return Val::error();
    }
    if (!(v.num < 0x1p62)) {  // folded arithmetic can leave int64 milliseconds
      ctx_.error(e.loc, DiagCode::E035, fmt::format("{} is out of range ({}ms)", what, v.num));
      return Val::error();
    }
    return v;
  }

  bool known_name(const std::string& n) const {
    return ctx_.consts.count(n) || ctx_.series.count(n) || ctx_.fns.count(n);
  }

  void lower_message(const ast::Rule& r, Elaborator& el, Lowering& low, CompiledRule& cr) {
    const std::string& m = r.message;
    std::string lit;
    auto flush = [&] {
      if (!lit.empty()) cr.message.push_back({MessagePart::Literal, lit});
      lit.clear();
    };
    for (size_t i = 0; i < m.size(); ++i) {
      char c = m[i];
      if (c == '}' && i + 1 < m.size() && m[i + 1] == '}') {
        lit += '}';
        ++i;
        continue;
      }
      if (c != '{') {
        lit += c;
        continue;
      }
      if (i + 1 < m.size() && m[i + 1] == '{') {
        lit += '{';
        ++i;
        continue;
      }
      size_t close = m.find('}', i + 1);
      Loc at = r.message_loc;
      at.col += static_cast<uint32_t>(i + 1);
      at.len = 1;
      if (close == std::string::npos) {
        ctx_.error(at, DiagCode::E034, "unclosed '{' in message (write '{{' for a literal brace)");
        return;
      }
      std::string body = m.substr(i + 1, close - i - 1);
      // The format spec follows the last ':' outside parentheses and quotes.
      size_t colon = std::string::npos;
      int depth = 0;
      bool quoted = false;
      for (size_t k = 0; k < body.size(); ++k) {
        char b = body[k];
        if (b == '"')
          quoted = !quoted;
        else if (!quoted && b == '(')
          ++depth;
        else if (!quoted && b == ')')
          --depth;
        else if (!quoted && depth == 0 && b == ':')
          colon = k;
      }
      std::string expr_text = colon == std::string::npos ? body : body.substr(0, colon);
      std::string spec = colon == std::string::npos ? "" : body.substr(colon + 1);
      std::string trimmed = expr_text;
      trimmed.erase(0, trimmed.find_first_not_of(" \t"));
      trimmed.erase(trimmed.find_last_not_of(" \t") + 1);
      Loc body_loc = at;
      body_loc.col += 1;
      body_loc.len = static_cast<uint32_t>(std::max<size_t>(1, body.size()));
      flush();
      bool is_label = std::regex_match(trimmed, label_name_re()) &&
                      (std::find(r.by.begin(), r.by.end(), trimmed) != r.by.end() ||
                       (!known_name(trimmed) && trimmed != "value"));
      if (is_label) {
        if (!spec.empty())
          ctx_.error(body_loc, DiagCode::E034,
                     fmt::format("label placeholder {{{}}} cannot have a format spec", trimmed));
        if (r.has_by && std::find(r.by.begin(), r.by.end(), trimmed) == r.by.end())
          ctx_.diags.warning(body_loc, DiagCode::W002,
                             fmt::format("label '{}' is not in the rule's by (...) list", trimmed));
        cr.message.push_back({MessagePart::Label, trimmed});
      } else {
        Val v;
        if (trimmed == "value") {
          v.type = Type::Number;
          v.ir = low.program.outputs.size() > 1 ? low.program.outputs[1] : 0;
        } else {
          ast::ExprPtr e =
              parse::parse_expr(expr_text, body_loc, *ctx_.diags.sources(), ctx_.diags);
          if (!e) {
            i = close;
            continue;
          }
          v = el.eval(*e);
          if (!v.ok()) {
            i = close;
            continue;
          }
          if (v.type == Type::String) {
            ctx_.error(body_loc, DiagCode::E034,
                       "a message placeholder must be a number, bool or duration");
            i = close;
            continue;
          }
        }
        // Every digit run of a spec is a width, a precision or a one-digit fill: bound them
        // before formatting (a width of 2^31 made fmt allocate gigabytes).
        size_t big = 0;
        for (size_t k = 0; k < spec.size(); ++k) {
          if (!std::isdigit(static_cast<unsigned char>(spec[k]))) continue;
          size_t n = 0, e = k;
          for (; e < spec.size() && std::isdigit(static_cast<unsigned char>(spec[e])); ++e)
            n = std::min<size_t>(n * 10 + static_cast<size_t>(spec[e] - '0'), SIZE_MAX / 16);
          big = std::max(big, n);
          k = e;
        }
        if (big > ctx_.limits.max_format_width) {
          ctx_.error(body_loc, DiagCode::E034,
                     fmt::format("format width or precision in '{}' is over the limit of {}", spec,
                                 ctx_.limits.max_format_width));
          i = close;
          continue;
        }
        try {
          (void)fmt::format(fmt::runtime("{:" + spec + "}"), 1.5);
        } catch (const fmt::format_error& err) {
          ctx_.error(body_loc, DiagCode::E034,
                     fmt::format("bad format spec '{}': {}", spec, err.what()));
        }
        uint32_t out = static_cast<uint32_t>(low.program.outputs.size());
        low.program.outputs.push_back(el.materialize(v));
        cr.message.push_back({MessagePart::Value, "", out, spec});
      }
      i = close;
    }
    flush();
  }

  void lower_rule(const ast::Rule& r) {
    for (size_t i = 0; i < r.duplicate_clauses.size(); ++i)
      ctx_.error(
          r.duplicate_clauses[i], DiagCode::E032,
          fmt::format("rule '{}' has more than one '{}' clause", r.name, r.duplicate_names[i]));
    if (r.on.empty()) {
      ctx_.error(r.loc, DiagCode::E030, fmt::format("rule '{}' has no 'on' clause", r.name));
      return;
    }
    if (!r.when) {
      ctx_.error(r.loc, DiagCode::E030, fmt::format("rule '{}' has no 'when' clause", r.name));
      return;
    }
    CompiledRule cr;
    cr.name = r.name;
    cr.loc = r.loc;
    cr.has_by = r.has_by;
    cr.by = r.by;
    cr.source_file = ctx_.diags.sources()->name(r.loc.file);
    Lowering low;
    low.program.name = r.name;
    SeriesSelector on;
    if (!ctx_.series.count(r.on)) {
      std::string hint = suggest(r.on, [&] {
        std::vector<std::string> v;
        for (auto& [k, d] : ctx_.series) v.push_back(k);
        return v;
      }());
      ctx_.error(r.on_loc, DiagCode::E031,
                 fmt::format("'on' must name a series declared with 'series', found '{}'{}", r.on,
                             hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
      return;
    }
    ctx_.used.insert(r.on);
    if (!ctx_.resolve_selector(r.on, {}, r.on_loc, false, &on)) return;
    low.selectors.push_back(on);
    uint32_t on_value = low.input(InputSpec::Value, 0);
    Elaborator el(ctx_, &low);
    Val cond = el.eval(*r.when);
    if (cond.ok() && cond.type != Type::Bool)
      ctx_.error(r.when->loc, DiagCode::E022,
                 fmt::format("the 'when' condition must be bool, found {}", type_name(cond.type)));
    if (r.for_) cr.for_ms = static_cast<int64_t>(const_duration(*r.for_, "'for'", true).num);
    if (r.keep) cr.keep_ms = static_cast<int64_t>(const_duration(*r.keep, "'keep'", true).num);
    uint32_t value = on_value;
    if (r.value) {
      Val v = el.eval(*r.value);
      if (v.ok() && v.type != Type::Number && v.type != Type::Percent && v.type != Type::Bool)
        ctx_.error(
            r.value->loc, DiagCode::E020,
            fmt::format("the 'value' of an alert must be a number, found {}", type_name(v.type)));
      else if (v.ok())
        value = el.materialize(v);
    }
    if (!cond.ok() || cond.type != Type::Bool) return;
    low.program.outputs = {el.materialize(cond), value};
    static const std::set<std::string> severities = {"info",     "warning", "error",
                                                     "critical", "page",    "ticket"};
    if (!r.severity.empty() && !severities.count(r.severity))
      ctx_.error(r.severity_loc, DiagCode::E033,
                 fmt::format("unknown severity '{}' (expected info, warning, error, critical, "
                             "page or ticket)",
                             r.severity));
    cr.severity = r.severity;
    std::set<std::string> label_names;
    for (const auto& l : r.labels) {
      if (!label_names.insert(l.name).second)
        ctx_.error(l.loc, DiagCode::E011, fmt::format("label '{}' is given twice", l.name));
      cr.labels.push_back({l.name, l.value});
    }
    cr.labels = normalize_labels(cr.labels);
    if (r.has_message) lower_message(r, el, low, cr);
    cr.cost = estimate_cost(low.program);
    if (cr.cost > ctx_.limits.max_cost)
      ctx_.error(r.loc, DiagCode::E040,
                 fmt::format("rule '{}' costs {} per evaluation, over the limit of {}", r.name,
                             cr.cost, ctx_.limits.max_cost));
    cr.program = std::move(low.program);
    cr.selectors = std::move(low.selectors);
    cr.inputs = std::move(low.inputs);
    out_.rules.push_back(std::move(cr));
  }

  void lower_test(const ast::Test& t, const std::set<std::string>& rule_names) {
    CompiledTest ct;
    ct.name = t.name;
    ct.loc = t.loc;
    if (t.interval) {
      Val v = const_duration(*t.interval, "the test interval", false);
      if (v.ok()) ct.interval_ms = static_cast<int64_t>(v.num);
    }
    if (t.has_start) {
      auto ts = io::parse_timestamp(t.start);
      if (!ts)
        ctx_.error(t.start_loc, DiagCode::E053, fmt::format("bad start time \"{}\"", t.start));
      else
        ct.start = *ts;
    }
    for (const auto& in : t.inputs) {
      SeriesSelector sel;
      if (!ctx_.resolve_selector(in.series, in.selector, in.loc, true, &sel)) continue;
      ctx_.used.insert(in.series);
      if (!sel.metric.empty() && sel.metric[0] == '@') {
        ctx_.error(in.loc, DiagCode::E051,
                   fmt::format("'{}' is an aggregate, computed from its members: give the "
                               "members as inputs",
                               in.series));
        continue;
      }
      CompiledTest::Input input;
      input.key.name = sel.metric;
      bool ok = true;
      for (const auto& m : sel.matchers) {
        if (m.op != ast::MatchOp::Eq) {
          ctx_.error(in.loc, DiagCode::E051,
                     "a test input must name one series: use only label = \"value\" matchers");
          ok = false;
          break;
        }
        input.key.labels.push_back({m.label, m.value});
      }
      input.key.labels = normalize_labels(input.key.labels);
      try {
        input.values = io::expand_series_notation(in.values);
      } catch (const std::exception& e) {
        ctx_.error(in.values_loc, DiagCode::E051, fmt::format("bad input values: {}", e.what()));
        ok = false;
      }
      // Checked time arithmetic (TODO at merge: the shared helpers of core/support/time.h):
      // the last sample's time start + (n - 1) * interval must be a valid int64 ms.
      int64_t span = 0, last = 0;
      if (ok && !input.values.empty() &&
          (__builtin_mul_overflow(static_cast<int64_t>(input.values.size() - 1), ct.interval_ms,
                                  &span) ||
           __builtin_add_overflow(ct.start, span, &last))) {
        ctx_.error(in.values_loc, DiagCode::E035,
                   fmt::format("{} values {}ms apart run past the largest representable time",
                               input.values.size(), ct.interval_ms));
        ok = false;
      }
      if (ok) ct.inputs.push_back(std::move(input));
    }
    for (const auto& ex : t.expects) {
      CompiledExpect ce;
      ce.negated = ex.negated;
      ce.rule = ex.rule;
      ce.state = ex.state;
      ce.loc = ex.loc;
      ce.has_message = ex.has_message;
      ce.message = ex.message;
      if (!rule_names.count(ex.rule)) {
        std::string hint = suggest(ex.rule, {rule_names.begin(), rule_names.end()});
        ctx_.error(ex.loc, DiagCode::E050,
                   fmt::format("unknown rule '{}'{}", ex.rule,
                               hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
        continue;
      }
      ctx_.compile_matchers(ex.selector, &ce.matchers);
      Val at = const_duration(*ex.at, "'at'", true);
      if (!at.ok()) continue;
      if (__builtin_add_overflow(ct.start, static_cast<int64_t>(at.num), &ce.at)) {  // checked
        ctx_.error(ex.at->loc, DiagCode::E035, "'at' runs past the largest representable time");
        continue;
      }
      ce.at_text = ast::print(*ex.at);
      ct.expects.push_back(std::move(ce));
    }
    out_.tests.push_back(std::move(ct));
  }

  void run(const std::vector<const ast::Module*>& modules, const ast::Module* std_module) {
    bool wants_std = false;
    for (const auto* m : modules)
      for (const auto& imp : m->imports) {
        if (imp.module == "std" || imp.module.rfind("std.", 0) == 0)
          wants_std = true;
        else
          ctx_.error(imp.loc, DiagCode::E060,
                     fmt::format("unknown module '{}' (the only module is std)", imp.module));
      }
    if (wants_std && std_module) declare_module(*std_module, true);
    for (const auto* m : modules) declare_module(*m, false);
    std::vector<const ast::Module*> all = modules;
    expand_intents(modules, all);
    if (wants_std && std_module)
      for (const auto& f : std_module->fns)
        if (ctx_.fns.count(f.name) && ctx_.fns[f.name] == &f) check_fn(f);
    for (const auto* m : all) {
      for (const auto& f : m->fns) check_fn(f);
      for (const auto& s : m->series) check_series(s);
      for (const auto& c : m->consts) {
        ast::Expr ref;
        ref.kind = ast::ExprKind::Name;
        ref.text = c.name;
        ref.loc = c.loc;
        Elaborator el(ctx_, nullptr);
        bool was_used = ctx_.used.count(c.name) > 0;
        if (ctx_.consts.count(c.name) && ctx_.consts[c.name] == &c) el.eval(ref);
        if (!was_used) ctx_.used.erase(c.name);
      }
    }
    std::set<std::string> rule_names;
    std::map<std::string, Loc> rule_locs;
    for (const auto* m : all)
      for (const auto& r : m->rules) {
        if (rule_locs.count(r.name)) {
          ctx_.error(r.loc, DiagCode::E011, fmt::format("rule '{}' is already defined", r.name));
          ctx_.diags.note(rule_locs[r.name], "previous definition is here");
          continue;
        }
        rule_locs[r.name] = r.loc;
        rule_names.insert(r.name);
        lower_rule(r);
      }
    std::set<std::string> test_names;
    for (const auto* m : modules)
      for (const auto& t : m->tests) {
        if (!test_names.insert(t.name).second)
          ctx_.error(t.loc, DiagCode::E011, fmt::format("test '{}' is already defined", t.name));
        lower_test(t, rule_names);
      }
    std::set<std::string> graph_names;
    for (const auto* m : modules)
      for (const auto& g : m->graphs) {
        if (!graph_names.insert(g.name).second)
          ctx_.error(g.loc, DiagCode::E011, fmt::format("graph '{}' is already defined", g.name));
        lower_graph(ctx_, g, out_);
      }
    for (const auto& [name, a] : ctx_.aggregates)
      if (a) out_.aggregates.push_back(*a);
    for (const auto& [name, loc] : user_decls_)
      if (!ctx_.used.count(name))
        ctx_.diags.warning(loc, DiagCode::W001, fmt::format("'{}' is never used", name));
  }

 private:
  Context ctx_;
  CompiledModule& out_;
  std::unordered_map<std::string, Loc> decl_locs_;
  std::set<std::string> std_names_;
  std::vector<std::pair<std::string, Loc>> user_decls_;
};

}  // namespace

void check_and_lower(const std::vector<const ast::Module*>& modules, const ast::Module* std_module,
                     Diagnostics& diags, const Limits& limits, CompiledModule& out) {
  Checker(diags, limits, out).run(modules, std_module);
}

}  // namespace omen::check
