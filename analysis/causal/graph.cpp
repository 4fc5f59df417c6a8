// The graph model: nodes with bindings, edges with provenance, constraints; structural
// validation.
#include <fmt/format.h>

#include <algorithm>

#include "internal.h"
#include "omen/causal.h"

namespace omen::causal {

namespace {
std::string render(const std::string& code, const std::string& message, const SourceLoc& loc) {
  if (loc.line > 0)
    return fmt::format("{}:{}:{}: error[{}]: {}", loc.file.empty() ? "<input>" : loc.file, loc.line,
                       loc.col, code, message);
  if (!loc.file.empty()) return fmt::format("{}: error[{}]: {}", loc.file, code, message);
  return fmt::format("error[{}]: {}", code, message);
}
}  // namespace

CausalError::CausalError(std::string code, const std::string& message, SourceLoc loc)
    : std::runtime_error(render(code, message, loc)),
      code_(std::move(code)),
      message_(message),
      loc_(std::move(loc)) {}

namespace internal {
void fail(const std::string& code, const std::string& message, const std::string& file, int line,
          int col) {
  throw CausalError(code, message, SourceLoc{file, line, col});
}
}  // namespace internal

const char* to_string(Provenance p) {
  switch (p) {
    case Provenance::Declared:
      return "declared";
    case Provenance::Traces:
      return "traces";
    case Provenance::Llm:
      return "llm";
    case Provenance::Discovered:
      return "discovered";
  }
  return "declared";
}

std::optional<Provenance> parse_provenance(std::string_view text) {
  if (text == "declared") return Provenance::Declared;
  if (text == "traces") return Provenance::Traces;
  if (text == "llm") return Provenance::Llm;
  if (text == "discovered") return Provenance::Discovered;
  return std::nullopt;
}

Graph::Graph(std::string name) : name_(std::move(name)) {}

size_t Graph::add_node(const std::string& name, SourceLoc loc) {
  if (auto i = find(name)) return *i;
  nodes_.push_back(Node{name, {}, false, false, std::move(loc)});
  return nodes_.size() - 1;
}

std::optional<size_t> Graph::find(std::string_view name) const {
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].name == name) return i;
  return std::nullopt;
}

size_t Graph::index(std::string_view name, const SourceLoc& loc) const {
  if (auto i = find(name)) return *i;
  throw CausalError("unknown-node", fmt::format("unknown node '{}' in graph {}", name, name_), loc);
}

void Graph::bind(size_t node, std::string binding, std::string selector) {
  nodes_.at(node).bindings.emplace_back(std::move(binding), std::move(selector));
}

size_t Graph::add_edge(const Edge& e) {
  if (e.from >= nodes_.size() || e.to >= nodes_.size())
    throw CausalError("unknown-node", fmt::format("edge endpoint out of range in graph {}", name_),
                      e.loc);
  if (e.from == e.to)
    throw CausalError("data", fmt::format("self-loop on node '{}'", nodes_[e.from].name), e.loc);
  for (size_t i = 0; i < edges_.size(); ++i) {
    const Edge& x = edges_[i];
    bool same = (x.from == e.from && x.to == e.to) ||
                ((x.undirected || e.undirected) && x.from == e.to && x.to == e.from);
    if (same) {
      edges_[i] = e;
      return i;
    }
  }
  edges_.push_back(e);
  return edges_.size() - 1;
}

size_t Graph::add_edge(const std::string& from, const std::string& to, Provenance provenance,
                       std::optional<double> strength, SourceLoc loc) {
  Edge e;
  e.from = add_node(from);
  e.to = add_node(to);
  e.provenance = provenance;
  e.strength = strength;
  e.loc = std::move(loc);
  return add_edge(e);
}

bool Graph::remove_edge(size_t from, size_t to) {
  auto it = std::find_if(edges_.begin(), edges_.end(), [&](const Edge& e) {
    return (e.from == from && e.to == to) || (e.from == to && e.to == from);
  });
  if (it == edges_.end()) return false;
  edges_.erase(it);
  return true;
}

void Graph::require(size_t from, size_t to, SourceLoc loc) {
  (void)nodes_.at(from);
  (void)nodes_.at(to);
  constraints_.push_back(EdgeConstraint{from, to, true, std::move(loc)});
}

void Graph::forbid(size_t from, size_t to, SourceLoc loc) {
  (void)nodes_.at(from);
  (void)nodes_.at(to);
  constraints_.push_back(EdgeConstraint{from, to, false, std::move(loc)});
}

void Graph::set_root(size_t node, bool root) {
  nodes_.at(node).root = root;
}
void Graph::set_leaf(size_t node, bool leaf) {
  nodes_.at(node).leaf = leaf;
}

std::optional<size_t> Graph::find_edge(size_t from, size_t to) const {
  for (size_t i = 0; i < edges_.size(); ++i) {
    const Edge& e = edges_[i];
    if (e.from == from && e.to == to) return i;
    if (e.undirected && e.from == to && e.to == from) return i;
  }
  return std::nullopt;
}

std::vector<size_t> Graph::parents(size_t node) const {
  std::vector<size_t> out;
  for (const Edge& e : edges_)
    if (!e.undirected && e.to == node) out.push_back(e.from);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<size_t> Graph::children(size_t node) const {
  std::vector<size_t> out;
  for (const Edge& e : edges_)
    if (!e.undirected && e.from == node) out.push_back(e.to);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool Graph::has_undirected() const {
  return std::any_of(edges_.begin(), edges_.end(), [](const Edge& e) { return e.undirected; });
}

std::vector<Issue> validate(const Graph& g) {
  std::vector<Issue> out;
  for (const Edge& e : g.edges())
    if (e.undirected)
      out.push_back({"undirected-edge",
                     fmt::format("edge {} -- {} is undirected (a CPDAG, not a DAG)",
                                 g.node(e.from).name, g.node(e.to).name),
                     e.loc});
  if (auto cycle = find_cycle(g)) {
    SourceLoc loc;
    if (auto ei = g.find_edge((*cycle)[0], (*cycle)[cycle->size() > 1 ? 1 : 0]))
      loc = g.edges()[*ei].loc;
    out.push_back({"cycle", "cycle: " + format_cycle(g, *cycle), loc});
  }
  for (const EdgeConstraint& c : g.constraints()) {
    auto ei = g.find_edge(c.from, c.to);
    bool present = ei && !g.edges()[*ei].undirected;
    if (c.required && !ei)
      out.push_back(
          {"missing-required-edge",
           fmt::format("required edge {} -> {} is missing", g.node(c.from).name, g.node(c.to).name),
           c.loc});
    if (!c.required && present)
      out.push_back(
          {"forbidden-edge",
           fmt::format("edge {} -> {} is forbidden", g.node(c.from).name, g.node(c.to).name),
           g.edges()[*ei].loc.line ? g.edges()[*ei].loc : c.loc});
  }
  for (size_t i = 0; i < g.node_count(); ++i) {
    const Node& n = g.node(i);
    if (n.root)
      for (size_t p : g.parents(i))
        out.push_back({"root-has-parent",
                       fmt::format("root node {} has parent {}", n.name, g.node(p).name), n.loc});
    if (n.leaf)
      for (size_t c : g.children(i))
        out.push_back({"leaf-has-child",
                       fmt::format("leaf node {} has child {}", n.name, g.node(c).name), n.loc});
  }
  return out;
}

}  // namespace omen::causal
