// Graph blocks: nodes (declared, or implied by an edge), metric bindings, edges with
// provenance/strength/lag, constraints; a cycle is an error naming the cycle.
#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "compiler/check/elaborate.h"
#include "compiler/check/graphs.h"

namespace omen::check {

void lower_graph(Context& ctx, const ast::Graph& g, CompiledModule& out) {
  CompiledGraph cg;
  cg.name = g.name;
  cg.loc = g.loc;
  std::map<std::string, uint32_t> index;
  std::set<std::string> declared;
  auto node = [&](const std::string& name, const Loc& loc) {
    auto it = index.find(name);
    if (it != index.end()) return it->second;
    uint32_t id = static_cast<uint32_t>(cg.nodes.size());
    cg.nodes.push_back({name, loc, {}, false, false});
    index.emplace(name, id);
    return id;
  };
  // Nodes first (so constraints may name nodes declared later), then edges, then the rest.
  for (const auto& s : g.stmts) {
    if (s.kind == ast::GraphStmtKind::Node) {
      if (!declared.insert(s.names[0]).second) {
        ctx.error(s.name_locs[0], DiagCode::E011,
                  fmt::format("node '{}' is declared twice in graph '{}'", s.names[0], g.name));
        continue;
      }
      uint32_t id = node(s.names[0], s.name_locs[0]);
      for (const auto& b : s.bindings) {
        const ast::Expr& e = *b.series;
        if (e.kind != ast::ExprKind::Name) {
          ctx.error(e.loc, DiagCode::E073,
                    fmt::format("binding '{}' of node '{}' must be a series such as "
                                "lat{{service=\"x\"}}",
                                b.name, s.names[0]));
          continue;
        }
        SeriesSelector sel;
        if (!ctx.resolve_selector(e.text, e.selector, e.loc, true, &sel)) continue;
        cg.nodes[id].bindings.push_back({b.name, sel.to_string()});
      }
    } else if (s.kind == ast::GraphStmtKind::Edge) {
      for (size_t i = 0; i < s.names.size(); ++i) node(s.names[i], s.name_locs[i]);
    }
  }
  for (const auto& s : g.stmts) {
    switch (s.kind) {
      case ast::GraphStmtKind::Edge: {
        CompiledGraph::Edge proto;
        bool ok = true;
        for (const auto& a : s.attrs) {
          if (a.name == "source" || a.name == "provenance") {
            if (a.value != "declared" && a.value != "traces" && a.value != "llm" &&
                a.value != "discovered") {
              ctx.error(a.loc, DiagCode::E072,
                        fmt::format("edge source must be declared, traces, llm or discovered, "
                                    "found \"{}\"",
                                    a.value));
              ok = false;
            }
            proto.provenance = a.value;
          } else if (a.name == "strength" || a.name == "lag") {
            double v = 0;
            auto [p, ec] = std::from_chars(a.value.data(), a.value.data() + a.value.size(), v);
            if (ec != std::errc() || p != a.value.data() + a.value.size() ||
                (a.name == "lag" && (v < 0 || v != static_cast<int>(v)))) {
              ctx.error(a.loc, DiagCode::E072,
                        fmt::format("edge {} must be a {}, found \"{}\"", a.name,
                                    a.name == "lag" ? "whole number >= 0" : "number", a.value));
              ok = false;
            } else if (a.name == "strength") {
              proto.strength = v;
            } else {
              proto.lag = static_cast<int>(v);
            }
          } else {
            ctx.error(a.loc, DiagCode::E072,
                      fmt::format("unknown edge attribute '{}' (source, strength, lag)", a.name));
            ok = false;
          }
        }
        if (!ok) break;
        for (size_t i = 0; i + 1 < s.names.size(); ++i) {
          CompiledGraph::Edge e = proto;
          e.from = index.at(s.names[i]);
          e.to = index.at(s.names[i + 1]);
          e.loc = s.name_locs[i];
          if (e.from == e.to) {
            ctx.error(e.loc, DiagCode::E071,
                      fmt::format("edge {} -> {} is a self-loop", s.names[i], s.names[i]));
            continue;
          }
          cg.edges.push_back(e);
        }
        break;
      }
      case ast::GraphStmtKind::Forbid:
      case ast::GraphStmtKind::Require: {
        bool ok = true;
        for (size_t i = 0; i < 2; ++i)
          if (!index.count(s.names[i])) {
            ctx.error(s.name_locs[i], DiagCode::E070,
                      fmt::format("unknown node '{}' in graph '{}'", s.names[i], g.name));
            ok = false;
          }
        if (ok)
          cg.constraints.push_back({index.at(s.names[0]), index.at(s.names[1]),
                                    s.kind == ast::GraphStmtKind::Require, s.loc});
        break;
      }
      case ast::GraphStmtKind::Root:
      case ast::GraphStmtKind::Leaf:
        for (size_t i = 0; i < s.names.size(); ++i) {
          uint32_t id = node(s.names[i], s.name_locs[i]);
          (s.kind == ast::GraphStmtKind::Root ? cg.nodes[id].root : cg.nodes[id].leaf) = true;
        }
        break;
      case ast::GraphStmtKind::Node:
        break;
    }
  }
  // Constraints against the declared edges.
  for (const auto& c : cg.constraints) {
    bool present = false;
    for (const auto& e : cg.edges) present = present || (e.from == c.from && e.to == c.to);
    if (!c.required && present)
      ctx.error(c.loc, DiagCode::E072,
                fmt::format("edge {} -> {} is declared but forbidden", cg.nodes[c.from].name,
                            cg.nodes[c.to].name));
  }
  for (const auto& e : cg.edges) {
    if (cg.nodes[e.to].root)
      ctx.error(e.loc, DiagCode::E072,
                fmt::format("'{}' is a root node but has an incoming edge from '{}'",
                            cg.nodes[e.to].name, cg.nodes[e.from].name));
    if (cg.nodes[e.from].leaf)
      ctx.error(e.loc, DiagCode::E072,
                fmt::format("'{}' is a leaf node but has an outgoing edge to '{}'",
                            cg.nodes[e.from].name, cg.nodes[e.to].name));
  }
  // Cycles: depth-first search, naming the first cycle found (a -> b -> c -> a). Iterative
  // (an explicit stack of (node, next edge)): a long chain must not overflow the call stack.
  std::vector<std::vector<uint32_t>> adj(cg.nodes.size());
  for (const auto& e : cg.edges) adj[e.from].push_back(e.to);
  std::vector<int> color(cg.nodes.size(), 0);
  std::vector<std::pair<uint32_t, size_t>> stack;
  auto report = [&](uint32_t u, uint32_t v) {
    std::string cycle;
    auto it = std::find_if(stack.begin(), stack.end(), [&](const auto& f) { return f.first == v; });
    for (; it != stack.end(); ++it) cycle += cg.nodes[it->first].name + " -> ";
    cycle += cg.nodes[v].name;
    Loc at = cg.loc;
    for (const auto& e : cg.edges)
      if (e.from == u && e.to == v) at = e.loc;
    ctx.error(at, DiagCode::E071, fmt::format("graph '{}' has a cycle: {}", g.name, cycle));
  };
  bool reported = false;
  for (uint32_t root = 0; root < cg.nodes.size() && !reported; ++root) {
    if (color[root] != 0) continue;
    color[root] = 1;
    stack.push_back({root, 0});
    while (!stack.empty() && !reported) {
      auto& [u, next] = stack.back();
      if (next == adj[u].size()) {
        color[u] = 2;
        stack.pop_back();
        continue;
      }
      uint32_t v = adj[u][next++];
      if (color[v] == 1) {
        report(u, v);
        reported = true;
      } else if (color[v] == 0) {
        color[v] = 1;
        stack.push_back({v, 0});
      }
    }
  }
  out.graphs.push_back(std::move(cg));
}

}  // namespace omen::check
