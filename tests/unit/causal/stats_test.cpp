// Fisher-z against hand-computed values; partial correlations; singular data.
#include <catch2/catch.hpp>

#include "omen/causal.h"
#include "synth.h"

using namespace omen::causal;

TEST_CASE("Fisher-z p-values match hand computation", "[causal][stats]") {
  // z = atanh(r), stat = sqrt(n - k - 3) |z|, p = 2 (1 - Phi(stat)); values from Python's math.
  CiResult a = fisher_z(0.1, 100, 0);
  CHECK(a.stat == Approx(0.9881885722971292).epsilon(1e-12));
  CHECK(a.p == Approx(0.32306030380717965).epsilon(1e-10));
  CiResult b = fisher_z(0.3, 50, 2);
  CHECK(b.stat == Approx(2.076320626100963).epsilon(1e-12));
  CHECK(b.p == Approx(0.03786430688280697).epsilon(1e-10));
  CHECK(fisher_z(0.0, 10, 0).p == Approx(1.0));
  CHECK(fisher_z(1.0, 10, 0).p < 1e-10);  // clamped, no infinity
  CHECK_THROWS_AS(fisher_z(0.2, 4, 2), CausalError);
}

TEST_CASE("partial correlation from a correlation matrix", "[causal][stats]") {
  // r_xy.z = (r_xy - r_xz r_yz) / sqrt((1 - r_xz^2)(1 - r_yz^2)) = 0.08 / sqrt(0.64 * 0.51).
  FisherZ fz({1, 0.5, 0.6, 0.5, 1, 0.7, 0.6, 0.7, 1}, 3, 200, {"x", "y", "z"});
  CiResult r = fz.test(0, 1, {2});
  CHECK(r.r == Approx(0.140028008402801).epsilon(1e-12));
  CHECK(r.stat == Approx(1.9733580233790267).epsilon(1e-10));
  CHECK(r.p == Approx(0.04845478651853746).epsilon(1e-9));
  CHECK(fz.test(1, 0, {2}).p == r.p);  // symmetric, cached
  CHECK(fz.tests_run() == 1);
  CHECK(fz.test(0, 1).r == Approx(0.5));
}

TEST_CASE("Fisher-z on data: chain independencies", "[causal][stats]") {
  Table t = synth::chain(2000);
  FisherZ fz(t);
  CHECK(fz.samples() == 2000);
  CHECK(fz.test(0, 2).p < 1e-6);       // a and c dependent
  CHECK(fz.test(0, 2, {1}).p > 0.01);  // a _||_ c | b
  CHECK(fz.test(2, 3, {0}).p > 0.01);  // c _||_ d | a
}

TEST_CASE("singular data names the columns", "[causal][stats]") {
  synth::Gauss g(3);
  std::vector<double> x(50), y(50), k(50, 4.0), s(50);
  for (size_t i = 0; i < 50; ++i) {
    x[i] = g();
    y[i] = g();
    s[i] = 2 * x[i] - y[i];
  }
  Table constant = synth::table({"x", "k", "y"}, {x, k, y});
  try {
    FisherZ fz(constant);
    FAIL("no throw");
  } catch (const CausalError& e) {
    CHECK(e.code() == "singular");
    CHECK(e.message() == "constant column: k (zero variance, no correlation defined)");
  }
  Table collinear = synth::table({"x", "y", "s"}, {x, y, s});
  try {
    pc(collinear);
    FAIL("no throw");
  } catch (const CausalError& e) {
    CHECK(e.code() == "singular");
    CHECK(e.message() == "collinear columns: x, y, s (the correlation matrix is singular)");
  }
}

TEST_CASE("rows with missing values are dropped", "[causal][stats]") {
  Table t = synth::chain(500);
  t.data[1][3] = std::numeric_limits<double>::quiet_NaN();
  FisherZ fz(t);
  CHECK(fz.samples() == 499);
}
