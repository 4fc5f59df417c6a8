// Tier 0: the IR interpreter. It runs the reference semantics of every instruction (the
// scalar ones are compiler/ir/ops.def's expressions); the JIT must produce the same bits.
#pragma once

#include "compiler/ir/ir.h"

namespace omen::interp {

/// Evaluates `program` over a batch. `scratch` must hold program.code.size() doubles.
void run_batch(const ir::Program& program, const ir::BatchArgs& args, double* scratch);

}  // namespace omen::interp
