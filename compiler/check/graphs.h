// Internal to compiler/check: lowering of `graph` blocks.
#pragma once

#include "compiler/check/elaborate.h"

namespace omen::check {

void lower_graph(Context& ctx, const ast::Graph& g, CompiledModule& out);

}  // namespace omen::check
