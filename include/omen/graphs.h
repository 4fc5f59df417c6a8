// Causal graphs declared in Omen source (`graph NAME { ... }` blocks), as omen::causal::Graph.
#pragma once

#include <string>
#include <vector>

#include "omen/causal.h"
#include "omen/diagnostics.h"

namespace omen {

struct GraphsResult {
  bool ok = false;
  std::vector<Diagnostic> diagnostics;  // errors (cycles E071, constraints E072, ...), warnings
  std::string render() const { return format(diagnostics); }
  std::vector<causal::Graph> graphs;
};

/// Compiles the files (rules, tests and graphs are checked together) and returns every graph.
GraphsResult load_graphs(const std::vector<std::string>& paths);

/// Same, from source text.
GraphsResult load_graphs_from_source(const std::string& name, const std::string& text);

}  // namespace omen
