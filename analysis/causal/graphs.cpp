#include "omen/graphs.h"

#include "compiler/driver/compile.h"

namespace omen {

namespace {

causal::SourceLoc to_causal(const SourceManager& sm, const Loc& l) {
  if (!l.valid()) return {};
  return {sm.name(l.file), static_cast<int>(l.line), static_cast<int>(l.col)};
}

GraphsResult convert(const Compilation& c) {
  GraphsResult r;
  r.diagnostics = c.diags->all();
  if (!c.ok()) return r;
  const SourceManager& sm = *c.sources;
  for (const auto& cg : c.module->graphs) {
    causal::Graph g(cg.name);
    for (const auto& n : cg.nodes) {
      size_t id = g.add_node(n.name, to_causal(sm, n.loc));
      for (const auto& [binding, selector] : n.bindings) g.bind(id, binding, selector);
      if (n.root) g.set_root(id);
      if (n.leaf) g.set_leaf(id);
    }
    for (const auto& e : cg.edges) {
      causal::Edge edge;
      edge.from = e.from;
      edge.to = e.to;
      edge.provenance =
          causal::parse_provenance(e.provenance).value_or(causal::Provenance::Declared);
      edge.strength = e.strength;
      edge.lag = e.lag;
      edge.loc = to_causal(sm, e.loc);
      g.add_edge(edge);
    }
    for (const auto& k : cg.constraints) {
      if (k.required)
        g.require(k.from, k.to, to_causal(sm, k.loc));
      else
        g.forbid(k.from, k.to, to_causal(sm, k.loc));
    }
    r.graphs.push_back(std::move(g));
  }
  r.ok = true;
  return r;
}

}  // namespace

GraphsResult load_graphs(const std::vector<std::string>& paths) {
  return convert(compile_files(paths));
}

GraphsResult load_graphs_from_source(const std::string& name, const std::string& text) {
  return convert(compile({{name, text}}));
}

}  // namespace omen
