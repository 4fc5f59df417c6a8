// The IR's operations, generated from the one table compiler/ir/ops.def: the enum, the
// static facts every pass reads (name, arity, purity, result kind, built-in spelling) and
// the scalar semantics that the interpreter runs and constant folding uses.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string_view>

#include "core/kernels/scalar.h"

namespace omen::ir {

/// One IR operation; see compiler/ir/ops.def for each op's meaning.
enum class Op : uint8_t {
#define OMEN_IR_OP(Name, spelling, arity) Name,
#include "compiler/ir/ops.def"
};

/// Number of ops in the table; every Op is below it.
inline constexpr size_t kNumOps = 0
#define OMEN_IR_OP(Name, spelling, arity) +1
#include "compiler/ir/ops.def"
    ;

/// What a scalar op produces: any f64, or a truth value that is exactly 0.0 or 1.0.
enum class OpResult : uint8_t { Number, Bool };

/// Whether an op is also the Omen built-in function of its spelling.
enum class OpSurface : uint8_t { Internal, Builtin };

/// The static facts of one op (one line of ops.def).
struct OpInfo {
  Op op;
  const char* name;  // its spelling in IR listings
  uint8_t arity;     // value operands read: a; a, b; or a, b, c
  bool scalar;       // a pure function of its operands (foldable, shareable)
  OpResult result;   // scalar ops only (special ops: Number)
  OpSurface surface;
};

/// The table, indexed by Op.
inline constexpr OpInfo kOps[] = {
#define OMEN_IR_SPECIAL(Name, spelling, arity) \
  {Op::Name, spelling, arity, false, OpResult::Number, OpSurface::Internal},
#define OMEN_IR_SCALAR(Name, spelling, arity, result, surface, expr) \
  {Op::Name, spelling, arity, true, OpResult::result, OpSurface::surface},
#include "compiler/ir/ops.def"
};
static_assert(std::size(kOps) == kNumOps);

/// What op_info() answers for a value that is no Op (malformed IR): name "?", arity 0.
inline constexpr OpInfo kNoOp = {static_cast<Op>(kNumOps), "?", 0, false, OpResult::Number,
                                 OpSurface::Internal};

/// The table's line for `op` (kNoOp if `op` is out of range).
constexpr const OpInfo& op_info(Op op) {
  return static_cast<size_t>(op) < kNumOps ? kOps[static_cast<size_t>(op)] : kNoOp;
}
/// The op's spelling in IR listings, e.g. "add".
constexpr const char* name(Op op) {
  return op_info(op).name;
}
/// Number of value operands (a, b, c) the op reads. Window and WindowRead read a.
constexpr int arity(Op op) {
  return op_info(op).arity;
}
/// True for a pure function of its operands (ops.def, OMEN_IR_SCALAR).
constexpr bool is_scalar(Op op) {
  return op_info(op).scalar;
}

/// The scalar op behind the Omen built-in function `fn_name` (abs, sqrt, exp, log, floor,
/// ceil, isnan, pow); nullopt if no op has that built-in spelling.
std::optional<Op> builtin_op(std::string_view fn_name);

/// The semantics of each scalar op, one inline function per op of ops.def
/// (scalar::Add(a, b, c) == a + b); unused operands are ignored.
namespace scalar {
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double b2d(bool v) {
  return v ? 1.0 : 0.0;
}
#define OMEN_IR_SCALAR(Name, spelling, arity, result, surface, expr)                   \
  static_assert((arity) >= 1 && (arity) <= 3, "a scalar op reads 1 to 3 operands");    \
  inline double Name(double a, [[maybe_unused]] double b, [[maybe_unused]] double c) { \
    return expr;                                                                       \
  }
#include "compiler/ir/ops.def"
}  // namespace scalar

/// Evaluates scalar op `op` on its operand values (those beyond its arity are ignored):
/// scalar::<Name> out of line, for constant folding in the checker and in the JIT (the
/// interpreter calls scalar::<Name> directly). NaN for an op that is not scalar.
double eval_scalar(Op op, double a, double b, double c);

}  // namespace omen::ir
