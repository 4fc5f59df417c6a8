#include "compiler/ir/ops.h"

namespace omen::ir {

std::optional<Op> builtin_op(std::string_view fn_name) {
  for (const OpInfo& info : kOps)
    if (info.surface == OpSurface::Builtin && fn_name == info.name) return info.op;
  return std::nullopt;
}

double eval_scalar(Op op, double a, double b, double c) {
  switch (op) {
#define OMEN_IR_SCALAR(Name, spelling, arity, result, surface, expr) \
  case Op::Name:                                                     \
    return scalar::Name(a, b, c);
#define OMEN_IR_SPECIAL(Name, spelling, arity) \
  case Op::Name:                               \
    break;
#include "compiler/ir/ops.def"
  }
  return scalar::kNaN;
}

}  // namespace omen::ir
