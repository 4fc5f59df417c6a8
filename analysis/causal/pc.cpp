// PC-stable discovery with Fisher-z, following causal-learn's pc(..., uc_rule=0,
// uc_priority=2) step by step so that both return the same CPDAG:
//  - skeleton: depth by depth while max degree - 1 > depth; x in index order, y over x's
//    neighbours (ascending); at a depth every subset S of adj(x)\{y} of that size is tested
//    (no early break in the stable variant) and the union of all separating S is the sepset;
//    removals are applied at the end of the depth;
//  - background knowledge orients edges first, then unshielded colliders x -> y <- z (x < z)
//    are oriented when y is in no sepset of (x, z), unless y -> x or y -> z already holds
//    ("prioritize existing colliders"), in causal-learn's triple order;
//  - Meek rules 1-3 repeated to a fixpoint, in causal-learn's list orders.
// The graph is kept as causal-learn's endpoint matrix: m[a][b] is the mark at a on edge a-b
// (0 none, -1 tail, 1 arrow), so a -> b is m[a][b] == -1 && m[b][a] == 1.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "internal.h"
#include "omen/causal.h"

namespace omen::causal {

namespace {

using Triple = std::array<int, 3>;
using Quad = std::array<int, 4>;

struct Knowledge {
  std::set<std::pair<int, int>> forbidden, required;
  bool empty() const { return forbidden.empty() && required.empty(); }
  bool is_forbidden(int a, int b) const { return forbidden.count({a, b}) > 0; }
  bool is_required(int a, int b) const { return required.count({a, b}) > 0; }
};

struct Pdag {
  int n;
  std::vector<int8_t> m;
  explicit Pdag(int n_) : n(n_), m(size_t(n_) * size_t(n_), 0) {
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        if (i != j) at(i, j) = -1;
  }
  int8_t& at(int a, int b) { return m[size_t(a) * size_t(n) + size_t(b)]; }
  int8_t at(int a, int b) const { return m[size_t(a) * size_t(n) + size_t(b)]; }
  bool adjacent(int a, int b) const { return at(a, b) != 0; }
  bool directed(int a, int b) const { return at(a, b) == -1 && at(b, a) == 1; }
  bool undirected(int a, int b) const { return at(a, b) == -1 && at(b, a) == -1; }
  void orient(int a, int b) {
    at(a, b) = -1;
    at(b, a) = 1;
  }
  void remove(int a, int b) { at(a, b) = at(b, a) = 0; }
  std::vector<int> neighbors(int a) const {
    std::vector<int> out;
    for (int b = 0; b < n; ++b)
      if (at(a, b) != 0) out.push_back(b);
    return out;
  }
  int max_degree() const {
    int best = 0;
    for (int a = 0; a < n; ++a) {
      int d = 0;
      for (int b = 0; b < n; ++b) d += at(a, b) != 0;
      best = std::max(best, d);
    }
    return best;
  }
  // causal-learn's find_adj(): tails then arrowheads, each as (col, row) in row-major order.
  std::vector<std::pair<int, int>> adj_list() const {
    std::vector<std::pair<int, int>> out;
    for (int mark : {-1, 1})
      for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c)
          if (at(r, c) == mark) out.emplace_back(c, r);
    return out;
  }
  // find_unshielded_triples() (triangles when `shielded`), in the same order:
  // permutations of the adjacency list, (i, j) then (j, k).
  std::vector<Triple> triples(bool shielded) const {
    auto adj = adj_list();
    std::vector<std::vector<size_t>> by_first(static_cast<size_t>(n));
    for (size_t q = 0; q < adj.size(); ++q) by_first[size_t(adj[q].first)].push_back(q);
    std::vector<Triple> out;
    for (size_t q = 0; q < adj.size(); ++q) {
      auto [i, j] = adj[q];
      for (size_t q2 : by_first[size_t(j)]) {
        if (q2 == q) continue;
        int k = adj[q2].second;
        if (i == k) continue;
        if (adjacent(i, k) == shielded) out.push_back({i, j, k});
      }
    }
    return out;
  }
  // find_kites(): pairs of triangles (i, j, l), (i, k, l) with j < k, j and k non-adjacent.
  std::vector<Quad> kites() const {
    auto tri = triples(true);
    std::map<std::pair<int, int>, std::vector<size_t>> by_ends;
    for (size_t q = 0; q < tri.size(); ++q) by_ends[{tri[q][0], tri[q][2]}].push_back(q);
    std::vector<Quad> out;
    for (size_t q = 0; q < tri.size(); ++q)
      for (size_t q2 : by_ends[{tri[q][0], tri[q][2]}])
        if (q2 != q && tri[q][1] < tri[q2][1] && !adjacent(tri[q][1], tri[q2][1]))
          out.push_back({tri[q][0], tri[q][1], tri[q2][1], tri[q][2]});
    return out;
  }
};

Knowledge make_knowledge(const std::vector<std::string>& names, const PcOptions& o) {
  Knowledge k;
  auto idx = [&](const std::string& s) {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == s) return int(i);
    internal::fail("unknown-node",
                   fmt::format("background knowledge names unknown column '{}'", s));
  };
  for (auto& [a, b] : o.forbid) k.forbidden.insert({idx(a), idx(b)});
  for (auto& [a, b] : o.require) k.required.insert({idx(a), idx(b)});
  for (auto& r : o.roots) {
    int v = idx(r);
    for (int u = 0; u < int(names.size()); ++u)
      if (u != v) k.forbidden.insert({u, v});
  }
  for (auto& l : o.leaves) {
    int v = idx(l);
    for (int u = 0; u < int(names.size()); ++u)
      if (u != v) k.forbidden.insert({v, u});
  }
  return k;
}

