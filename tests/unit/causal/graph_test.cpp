// Graph model and queries: ancestors, descendants, paths, d-separation, Markov blanket,
// topological order, cycles named, validation of constraints.
#include <catch2/catch.hpp>

#include "omen/causal.h"

using namespace omen::causal;

namespace {
// The classic "sprinkler" DAG plus a tail: cloudy -> sprinkler, cloudy -> rain,
// sprinkler -> wet, rain -> wet, wet -> slippery.
Graph sprinkler() {
  Graph g("sprinkler");
  g.add_edge("cloudy", "sprinkler");
  g.add_edge("cloudy", "rain");
  g.add_edge("sprinkler", "wet");
  g.add_edge("rain", "wet");
  g.add_edge("wet", "slippery");
  return g;
}
std::vector<std::string> names(const Graph& g, const std::vector<size_t>& v) {
  std::vector<std::string> out;
  for (size_t i : v) out.push_back(g.node(i).name);
  return out;
}
}  // namespace

TEST_CASE("graph building: nodes, bindings, provenance, constraints", "[causal][graph]") {
  Graph g("shop");
  size_t fe = g.add_node("frontend");
  g.bind(fe, "latency", "lat{service=\"frontend\"}");
  g.bind(fe, "errors", "err{service=\"frontend\"}");
  size_t co = g.add_node("checkout");
  CHECK(g.add_node("frontend") == fe);
  Edge e;
  e.from = fe;
  e.to = co;
  g.add_edge(e);
  g.add_edge("checkout", "payment", Provenance::Traces, 0.7);
  size_t pay = g.index("payment");
  g.forbid(pay, fe);
  size_t db = g.add_node("db");
  g.set_root(db);
  CHECK(g.node_count() == 4);
  CHECK(g.edges().size() == 2);
  CHECK(g.edges()[1].provenance == Provenance::Traces);
  CHECK(*g.edges()[1].strength == Approx(0.7));
  CHECK(g.node(fe).bindings.size() == 2);
  CHECK(g.parents(co) == std::vector<size_t>{fe});
  CHECK(validate(g).empty());
  // A second edge between the same pair replaces the first.
  g.add_edge("checkout", "payment", Provenance::Llm);
  CHECK(g.edges().size() == 2);
  CHECK(g.edges()[1].provenance == Provenance::Llm);
  CHECK_THROWS_AS(g.index("nope"), CausalError);
  try {
    g.index("nope");
  } catch (const CausalError& err) {
    CHECK(err.code() == "unknown-node");
    CHECK(std::string(err.what()).find("unknown node 'nope'") != std::string::npos);
  }
  CHECK_THROWS_AS(g.add_edge("db", "db"), CausalError);
}

TEST_CASE("ancestors, descendants, blanket, topological order", "[causal][graph]") {
  Graph g = sprinkler();
  CHECK(names(g, ancestors(g, g.index("wet"))) ==
        std::vector<std::string>{"cloudy", "sprinkler", "rain"});
  CHECK(names(g, descendants(g, g.index("sprinkler"))) ==
        std::vector<std::string>{"wet", "slippery"});
  CHECK(ancestors(g, g.index("cloudy")).empty());
  CHECK(names(g, markov_blanket(g, g.index("sprinkler"))) ==
        std::vector<std::string>{"cloudy", "rain", "wet"});
  CHECK(names(g, markov_blanket(g, g.index("wet"))) ==
        std::vector<std::string>{"sprinkler", "rain", "slippery"});
  CHECK(names(g, topological_order(g)) ==
        std::vector<std::string>{"cloudy", "sprinkler", "rain", "wet", "slippery"});
}

