// Shared by the graph loop's files (llm/graph/).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "omen/llm.h"

namespace omen::llm::internal {

/// The data's components and the Omen identifiers the model sees for them.
struct Components {
  std::vector<std::string> names;                 // as in the data, first-appearance order
  std::vector<std::string> idents;                // parallel: valid Omen node names
  std::vector<std::vector<std::string>> columns;  // parallel: the columns of each component
  std::map<std::string, size_t> by_ident;
};

/// Components of a table (Table::components, or the column name when empty).
Components components_of(const causal::Table& data);

/// A proposed graph: edges by component index, with provenance.
struct EdgeSet {
  struct Info {
    int iteration = 0;
    std::string proposed_by;
  };
  std::map<std::pair<size_t, size_t>, Info> edges;
};

/// The graph as an Omen `graph` block, every component a node, every edge `source = "llm"`
/// with its iteration in a comment.
std::string graph_source(const std::string& name, const Components& c, const EdgeSet& edges);

/// Edges read from a reply's graph block. Unknown node names, syntax errors and checker errors
/// go to *problems (one line each); `ok` is false when nothing could be read.
struct ReadGraph {
  bool ok = false;
  std::vector<std::pair<size_t, size_t>> edges;
  std::vector<std::string> problems;
};
ReadGraph read_graph(const std::string& source, const std::string& file, const Components& c);

/// The structure and data check of a proposed graph.
struct GraphCheck {
  bool structural_ok = false;         // compiles, acyclic, constraints respected
  bool passed = false;                // structural_ok and causal::CheckReport::ok()
  std::vector<std::string> findings;  // one line each: what the model must fix
  std::string report_text;            // causal::to_text of the report ("" if not run)
};
GraphCheck check_proposal(const std::string& name, const Components& c, const EdgeSet& edges,
                          const causal::Table& data, const GraphLoopOptions& options);

/// Prompts of the graph loop.
std::string graph_system_prompt();
std::string graph_overview(const GraphTask& task, const Components& c,
                           const GraphLoopOptions& options);
std::string local_prompt(const GraphTask& task, const Components& c, size_t component,
                         const GraphLoopOptions& options);
std::string repair_prompt(const std::string& graph, const std::vector<std::string>& findings,
                          int iteration);

}  // namespace omen::llm::internal
