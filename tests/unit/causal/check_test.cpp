// omen graph check: structure, implied independencies, edges without dependence, the
// permutation baseline, lags, bindings, singular data.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "omen/causal.h"
#include "synth.h"

using namespace omen::causal;

namespace {
Graph chain_graph() {  // the true graph of synth::chain
  Graph g("chain");
  g.add_edge("a", "b");
  g.add_edge("b", "c");
  g.add_edge("a", "d");
  return g;
}
// Six variables: a -> b -> c -> d, a -> e, f independent.
Table six(size_t n) {
  synth::Gauss g(21);
  std::vector<std::vector<double>> c(6, std::vector<double>(n));
  for (size_t r = 0; r < n; ++r) {
    c[0][r] = g();
    c[1][r] = 0.8 * c[0][r] + g();
    c[2][r] = 0.8 * c[1][r] + g();
    c[3][r] = 0.8 * c[2][r] + g();
    c[4][r] = 0.8 * c[0][r] + g();
    c[5][r] = g();
  }
  return synth::table({"a", "b", "c", "d", "e", "f"}, c);
}
}  // namespace

TEST_CASE("the true graph passes, better than chance", "[causal][check]") {
  Table t = six(3000);
  Graph g("six");
  g.add_edge("a", "b");
  g.add_edge("b", "c");
  g.add_edge("c", "d");
  g.add_edge("a", "e");
  g.add_node("f");
  CheckOptions o;
  o.alpha = 0.001;
  o.permutations = 50;
  CheckReport r = check_graph(g, t, o);
  CHECK(r.structure.empty());
  CHECK(r.data_checked);
  CHECK(r.violations == 0);
  CHECK(r.edges_without_dependence == 0);
  CHECK(r.independencies.size() > 10);
  CHECK(r.permutations == 50);
  CHECK(r.p_value == 0);
  CHECK(r.permuted_mean_rate > 0.3);
  CHECK(r.better_than_chance);
  CHECK(r.ok());
  // Deterministic: same seed, same report.
  CheckReport again = check_graph(g, t, o);
  CHECK(again.p_value == r.p_value);
  CHECK(again.permuted_mean_rate == r.permuted_mean_rate);
  auto j = nlohmann::json::parse(to_json(r, g));
  CHECK(j["ok"] == true);
  CHECK(j["violations"] == 0);
}

TEST_CASE("a wrong graph: contradicted independencies and dead edges", "[causal][check]") {
  Table t = six(3000);
  Graph g("wrong");
  g.add_edge("a", "b");
  g.add_edge("f", "c");  // f is independent of everything: no dependence
  g.add_node("d");
  g.add_node("e");
  CheckOptions o;
  o.alpha = 0.01;
  o.permutations = 20;
  CheckReport r = check_graph(g, t, o);
  CHECK(r.violations > 0);
  CHECK(r.edges_without_dependence == 1);
  CHECK_FALSE(r.ok());
  bool found = false;
  for (const auto& it : r.independencies)
    if (g.node(it.x).name == "c" && g.node(it.y).name == "b") {
      found = true;
      CHECK(it.violated);
      CHECK(it.given == std::vector<size_t>{g.index("f")});
    }
  CHECK(found);
  std::string text = to_text(r, g);
  CHECK(text.find("violated: c _||_ b | f") != std::string::npos);
  CHECK(text.find("no dependence: f -> c") != std::string::npos);
  auto j = nlohmann::json::parse(to_json(r, g));
  CHECK(j["edges_without_dependence"][0]["from"] == "f");
}

TEST_CASE("structure problems stop the data checks", "[causal][check]") {
  Table t = synth::chain(500);
  Graph g = chain_graph();
  g.add_edge("c", "a");
  g.add_node("ghost");
  CheckReport r = check_graph(g, t);
  CHECK_FALSE(r.data_checked);
  std::vector<std::string> codes;
  for (const auto& i : r.structure) codes.push_back(i.code);
  CHECK(codes == std::vector<std::string>{"cycle", "unbound-node"});
  CHECK(r.structure[0].message == "cycle: a -> b -> c -> a");
  CHECK(r.structure[1].message == "node ghost is bound to no column of the data");
  CHECK(r.node_column[g.index("ghost")] == -1);
}

TEST_CASE("bindings choose columns", "[causal][check]") {
  Table t;
  t.add_column("svc/latency", {1, 2, 3});
  t.add_column("svc/errors", {0, 1, 0});
  t.add_column("lat{job=\"x\"}", {5, 6, 7});
  Graph g;
  size_t a = g.add_node("svc");
  size_t b = g.add_node("other");
  g.bind(b, "latency", "lat{job=\"x\"}");
  CHECK(*bind_node(g, a, t) == 0);
  CHECK(*bind_node(g, a, t, "errors") == 1);
  CHECK(*bind_node(g, b, t) == 2);
}

TEST_CASE("singular data is a clear error", "[causal][check]") {
  Table t = synth::chain(200);
  t.data[3].assign(200, 1.0);
  try {
    check_graph(chain_graph(), t);
    FAIL("no throw");
  } catch (const CausalError& e) {
    CHECK(e.code() == "singular");
    CHECK(e.message().find("constant column: d") == 0);
  }
}

TEST_CASE("checks at a lag", "[causal][check]") {
  synth::Gauss g(4);
  size_t n = 2000;
  std::vector<double> x(n), y(n);
  for (size_t t = 0; t < n; ++t) {
    x[t] = g();
    y[t] = (t ? 0.9 * x[t - 1] : 0) + g();
  }
  Table tab = synth::table({"x", "y"}, {x, y});
  Graph gr;
  gr.add_edge("x", "y");
  CheckOptions o;
  o.permutations = 0;
  CHECK(check_graph(gr, tab, o).edges_without_dependence == 1);  // no same-time dependence
  o.lag = 1;
  CheckReport r = check_graph(gr, tab, o);
  CHECK(r.edges_without_dependence == 0);
  CHECK(r.edges[0].p_marginal < 1e-10);
}
