// Calls: built-in scalar functions, window functions (runtime kernels) and user functions
// (inlined at every call site; recursion is an error).
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "compiler/check/elaborate.h"

namespace omen::check {

using ir::Op;
using kernels::WindowKind;

namespace {

Type param_type(const std::string& name, bool* ok) {
  *ok = true;
  if (name == "number" || name == "series") return Type::Number;
  if (name == "bool") return Type::Bool;
  if (name == "duration") return Type::Duration;
  if (name == "percent") return Type::Percent;
  if (name == "string") return Type::String;
  *ok = false;
  return Type::Error;
}

// Per-evaluation cost of a window kernel, by its complexity class (docs/language.md; the
// detector kernels' in docs/stdlib.md), with its parameters where they set the work.
double window_cost(const kernels::WindowSpec& w) {
  switch (w.kind) {
    case WindowKind::Median:
    case WindowKind::Quantile:
      return 20;
    case WindowKind::Mad:
      return 40;
    case WindowKind::Esd:
      return 20 + 10 * w.arg(1);  // r steps of O(log w)
    case WindowKind::Seasonal:
      return 5 + 2 * w.arg(0);  // k peers
    case WindowKind::ArResidual:
      return 10 + w.arg(0) * w.arg(0) * (w.arg(0) + 3) / 3;
    case WindowKind::Cusum:
      return 10;
    case WindowKind::Bocpd:
      return 10 + w.arg(1) / 2;  // R run lengths
    case WindowKind::Gaussian:
      return 10 + w.arg(0) / std::max(1.0, w.arg(1));
    default:
      return 5;
  }
}

// The surface syntax of each window built-in: its arguments in order, 'x' the value (a
// number or bool), 'b' the value when it must be a bool, 'w' the constant window
// (duration), 'p' the next constant numeric parameter (names and ranges: the kernel
// table, kernels::KernelInfo::params). Kernels not listed take (x, w).
struct Signature {
  WindowKind kind;
  const char* args;
  bool bool_result;  // the kernel returns exactly 0 or 1: the call is a bool
};

constexpr Signature kSignatures[] = {
    {WindowKind::Quantile, "xpw", false},     // quantile(x, q, w)
    {WindowKind::FitQuantile, "xpw", false},  // fit_quantile(x, q, span)
    {WindowKind::Esd, "xwpp", true},          // esd(x, w, alpha, max_outliers)
    {WindowKind::Seasonal, "xwp", false},     // seasonal_base(x, period, periods)
    {WindowKind::ArResidual, "xwp", false},   // ar_residual(x, w, order)
    {WindowKind::Cusum, "xwpp", false},       // cusum(x, w, drift, threshold)
    {WindowKind::Bocpd, "xwpp", false},       // bocpd(x, w, expected_run, max_run)
    {WindowKind::Gaussian, "xpp", false},     // gauss_score(x, size, step)
    {WindowKind::Cooldown, "bw", true},       // cooldown(cond, w)
};

Signature signature(WindowKind kind) {
  for (const Signature& s : kSignatures)
    if (s.kind == kind) return s;
  return {kind, "xw", false};
}

// "[0, 1]", "(0, 0.5]", ">= 0", "> 0", with "an integer in" for integer parameters.
std::string range_text(const kernels::ParamInfo& p) {
  std::string r = std::isinf(p.hi) ? fmt::format("{} {}", p.lo_open ? ">" : ">=", p.lo)
                                   : fmt::format("in {}{}, {}]", p.lo_open ? "(" : "[", p.lo, p.hi);
  return p.integer ? "an integer " + r : r;
}

// The built-ins that are not one IR op each (the others come from compiler/ir/ops.def), with
// their signatures.
constexpr std::pair<const char*, const char*> kOtherBuiltins[] = {
    {"clamp", "(x: number, lo: number, hi: number) -> number"},
    {"seconds", "(d: duration) -> number"},
    {"time", "() -> number"},
    {"min", "(a: number, b: number) -> number"},
    {"max", "(a: number, b: number) -> number"},
    {"absent", "(s: series, d: duration) -> bool"},
};

}  // namespace

const std::vector<BuiltinFunction>& builtin_functions() {
  static const std::vector<BuiltinFunction> table = [] {
    std::vector<BuiltinFunction> out;
    for (const ir::OpInfo& op : ir::kOps) {
      if (op.surface != ir::OpSurface::Builtin) continue;
      static constexpr const char* kParams[] = {"x: number", "x: number, y: number",
                                                "x: number, y: number, z: number"};
      out.push_back({op.name,
                     fmt::format("({}) -> {}", op.arity ? kParams[op.arity - 1] : "",
                                 op.result == ir::OpResult::Bool ? "bool" : "number"),
                     false});
    }
    for (const auto& [name, sig] : kOtherBuiltins) out.push_back({name, sig, false});
    for (size_t i = 0; i < kernels::kNumWindowKinds; ++i) {
      const kernels::KernelInfo& k = kernels::kernel_info(static_cast<WindowKind>(i));
      const Signature sig = signature(k.kind);
      std::string params;
      size_t n_param = 0;
      for (char c : std::string_view(sig.args)) {
        if (!params.empty()) params += ", ";
        if (c == 'x')
          params += "x: number";
        else if (c == 'b')
          params += "cond: bool";
        else if (c == 'w')
          params += "w: duration";
        else if (n_param < k.n_params)
          params += fmt::format("{}: number", k.params[n_param++].name);
      }
      out.push_back(
          {k.name, fmt::format("({}) -> {}", params, sig.bool_result ? "bool" : "number"), true});
    }
    return out;
  }();
  return table;
}

Val Elaborator::window(const ast::Expr& e, WindowKind kind, const Val& x, const Val& width,
                       const kernels::WindowSpec& params) {
  const char* fname = kernels::kernel_info(kind).name;
  if (!expect_type(x, {Type::Number, Type::Bool},
                   fmt::format("the first argument of {}()", fname).c_str()))
    return Val::error();
  if (!expect_type(width, {Type::Duration}, fmt::format("the window of {}()", fname).c_str()))
    return Val::error();
  Val out{Type::Number};
  out.loc = e.loc;
  if (width.symbolic) return out;  // checked at each call site when the function is inlined
  if (!width.is_const) {
    ctx_.error(width.loc, DiagCode::E023,
               fmt::format("the window of {}() must be known at compile time", fname));
    return Val::error();
  }
  if (!(width.num >= 1) || width.num > static_cast<double>(ctx_.limits.max_window_ms)) {
    ctx_.error(width.loc, DiagCode::E024,
               fmt::format("the window of {}() must be between 1ms and {}d, found {}ms", fname,
                           ctx_.limits.max_window_ms / 86'400'000, width.num));
    return Val::error();
  }
  if (!low_) return out;
  kernels::WindowSpec spec{kind, static_cast<int64_t>(width.num), params.param};
  spec.more = params.more;
  uint32_t arg = materialize(x);
  // Identical (kernel, width, parameters, argument) call sites share one state.
  uint32_t slot = UINT32_MAX;
  for (const auto& in : low_->program.code)
    if (in.op == Op::Window && in.a == arg && low_->program.windows[in.slot] == spec)
      slot = in.slot;
  if (slot == UINT32_MAX) {
    slot = static_cast<uint32_t>(low_->program.windows.size());
    low_->program.windows.push_back(spec);
  }
  ir::Instr in;
  in.op = Op::Window;
  in.a = arg;
  in.slot = slot;
  out.ir = low_->emit(in);
  return out;
}

Val Elaborator::eval_call(const ast::Expr& e) {
  std::string name = e.text;
  if (name.rfind("std.", 0) == 0) name = name.substr(4);
  auto fn = ctx_.fns.find(name);
  ctx_.used.insert(name);
  if (fn != ctx_.fns.end()) return call_user(e, *fn->second);
  if (name == "metric") {
    ctx_.error(e.loc, DiagCode::E019, "metric() can only be used in a series declaration");
    return Val::error();
  }
  std::vector<Val> args;
  bool ok = true;
  for (size_t i = 0; i < e.args.size(); ++i) {
    if (!e.arg_names[i].empty()) {
      ctx_.error(e.args[i]->loc, DiagCode::E014,
                 fmt::format("built-in {}() takes no named argument '{}'", name, e.arg_names[i]));
      ok = false;
    }
    args.push_back(eval(*e.args[i]));
    ok = ok && args.back().ok();
  }
  if (!ok) return Val::error();
  return call_builtin(e, name, args);
}

Val Elaborator::call_builtin(const ast::Expr& e, const std::string& name, std::vector<Val>& args) {
  auto arity = [&](size_t n) {
    if (args.size() == n) return true;
    ctx_.error(
        e.loc, DiagCode::E013,
        fmt::format("{}() takes {} argument{}, found {}", name, n, n == 1 ? "" : "s", args.size()));
    return false;
  };
  auto num_arg = [&](size_t i) {
    return expect_type(args[i], {Type::Number},
                       fmt::format("argument {} of {}()", i + 1, name).c_str());
  };
  // abs, sqrt, exp, log, floor, ceil, isnan, pow: the ops whose spelling is the built-in
  // (compiler/ir/ops.def), each over numbers.
  if (std::optional<Op> op = ir::builtin_op(name)) {
    const auto n = static_cast<size_t>(ir::arity(*op));
    if (!arity(n)) return Val::error();
    for (size_t i = 0; i < n; ++i)
      if (!num_arg(i)) return Val::error();
    const bool truth = ir::op_info(*op).result == ir::OpResult::Bool;
    return scalar(*op, truth ? Type::Bool : Type::Number, args, e.loc);
  }
  if (name == "clamp") {
    if (!arity(3) || !num_arg(0) || !num_arg(1) || !num_arg(2)) return Val::error();
    Val lo = scalar(Op::Min, Type::Number, {args[0], args[2]}, e.loc);
    return scalar(Op::Max, Type::Number, {lo, args[1]}, e.loc);
  }
  if (name == "seconds") {
    if (!arity(1) || !expect_type(args[0], {Type::Duration}, "the argument of seconds()"))
      return Val::error();
    Val k{Type::Number, true, false, 1000.0};
    return scalar(Op::Div, Type::Number, {args[0], k}, e.loc);
  }
  if (name == "time") {
    if (!arity(0)) return Val::error();
    Val out{Type::Number};
    if (low_) {
      ir::Instr in;
      in.op = Op::Time;
      out.ir = low_->emit(in);
    }
    return out;
  }
  if ((name == "min" || name == "max") && args.size() == 2 && args[1].type != Type::Duration) {
    if (!num_arg(0) || !num_arg(1)) return Val::error();
    return scalar(name == "min" ? Op::Min : Op::Max, Type::Number, args, e.loc);
  }
  if (name == "absent") {
    if (!arity(2)) return Val::error();
    if (args[0].series < 0 && low_) {
      ctx_.error(args[0].loc, DiagCode::E027,
                 "the first argument of absent() must be a series name");
      return Val::error();
    }
    if (!expect_type(args[1], {Type::Duration}, "the duration of absent()")) return Val::error();
    if (!args[1].is_const && !args[1].symbolic) {
      ctx_.error(args[1].loc, DiagCode::E023,
                 "the duration of absent() must be known at compile time");
      return Val::error();
    }
    Val out{Type::Bool};
    if (low_) {
      Val age{Type::Number};
      age.ir = low_->input(InputSpec::Age, static_cast<uint32_t>(args[0].series));
      return scalar(Op::Ge, Type::Bool, {age, args[1]}, e.loc);
    }
    return out;
  }
  if (const kernels::KernelInfo* k = kernels::find_kernel(name)) {
    const Signature sig = signature(k->kind);
    const std::string_view layout = sig.args;
    if (!arity(layout.size())) return Val::error();
    // Constant parameters first (in order), then the value and the window (window()).
    kernels::WindowSpec params{k->kind};
    size_t n_param = 0;
    const Val* x = nullptr;
    const Val* width = nullptr;
    for (size_t i = 0; i < layout.size(); ++i) {
      if (layout[i] == 'x' || layout[i] == 'b') {
        x = &args[i];
        continue;
      }
      if (layout[i] == 'w') {
        width = &args[i];
        continue;
      }
      const kernels::ParamInfo& info = k->params[n_param];
      if (!num_arg(i)) return Val::error();
      if (!args[i].is_const && !args[i].symbolic) {
        ctx_.error(args[i].loc, DiagCode::E023,
                   fmt::format("the {} of {}() must be known at compile time", info.name, name));
        return Val::error();
      }
      if (args[i].is_const && !info.contains(args[i].num)) {
        ctx_.error(args[i].loc, DiagCode::E024,
                   fmt::format("the {} of {}() must be {}, found {}", info.name, name,
                               range_text(info), args[i].num));
        return Val::error();
      }
      params.set_arg(n_param++, args[i].num);
    }
    if (layout.find('b') != std::string_view::npos &&
        !expect_type(*x, {Type::Bool}, fmt::format("the first argument of {}()", name).c_str()))
      return Val::error();
    // seasonal_base keeps (periods + 1) periods of samples: bound the span like a window.
    if (k->kind == WindowKind::Seasonal && width->is_const && params.param >= 1 &&
        width->num * params.param > static_cast<double>(ctx_.limits.max_window_ms)) {
      ctx_.error(e.loc, DiagCode::E024,
                 fmt::format("the span of seasonal_base(), period x periods, must be at most {}d, "
                             "found {}ms",
                             ctx_.limits.max_window_ms / 86'400'000, width->num * params.param));
      return Val::error();
    }
    Val no_window{Type::Duration, true, false, 1.0};  // kernels without a window: 1ms, unused
    no_window.loc = e.loc;
    Val out = window(e, k->kind, *x, width ? *width : no_window, params);
    if (out.ok() && sig.bool_result) out.type = Type::Bool;
    return out;
  }
  std::vector<std::string> candidates = ctx_.names();
  for (const BuiltinFunction& b : builtin_functions()) candidates.push_back(b.name);
  std::string hint = suggest(name, candidates);
  ctx_.error(e.loc, DiagCode::E012,
             fmt::format("unknown function '{}'{}", e.text,
                         hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  return Val::error();
}

// Iterative post-order over the call graph (explicit stacks both over the call graph and
// within each body: the chain of functions can be as long as the file allows). A call to a
// function still in progress (recursion, an error E025 when expanded) counts as one node.
size_t Context::inline_size(const ast::Fn& root) {
  if (auto it = inline_sizes.find(&root); it != inline_sizes.end()) return it->second;
  struct Frame {
    const ast::Fn* fn;
    size_t own = 0;                     // nodes of the body that are not user calls
    std::vector<const ast::Fn*> calls;  // user functions called (with repetition)
    size_t next = 0;
  };
  auto open = [&](const ast::Fn& fn) {
    Frame f{&fn};
    std::vector<const ast::Expr*> todo{fn.body.get()};
    while (!todo.empty()) {
      const ast::Expr* x = todo.back();
      todo.pop_back();
      auto callee = x->kind == ast::ExprKind::Call ? fns.find(x->text) : fns.end();
      if (callee != fns.end())
        f.calls.push_back(callee->second);
      else
        ++f.own;
      for (const auto& arg : x->args) todo.push_back(arg.get());
    }
    return f;
  };
  std::set<const ast::Fn*> in_progress{&root};
  std::vector<Frame> stack{open(root)};
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next < top.calls.size()) {
      const ast::Fn* c = top.calls[top.next++];
      if (!inline_sizes.count(c) && in_progress.insert(c).second) stack.push_back(open(*c));
      continue;
    }
    size_t total = top.own;
    for (const ast::Fn* c : top.calls) {
      auto it = inline_sizes.find(c);
      total = std::min(total + (it == inline_sizes.end() ? 1 : it->second), kInlineSaturated);
    }
    inline_sizes[top.fn] = total;
    in_progress.erase(top.fn);
    stack.pop_back();
  }
  return inline_sizes.at(&root);
}

Val Elaborator::call_user(const ast::Expr& e, const ast::Fn& fn) {
  if (std::find(call_stack_.begin(), call_stack_.end(), fn.name) != call_stack_.end()) {
    ctx_.error(e.loc, DiagCode::E025,
               fmt::format("function '{}' calls itself (recursion is not allowed)", fn.name));
    return Val::error();
  }
  if (call_stack_.size() >= ctx_.limits.max_inline_depth) {
    ctx_.error(e.loc, DiagCode::E025,
               fmt::format("function calls nested deeper than {}", ctx_.limits.max_inline_depth));
    return Val::error();
  }
  // Match positional then named arguments to parameters.
  std::vector<const ast::Expr*> bound(fn.params.size(), nullptr);
  bool ok = true;
  size_t pos = 0;
  for (size_t i = 0; i < e.args.size(); ++i) {
    size_t slot;
    if (e.arg_names[i].empty()) {
      slot = pos++;
    } else {
      auto it = std::find_if(fn.params.begin(), fn.params.end(),
                             [&](const ast::Param& p) { return p.name == e.arg_names[i]; });
      if (it == fn.params.end()) {
        ctx_.error(e.args[i]->loc, DiagCode::E014,
                   fmt::format("{}() has no parameter '{}'", fn.name, e.arg_names[i]));
        ok = false;
        continue;
      }
      slot = static_cast<size_t>(it - fn.params.begin());
    }
    if (slot >= fn.params.size()) {
      ctx_.error(e.loc, DiagCode::E013,
                 fmt::format("{}() takes {} argument{}, found {}", fn.name, fn.params.size(),
                             fn.params.size() == 1 ? "" : "s", e.args.size()));
      return Val::error();
    }
    if (bound[slot]) {
      ctx_.error(
          e.args[i]->loc, DiagCode::E014,
          fmt::format("parameter '{}' of {}() is given twice", fn.params[slot].name, fn.name));
      ok = false;
    }
    bound[slot] = e.args[i].get();
  }
  for (size_t i = 0; i < bound.size(); ++i)
    if (!bound[i]) {
      ctx_.error(e.loc, DiagCode::E013,
                 fmt::format("{}() is missing argument '{}'", fn.name, fn.params[i].name));
      ok = false;
    }
  if (!ok) return Val::error();
  // Count before expanding: inlining doubles with each `f(x) + f(x)` level, and hash-consing
  // only merges what has already been built.
  size_t size = ctx_.inline_size(fn);
  if (size > ctx_.limits.max_inlined_nodes ||
      inlined_nodes_ + size > ctx_.limits.max_inlined_nodes) {
    if (std::exchange(ctx_.inline_reported, true)) return Val::error();
    ctx_.error(e.loc, DiagCode::E040,
               fmt::format("inlining {}() would make {} expression nodes, over the limit of {} "
                           "(a rule with all its function calls expanded)",
                           fn.name,
                           size >= kInlineSaturated ? std::string("too many")
                                                    : std::to_string(inlined_nodes_ + size),
                           ctx_.limits.max_inlined_nodes));
    return Val::error();
  }
  inlined_nodes_ += size;
  std::unordered_map<std::string, Val> frame;
  for (size_t i = 0; i < bound.size(); ++i) {
    Val v = eval(*bound[i]);
    if (!v.ok()) return Val::error();
    bool known;
    Type want = param_type(fn.params[i].type.name, &known);
    if (!known) return Val::error();  // reported when the function itself is checked
    if (!expect_type(v, {want},
                     fmt::format("argument '{}' of {}()", fn.params[i].name, fn.name).c_str()))
      return Val::error();
    frame[fn.params[i].name] = v;
  }
  // The body sees only its parameters and global names, never the caller's locals.
  std::vector<std::unordered_map<std::string, Val>> saved;
  saved.swap(env_);
  env_.push_back(std::move(frame));
  call_stack_.push_back(fn.name);
  Val out = eval(*fn.body);
  call_stack_.pop_back();
  env_.swap(saved);
  if (!out.ok()) return out;
  if (fn.result) {
    bool known;
    Type want = param_type(fn.result->name, &known);
    if (known && !expect_type(out, {want}, fmt::format("the result of {}()", fn.name).c_str()))
      return Val::error();
  }
  out.series = -1;
  return out;
}

double estimate_cost(const ir::Program& p) {
  double cost = 0;
  for (const auto& in : p.code) {
    if (in.op == Op::WindowRead) {  // a call sharing another's state: costed as if alone
      kernels::WindowSpec view = p.windows[in.slot];
      view.kind = static_cast<kernels::WindowKind>(in.b);
      cost += window_cost(view);
    } else {
      cost += in.op == Op::Window ? window_cost(p.windows[in.slot]) : 1;
    }
  }
  return cost;
}

}  // namespace omen::check
