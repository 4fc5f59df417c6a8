// Tier 0: the IR interpreter. The reference semantics of every instruction; the JIT must
// produce the same bits.
#pragma once

#include "compiler/ir/ir.h"

namespace omen::interp {

/// Evaluates `program` over a batch. `scratch` must hold program.code.size() doubles.
void run_batch(const ir::Program& program, const ir::BatchArgs& args, double* scratch);

/// Evaluates one instruction given its operand values; shared by the interpreter and by
/// constant folding in the compiler (never called for Input, Time or Window).
double eval_scalar(ir::Op op, double a, double b, double c);

}  // namespace omen::interp
