// Graph queries on Boost.Graph: cycles, topological order, ancestors/descendants, paths,
// d-separation (moralized ancestral graph) and Markov blankets.
#include <fmt/format.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <deque>
#include <queue>

#include "internal.h"
#include "omen/causal.h"

namespace omen::causal {

namespace {

using Digraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
using Ugraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

void require_dag_edges(const Graph& g) {
  for (const Edge& e : g.edges())
    if (e.undirected)
      throw CausalError("data",
                        fmt::format("edge {} -- {} is undirected: queries need a DAG",
                                    g.node(e.from).name, g.node(e.to).name),
                        e.loc);
}

// Edges are added in sorted order so that traversal order (and so the cycle named) is
// deterministic and independent of declaration order.
Digraph to_boost(const Graph& g) {
  std::vector<std::pair<size_t, size_t>> es;
  for (const Edge& e : g.edges())
    if (!e.undirected) es.emplace_back(e.from, e.to);
  std::sort(es.begin(), es.end());
  es.erase(std::unique(es.begin(), es.end()), es.end());
  Digraph b(g.node_count());
  for (auto [u, v] : es) boost::add_edge(u, v, b);
  return b;
}

void check_node(const Graph& g, size_t n) {
  if (n >= g.node_count())
    throw CausalError("unknown-node", fmt::format("node index {} out of range", n));
}

struct CycleVisitor : boost::default_dfs_visitor {
  std::vector<size_t>* pred;
  std::optional<std::vector<size_t>>* cycle;
  void tree_edge(Digraph::edge_descriptor e, const Digraph& b) const {
    (*pred)[boost::target(e, b)] = boost::source(e, b);
  }
  void back_edge(Digraph::edge_descriptor e, const Digraph& b) const {
    if (cycle->has_value()) return;
    size_t u = boost::source(e, b), v = boost::target(e, b);
    std::vector<size_t> path{u};
    while (path.back() != v) path.push_back((*pred)[path.back()]);
    std::reverse(path.begin(), path.end());  // v ... u, and u -> v closes it
    *cycle = path;
  }
};

template <class G>
std::vector<size_t> reachable(const G& b, size_t start) {
  std::vector<boost::default_color_type> color(boost::num_vertices(b), boost::white_color);
  std::vector<size_t> out;
  struct Collect : boost::default_bfs_visitor {
    std::vector<size_t>* out;
    void discover_vertex(typename boost::graph_traits<G>::vertex_descriptor v, const G&) const {
      out->push_back(v);
    }
  } vis;
  vis.out = &out;
  boost::breadth_first_search(b, start,
                              boost::visitor(vis).color_map(boost::make_iterator_property_map(
                                  color.begin(), boost::get(boost::vertex_index, b))));
  out.erase(std::remove(out.begin(), out.end(), start), out.end());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::optional<std::vector<size_t>> find_cycle(const Graph& g) {
  Digraph b = to_boost(g);
  std::vector<size_t> pred(g.node_count(), SIZE_MAX);
  std::optional<std::vector<size_t>> cycle;
  CycleVisitor vis;
  vis.pred = &pred;
  vis.cycle = &cycle;
  std::vector<boost::default_color_type> color(g.node_count());
  boost::depth_first_search(b, boost::visitor(vis).color_map(boost::make_iterator_property_map(
                                   color.begin(), boost::get(boost::vertex_index, b))));
  if (cycle) {
    // Start the cycle at its smallest node so the message does not depend on DFS entry.
    auto it = std::min_element(cycle->begin(), cycle->end());
    std::rotate(cycle->begin(), it, cycle->end());
  }
  return cycle;
}

std::string format_cycle(const Graph& g, const std::vector<size_t>& cycle) {
  std::string s;
  for (size_t n : cycle) s += g.node(n).name + " -> ";
  s += cycle.empty() ? "" : g.node(cycle.front()).name;
  return s;
}

void check_acyclic(const Graph& g) {
  if (auto c = find_cycle(g)) {
    SourceLoc loc;
    if (auto ei = g.find_edge((*c)[0], (*c)[c->size() > 1 ? 1 : 0])) loc = g.edges()[*ei].loc;
    throw CausalError("cycle", "cycle: " + format_cycle(g, *c), loc);
  }
}

std::vector<size_t> topological_order(const Graph& g) {
  require_dag_edges(g);
  check_acyclic(g);
  Digraph b = to_boost(g);
  // Kahn's algorithm with a min-heap: the smallest ready index first, for stable output.
  std::vector<size_t> indeg(g.node_count());
  for (size_t v = 0; v < g.node_count(); ++v) indeg[v] = boost::in_degree(v, b);
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t v = 0; v < g.node_count(); ++v)
    if (indeg[v] == 0) ready.push(v);
  std::vector<size_t> order;
  while (!ready.empty()) {
    size_t u = ready.top();
    ready.pop();
    order.push_back(u);
    for (auto [it, end] = boost::adjacent_vertices(u, b); it != end; ++it)
      if (--indeg[*it] == 0) ready.push(*it);
  }
  return order;
}

std::vector<size_t> ancestors(const Graph& g, size_t node) {
  check_node(g, node);
  require_dag_edges(g);
  Digraph b = to_boost(g);
  return reachable(boost::make_reverse_graph(b), node);
}

std::vector<size_t> descendants(const Graph& g, size_t node) {
  check_node(g, node);
  require_dag_edges(g);
  return reachable(to_boost(g), node);
}

std::vector<std::vector<size_t>> directed_paths(const Graph& g, size_t a, size_t b,
                                                size_t max_paths, bool* truncated) {
  check_node(g, a);
  check_node(g, b);
  require_dag_edges(g);
  Digraph bg = to_boost(g);
  std::vector<std::vector<size_t>> out;
  if (truncated) *truncated = false;
  std::vector<size_t> path{a};
  std::vector<char> on_path(g.node_count(), 0);
  on_path[a] = 1;
  // Iterative DFS over simple paths; adjacency is sorted so paths come out lexicographically.
  std::vector<std::pair<Digraph::adjacency_iterator, Digraph::adjacency_iterator>> stack;
  stack.push_back(boost::adjacent_vertices(a, bg));
  bool stop = (a == b);
  if (a == b) out.push_back(path);
  while (!stack.empty() && !stop) {
    auto& [it, end] = stack.back();
    if (it == end) {
      on_path[path.back()] = 0;
      path.pop_back();
      stack.pop_back();
      continue;
    }
    size_t v = *it++;
    if (on_path[v]) continue;
    if (v == b) {
      path.push_back(v);
      out.push_back(path);
      path.pop_back();
      if (out.size() >= max_paths) {
        if (truncated) *truncated = true;
        stop = true;
      }
      continue;
    }
    on_path[v] = 1;
    path.push_back(v);
    stack.push_back(boost::adjacent_vertices(v, bg));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& x, const auto& y) { return x.size() < y.size(); });
  return out;
}

bool d_separated(const Graph& g, const std::vector<size_t>& x, const std::vector<size_t>& y,
                 const std::vector<size_t>& z) {
  require_dag_edges(g);
  check_acyclic(g);
  size_t n = g.node_count();
  std::vector<char> in_x(n), in_y(n), in_z(n);
  for (size_t v : x) check_node(g, v), in_x[v] = 1;
  for (size_t v : y) check_node(g, v), in_y[v] = 1;
  for (size_t v : z) check_node(g, v), in_z[v] = 1;
  for (size_t v = 0; v < n; ++v)
    if ((in_x[v] && in_y[v]) || (in_x[v] && in_z[v]) || (in_y[v] && in_z[v]))
      throw CausalError("data", fmt::format("d-separation: node {} is in more than one of X, Y, Z",
                                            g.node(v).name));
  Digraph b = to_boost(g);
  // 1. The ancestral set of X ∪ Y ∪ Z.
  std::vector<char> keep(n, 0);
  auto rb = boost::make_reverse_graph(b);
  for (size_t v = 0; v < n; ++v)
    if (in_x[v] || in_y[v] || in_z[v]) {
      keep[v] = 1;
      for (size_t a : reachable(rb, v)) keep[a] = 1;
    }
  // 2. Moralize: undirected parent-child edges and edges between co-parents; drop Z.
  Ugraph m(n);
  for (size_t v = 0; v < n; ++v) {
    if (!keep[v]) continue;
    std::vector<size_t> ps;
    for (auto [it, end] = boost::inv_adjacent_vertices(v, b); it != end; ++it) ps.push_back(*it);
    for (size_t p : ps)
      if (!in_z[p] && !in_z[v]) boost::add_edge(p, v, m);
    for (size_t i = 0; i < ps.size(); ++i)
      for (size_t j = i + 1; j < ps.size(); ++j)
        if (!in_z[ps[i]] && !in_z[ps[j]]) boost::add_edge(ps[i], ps[j], m);
  }
  // 3. X and Y are d-separated iff no Y is reachable from X in what is left.
  for (size_t v : x)
    for (size_t r : reachable(m, v))
      if (in_y[r]) return false;
  return true;
}

std::vector<size_t> markov_blanket(const Graph& g, size_t node) {
  check_node(g, node);
  require_dag_edges(g);
  std::vector<size_t> out = g.parents(node);
  for (size_t c : g.children(node)) {
    out.push_back(c);
    for (size_t p : g.parents(c))
      if (p != node) out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace omen::causal