TEST_CASE("directed paths with a cap", "[causal][graph]") {
  Graph g = sprinkler();
  auto ps = directed_paths(g, g.index("cloudy"), g.index("slippery"));
  REQUIRE(ps.size() == 2);
  CHECK(names(g, ps[0]) == std::vector<std::string>{"cloudy", "sprinkler", "wet", "slippery"});
  CHECK(names(g, ps[1]) == std::vector<std::string>{"cloudy", "rain", "wet", "slippery"});
  bool truncated = false;
  CHECK(directed_paths(g, g.index("cloudy"), g.index("slippery"), 1, &truncated).size() == 1);
  CHECK(truncated);
  CHECK(directed_paths(g, g.index("slippery"), g.index("cloudy")).empty());
  // Shortest first.
  g.add_edge("cloudy", "wet");
  ps = directed_paths(g, g.index("cloudy"), g.index("slippery"));
  REQUIRE(ps.size() == 3);
  CHECK(ps[0].size() == 3);
}

TEST_CASE("d-separation", "[causal][graph]") {
  Graph g = sprinkler();
  auto i = [&](const char* n) { return g.index(n); };
  CHECK_FALSE(d_separated(g, {i("sprinkler")}, {i("rain")}, {}));       // common cause
  CHECK(d_separated(g, {i("sprinkler")}, {i("rain")}, {i("cloudy")}));  // blocked fork
  CHECK_FALSE(
      d_separated(g, {i("sprinkler")}, {i("rain")}, {i("cloudy"), i("wet")}));  // collider opened
  CHECK_FALSE(d_separated(g, {i("sprinkler")}, {i("rain")},
                          {i("cloudy"), i("slippery")}));             // descendant of collider
  CHECK(d_separated(g, {i("cloudy")}, {i("slippery")}, {i("wet")}));  // chain blocked
  CHECK_FALSE(d_separated(g, {i("cloudy")}, {i("slippery")}, {}));
  CHECK(d_separated(g, {i("cloudy")}, {i("wet")}, {i("sprinkler"), i("rain")}));
  CHECK_THROWS_AS(d_separated(g, {i("cloudy")}, {i("cloudy")}, {}), CausalError);
}

TEST_CASE("cycles are named", "[causal][graph]") {
  Graph g("loop");
  g.add_edge("a", "b");
  g.add_edge("b", "c");
  g.add_edge("c", "a");
  g.add_edge("c", "d");
  auto c = find_cycle(g);
  REQUIRE(c);
  CHECK(format_cycle(g, *c) == "a -> b -> c -> a");
  try {
    topological_order(g);
    FAIL("no throw");
  } catch (const CausalError& e) {
    CHECK(e.code() == "cycle");
    CHECK(e.message() == "cycle: a -> b -> c -> a");
  }
  CHECK_THROWS_AS(d_separated(g, {0}, {3}, {}), CausalError);
  auto issues = validate(g);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == "cycle");
  CHECK_FALSE(find_cycle(sprinkler()));
}

TEST_CASE("validation of constraints", "[causal][graph]") {
  Graph g = sprinkler();
  g.forbid(g.index("rain"), g.index("wet"));
  g.require(g.index("cloudy"), g.index("slippery"));
  g.set_root(g.index("rain"));
  g.set_leaf(g.index("wet"));
  auto issues = validate(g);
  std::vector<std::string> codes;
  for (const auto& i : issues) codes.push_back(i.code);
  CHECK(codes == std::vector<std::string>{"forbidden-edge", "missing-required-edge",
                                          "root-has-parent", "leaf-has-child"});
  CHECK(issues[0].message == "edge rain -> wet is forbidden");
  CHECK(issues[1].message == "required edge cloudy -> slippery is missing");
  CHECK(issues[2].message == "root node rain has parent cloudy");
}

TEST_CASE("queries reject undirected edges and unknown indices", "[causal][graph]") {
  Graph g;
  g.add_node("a");
  g.add_node("b");
  Edge e;
  e.from = 0;
  e.to = 1;
  e.undirected = true;
  g.add_edge(e);
  CHECK(g.has_undirected());
  CHECK_THROWS_AS(ancestors(g, 0), CausalError);
  Graph h = sprinkler();
  CHECK_THROWS_AS(descendants(h, 99), CausalError);
}
