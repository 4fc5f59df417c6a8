// Root-cause ranking on synthetic incidents whose answer is known.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "omen/causal.h"
#include "synth.h"

using namespace omen::causal;

namespace {
// a -> b -> c with b = k_b a + noise, c = k_c b + noise. The incident shifts a by `shift`
// (in units of its noise) from row `start` of a 10-row window.
struct Case {
  Table baseline, incident;
  Graph graph;
};
Case make(double kb, double kc, double shift, size_t start = 0, uint64_t seed = 3,
          bool saturating = false) {
  synth::Gauss g(seed);
  Case c;
  auto fill = [&](size_t n, size_t from, Table& t) {
    std::vector<double> a(n), b(n), cc(n), noise(n);
    for (size_t r = 0; r < n; ++r) {
      a[r] = 10 + g() + (r >= from ? shift : 0);
      // saturating: b grows exponentially with a (a queue near capacity)
      b[r] = saturating ? 5 * std::exp(kb * (a[r] - 10)) + 0.2 * g() : kb * a[r] + g();
      cc[r] = kc * b[r] + g();
      noise[r] = g();
    }
    t.add_column("a/latency", a);
    t.add_column("b/latency", b);
    t.add_column("c/latency", cc);
    t.add_column("n/latency", noise);
  };
  fill(300, 300, c.baseline);
  fill(10, start, c.incident);
  c.graph.add_edge("a", "b");
  c.graph.add_edge("b", "c");
  c.graph.add_node("n");
  return c;
}
std::string top(const RcaResult& r) {
  return r.ranking.empty() ? "" : r.ranking[0].component;
}
}  // namespace

TEST_CASE("every method finds an attenuated root cause", "[causal][rca]") {
  Case c = make(0.5, 0.5, 8);
  for (RcaMethod m : {RcaMethod::Baro, RcaMethod::NSigma, RcaMethod::Traversal,
                      RcaMethod::RandomWalk, RcaMethod::Circa, RcaMethod::Ensemble}) {
    INFO(to_string(m));
    RcaOptions o;
    o.method = m;
    o.target = "c";
    RcaResult r = rca(c.baseline, c.incident, &c.graph, o);
    CHECK(top(r) == "a");
    CHECK(r.ranking.size() == 4);
    CHECK(r.symptom == "c");
    CHECK(r.ranking[0].path == std::vector<std::string>{"a", "b", "c"});
    CHECK(r.ranking[0].column == "a/latency");
  }
}

TEST_CASE("with an amplified effect the graph methods still find the root", "[causal][rca]") {
  // b saturates: its anomaly is far larger than a's, so plain scoring blames b; traversal
  // (anomalous, no anomalous parent) still names a.
  Case c = make(0.8, 0.3, 5, 0, 3, /*saturating=*/true);
  RcaOptions o;
  o.method = RcaMethod::Baro;
  CHECK(top(rca(c.baseline, c.incident, &c.graph, o)) == "b");
  o.method = RcaMethod::Traversal;
  RcaResult r = rca(c.baseline, c.incident, &c.graph, o);
  CHECK(top(r) == "a");
  CHECK(r.ranking[1].component == "b");
}

TEST_CASE("pre-incident rows discount drift", "[causal][rca]") {
  Case c = make(0.5, 0.5, 8, /*start=*/4);
  // n already deviates in the rows before the incident (drift since the baseline).
  for (size_t r = 0; r < 10; ++r) c.incident.data[3][r] += 30;
  RcaOptions o;
  CHECK(top(rca(c.baseline, c.incident, nullptr, o)) == "n");
  o.pre_incident_rows = 4;
  RcaResult r = rca(c.baseline, c.incident, nullptr, o);
  CHECK(top(r) == "a");
  CHECK(r.ranking.back().component == "n");
  CHECK(r.ranking.back().score < 3);
}

TEST_CASE("rca errors and rendering", "[causal][rca]") {
  Case c = make(0.5, 0.5, 8);
  RcaOptions o;
  o.method = RcaMethod::Traversal;
  try {
    rca(c.baseline, c.incident, nullptr, o);
    FAIL("no throw");
  } catch (const CausalError& e) {
    CHECK(e.code() == "data");
    CHECK(e.message() == "rca method traversal needs a graph");
  }
  o.method = RcaMethod::Baro;
  try {
    rca(c.baseline, slice_rows(c.incident, 0, 0), nullptr, o);
    FAIL("no throw");
  } catch (const CausalError& e) {
    CHECK(e.code() == "window");
  }
  CHECK_THROWS_AS(rca(slice_rows(c.baseline, 0, 0), c.incident, nullptr, o), CausalError);
  RcaResult r = rca(c.baseline, c.incident, &c.graph, o);
  auto j = nlohmann::json::parse(to_json(r, 2));
  CHECK(j["ranking"].size() == 2);
  CHECK(j["ranking"][0]["component"] == "a");
  CHECK(to_text(r, 1).find("  1. a  score") != std::string::npos);
  CHECK(parse_rca_method("random_walk") == RcaMethod::RandomWalk);
  CHECK_FALSE(parse_rca_method("magic"));
}

TEST_CASE("PetShop fixture: a real incident ranks end to end", "[causal][rca]") {
  PetShopCase c = read_petshop_case(OMEN_TEST_DIR "/causal/petshop/low_traffic/test/issue_0");
  Table base = read_table(OMEN_TEST_DIR "/causal/petshop/low_traffic/noissue/metrics.csv");
  Graph g = read_graph_file(OMEN_TEST_DIR "/causal/petshop/low_traffic/graph.csv", true);
  RcaOptions o;
  o.method = RcaMethod::Circa;
  o.target = c.target_node;
  o.pre_incident_rows = 1;
  RcaResult r = rca(base, c.metrics, &g, o);
  REQUIRE_FALSE(r.ranking.empty());
  CHECK(r.symptom == "PetSite");
  size_t rank = 0;
  for (size_t i = 0; i < r.ranking.size(); ++i)
    if (r.ranking[i].component == c.root_cause) rank = i + 1;
  CHECK(rank >= 1);
  CHECK(rank <= 10);  // only 40 baseline rows in the fixture (the benchmark uses all 588)
}
