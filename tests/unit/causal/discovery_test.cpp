// PC-stable against the CPDAGs causal-learn's procedure gives (derived with
// tests/causal/pc_reference.py, see tests/causal/ATTRIBUTION.md); background knowledge;
// lagged PC; Granger tests.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "omen/causal.h"
#include "synth.h"

using namespace omen::causal;

namespace {
std::string edge_lines(const Graph& g) {
  std::vector<std::string> out;
  for (const Edge& e : g.edges()) {
    size_t a = e.from, b = e.to;
    if (e.undirected && a > b) std::swap(a, b);
    out.push_back(g.node(a).name + (e.undirected ? " -- " : " -> ") + g.node(b).name);
  }
  std::sort(out.begin(), out.end());
  std::string s;
  for (const auto& l : out) s += l + "\n";
  return s;
}
std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("PC matches causal-learn's procedure on data_linear excerpts", "[causal][pc]") {
  for (const char* name : {"linear1_500", "linear2_300"})
    for (const char* alpha : {"0.05", "0.01"}) {
      INFO(name << " alpha " << alpha);
      Table t = read_table(std::string(OMEN_TEST_DIR "/causal/") + name + ".txt");
      PcOptions o;
      o.alpha = std::stod(alpha);
      PcResult r = pc(t, o);
      std::string expected =
          slurp(std::string(OMEN_TEST_DIR "/causal/") + name + "_pc_alpha" + alpha + ".expected");
      REQUIRE_FALSE(expected.empty());
      CHECK(edge_lines(r.cpdag) == expected);
      CHECK(r.tests > 0);
    }
}

TEST_CASE("PC on a collider and a chain", "[causal][pc]") {
  // a -> c <- b, c -> d: the v-structure orients a -> c <- b, Meek rule 1 orients c -> d.
  synth::Gauss g(11);
  size_t n = 3000;
  std::vector<std::vector<double>> c(4, std::vector<double>(n));
  for (size_t r = 0; r < n; ++r) {
    c[0][r] = g();
    c[1][r] = g();
    c[2][r] = 0.8 * c[0][r] + 0.8 * c[1][r] + g();
    c[3][r] = 0.9 * c[2][r] + g();
  }
  PcResult r = pc(synth::table({"a", "b", "c", "d"}, c));
  CHECK(edge_lines(r.cpdag) == "a -> c\nb -> c\nc -> d\n");
  for (const Edge& e : r.cpdag.edges()) CHECK(e.provenance == Provenance::Discovered);
  // A chain alone stays undirected (Markov equivalent orientations).
  PcResult chain = pc(synth::chain(3000));
  CHECK(edge_lines(chain.cpdag) == "a -- b\na -- d\nb -- c\n");
  // Depth 0 keeps a -- c (only marginal tests).
  PcOptions d0;
  d0.depth = 0;
  CHECK(edge_lines(pc(synth::chain(3000), d0).cpdag).find("a -- c") != std::string::npos);
}

TEST_CASE("PC background knowledge", "[causal][pc]") {
  PcOptions o;
  o.require = {{"b", "c"}};
  o.roots = {"a"};
  PcResult r = pc(synth::chain(3000), o);
  // a is a root: a -> b, a -> d; b -> c required.
  CHECK(edge_lines(r.cpdag) == "a -> b\na -> d\nb -> c\n");
  PcOptions f;
  f.forbid = {{"a", "b"}, {"b", "a"}};
  CHECK(edge_lines(pc(synth::chain(3000), f).cpdag).find("a -- b") == std::string::npos);
  PcOptions bad;
  bad.forbid = {{"a", "zz"}};
  CHECK_THROWS_AS(pc(synth::chain(100), bad), CausalError);
}

TEST_CASE("lagged PC and Granger find a lagged cause", "[causal][pc]") {
  // y_t = 0.8 x_{t-1} + noise; z independent.
  synth::Gauss g(5);
  size_t n = 2000;
  std::vector<double> x(n), y(n), z(n);
  for (size_t t = 0; t < n; ++t) {
    x[t] = g();
    y[t] = (t ? 0.8 * x[t - 1] : 0) + g();
    z[t] = g();
  }
  Table tab = synth::table({"x", "y", "z"}, {x, y, z});
  PcOptions o;
  o.alpha = 0.01;
  PcResult r = lagged_pc(tab, 2, o);
  REQUIRE(r.cpdag.edges().size() == 1);
  const Edge& e = r.cpdag.edges()[0];
  CHECK(r.cpdag.node(e.from).name == "x");
  CHECK(r.cpdag.node(e.to).name == "y");
  CHECK(e.lag == 1);
  CHECK_FALSE(e.undirected);
  auto gr = granger(tab, 2);
  CHECK(gr.size() == 6);
  for (const auto& t : gr) {
    bool real = t.cause == 0 && t.effect == 1;
    INFO(t.cause << " -> " << t.effect << " p " << t.p);
    if (real)
      CHECK(t.p < 1e-10);
    else
      CHECK(t.p > 0.001);
  }
  Graph gg = granger_graph(tab, 2, 0.001);
  REQUIRE(gg.edges().size() == 1);
  CHECK(gg.node(gg.edges()[0].from).name == "x");
  CHECK_THROWS_AS(granger(tab, 0), CausalError);
}

TEST_CASE("F distribution tail via Granger on a known case", "[causal][stats]") {
  // With no relation, p-values are roughly uniform; with 1 lag and 1000 rows the F-test of an
  // exact copy (y_t = x_{t-1}) gives p = 0.
  synth::Gauss g(9);
  std::vector<double> x(1000), y(1000);
  for (size_t t = 0; t < 1000; ++t) {
    x[t] = g();
    y[t] = t ? x[t - 1] : 0;
  }
  auto r = granger(synth::table({"x", "y"}, {x, y}), 1);
  CHECK(r[0].cause == 1);
  CHECK(r[0].effect == 0);
  CHECK(r[1].p < 1e-12);
}
