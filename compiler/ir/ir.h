// Omen IR: one straight-line program per rule, evaluated once per tick of the rule's
// `on` series. Both back ends (compiler/interp and compiler/jit) consume exactly this
// form and must produce bit-identical results.
//
// Values are f64. Booleans are encoded as 0.0 (false) and 1.0 (true); every instruction
// that produces a boolean produces exactly one of those two values. Instructions are in
// SSA form: instruction i defines value i, and its operands a/b/c name earlier values.
// There are no branches: `and`, `or` and `if` evaluate all operands, so every window
// call site sees every tick (window state never depends on short-circuiting). The
// operations and their semantics are the table compiler/ir/ops.def (ir/ops.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/ops.h"
#include "core/kernels/window.h"

namespace omen::ir {

/// One SSA instruction: `op` over the values a, b, c (as many as arity(op)).
struct Instr {
  Op op = Op::Const;
  uint32_t a = 0, b = 0, c = 0;
  uint32_t slot = 0;  // Window, WindowRead: index into Program::windows
  double imm = 0.0;   // Const; WindowRead: the read's parameter
};

/// One rule, lowered. Outputs: outputs[0] is the condition (0/1); outputs[1..] are the
/// values needed by the alert (the `value` of the alert and message placeholders).
struct Program {
  std::string name;
  uint32_t n_inputs = 0;
  std::vector<kernels::WindowSpec> windows;
  std::vector<Instr> code;
  std::vector<uint32_t> outputs;
};

/// The batch calling convention shared by both back ends.
struct BatchArgs {
  const int64_t* ts;          // n tick times, milliseconds, strictly increasing
  const double* const* cols;  // n_inputs input columns of n values each
  void* const* states;        // one kernel state per window slot
  double* const* outs;        // outputs.size() output columns of n values each
  uint64_t n;
};

using BatchFn = void (*)(const BatchArgs* args);

/// Human-readable listing, one instruction a line (for `omen explain --dump=ir`).
std::string to_string(const Program& p);

}  // namespace omen::ir
