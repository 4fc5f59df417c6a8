// Straightforward reference semantics of the window kernels, recomputed from scratch
// from the full list of ticks pushed so far. Deliberately naive and independent of the
// kernels' code: long double accumulation, full sorts, linear scans.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/kernels/window.h"

namespace omen::kernels::testing {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// The aggregate kernels count .. lag, which this reference covers; the detector kernels
/// after them have their own references (detector_reference.h).
inline constexpr size_t kNumClassicKinds = static_cast<size_t>(WindowKind::Lag) + 1;
inline constexpr double kInf = std::numeric_limits<double>::infinity();

struct Tick {
  int64_t t;
  double v;
};

/// numpy.median's mean of the two middle values.
inline double ref_mid(double a, double b) {
  double s = a + b;
  if (std::isinf(s) && std::isfinite(a) && std::isfinite(b)) return a / 2 + b / 2;
  return s / 2;
}

/// numpy.quantile(sorted, q, method='linear') with numpy's _lerp.
inline double ref_quantile_sorted(const std::vector<double>& x, double q) {
  if (x.empty()) return kNaN;
  const size_t n = x.size();
  double h = static_cast<double>(n - 1) * q;
  size_t lo = static_cast<size_t>(std::floor(h));
  if (lo >= n - 1) return x[n - 1];
  double a = x[lo], b = x[lo + 1], g = h - std::floor(h);
  if (g == 0.0 || a == b) return a;
  double d = b - a;
  return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

inline double ref_median_sorted(const std::vector<double>& x) {
  const size_t n = x.size();
  if (n == 0) return kNaN;
  return n % 2 ? x[n / 2] : ref_mid(x[n / 2 - 1], x[n / 2]);
}

/// Everything the kernels should return at the time of the last tick.
struct Expected {
  double count, sum, mean, min, max, stddev, median, mad, ewma, delta, rate, lag;
  std::vector<double> sorted;  // the window's values, for quantiles
  double abs_sum;              // sum of |x| over the window (scale for tolerances)
  double rate_scale;           // abs_sum / seconds (scale for rate's tolerance)
};

/// The reference: all ticks so far, in time order.
class Reference {
 public:
  explicit Reference(int64_t width) : width_(width) {}

  void push(int64_t t, double v) { ticks_.push_back({t, v}); }

  Expected expected() const {
    Expected e{};
    const int64_t now = ticks_.back().t;
    std::vector<Tick> win;  // non-NaN ticks with t in (now - width, now]
    for (const Tick& k : ticks_)
      if (k.t > now - width_ && k.t <= now && !std::isnan(k.v)) win.push_back(k);
    const size_t n = win.size();
    e.count = static_cast<double>(n);

    long double sum = 0, abs_sum = 0;
    for (const Tick& k : win) {
      sum += k.v;
      abs_sum += std::fabs(k.v);
    }
    e.sum = static_cast<double>(sum);
    e.abs_sum = static_cast<double>(abs_sum);
    e.mean = n ? static_cast<double>(sum / static_cast<long double>(n)) : kNaN;

    e.min = e.max = kNaN;
    for (const Tick& k : win) {
      if (std::isnan(e.min) || k.v < e.min) e.min = k.v;
      if (std::isnan(e.max) || k.v > e.max) e.max = k.v;
    }

    // Two passes on differences from the first value, which are exact in long double
    // for values of similar magnitude: a plain long double mean of values near 1e12
    // would be off by ~1e-7, a visible error against a spread of 1e-3.
    e.stddev = kNaN;
    if (n && std::isfinite(e.sum)) {
      const long double x0 = win[0].v;
      long double d_sum = 0, ss = 0;
      for (const Tick& k : win) d_sum += k.v - x0;
      const long double d_mean = d_sum / static_cast<long double>(n);
      for (const Tick& k : win) ss += (k.v - x0 - d_mean) * (k.v - x0 - d_mean);
      e.stddev = static_cast<double>(std::sqrt(ss / static_cast<long double>(n)));
    }

    for (const Tick& k : win) e.sorted.push_back(k.v);
    std::sort(e.sorted.begin(), e.sorted.end());
    e.median = ref_median_sorted(e.sorted);
    e.mad = kNaN;
    if (n && std::isfinite(e.median)) {
      std::vector<double> dev;
      for (double x : e.sorted) dev.push_back(std::fabs(x - e.median));
      std::sort(dev.begin(), dev.end());
      e.mad = ref_median_sorted(dev);
    }

    // ewma: the documented recurrence over every tick so far.
    e.ewma = kNaN;
    int64_t last = 0;
    for (const Tick& k : ticks_) {
      if (std::isnan(k.v)) continue;
      if (std::isnan(e.ewma)) {
        e.ewma = k.v;
      } else {
        double alpha =
            1.0 - std::exp(-static_cast<double>(k.t - last) / static_cast<double>(width_));
        e.ewma += alpha * (k.v - e.ewma);
      }
      last = k.t;
    }

    e.delta = n >= 2 ? win.back().v - win.front().v : kNaN;

    e.rate = kNaN;
    e.rate_scale = 0;
    if (n >= 2) {
      long double inc = 0;
      for (size_t i = 1; i < n; ++i) {
        long double prev = win[i - 1].v, cur = win[i].v;
        inc += cur >= prev ? cur - prev : cur;
      }
      long double secs = static_cast<long double>(win.back().t - win.front().t) / 1000;
      e.rate = static_cast<double>(inc / secs);
      e.rate_scale = static_cast<double>(abs_sum / secs);
    }

    e.lag = kNaN;  // latest tick, NaN ones included, at or before now - width
    for (const Tick& k : ticks_)
      if (k.t <= now - width_) e.lag = k.v;
    return e;
  }

 private:
  int64_t width_;
  std::vector<Tick> ticks_;
};

/// Bitwise-equal up to NaN (and -0.0 == 0.0).
inline bool same(double got, double want) {
  return (std::isnan(got) && std::isnan(want)) || got == want;
}

/// |got - want| <= rel * |want| + abs; NaNs and infinities must match exactly.
inline bool close(double got, double want, double rel, double abs = 0.0) {
  if (std::isnan(want) || std::isinf(want) || std::isnan(got) || std::isinf(got))
    return same(got, want);
  return std::fabs(got - want) <= rel * std::fabs(want) + abs;
}

}  // namespace omen::kernels::testing
