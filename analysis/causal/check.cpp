// Validation of a graph against data: structure, local Markov property tests (Fisher-z),
// edge dependence, and a node-permutation baseline (as DoWhy's falsify_graph).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "internal.h"
#include "omen/causal.h"

namespace omen::causal {

std::optional<size_t> bind_node(const Graph& g, size_t node, const Table& data,
                                const std::string& metric) {
  const Node& n = g.node(node);
  for (const auto& [b, sel] : n.bindings)
    if (auto c = data.column(sel)) return c;
  if (auto c = data.column(n.name)) return c;
  std::optional<size_t> first;
  for (size_t c = 0; c < data.cols(); ++c) {
    if (data.components[c] != n.name) continue;
    if (!metric.empty() && data.metrics[c].rfind(metric, 0) == 0) return c;
    if (!first) first = c;
  }
  return first;
}

bool CheckReport::ok() const {
  return structure.empty() && data_checked && edges_without_dependence == 0 &&
         (violations == 0 || (violation_rate <= alpha && better_than_chance));
}

namespace {

struct Tests {
  // Tests of the local Markov property for a structure whose node v is bound to column
  // col[v]; `lag` shifts parents and non-descendants into the past block.
  const FisherZ* fz;
  size_t p;
  int lag;
  size_t present(size_t c) const { return c; }
  size_t past(size_t c) const { return lag > 0 ? p + c : c; }
};

std::vector<ImpliedTest> markov_tests(const Graph& g, const std::vector<size_t>& col,
                                      const Tests& t, double alpha, size_t max_tests) {
  std::vector<ImpliedTest> out;
  size_t n = g.node_count();
  for (size_t x = 0; x < n; ++x) {
    auto desc = descendants(g, x);
    auto pa = g.parents(x);
    std::vector<size_t> given;
    for (size_t q : pa)
      if (t.past(col[q]) != t.present(col[x])) given.push_back(t.past(col[q]));
    for (size_t y = 0; y < n; ++y) {
      if (y == x || std::binary_search(desc.begin(), desc.end(), y) ||
          std::binary_search(pa.begin(), pa.end(), y))
        continue;
      if (out.size() >= max_tests)
        internal::fail(
            "data",
            fmt::format("graph check: more than {} implied independencies (max_tests)", max_tests));
      if (t.present(col[x]) == t.past(col[y])) continue;  // one column bound to both nodes
      ImpliedTest it;
      it.x = x;
      it.y = y;
      it.given = pa;
      std::vector<size_t> z;
      for (size_t c : given)
        if (c != t.past(col[y])) z.push_back(c);
      it.p = t.fz->test(t.present(col[x]), t.past(col[y]), z).p;
      it.violated = it.p < alpha;
      out.push_back(std::move(it));
    }
  }
  return out;
}

double rate(const std::vector<ImpliedTest>& ts) {
  if (ts.empty()) return 0;
  size_t v = 0;
  for (const auto& t : ts) v += t.violated;
  return double(v) / double(ts.size());
}

}  // namespace

CheckReport check_graph(const Graph& g, const Table& data, const CheckOptions& o) {
  CheckReport rep;
  rep.alpha = o.alpha;
  rep.structure = validate(g);
  bool blocking = std::any_of(rep.structure.begin(), rep.structure.end(), [](const Issue& i) {
    return i.code == "cycle" || i.code == "undirected-edge";
  });
  rep.node_column.assign(g.node_count(), -1);
  for (size_t v = 0; v < g.node_count(); ++v) {
    if (auto c = bind_node(g, v, data, o.metric)) {
      rep.node_column[v] = int(*c);
    } else {
      rep.structure.push_back(
          {"unbound-node", fmt::format("node {} is bound to no column of the data", g.node(v).name),
           g.node(v).loc});
      blocking = true;
    }
  }
  if (blocking || g.node_count() == 0) {
    rep.verdict = "structure errors: data checks skipped";
    return rep;
  }
  if (!(o.alpha > 0 && o.alpha < 1))
    internal::fail("data", fmt::format("alpha must be in (0, 1), got {}", o.alpha));
  if (o.lag < 0) internal::fail("data", "lag must be >= 0");

  // The columns in node order (a column bound twice is used once).
  std::vector<size_t> cols;
  std::vector<size_t> col_of(g.node_count());
  for (size_t v = 0; v < g.node_count(); ++v) {
    size_t c = size_t(rep.node_column[v]);
    auto it = std::find(cols.begin(), cols.end(), c);
    col_of[v] = size_t(it - cols.begin());
    if (it == cols.end()) cols.push_back(c);
  }
  Table sub;
  size_t T = data.rows();
  if (o.lag > 0 && T <= size_t(o.lag))
    internal::fail("window", fmt::format("{} rows are too few for lag {}", T, o.lag));
  for (size_t c : cols) {
    const auto& col = data.data[c];
    sub.add_column(data.columns[c], std::vector<double>(col.begin() + o.lag, col.end()),
                   data.components[c], data.metrics[c]);
  }
  if (o.lag > 0)
    for (size_t c : cols) {
      const auto& col = data.data[c];
      sub.add_column(data.columns[c] + fmt::format("[-{}]", o.lag),
                     std::vector<double>(col.begin(), col.end() - o.lag), data.components[c],
                     data.metrics[c]);
    }
  FisherZ fz(sub);
  Tests t{&fz, cols.size(), o.lag};

  rep.independencies = markov_tests(g, col_of, t, o.alpha, o.max_tests);
  for (const auto& it : rep.independencies) rep.violations += it.violated;
  rep.violation_rate = rate(rep.independencies);

  for (const Edge& e : g.edges()) {
    EdgeTest et;
    et.from = e.from;
    et.to = e.to;
    et.p_marginal = fz.test(t.present(col_of[e.to]), t.past(col_of[e.from])).p;
    std::vector<size_t> others;
    for (size_t q : g.parents(e.to))
      if (q != e.from && col_of[q] != col_of[e.from]) others.push_back(t.past(col_of[q]));
    std::sort(others.begin(), others.end());
    others.erase(std::unique(others.begin(), others.end()), others.end());
    others.erase(std::remove(others.begin(), others.end(), t.present(col_of[e.to])), others.end());
    et.p_conditional = others.empty()
                           ? et.p_marginal
                           : fz.test(t.present(col_of[e.to]), t.past(col_of[e.from]), others).p;
    et.dependent = et.p_marginal < o.alpha || et.p_conditional < o.alpha;
    rep.edges_without_dependence += !et.dependent;
    rep.edges.push_back(et);
  }

  // Baseline: the same structure with the columns shuffled among the nodes.
  if (!rep.independencies.empty() && o.permutations > 0) {
    internal::Rng rng(o.seed);
    std::vector<size_t> perm(g.node_count());
    size_t not_worse = 0;
    double sum = 0;
    for (size_t k = 0; k < o.permutations; ++k) {
      std::iota(perm.begin(), perm.end(), 0);
      for (size_t i = perm.size(); i > 1; --i) std::swap(perm[i - 1], perm[rng.below(i)]);
      std::vector<size_t> pc(g.node_count());
      for (size_t v = 0; v < pc.size(); ++v) pc[v] = col_of[perm[v]];
      bool clash = false;  // two nodes on one column would test a column against itself
      for (size_t a = 0; a < pc.size() && !clash; ++a)
        for (size_t b = a + 1; b < pc.size(); ++b)
          if (pc[a] == pc[b]) clash = true;
      if (clash) continue;
      double r = rate(markov_tests(g, pc, t, o.alpha, o.max_tests));
      sum += r;
      not_worse += r <= rep.violation_rate;
      ++rep.permutations;
    }
    if (rep.permutations > 0) {
      rep.permuted_mean_rate = sum / double(rep.permutations);
      rep.p_value = double(not_worse) / double(rep.permutations);
      rep.better_than_chance = rep.p_value < o.alpha;
    }
  }
  rep.data_checked = true;
  if (rep.independencies.empty()) {
    rep.verdict = fmt::format(
        "no testable implied independence; {} of {} edges without detectable dependence",
        rep.edges_without_dependence, rep.edges.size());
  } else {
    rep.verdict = fmt::format(
        "{} of {} implied independencies violated ({:.1f}%, permuted graphs {:.1f}%); {} of {} "
        "edges "
        "without detectable dependence; {} (p = {:.3f} over {} permutations)",
        rep.violations, rep.independencies.size(), 100 * rep.violation_rate,
        100 * rep.permuted_mean_rate, rep.edges_without_dependence, rep.edges.size(),
        rep.better_than_chance ? "the graph explains the data better than chance"
                               : "the graph does not explain the data better than chance",
        rep.p_value, rep.permutations);
  }
  return rep;
}

namespace {
std::string names(const Graph& g, const std::vector<size_t>& vs) {
  std::vector<std::string> out;
  for (size_t v : vs) out.push_back(g.node(v).name);
  return fmt::format("{}", fmt::join(out, ", "));
}
}  // namespace

std::string to_json(const CheckReport& r, const Graph& g) {
  nlohmann::ordered_json j;
  j["ok"] = r.ok();
  j["verdict"] = r.verdict;
  j["structure"] = nlohmann::ordered_json::array();
  for (const Issue& i : r.structure) {
    nlohmann::ordered_json ji{{"code", i.code}, {"message", i.message}};
    if (i.loc.line) ji["line"] = i.loc.line;
    j["structure"].push_back(ji);
  }
  j["bindings"] = nlohmann::ordered_json::object();
  for (size_t v = 0; v < r.node_column.size(); ++v)
    j["bindings"][g.node(v).name] = r.node_column[v];
  j["data_checked"] = r.data_checked;
  j["tests"] = r.independencies.size();
  j["violations"] = r.violations;
  j["violation_rate"] = r.violation_rate;
  j["permutations"] = r.permutations;
  j["permuted_mean_rate"] = r.permuted_mean_rate;
  j["p_value"] = r.p_value;
  j["better_than_chance"] = r.better_than_chance;
  j["violated"] = nlohmann::ordered_json::array();
  for (const auto& t : r.independencies)
    if (t.violated) {
      nlohmann::ordered_json jt{{"x", g.node(t.x).name}, {"y", g.node(t.y).name}};
      jt["given"] = nlohmann::ordered_json::array();
      for (size_t v : t.given) jt["given"].push_back(g.node(v).name);
      jt["p"] = t.p;
      j["violated"].push_back(jt);
    }
  j["edges_without_dependence"] = nlohmann::ordered_json::array();
  for (const auto& e : r.edges)
    if (!e.dependent)
      j["edges_without_dependence"].push_back({{"from", g.node(e.from).name},
                                               {"to", g.node(e.to).name},
                                               {"p_marginal", e.p_marginal},
                                               {"p_conditional", e.p_conditional}});
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string to_text(const CheckReport& r, const Graph& g) {
  std::string out;
  for (const Issue& i : r.structure) {
    if (i.loc.line) out += fmt::format("{}:{}:{}: ", i.loc.file, i.loc.line, i.loc.col);
    out += fmt::format("error[{}]: {}\n", i.code, i.message);
  }
  for (const auto& t : r.independencies)
    if (t.violated)
      out += fmt::format("violated: {} _||_ {}{}{}  (p = {:.3g})\n", g.node(t.x).name,
                         g.node(t.y).name, t.given.empty() ? "" : " | ", names(g, t.given), t.p);
  for (const auto& e : r.edges)
    if (!e.dependent)
      out += fmt::format("no dependence: {} -> {}  (p marginal = {:.3g}, conditional = {:.3g})\n",
                         g.node(e.from).name, g.node(e.to).name, e.p_marginal, e.p_conditional);
  out += fmt::format("{}: {}\n", r.ok() ? "ok" : "findings", r.verdict);
  return out;
}

}  // namespace omen::causal
