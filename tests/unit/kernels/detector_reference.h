// Straightforward reference semantics of the detector kernels (docs/stdlib.md), recomputed
// from the raw list of ticks: long double two-pass moments, full sorts, linear scans,
// closed-form posteriors, Boost's Student-t quantiles. Independent of the kernels' code.
//
// Recursive detectors (cusum, bocpd, cooldown, gauss_score) are replayed from the first
// tick, but every quantity a step uses (window moments, run statistics) is recomputed from
// the raw ticks rather than updated.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include <boost/math/distributions/students_t.hpp>

#include "reference.h"

namespace omen::kernels::testing {

/// Finite-or-inf (non-NaN) values of the ticks with time in (lo, hi] (or (lo, hi) when
/// `open_hi`), in time order.
inline std::vector<double> values_in(const std::vector<Tick>& ticks, int64_t lo, int64_t hi,
                                     bool open_hi = false) {
  std::vector<double> out;
  for (const Tick& k : ticks)
    if (k.t > lo && (open_hi ? k.t < hi : k.t <= hi) && !std::isnan(k.v)) out.push_back(k.v);
  return out;
}

struct Moments {
  size_t n = 0;
  long double mean = NAN, var = NAN;  // population variance
};

inline Moments moments(const std::vector<double>& x) {
  Moments m;
  m.n = x.size();
  if (x.empty()) return m;
  long double s = 0;
  for (double v : x) s += v;
  m.mean = s / static_cast<long double>(x.size());
  long double ss = 0;
  for (double v : x) ss += (v - m.mean) * (v - m.mean);
  m.var = ss / static_cast<long double>(x.size());
  return m;
}

// --- fit_quantile ----------------------------------------------------------------------

inline double ref_fit_quantile(const std::vector<Tick>& ticks, int64_t span, double q) {
  const int64_t t0 = ticks.front().t, now = ticks.back().t;
  if (now - t0 < span) return kNaN;
  std::vector<double> train;
  for (const Tick& k : ticks)
    if (k.t - t0 < span && !std::isnan(k.v)) train.push_back(k.v);
  std::sort(train.begin(), train.end());
  return ref_quantile_sorted(train, q);
}

// --- esd -------------------------------------------------------------------------------

inline double ref_esd_lambda(double alpha, size_t m) {
  static thread_local std::map<std::pair<double, size_t>, double> memo;
  if (auto it = memo.find({alpha, m}); it != memo.end()) return it->second;
  const double nu = static_cast<double>(m) - 2;
  boost::math::students_t dist(nu);
  const double t = boost::math::quantile(boost::math::complement(dist, alpha / (2.0 * m)));
  return memo[{alpha, m}] = (m - 1) * t / std::sqrt((nu + t * t) * m);
}

struct EsdResult {
  double flag = 0;
  double margin = kInf;  // smallest relative gap of a decision (R vs lambda, or the two ends)
};

inline EsdResult ref_esd(const std::vector<Tick>& ticks, int64_t width, double alpha, int r) {
  EsdResult res;
  const Tick& last = ticks.back();
  if (std::isnan(last.v)) return res;
  if (std::isinf(last.v)) {
    res.flag = 1;
    return res;
  }
  std::vector<double> x;
  for (double v : values_in(ticks, last.t - width, last.t))
    if (std::isfinite(v)) x.push_back(v);
  const size_t n = x.size();
  if (n < 3) return res;
  std::sort(x.begin(), x.end());
  const size_t steps = std::min(static_cast<size_t>(r), n - 2);
  size_t lo = 0, hi = n - 1, significant = 0, newest = 0;
  for (size_t i = 1; i <= steps; ++i) {
    const size_t m = hi - lo + 1;
    long double s = 0;
    for (size_t k = lo; k <= hi; ++k) s += x[k];
    const long double mean = s / m;
    long double ss = 0;
    for (size_t k = lo; k <= hi; ++k) ss += (x[k] - mean) * (x[k] - mean);
    if (ss == 0) break;
    const long double sd = std::sqrt(ss / (m - 1));
    const long double da = mean - x[lo], db = x[hi] - mean;
    res.margin = std::min<double>(res.margin, std::fabs(static_cast<double>((da - db) / sd)));
    double removed;
    long double dev;
    if (db >= da) {
      removed = x[hi--];
      dev = db;
    } else {
      removed = x[lo++];
      dev = da;
    }
    const double lambda = ref_esd_lambda(alpha, m);
    const double ratio = static_cast<double>(dev / sd);
    res.margin = std::min(res.margin, std::fabs(ratio / lambda - 1));
    if (ratio > lambda) significant = i;
    if (newest == 0 && removed == last.v) newest = i;
  }
  res.flag = newest != 0 && newest <= significant ? 1 : 0;
  return res;
}

// --- seasonal_base -----------------------------------------------------------------------

inline double ref_seasonal(const std::vector<Tick>& ticks, int64_t period, int k) {
  const int64_t now = ticks.back().t;
  std::vector<double> peers;
  for (int j = 1; j <= k; ++j) {
    auto v = values_in(ticks, now - (j + 1) * period, now - j * period);
    if (!v.empty()) peers.push_back(v.back());
  }
  std::sort(peers.begin(), peers.end());
  return ref_median_sorted(peers);
}

// --- ar_residual ---------------------------------------------------------------------

struct ArResult {
  double residual = kNaN;
  double scale = 0;  // magnitude of the data involved, for the tolerance
};

inline ArResult ref_ar(const std::vector<Tick>& ticks, int64_t width, int p) {
  ArResult res;
  const Tick& last = ticks.back();
  if (std::isnan(last.v)) return res;
  const auto y = values_in(ticks, last.t - width, last.t, /*open_hi=*/true);
  const size_t m = y.size(), up = static_cast<size_t>(p);
  if (m < up || m - up < up + 2) return res;
  const size_t rows = m - up, q = up + 1;
  // Column a of row i (i = p..m-1): y[i - a].
  std::vector<long double> mean(q, 0), c(q * q, 0);
  for (size_t a = 0; a < q; ++a) {
    for (size_t i = up; i < m; ++i) mean[a] += y[i - a];
    mean[a] /= rows;
  }
  for (size_t a = 0; a < q; ++a)
    for (size_t b = 0; b < q; ++b)
      for (size_t i = up; i < m; ++i) c[a * q + b] += (y[i - a] - mean[a]) * (y[i - b] - mean[b]);
  long double trace = 0;
  for (size_t a = 1; a < q; ++a) trace += c[a * q + a];
  std::vector<long double> beta(up, 0);
  if (trace > 0) {
    const long double delta = 1e-10L * trace / p;
    // Gaussian elimination with partial pivoting on [A | rhs].
    std::vector<long double> A(up * (up + 1));
    for (size_t i = 0; i < up; ++i) {
      for (size_t j = 0; j < up; ++j)
        A[i * (up + 1) + j] = c[(i + 1) * q + (j + 1)] + (i == j ? delta : 0);
      A[i * (up + 1) + up] = c[0 * q + (i + 1)];
    }
    for (size_t col = 0; col < up; ++col) {
      size_t piv = col;
      for (size_t i = col + 1; i < up; ++i)
        if (std::fabs(A[i * (up + 1) + col]) > std::fabs(A[piv * (up + 1) + col])) piv = i;
      for (size_t j = 0; j <= up; ++j) std::swap(A[col * (up + 1) + j], A[piv * (up + 1) + j]);
      for (size_t i = col + 1; i < up; ++i) {
        const long double f = A[i * (up + 1) + col] / A[col * (up + 1) + col];
        for (size_t j = col; j <= up; ++j) A[i * (up + 1) + j] -= f * A[col * (up + 1) + j];
      }
    }
    for (size_t i = up; i-- > 0;) {
      long double s = A[i * (up + 1) + up];
      for (size_t j = i + 1; j < up; ++j) s -= A[i * (up + 1) + j] * beta[j];
      beta[i] = s / A[i * (up + 1) + i];
    }
  }
  long double pred = mean[0];
  for (size_t j = 1; j <= up; ++j) pred += beta[j - 1] * (y[m - j] - mean[j]);
  res.residual = static_cast<double>(last.v - pred);
  long double mx = std::fabs(static_cast<long double>(last.v));
  for (double v : y) mx = std::max(mx, std::fabs(static_cast<long double>(v) - mean[0]));
  res.scale = static_cast<double>(mx);
  return res;
}

// --- cusum -------------------------------------------------------------------------------

/// Replays cusum over the ticks; out[i] is the result at tick i. `margin` is the smallest
/// relative distance of a one-sided sum to the threshold (a reset decision).
inline std::vector<double> ref_cusum(const std::vector<Tick>& ticks, int64_t width, double drift,
                                     double threshold, double* margin) {
  std::vector<double> out;
  long double pos = 0, neg = 0;
  *margin = kInf;
  for (size_t i = 0; i < ticks.size(); ++i) {
    const Tick& k = ticks[i];
    std::vector<Tick> hist(ticks.begin(), ticks.begin() + static_cast<ptrdiff_t>(i));
    Moments m = moments(values_in(hist, k.t - width, k.t, true));
    if (std::isnan(k.v) || m.n < 2) {
      out.push_back(kNaN);
      continue;
    }
    const long double d = k.v - m.mean;
    const long double scale = std::max<long double>(std::sqrt(m.var), 1e-12L * std::fabs(m.mean));
    long double z = d == 0 ? 0 : d / scale;
    if (std::isnan(z)) {
      out.push_back(kNaN);
      continue;
    }
    pos = std::max<long double>(0, pos + z - drift);
    neg = std::max<long double>(0, neg - z - drift);
    out.push_back(static_cast<double>(pos >= neg ? pos : -neg));
    for (long double s : {pos, neg})
      if (std::isfinite(s))
        *margin = std::min(*margin, std::fabs(static_cast<double>(s / threshold - 1)));
    if (pos > threshold || neg > threshold) pos = neg = 0;
  }
  return out;
}

// --- bocpd -------------------------------------------------------------------------------

/// Replays BOCPD; out[i] = MAP run length at tick i (NaN when inactive). margin[i]: the
/// relative gap between the best and second-best run-length probabilities at tick i (the
/// posterior itself does not depend on which one wins).
inline std::vector<double> ref_bocpd(const std::vector<Tick>& ticks, int64_t width, double lambda,
                                     int max_run, std::vector<double>* margin) {
  struct Obs {
    double v;
    long double mu0, beta0;  // the prior of a run starting at this observation
  };
  std::vector<Obs> active;        // observations of the active ticks so far
  std::vector<long double> prob;  // run-length posterior
  std::vector<double> out;
  margin->assign(ticks.size(), kInf);
  const long double h = 1.0L / lambda;
  for (size_t i = 0; i < ticks.size(); ++i) {
    const Tick& k = ticks[i];
    std::vector<Tick> hist(ticks.begin(), ticks.begin() + static_cast<ptrdiff_t>(i));
    Moments m = moments(values_in(hist, k.t - width, k.t, true));
    if (std::isnan(k.v) || m.n < 2 || !std::isfinite(k.v) || !std::isfinite(m.mean) ||
        !std::isfinite(m.var)) {
      out.push_back(kNaN);
      continue;
    }
    const long double mu0 = static_cast<double>(m.mean);
    const long double beta0 = std::max<long double>(static_cast<double>(m.var),
                                                    1e-12L * std::max<long double>(1, mu0 * mu0));
    if (prob.empty()) prob = {1};
    // Predictive of run length r: the r most recent active observations, from the prior of
    // the first of them (r = 0: the prior now).
    const size_t len = prob.size();
    std::vector<long double> lp(len);
    for (size_t r = 0; r < len; ++r) {
      long double p_mu0 = mu0, p_beta0 = beta0;
      long double xbar = 0, ss = 0;
      if (r > 0) {
        const size_t first = active.size() - r;
        p_mu0 = active[first].mu0;
        p_beta0 = active[first].beta0;
        for (size_t j = first; j < active.size(); ++j) xbar += active[j].v;
        xbar /= r;
        for (size_t j = first; j < active.size(); ++j)
          ss += (active[j].v - xbar) * (active[j].v - xbar);
      }
      const long double n = r;
      const long double kappa = 1 + n, alpha = 1 + n / 2;
      const long double mu = r ? (p_mu0 + n * xbar) / (1 + n) : p_mu0;
      const long double beta =
          p_beta0 + ss / 2 + (r ? n * (xbar - p_mu0) * (xbar - p_mu0) / (2 * (1 + n)) : 0);
      const long double nu = 2 * alpha, scale2 = beta * (kappa + 1) / (alpha * kappa);
      const long double d = k.v - mu;
      lp[r] = std::lgamma((nu + 1) / 2) - std::lgamma(nu / 2) -
              0.5L * std::log(nu * M_PI * scale2) -
              (nu + 1) / 2 * std::log1p(d * d / (nu * scale2));
    }
    const long double mx = *std::max_element(lp.begin(), lp.end());
    std::vector<long double> next(std::min(len + 1, static_cast<size_t>(max_run) + 1), 0);
    for (size_t r = 0; r < len; ++r) {
      const long double w = prob[r] * std::exp(lp[r] - mx);
      next[0] += w * h;
      next[std::min(r + 1, next.size() - 1)] += w * (1 - h);  // runs > max_run merge into it
    }
    long double total = 0;
    for (long double p : next) total += p;
    if (!(total > 0)) {
      std::fill(next.begin(), next.end(), 0);
      next[0] = total = 1;
    }
    for (long double& p : next) p /= total;
    prob = next;
    active.push_back({k.v, mu0, beta0});
    size_t best = 0;
    for (size_t r = 1; r < prob.size(); ++r)
      if (prob[r] > prob[best]) best = r;
    for (size_t r = 0; r < prob.size(); ++r)
      if (r != best && prob[best] > 0)
        (*margin)[i] =
            std::min((*margin)[i], static_cast<double>((prob[best] - prob[r]) / prob[best]));
    out.push_back(static_cast<double>(best));
  }
  return out;
}

// --- gauss_score (NAB's windowed Gaussian) ----------------------------------------------

inline std::vector<double> ref_gauss(const std::vector<Tick>& ticks, size_t size, size_t step) {
  std::vector<double> out, window, buffer;
  long double mean = 0, sd = 1;
  auto refit = [&] {
    Moments m = moments(window);
    mean = m.mean;
    sd = std::sqrt(m.var);
    if (sd == 0) sd = 0.000001L;
  };
  for (const Tick& k : ticks) {
    if (std::isnan(k.v)) {
      out.push_back(kNaN);
      continue;
    }
    double score = 0;
    if (!window.empty()) {
      const long double z = std::fabs(k.v - mean) / sd;
      score = static_cast<double>(1 - 0.5L * std::erfc(z / std::sqrt(2.0L)));
    }
    out.push_back(score);
    if (window.size() < size) {
      window.push_back(k.v);
      refit();
    } else {
      buffer.push_back(k.v);
      if (buffer.size() == step) {
        window.erase(window.begin(),
                     window.begin() + static_cast<ptrdiff_t>(std::min(step, window.size())));
        window.insert(window.end(), buffer.begin(), buffer.end());
        buffer.clear();
        refit();
      }
    }
  }
  return out;
}

// --- cooldown --------------------------------------------------------------------------

inline std::vector<double> ref_cooldown(const std::vector<Tick>& ticks, int64_t width) {
  std::vector<double> out;
  std::vector<int64_t> emitted;
  for (const Tick& k : ticks) {
    bool fire = !std::isnan(k.v) && k.v != 0;
    for (int64_t e : emitted)
      if (k.t - e < width) fire = false;
    if (fire) emitted.push_back(k.t);
    out.push_back(fire ? 1 : 0);
  }
  return out;
}

// --- random series -----------------------------------------------------------------------

enum class Shape { Normal, SmallInts, Offset, Outliers, Shifts, Constant, Seasonal, Ramp, Spikes };
enum class Timing { Grid, Jitter, Gaps };

inline const char* shape_name(Shape s) {
  static const char* n[] = {"normal",   "small-ints", "offset", "outliers", "shifts",
                            "constant", "seasonal",   "ramp",   "spikes"};
  return n[static_cast<int>(s)];
}

/// n ticks with strictly increasing times (~10 ms apart), values of the shape, NaNs.
inline std::vector<Tick> random_series(uint64_t seed, Shape shape, Timing timing, size_t n,
                                       double nan_prob) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<Tick> out;
  int64_t t = 1'700'000'000'000 + static_cast<int64_t>(rng() % 1000);
  double level = 0;
  for (size_t i = 0; i < n; ++i) {
    switch (timing) {
      case Timing::Grid:
        t += 10;
        break;
      case Timing::Jitter:
        t += 5 + static_cast<int64_t>(rng() % 11);
        break;
      case Timing::Gaps:
        t += u(rng) < 0.03 ? 200 + static_cast<int64_t>(rng() % 2000) : 10;
        break;
    }
    double v = 0;
    switch (shape) {
      case Shape::Normal:
        v = g(rng);
        break;
      case Shape::SmallInts:
        v = static_cast<double>(rng() % 5);
        break;
      case Shape::Offset:
        v = 1e9 + g(rng);
        break;
      case Shape::Outliers:
        v = u(rng) < 0.03 ? 50 * g(rng) : g(rng);
        break;
      case Shape::Shifts:
        if (u(rng) < 0.02) level += 8 * g(rng);
        v = level + g(rng);
        break;
      case Shape::Constant:
        v = 0.1;
        break;
      case Shape::Seasonal:
        v = 10 * std::sin(static_cast<double>(t % 1000) / 1000 * 6.283185307179586) + g(rng);
        break;
      case Shape::Ramp:
        v = 0.01 * static_cast<double>(i) + 0.1 * g(rng);
        break;
      case Shape::Spikes:
        v = u(rng) < 0.01 ? 1e15 * (1 + u(rng)) : g(rng);
        break;
    }
    if (u(rng) < nan_prob) v = kNaN;
    out.push_back({t, v});
  }
  return out;
}

inline constexpr Shape kShapes[] = {Shape::Normal,   Shape::SmallInts, Shape::Offset,
                                    Shape::Outliers, Shape::Shifts,    Shape::Constant,
                                    Shape::Seasonal, Shape::Ramp,      Shape::Spikes};
inline constexpr Timing kTimings[] = {Timing::Grid, Timing::Jitter, Timing::Gaps};

}  // namespace omen::kernels::testing
