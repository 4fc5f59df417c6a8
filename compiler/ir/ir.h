// Omen IR: one straight-line program per rule, evaluated once per tick of the rule's
// `on` series. Both back ends (compiler/interp and compiler/jit) consume exactly this
// form and must produce bit-identical results.
//
// Values are f64. Booleans are encoded as 0.0 (false) and 1.0 (true); every instruction
// that produces a boolean produces exactly one of those two values. Instructions are in
// SSA form: instruction i defines value i, and its operands a/b/c name earlier values.
// There are no branches: `and`, `or` and `if` evaluate all operands, so every window
// call site sees every tick (window state never depends on short-circuiting).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/scalar.h"
#include "core/kernels/window.h"

namespace omen::ir {

enum class Op : uint8_t {
  // leaves
  Const,  // imm
  Input,  // column a of the batch (a value of a series read at this tick)
  Time,   // tick time in seconds since the epoch (f64)
  // unary (operand a)
  Neg,
  Not,  // 1 if a == 0 else 0
  Abs,
  Sqrt,
  Exp,  // omen_rt_exp
  Log,  // omen_rt_log (natural)
  Floor,
  Ceil,
  IsNaN,  // 1 if a is NaN else 0
  // binary (operands a, b)
  Add,
  Sub,
  Mul,
  Div,
  Mod,  // omen_rt_fmod
  Pow,  // omen_rt_pow
  Min,  // NaN if either is NaN, else the smaller
  Max,  // NaN if either is NaN, else the larger
  Lt,   // IEEE ordered comparisons: false when either operand is NaN
  Le,
  Gt,
  Ge,
  Eq,
  Ne,   // ordered: NaN != x is false (so a NaN never makes a condition true)
  And,  // (a != 0) && (b != 0)
  Or,   // (a != 0) || (b != 0)
  // ternary
  Select,  // a != 0 ? b : c
  // window call site: value = kernel(windows[slot]).push(t, value a)
  Window,
  // read of a window state shared with an earlier call over the same input and width
  // (kernels::ShareGroup): value = kernel(b).read(windows[slot], imm), with b a
  // kernels::WindowKind and imm its constant parameter (quantile's q). Operand a names
  // the Window instruction that pushes windows[slot] this tick (so the read follows it).
  WindowRead,
};

const char* op_name(Op op);
/// Number of value operands (a, b, c) the op reads. Window reads a.
int arity(Op op);

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
