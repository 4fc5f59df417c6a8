// Pairwise Granger causality: F-test of lagged OLS models (with and without the cause's
// lags), as statsmodels' grangercausalitytests "ssr_ftest".
#include <fmt/format.h>

#include <cmath>

#include "internal.h"
#include "omen/causal.h"

namespace omen::causal {

namespace {

// Residual sum of squares of the OLS fit of y on x (x has an intercept column).
double rss(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  Eigen::VectorXd beta = x.colPivHouseholderQr().solve(y);
  return (y - x * beta).squaredNorm();
}

}  // namespace

std::vector<GrangerResult> granger(const Table& data, int lags) {
  if (lags < 1) internal::fail("data", "Granger tests need lags >= 1");
  size_t p = data.cols(), T = data.rows();
  long N = long(T) - lags;
  long dof = N - 2 * lags - 1;
  if (dof < 1)
    internal::fail("data",
                   fmt::format("{} rows are too few for Granger tests with {} lags", T, lags));
  for (size_t v = 0; v < p; ++v)
    for (double x : data.data[v])
      if (std::isnan(x))
        internal::fail(
            "data",
            fmt::format("column '{}' has missing values: Granger tests need complete series",
                        data.columns[v]));
  std::vector<GrangerResult> out;
  for (size_t e = 0; e < p; ++e) {
    Eigen::VectorXd y(N);
    Eigen::MatrixXd xr(N, lags + 1);
    for (long t = 0; t < N; ++t) {
      long row = t + lags;
      y(t) = data.data[e][size_t(row)];
      xr(t, 0) = 1;
      for (int l = 1; l <= lags; ++l) xr(t, l) = data.data[e][size_t(row - l)];
    }
    double rss_r = rss(xr, y);
    for (size_t c = 0; c < p; ++c) {
      if (c == e) continue;
      Eigen::MatrixXd xu(N, 2 * lags + 1);
      xu.leftCols(lags + 1) = xr;
      for (long t = 0; t < N; ++t)
        for (int l = 1; l <= lags; ++l) xu(t, lags + l) = data.data[c][size_t(t + lags - l)];
      double rss_u = rss(xu, y);
      GrangerResult g;
      g.cause = c;
      g.effect = e;
      g.lags = lags;
      if (rss_u <= 0) {
        g.f = std::numeric_limits<double>::infinity();
        g.p = 0;
      } else {
        g.f = ((rss_r - rss_u) / lags) / (rss_u / double(dof));
        g.p = internal::f_sf(g.f, lags, double(dof));
      }
      out.push_back(g);
    }
  }
  return out;
}

Graph granger_graph(const Table& data, int lags, double alpha) {
  Graph g("granger");
  for (const auto& c : data.columns) g.add_node(c);
  for (const GrangerResult& r : granger(data, lags)) {
    if (!(r.p < alpha)) continue;
    Edge e;
    e.from = r.cause;
    e.to = r.effect;
    e.provenance = Provenance::Discovered;
    e.strength = r.f;
    e.lag = lags;
    // Granger edges can point both ways; keep both (add_edge only merges the same direction).
    g.add_edge(e);
  }
  return g;
}

}  // namespace omen::causal
