// The graph loop's view of the data (components), the Omen source of a proposal, reading a
// reply's graph block, and checking a proposal: structure through the Omen checker (cycles
// named), then causal::check_graph against the data.
#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "compiler/parse/parser.h"
#include "llm/graph/graph_internal.h"
#include "omen/graphs.h"

namespace omen::llm::internal {

namespace {

std::string sanitize(const std::string& name) {
  std::string out;
  for (char ch : name) out += std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' ? ch : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "c_" + out;
  // A word of the language that cannot be a node name (grammar/Omen.g4, rule `name`).
  if (!out.empty() && !parse::is_name(out)) out += "_";
  return out;
}

}  // namespace

Components components_of(const causal::Table& data) {
  Components c;
  std::map<std::string, size_t> index;
  std::set<std::string> used;
  for (size_t col = 0; col < data.cols(); ++col) {
    std::string comp = col < data.components.size() && !data.components[col].empty()
                           ? data.components[col]
                           : data.columns[col];
    auto [it, fresh] = index.emplace(comp, c.names.size());
    if (fresh) {
      std::string id = sanitize(comp);
      for (int k = 2; used.count(id); ++k) id = fmt::format("{}_{}", sanitize(comp), k);
      used.insert(id);
      c.names.push_back(comp);
      c.idents.push_back(id);
      c.columns.emplace_back();
      c.by_ident[id] = it->second;
    }
    c.columns[it->second].push_back(data.columns[col]);
  }
  return c;
}

std::string graph_source(const std::string& name, const Components& c, const EdgeSet& edges) {
  std::string out = fmt::format("graph {} {{\n", name);
  for (size_t i = 0; i < c.names.size(); ++i)
    out += c.idents[i] == c.names[i]
               ? fmt::format("  node {}\n", c.idents[i])
               : fmt::format("  node {}  # component \"{}\"\n", c.idents[i], c.names[i]);
  for (const auto& [e, info] : edges.edges)
    out += fmt::format("  {} -> {} [source = \"llm\"]  # llm iteration {}, proposed {}\n",
                       c.idents[e.first], c.idents[e.second], info.iteration,
                       info.proposed_by == "repair" ? "in repair" : "for " + info.proposed_by);
  return out + "}\n";
}

ReadGraph read_graph(const std::string& source, const std::string& file, const Components& c) {
  ReadGraph r;
  GraphsResult g = load_graphs_from_source(file, source);
  if (!g.ok) {
    std::string text = g.render();
    std::string diag = text.size() > 3000 ? text.substr(0, 3000) + "\n..." : text;
    r.problems.push_back("the graph does not compile:\n" + diag);
    return r;
  }
  if (g.graphs.empty()) {
    r.problems.push_back("the reply has no `graph NAME { ... }` block");
    return r;
  }
  if (g.graphs.size() > 1)
    r.problems.push_back(fmt::format("the reply has {} graph blocks; only the first ({}) was read",
                                     g.graphs.size(), g.graphs[0].name()));
  const causal::Graph& graph = g.graphs[0];
  std::set<std::string> unknown;
  for (const auto& e : graph.edges()) {
    const std::string& a = graph.node(e.from).name;
    const std::string& b = graph.node(e.to).name;
    auto ia = c.by_ident.find(a), ib = c.by_ident.find(b);
    if (ia == c.by_ident.end()) unknown.insert(a);
    if (ib == c.by_ident.end()) unknown.insert(b);
    if (ia != c.by_ident.end() && ib != c.by_ident.end())
      r.edges.push_back({ia->second, ib->second});
  }
  for (const auto& u : unknown)
    r.problems.push_back(fmt::format(
        "'{}' is not a component of the data (its edges were dropped); the components are: {}", u,
        fmt::join(c.idents, ", ")));
  r.ok = true;
  return r;
}

GraphCheck check_proposal(const std::string& name, const Components& c, const EdgeSet& edges,
                          const causal::Table& data, const GraphLoopOptions& options) {
  GraphCheck out;
  // Structure, through the Omen checker: the proposal is Omen source like any other.
  std::string source = graph_source(name, c, edges);
  GraphsResult compiled = load_graphs_from_source(name + ".omen", source);
  if (!compiled.ok || compiled.graphs.empty()) {
    for (const Diagnostic& d : compiled.diagnostics)
      if (d.severity == Severity::Error) out.findings.push_back("structure: " + d.message);
    if (out.findings.empty()) out.findings.push_back("structure: the graph does not compile");
    return out;
  }
  // The same graph over the data's component names (so that nodes bind to columns).
  causal::Graph g(name);
  for (const auto& n : c.names) g.add_node(n);
  for (const auto& [e, info] : edges.edges) {
    causal::Edge edge;
    edge.from = e.first;
    edge.to = e.second;
    edge.provenance = causal::Provenance::Llm;
    g.add_edge(edge);
  }
  for (const auto& issue : causal::validate(g))
    out.findings.push_back("structure: " + issue.message);
  if (!out.findings.empty()) return out;
  out.structural_ok = true;
  causal::CheckReport report;
  try {
    report = causal::check_graph(g, data, options.check);
  } catch (const causal::CausalError& e) {
    out.findings.push_back(std::string("the data check failed: ") + e.what());
    return out;
  }
  out.report_text = causal::to_text(report, g);
  auto id = [&](size_t node) { return c.idents[node]; };
  for (const auto& issue : report.structure) out.findings.push_back("structure: " + issue.message);
  std::vector<const causal::EdgeTest*> weak;
  for (const auto& e : report.edges)
    if (!e.dependent) weak.push_back(&e);
  for (const auto* e : weak)
    out.findings.push_back(fmt::format(
        "unsupported edge {} -> {}: the data shows no dependence between them (p = {:.3g} "
        "marginally, {:.3g} given {}'s other parents); remove it unless the documentation "
        "demands it",
        id(e->from), id(e->to), e->p_marginal, e->p_conditional, id(e->to)));
  std::vector<const causal::ImpliedTest*> violated;
  for (const auto& t : report.independencies)
    if (t.violated) violated.push_back(&t);
  std::stable_sort(violated.begin(), violated.end(),
                   [](const auto* a, const auto* b) { return a->p < b->p; });
  for (const auto* t : violated) {
    std::vector<std::string> given;
    for (size_t z : t->given) given.push_back(id(z));
    out.findings.push_back(fmt::format(
        "contradicted independence: the graph implies {} and {} are independent given {{{}}}, "
        "but the data shows a dependence (p = {:.3g}): an edge between them (or a common cause) "
        "is missing, or an edge points the wrong way",
        id(t->x), id(t->y), fmt::join(given, ", "), t->p));
  }
  out.passed = report.ok();
  if (!out.passed && out.findings.empty()) out.findings.push_back("data check: " + report.verdict);
  return out;
}

}  // namespace omen::llm::internal
