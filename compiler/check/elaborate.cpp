#include "compiler/check/elaborate.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "compiler/ir/ops.h"

namespace omen::check {

using ir::Op;

const char* type_name(Type t) {
  switch (t) {
    case Type::Number:
      return "number";
    case Type::Bool:
      return "bool";
    case Type::Duration:
      return "duration";
    case Type::Percent:
      return "percent";
    case Type::String:
      return "string";
    case Type::Error:
      return "<error>";
  }
  return "?";
}

std::string suggest(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = 3;
  for (const auto& c : candidates) {
    if (c == name) continue;
    std::vector<size_t> prev(c.size() + 1), cur(c.size() + 1);
    for (size_t j = 0; j <= c.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= name.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= c.size(); ++j)
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (name[i - 1] != c[j - 1])});
      std::swap(prev, cur);
    }
    if (prev[c.size()] < best_d) {
      best_d = prev[c.size()];
      best = c;
    }
  }
  return best;
}

const std::regex& label_name_re() {
  static const std::regex re("[a-zA-Z_][a-zA-Z0-9_]*");
  return re;
}

// ---------------------------------------------------------------- Context

void Context::error(const Loc& loc, DiagCode code, const std::string& message) {
  std::string key =
      fmt::format("{}:{}:{}:{}:{}", loc.file, loc.line, loc.col, code_name(code), message);
  if (!reported.insert(key).second) return;
  diags.error(loc, code, message);
}

std::vector<std::string> Context::names() const {
  std::vector<std::string> out;
  for (auto& [k, v] : consts) out.push_back(k);
  for (auto& [k, v] : fns) out.push_back(k);
  for (auto& [k, v] : series) out.push_back(k);
  return out;
}