// Calls f(subset) for every size-k subset of `items` in itertools.combinations order.
template <class F>
void for_combinations(const std::vector<int>& items, int k, F&& f) {
  int m = int(items.size());
  if (k > m) return;
  std::vector<int> idx(static_cast<size_t>(k));
  for (int i = 0; i < k; ++i) idx[size_t(i)] = i;
  std::vector<size_t> subset(static_cast<size_t>(k));
  while (true) {
    for (int i = 0; i < k; ++i) subset[size_t(i)] = size_t(items[size_t(idx[size_t(i)])]);
    if (!f(subset)) return;
    int i = k - 1;
    while (i >= 0 && idx[size_t(i)] == m - k + i) --i;
    if (i < 0) return;
    ++idx[size_t(i)];
    for (int j = i + 1; j < k; ++j) idx[size_t(j)] = idx[size_t(j - 1)] + 1;
  }
}

}  // namespace

PcResult pc(const FisherZ& tester, const std::vector<std::string>& names, const PcOptions& o) {
  int n = int(tester.variables());
  if (names.size() != size_t(n)) internal::fail("data", "pc: one name per variable is needed");
  if (!(o.alpha > 0 && o.alpha < 1))
    internal::fail("data", fmt::format("alpha must be in (0, 1), got {}", o.alpha));
  Knowledge bk = make_knowledge(names, o);
  Pdag g(n);
  // Union of the separating sets found for each unordered pair (key x * n + y, x < y).
  std::unordered_map<size_t, std::set<int>> sepset;
  auto key = [n](int a, int b) {
    return size_t(std::min(a, b)) * size_t(n) + size_t(std::max(a, b));
  };
  size_t tests = 0;
  int depth = -1;
  PcResult res;
  while (g.max_degree() - 1 > depth) {
    ++depth;
    if (o.depth >= 0 && depth > o.depth) break;
    res.max_depth = depth;
    std::vector<std::pair<int, int>> removal;
    for (int x = 0; x < n; ++x) {
      std::vector<int> nx = g.neighbors(x);
      if (int(nx.size()) < depth - 1) continue;
      for (int y : nx) {
        bool banned = !bk.empty() && bk.is_forbidden(x, y) && bk.is_forbidden(y, x);
        if (banned) {
          if (!o.stable) {
            g.remove(x, y);
            sepset[key(x, y)];
            break;  // as causal-learn: leaves this x's loop
          }
          removal.emplace_back(x, y);
        }
        std::vector<int> rest;
        for (int v : nx)
          if (v != y) rest.push_back(v);
        std::set<int> found;
        bool removed_now = false;
        for_combinations(rest, depth, [&](const std::vector<size_t>& s) {
          if (++tests > o.max_tests)
            internal::fail("data", fmt::format("pc: more than {} independence tests (max_tests)",
                                               o.max_tests));
          double p = tester.test(size_t(x), size_t(y), s).p;
          if (p > o.alpha) {
            if (!o.stable) {
              g.remove(x, y);
              for (size_t v : s) found.insert(int(v));
              removed_now = true;
              return false;
            }
            removal.emplace_back(x, y);
            for (size_t v : s) found.insert(int(v));
          }
          return true;
        });
        (void)removed_now;
        auto& ss = sepset[key(x, y)];
        ss.insert(found.begin(), found.end());
      }
    }
    for (auto [x, y] : removal) g.remove(x, y);
  }
  res.tests = tester.tests_run();

  // Background knowledge orientation (edges node1 < node2, as causal-learn's edge list).
  if (!bk.empty())
    for (int a = 0; a < n; ++a)
      for (int b = a + 1; b < n; ++b) {
        if (!g.undirected(a, b)) continue;
        if (bk.is_forbidden(b, a))
          g.orient(a, b);
        else if (bk.is_forbidden(a, b))
          g.orient(b, a);
        else if (bk.is_required(b, a))
          g.orient(b, a);
        else if (bk.is_required(a, b))
          g.orient(a, b);
      }

  // Unshielded colliders, priority 2 (prioritize existing colliders).
  for (const Triple& t : g.triples(false)) {
    auto [x, y, z] = t;
    if (!(x < z)) continue;
    if (!bk.empty() && (bk.is_forbidden(x, y) || bk.is_forbidden(z, y) || bk.is_required(y, x) ||
                        bk.is_required(y, z)))
      continue;
    auto it = sepset.find(key(x, z));
    bool in_sepset = it != sepset.end() && it->second.count(y) > 0;
    if (in_sepset) continue;
    if (!g.directed(y, x) && !g.directed(y, z)) {
      g.orient(x, y);
      g.orient(z, y);
    }
  }

  // Meek rules 1-3 to a fixpoint.
  auto ut = g.triples(false);
  auto tri = g.triples(true);
  auto kites = g.kites();
  auto blocked = [&](int a, int b) {
    return !bk.empty() && (bk.is_forbidden(a, b) || bk.is_required(b, a));
  };
  bool loop = true;
  while (loop) {
    loop = false;
    for (auto [i, j, k] : ut)
      if (g.directed(i, j) && g.undirected(j, k) && !blocked(j, k)) {
        g.orient(j, k);
        loop = true;
      }
    for (auto [i, j, k] : tri)
      if (g.directed(i, j) && g.directed(j, k) && g.undirected(i, k) && !blocked(i, k)) {
        g.orient(i, k);
        loop = true;
      }
    for (auto [i, j, k, l] : kites)
      if (g.undirected(i, j) && g.undirected(i, k) && g.directed(j, l) && g.directed(k, l) &&
          g.undirected(i, l) && !blocked(i, l)) {
        g.orient(i, l);
        loop = true;
      }
  }

  res.cpdag = Graph("discovered");
  for (const auto& nm : names) res.cpdag.add_node(nm);
  for (int a = 0; a < n; ++a)
    for (int b = a + 1; b < n; ++b) {
      if (!g.adjacent(a, b)) continue;
      Edge e;
      e.provenance = Provenance::Discovered;
      if (g.directed(a, b)) {
        e.from = size_t(a), e.to = size_t(b);
      } else if (g.directed(b, a)) {
        e.from = size_t(b), e.to = size_t(a);
      } else {
        e.from = size_t(a), e.to = size_t(b), e.undirected = true;
      }
      res.cpdag.add_edge(e);
    }
  return res;
}

