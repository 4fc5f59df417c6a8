// Hand-written C++ implementations of the benchmarked rules, with the engine's semantics
// for regularly spaced data: a window of `60m` over 1-minute samples is the last 60
// samples (including the current one); stddev is the population one; `for 5m` fires at
// the sample where the condition has held since 5 minutes (6 consecutive true samples);
// `keep` is 0. This is the code a competent engineer would write for exactly these rules:
// flat per-series state, O(1) moments, a sorted 60-slot array for median / MAD.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "bench/core/common.h"

namespace bench::hand {

constexpr int kW = 60;  // window length in samples

/// The alert lifecycle of one (rule, series): inactive -> pending -> firing.
struct Lifecycle {
  uint8_t state = 0;  // 0 inactive, 1 pending, 2 firing
  int64_t since = 0;
  inline void step(bool cond, int64_t t, int64_t for_ms, Events& ev) {
    switch (state) {
      case 0:
        if (!cond) break;
        since = t;
        if (for_ms == 0) {
          state = 2;
          ++ev.firing;
        } else {
          state = 1;
          ++ev.pending;
        }
        break;
      case 1:
        if (!cond) {
          state = 0;
          ++ev.cleared;
        } else if (t - since >= for_ms) {
          state = 2;
          ++ev.firing;
        }
        break;
      default:
        if (!cond) {
          state = 0;
          ++ev.resolved;
        }
    }
  }
};

/// Rolling mean and population stddev of the last kW values; the sums are rebuilt from the
/// buffer once per wrap, so rounding errors cannot accumulate.
struct ZScore {
  double buf[kW];
  int head = 0, n = 0;
  double s1 = 0, s2 = 0;
  /// The rule's condition abs((x - mean) / (stddev + 1e-9)) > 3 after pushing x.
  inline bool push(double x) {
    if (n == kW) {
      double old = buf[head];
      s1 -= old;
      s2 -= old * old;
    } else {
      ++n;
    }
    buf[head] = x;
    s1 += x;
    s2 += x * x;
    if (++head == kW) {
      head = 0;
      double a = 0, b = 0;
      for (int i = 0; i < kW; ++i) {
        a += buf[i];
        b += buf[i] * buf[i];
      }
      s1 = a;
      s2 = b;
    }
    double inv = 1.0 / n;
    double mean = s1 * inv;
    double var = std::max(s2 * inv - mean * mean, 0.0);
    return std::fabs((x - mean) / (std::sqrt(var) + 1e-9)) > 3.0;
  }
};

/// Rolling median and MAD of the last kW values over a sorted array: the expiring value is
/// found by binary search and the new one slides into place from there (one shift over the
/// values between them); the MAD by a binary search for the middle of the merge of the two
/// sorted deviation sequences on either side of the median (O(log w)).
struct RobustZ {
  double ring[kW];
  double sorted[kW];
  int head = 0, n = 0;
  /// The rule's condition (x - median) / (1.4826 * mad + 1e-9) > 4 after pushing x.
  inline bool push(double x) {
    int q;
    if (n == kW) {
      q = static_cast<int>(std::lower_bound(sorted, sorted + n, ring[head]) - sorted);
      if (x >= ring[head]) {
        for (; q + 1 < n && sorted[q + 1] < x; ++q) sorted[q] = sorted[q + 1];
      } else {
        for (; q > 0 && sorted[q - 1] > x; --q) sorted[q] = sorted[q - 1];
      }
    } else {
      for (q = n++; q > 0 && sorted[q - 1] > x; --q) sorted[q] = sorted[q - 1];
    }
    sorted[q] = x;
    ring[head] = x;
    if (++head == kW) head = 0;
    const int m = n / 2;
    const double med = (n & 1) ? sorted[m] : sorted[m - 1] * 0.5 + sorted[m] * 0.5;
    // Deviations, both ascending: L[t] = med - sorted[m-1-t] (m of them) and
    // R[t] = sorted[m+t] - med (n-m). Take the c = k1+1 smallest as i from L and c-i from R.
    constexpr double inf = std::numeric_limits<double>::infinity();
    auto L = [&](int t) { return t < 0 ? -inf : t >= m ? inf : med - sorted[m - 1 - t]; };
    auto R = [&](int t) { return t < 0 ? -inf : t >= n - m ? inf : sorted[m + t] - med; };
    const int k1 = (n - 1) / 2, c = k1 + 1;
    int lo = std::max(0, c - (n - m)), hi = std::min(c, m), i = lo;
    while (lo <= hi) {
      i = (lo + hi) / 2;
      int j = c - i;
      if (i < hi && R(j - 1) > L(i))
        lo = i + 1;
      else if (i > lo && L(i - 1) > R(j))
        hi = i - 1;
      else
        break;
    }
    const int j = c - i;
    double d1 = std::max(L(i - 1), R(j - 1));                           // k1-th smallest deviation
    double mad = (n & 1) ? d1 : d1 * 0.5 + std::min(L(i), R(j)) * 0.5;  // and the next one
    return (x - med) / (1.4826 * mad + 1e-9) > 4.0;
  }
};

}  // namespace bench::hand