bool Context::compile_matchers(const std::vector<ast::Matcher>& in,
                               std::vector<LabelMatcher>* out) {
  bool ok = true;
  for (const auto& m : in) {
    LabelMatcher lm{m.label, m.op, m.value, nullptr};
    if (m.op == ast::MatchOp::Re || m.op == ast::MatchOp::NotRe) {
      try {
        lm.re = std::make_shared<const std::regex>(m.value, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        error(m.loc, DiagCode::E015,
              fmt::format("invalid regular expression \"{}\": {}", m.value, e.what()));
        ok = false;
        continue;
      }
    }
    out->push_back(std::move(lm));
  }
  return ok;
}

bool Context::resolve_selector(const std::string& name, const std::vector<ast::Matcher>& extra,
                               const Loc& loc, bool allow_metric, SeriesSelector* out,
                               std::set<std::string>* visiting) {
  auto it = series.find(name);
  if (it == series.end()) {
    if (!allow_metric) return false;
    out->metric = name;
    return compile_matchers(extra, &out->matchers);
  }
  used.insert(name);
  std::set<std::string> local;
  if (!visiting) visiting = &local;
  if (!visiting->insert(name).second) {
    error(loc, DiagCode::E025, fmt::format("series '{}' is defined in terms of itself", name));
    return false;
  }
  if (visiting->size() > limits.max_depth) {  // the recursion below is bounded by the limit
    if (!std::exchange(depth_reported, true))
      error(loc, DiagCode::E041,
            fmt::format("series declarations refer to one another more than {} deep",
                        limits.max_depth));
    return false;
  }
  const ast::SeriesDecl& decl = *it->second;
  const ast::Expr& v = *decl.value;
  bool ok = true;
  if (is_aggregation(v)) {
    const CompiledAggregate* a = aggregate(decl, visiting);
    if (!a) return false;
    out->metric = a->metric;
  } else if (decl.has_by) {
    error(decl.by_loc, DiagCode::E016,
          fmt::format("'by' groups an aggregation, and series '{}' is not one: write "
                      "sum({}) by (...) (or avg, min, max, count, counter_sum)",
                      decl.name, ast::print(v)));
    return false;
  } else if (v.kind == ast::ExprKind::Call && v.text == "metric") {
    ok = metric_call(v, out);
  } else if (v.kind == ast::ExprKind::Name) {
    // Another series (or a metric name), optionally narrowed by a selector.
    ok = resolve_selector(v.text, v.selector, v.loc, true, out, visiting);
  } else {
    error(v.loc, DiagCode::E016,
          "a series declaration must be metric(\"name\", label = \"value\", ...), a selector "
          "such as name{label=\"value\"}, or an aggregation such as sum(name{...}) by (label)");
    return false;
  }
  return compile_matchers(extra, &out->matchers) && ok;
}

bool Context::metric_call(const ast::Expr& v, SeriesSelector* out) {
  if (v.args.empty() || v.args[0]->kind != ast::ExprKind::String || !v.arg_names[0].empty()) {
    error(v.loc, DiagCode::E016, "metric() takes the metric name as a string first argument");
    return false;
  }
  bool ok = true;
  out->metric = v.args[0]->text;
  std::vector<ast::Matcher> ms;
  for (size_t i = 1; i < v.args.size(); ++i) {
    if (v.arg_names[i].empty() || v.args[i]->kind != ast::ExprKind::String) {
      error(v.args[i]->loc, DiagCode::E016,
            "metric() label arguments are written label = \"value\"");
      ok = false;
      continue;
    }
    ms.push_back({v.arg_names[i], ast::MatchOp::Eq, v.args[i]->text, v.args[i]->loc});
  }
  return compile_matchers(ms, &out->matchers) && ok;
}

namespace {

const std::map<std::string, CompiledAggregate::Op>& aggregation_ops() {
  static const std::map<std::string, CompiledAggregate::Op> ops = {
      {"sum", CompiledAggregate::Sum},     {"avg", CompiledAggregate::Avg},
      {"min", CompiledAggregate::Min},     {"max", CompiledAggregate::Max},
      {"count", CompiledAggregate::Count}, {"counter_sum", CompiledAggregate::CounterSum}};
  return ops;
}

// FNV-1a: a stable short name for an aggregate's definition.
uint32_t fnv1a(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

}  // namespace

bool is_aggregation(const ast::Expr& v) {
  return v.kind == ast::ExprKind::Call && aggregation_ops().count(v.text) && v.args.size() == 1 &&
         v.arg_names[0].empty();
}

const CompiledAggregate* Context::aggregate(const ast::SeriesDecl& decl,
                                            std::set<std::string>* visiting) {
  auto found = aggregates.find(decl.name);
  if (found != aggregates.end()) return found->second ? &*found->second : nullptr;
  const ast::Expr& v = *decl.value;
  const ast::Expr& arg = *v.args[0];
  CompiledAggregate a;
  a.op = aggregation_ops().at(v.text);
  a.name = decl.name;
  a.loc = decl.loc;
  bool ok = true;
  if (arg.kind == ast::ExprKind::Call && arg.text == "metric") {
    ok = metric_call(arg, &a.members);
  } else if (arg.kind == ast::ExprKind::Name) {
    ok = resolve_selector(arg.text, arg.selector, arg.loc, true, &a.members, visiting);
  } else {
    error(arg.loc, DiagCode::E016,
          fmt::format("{}() aggregates series: its argument is a series or selector such as "
                      "requests{{code=~\"5..\"}}, found {}",
                      v.text, ast::print(arg)));
    ok = false;
  }
  if (ok && !a.members.metric.empty() && a.members.metric[0] == '@') {
    error(arg.loc, DiagCode::E016,
          fmt::format("'{}' is itself an aggregate: aggregate its members directly",
                      ast::print(arg)));
    ok = false;
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < decl.by.size(); ++i) {
    // Label names need no check: the grammar admits only identifiers (E036 is retired).
    if (!seen.insert(decl.by[i]).second) {
      error(decl.by_locs[i], DiagCode::E011, fmt::format("label '{}' is given twice", decl.by[i]));
      ok = false;
    }
  }
  if (!ok) {
    aggregates[decl.name] = std::nullopt;
    return nullptr;
  }
  a.by = decl.by;
  std::string def = fmt::format("{}|{}|", v.text, a.members.to_string());
  for (const auto& b : a.by) def += b + ",";
  a.metric = fmt::format("@{}:{:08x}", a.name, fnv1a(def));
  auto& slot = aggregates[decl.name];
  slot = std::move(a);
  return &*slot;
}

// ---------------------------------------------------------------- Lowering

// A window call over the same input and width as an earlier one whose kernel shares its
// state (kernels::ShareGroup: mean with stddev; median, quantile and mad) becomes a read
// of that state: one buffer and one push per tick instead of one per call. The call's
// own slot, just added by the caller, is dropped when nothing else uses it.
uint32_t Lowering::emit(const ir::Instr& in) {
  if (in.op == ir::Op::Window) {
    const kernels::WindowSpec spec = program.windows[in.slot];
    const kernels::KernelInfo& info = kernels::kernel_info(spec.kind);
    for (uint32_t j = 0; info.read && j < program.code.size(); ++j) {
      const ir::Instr& push = program.code[j];
      if (push.op != ir::Op::Window || push.a != in.a || push.slot == in.slot) continue;
      const kernels::WindowSpec& other = program.windows[push.slot];
      if (other.width_ms != spec.width_ms || !kernels::can_read(other.kind, spec.kind)) continue;
      bool slot_used = false;
      for (const ir::Instr& x : program.code)
        slot_used |= (x.op == ir::Op::Window || x.op == ir::Op::WindowRead) && x.slot == in.slot;
      if (!slot_used && in.slot + 1 == program.windows.size()) program.windows.pop_back();
      ir::Instr read;
      read.op = ir::Op::WindowRead;
      read.a = j;
      read.b = static_cast<uint32_t>(spec.kind);
      read.slot = push.slot;
      read.imm = info.n_params ? spec.param : 0.0;
      return emit(read);
    }
  }
  uint64_t bits;
  std::memcpy(&bits, &in.imm, sizeof bits);
  std::string key =
      fmt::format("{}:{}:{}:{}:{}:{}", static_cast<int>(in.op), in.a, in.b, in.c, in.slot, bits);
  auto it = cse.find(key);
  if (it != cse.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(program.code.size());
  program.code.push_back(in);
  cse.emplace(std::move(key), id);
  return id;
}

uint32_t Lowering::selector_index(const SeriesSelector& sel) {
  for (size_t i = 0; i < selectors.size(); ++i)
    if (selectors[i] == sel) return static_cast<uint32_t>(i);
  selectors.push_back(sel);
  return static_cast<uint32_t>(selectors.size() - 1);
}

uint32_t Lowering::input(InputSpec::Kind kind, uint32_t selector) {
  auto key = std::make_pair(static_cast<int>(kind), selector);
  auto it = input_index.find(key);
  uint32_t col;
  if (it == input_index.end()) {
    col = static_cast<uint32_t>(inputs.size());
    inputs.push_back({kind, selector});
    input_index.emplace(key, col);
    program.n_inputs = static_cast<uint32_t>(inputs.size());
  } else {
    col = it->second;
  }
  ir::Instr in;
  in.op = Op::Input;
  in.a = col;
  return emit(in);
}

// ---------------------------------------------------------------- Elaborator

namespace {
bool numeric(Type t) {
  return t == Type::Number || t == Type::Percent;
}
}  // namespace

uint32_t Elaborator::materialize(const Val& v) {
  if (!v.is_const) return v.ir;
  ir::Instr in;
  in.op = Op::Const;
  in.imm = v.num;
  return low_->emit(in);
}

bool Elaborator::expect_type(const Val& v, std::initializer_list<Type> allowed, const char* what) {
  if (!v.ok()) return false;
  for (Type t : allowed)
    if (v.type == t || (t == Type::Number && v.type == Type::Percent)) return true;
  std::string want;
  for (Type t : allowed) want += (want.empty() ? "" : " or ") + std::string(type_name(t));
  DiagCode code = (v.type == Type::Duration || *allowed.begin() == Type::Duration) &&
                          v.type != Type::Bool && v.type != Type::String
                      ? DiagCode::E021
                      : (*allowed.begin() == Type::Bool ? DiagCode::E022 : DiagCode::E020);
  ctx_.error(v.loc, code, fmt::format("{} must be {}, found {}", what, want, type_name(v.type)));
  return false;
}

// Folds when every operand is constant; otherwise emits (lowering) or yields a runtime value.
Val Elaborator::scalar(Op op, Type result, const std::vector<Val>& args, const Loc& loc) {
  Val out;
  out.type = result;
  out.loc = loc;
  bool all_const = true, any_symbolic = false;
  for (const auto& a : args) {
    all_const = all_const && a.is_const;
    any_symbolic = any_symbolic || a.symbolic;
  }
  if (all_const) {
    double x[3] = {0, 0, 0};
    for (size_t i = 0; i < args.size(); ++i) x[i] = args[i].num;
    out.is_const = true;
    out.num = ir::eval_scalar(op, x[0], x[1], x[2]);
    return out;
  }
  if (any_symbolic) {
    bool all_known = true;
    for (const auto& a : args) all_known = all_known && (a.is_const || a.symbolic);
    out.symbolic = all_known;
  }
  if (low_) {
    ir::Instr in;
    in.op = op;
    if (args.size() > 0) in.a = materialize(args[0]);
    if (args.size() > 1) in.b = materialize(args[1]);
    if (args.size() > 2) in.c = materialize(args[2]);
    out.ir = low_->emit(in);
  }
  return out;
}

Val Elaborator::eval(const ast::Expr& e) {
  // The parser bounds each tree's depth; inlining stacks bodies, so bound the walk too.
  if (ctx_.depth >= ctx_.limits.max_depth) {
    if (std::exchange(ctx_.depth_reported, true)) return Val::error();
    ctx_.error(e.loc, DiagCode::E041,
               fmt::format("expression nested too deeply once constants and function calls are "
                           "expanded (limit {})",
                           ctx_.limits.max_depth));
    return Val::error();
  }
  struct Deeper {
    size_t& d;
    explicit Deeper(size_t& depth) : d(++depth) {}
    ~Deeper() { --d; }
  } deeper(ctx_.depth);
  Val v;
  switch (e.kind) {
    case ast::ExprKind::Number:
      v = Val{Type::Number, true, false, e.number};
      break;
    case ast::ExprKind::Percent:
      v = Val{Type::Percent, true, false, e.number / 100.0};
      break;
    case ast::ExprKind::Duration:
      v = Val{Type::Duration, true, false, e.number};
      break;
    case ast::ExprKind::Bool:
      v = Val{Type::Bool, true, false, e.number};
      break;
    case ast::ExprKind::String:
      v = Val{Type::String, true, false, 0, e.text};
      break;
    case ast::ExprKind::Name:
      v = eval_name(e);
      break;
    case ast::ExprKind::Unary:
      v = eval_unary(e);
      break;
    case ast::ExprKind::Binary:
      v = eval_binary(e);
      break;
    case ast::ExprKind::If:
      v = eval_if(e);
      break;
    case ast::ExprKind::Call:
      v = eval_call(e);
      break;
  }
  if (v.ok()) v.loc = e.loc;
  if (low_ && low_->program.code.size() > ctx_.limits.max_instructions) {
    ctx_.error(e.loc, DiagCode::E040,
               fmt::format("rule is too large after inlining (over {} instructions)",
                           ctx_.limits.max_instructions));
    return Val::error();
  }
  return v;
}

Val Elaborator::eval_name(const ast::Expr& e) {
  if (!e.has_selector) {
    for (auto it = env_.rbegin(); it != env_.rend(); ++it) {
      auto f = it->find(e.text);
      if (f != it->end()) return f->second;
    }
  }
  ctx_.used.insert(e.text);
  if (!e.has_selector && ctx_.consts.count(e.text)) {
    auto cv = ctx_.const_values.find(e.text);
    if (cv != ctx_.const_values.end()) return cv->second;
    const ast::Const& c = *ctx_.consts.at(e.text);
    if (!ctx_.const_in_progress.insert(e.text).second) {
      ctx_.error(e.loc, DiagCode::E025,
                 fmt::format("constant '{}' is defined in terms of itself", e.text));
      return Val::error();
    }
    Elaborator sub(ctx_, nullptr);
    Val v = sub.eval(*c.value);
    ctx_.const_in_progress.erase(e.text);
    if (v.ok() && !v.is_const) {
      ctx_.error(c.value->loc, DiagCode::E017,
                 fmt::format("constant '{}' must have a value known at compile time", c.name));
      v = Val::error();
    }
    if (v.ok() && c.type) {
      static const std::map<std::string, Type> names = {{"number", Type::Number},
                                                        {"bool", Type::Bool},
                                                        {"duration", Type::Duration},
                                                        {"percent", Type::Percent},
                                                        {"string", Type::String}};
      auto t = names.find(c.type->name);
      if (t == names.end()) {
        ctx_.error(c.type->loc, DiagCode::E026, fmt::format("unknown type '{}'", c.type->name));
      } else if (t->second != v.type && !(t->second == Type::Number && v.type == Type::Percent)) {
        ctx_.error(c.value->loc,
                   v.type == Type::Duration || t->second == Type::Duration ? DiagCode::E021
                                                                           : DiagCode::E020,
                   fmt::format("constant '{}' is declared {} but its value is {}", c.name,
                               c.type->name, type_name(v.type)));
      }
    }
    ctx_.const_values[e.text] = v;
    return v;
  }
  if (ctx_.series.count(e.text) || (in_series_decl_ && !ctx_.consts.count(e.text))) {
    if (in_series_decl_) return Val{Type::Number};
    SeriesSelector sel;
    if (!ctx_.resolve_selector(e.text, e.selector, e.loc, false, &sel)) return Val::error();
    Val v{Type::Number};
    if (low_) {
      uint32_t s = low_->selector_index(sel);
      v.ir = low_->input(InputSpec::Value, s);
      v.series = static_cast<int>(s);
    }
    return v;
  }
  if (e.has_selector && ctx_.consts.count(e.text)) {
    ctx_.error(e.loc, DiagCode::E018,
               fmt::format("'{}' is a constant: only series take a selector", e.text));
    return Val::error();
  }
  std::vector<std::string> candidates = ctx_.names();
  for (const auto& scope : env_)
    for (const auto& [k, v] : scope) candidates.push_back(k);
  std::string hint = suggest(e.text, candidates);
  ctx_.error(e.loc, DiagCode::E010,
             fmt::format("unknown name '{}'{}", e.text,
                         hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  return Val::error();
}

Val Elaborator::eval_unary(const ast::Expr& e) {
  Val x = eval(*e.args[0]);
  if (!x.ok()) return x;
  if (e.text == "not") {
    if (!expect_type(x, {Type::Bool}, "the operand of 'not'")) return Val::error();
    return scalar(Op::Not, Type::Bool, {x}, e.loc);
  }
  if (!expect_type(x, {Type::Number, Type::Duration}, "the operand of unary '-'"))
    return Val::error();
  return scalar(Op::Neg, x.type, {x}, e.loc);
}

Val Elaborator::eval_binary(const ast::Expr& e) {
  Val l = eval(*e.args[0]);
  Val r = eval(*e.args[1]);
  if (!l.ok() || !r.ok()) return Val::error();
  const std::string& op = e.text;
  auto mismatch = [&](DiagCode code) {
    ctx_.error(e.loc, code,
               fmt::format("operator '{}' cannot combine {} and {}", op, type_name(l.type),
                           type_name(r.type)));
    return Val::error();
  };
  if (l.type == Type::String || r.type == Type::String)
    return mismatch(DiagCode::E020);  // strings are for labels and messages only
  if (op == "and" || op == "or") {
    if (!expect_type(l, {Type::Bool}, fmt::format("the left operand of '{}'", op).c_str()) ||
        !expect_type(r, {Type::Bool}, fmt::format("the right operand of '{}'", op).c_str()))
      return Val::error();
    return scalar(op == "and" ? Op::And : Op::Or, Type::Bool, {l, r}, e.loc);
  }
  bool ln = numeric(l.type), rn = numeric(r.type);
  bool ld = l.type == Type::Duration, rd = r.type == Type::Duration;
  static const std::map<std::string, Op> cmp = {{"<", Op::Lt},  {"<=", Op::Le}, {">", Op::Gt},
                                                {">=", Op::Ge}, {"==", Op::Eq}, {"!=", Op::Ne}};
  if (auto c = cmp.find(op); c != cmp.end()) {
    bool ok = (ln && rn) || (ld && rd) ||
              (l.type == Type::Bool && r.type == Type::Bool && (op == "==" || op == "!="));
    if (!ok) return mismatch((ld || rd) ? DiagCode::E021 : DiagCode::E020);
    return scalar(c->second, Type::Bool, {l, r}, e.loc);
  }
  if (l.type == Type::Bool || r.type == Type::Bool) return mismatch(DiagCode::E020);
  auto unit = [](Type a, Type b) {  // percent op percent stays percent; mixed is a number
    return a == Type::Percent && b == Type::Percent ? Type::Percent : Type::Number;
  };
  if (op == "+" || op == "-") {
    Op o = op == "+" ? Op::Add : Op::Sub;
    if (ln && rn) return scalar(o, unit(l.type, r.type), {l, r}, e.loc);
    if (ld && rd) return scalar(o, Type::Duration, {l, r}, e.loc);
    return mismatch(DiagCode::E021);
  }
  if (op == "*") {
    if (ln && rn) return scalar(Op::Mul, unit(l.type, r.type), {l, r}, e.loc);
    if ((ld && rn) || (ln && rd)) return scalar(Op::Mul, Type::Duration, {l, r}, e.loc);
    return mismatch(DiagCode::E021);
  }
  if (op == "/") {
    if (ln && rn) return scalar(Op::Div, Type::Number, {l, r}, e.loc);
    if (ld && rn) return scalar(Op::Div, Type::Duration, {l, r}, e.loc);
    if (ld && rd) return scalar(Op::Div, Type::Number, {l, r}, e.loc);
    return mismatch(DiagCode::E021);
  }
  if (op == "%") {
    if (ln && rn) return scalar(Op::Mod, Type::Number, {l, r}, e.loc);
    if (ld && rd) return scalar(Op::Mod, Type::Duration, {l, r}, e.loc);
    return mismatch(DiagCode::E021);
  }
  if (op == "^") {
    if (ln && rn) return scalar(Op::Pow, Type::Number, {l, r}, e.loc);
    return mismatch(DiagCode::E021);
  }
  return mismatch(DiagCode::E020);
}

Val Elaborator::eval_if(const ast::Expr& e) {
  Val c = eval(*e.args[0]);
  Val a = eval(*e.args[1]);
  Val b = eval(*e.args[2]);
  if (!c.ok() || !a.ok() || !b.ok()) return Val::error();
  if (!expect_type(c, {Type::Bool}, "the condition of 'if'")) return Val::error();
  Type t = a.type;
  bool same = a.type == b.type || (numeric(a.type) && numeric(b.type));
  if (!same || a.type == Type::String) {
    ctx_.error(
        e.loc,
        a.type == Type::Duration || b.type == Type::Duration ? DiagCode::E021 : DiagCode::E020,
        fmt::format("the branches of 'if' must have the same type, found {} and {}",
                    type_name(a.type), type_name(b.type)));
    return Val::error();
  }
  if (a.type != b.type) t = Type::Number;
  return scalar(Op::Select, t, {c, a, b}, e.loc);
}

}  // namespace omen::check