PcResult pc(const Table& data, const PcOptions& options) {
  FisherZ tester(data);
  return pc(tester, data.columns, options);
}

PcResult lagged_pc(const Table& data, int max_lag, const PcOptions& options) {
  if (max_lag < 1) internal::fail("data", "lagged PC needs a lag >= 1");
  size_t T = data.rows(), p = data.cols();
  if (T <= size_t(max_lag) + 4)
    internal::fail("data", fmt::format("{} rows are too few for {} lags", T, max_lag));
  // Columns v@lag for lag 0..K, rows t = K..T-1.
  Table aug;
  std::vector<int> lag_of;
  std::vector<size_t> var_of;
  for (int L = 0; L <= max_lag; ++L)
    for (size_t v = 0; v < p; ++v) {
      std::vector<double> col(data.data[v].begin() + long(max_lag - L),
                              data.data[v].begin() + long(T - size_t(L)));
      aug.add_column(L == 0 ? data.columns[v] : fmt::format("{}[-{}]", data.columns[v], L),
                     std::move(col), data.columns[v], "");
      lag_of.push_back(L);
      var_of.push_back(v);
    }
  PcOptions o = options;
  // Time order: nothing later causes anything earlier. Lagged copies among themselves are
  // not of interest, but their adjacencies are kept for the tests (as PCMCI conditions on
  // the past).
  for (size_t a = 0; a < aug.cols(); ++a)
    for (size_t b = 0; b < aug.cols(); ++b)
      if (a != b && lag_of[a] < lag_of[b]) o.forbid.emplace_back(aug.columns[a], aug.columns[b]);
  // Name-based knowledge on the original columns also applies to every lag of the cause.
  o.roots.clear();
  o.leaves.clear();
  o.require.clear();
  for (const auto& [a, b] : options.forbid)
    for (int L = 1; L <= max_lag; ++L) o.forbid.emplace_back(fmt::format("{}[-{}]", a, L), b);
  PcResult r = pc(aug, o);
  PcResult out;
  out.tests = r.tests;
  out.max_depth = r.max_depth;
  out.cpdag = Graph("discovered");
  for (size_t v = 0; v < p; ++v) out.cpdag.add_node(data.columns[v]);
  std::vector<Edge> es = r.cpdag.edges();
  std::stable_sort(es.begin(), es.end(), [&](const Edge& a, const Edge& b) {
    return std::max(lag_of[a.from], lag_of[a.to]) < std::max(lag_of[b.from], lag_of[b.to]);
  });
  for (const Edge& e : es) {
    int la = lag_of[e.from], lb = lag_of[e.to];
    if (la != 0 && lb != 0) continue;  // among lagged copies
    Edge x = e;
    x.from = var_of[e.from];
    x.to = var_of[e.to];
    x.lag = std::max(la, lb);
    if (x.lag > 0) {
      // Oriented by time order: the lagged end is the cause.
      x.undirected = false;
      if (la == 0) std::swap(x.from, x.to);
    }
    if (x.from == x.to) {  // autocorrelation x[-L] -> x: kept out of the graph
      continue;
    }
    if (out.cpdag.find_edge(x.from, x.to) || out.cpdag.find_edge(x.to, x.from)) continue;
    out.cpdag.add_edge(x);
  }
  return out;
}

}  // namespace omen::causal
