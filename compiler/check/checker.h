// The checker: names, types, units, constant windows, cost; and lowering of every rule to
// one ir::Program (user functions inlined, common subexpressions shared, constants folded).
#pragma once

#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/check/compiled.h"

namespace omen::check {

/// Limits applied to every rule (LLM-written rules are untrusted input).
struct Limits {
  double max_cost = 5000;                     // per-evaluation cost estimate (E040)
  int64_t max_window_ms = 90LL * 86'400'000;  // longest window (E024)
  size_t max_instructions = 10'000;           // IR size per rule after inlining (E040)
  size_t max_inline_depth = 32;               // nested user-function calls (E025)
  size_t max_depth = 256;             // expression depth, inlined function bodies included (E041)
  size_t max_format_width = 64;       // width and precision of a message placeholder (E034)
  size_t max_inlined_nodes = 10'000;  // expression nodes inlined into one rule or body (E040)
};

/// A function the checker knows without a declaration: a scalar built-in or a window
/// kernel (core/kernels' table). `signature` is "(x: number, w: duration) -> number".
struct BuiltinFunction {
  std::string name;
  std::string signature;
  bool window = false;  // a window kernel (keeps state per rule instance)
};
/// Every built-in function, scalar ones first, then the kernel table in its order. The
/// checker's own name list ("unknown function ... did you mean") is this table.
const std::vector<BuiltinFunction>& builtin_functions();

/// Checks `modules` (all share one namespace; `std_module`, if not null, is the standard
/// library, visible when a module says `import std`) and appends the lowered rules and
/// tests to `out`. Errors go to `diags`; when it reports any, `out` must not be used.
void check_and_lower(const std::vector<const ast::Module*>& modules, const ast::Module* std_module,
                     Diagnostics& diags, const Limits& limits, CompiledModule& out);

}  // namespace omen::check
