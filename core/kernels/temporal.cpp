// ewma, delta, rate, lag: O(1) amortised per sample.
#include "core/kernels/temporal.h"

#include <cmath>
#include <limits>

#include "core/kernels/push_fns.h"

namespace omen::kernels::detail {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Rate: the correction a drop from `prev` to `cur` adds to back - front (the counter
// restarted from 0, so the pair's increase is cur rather than cur - prev).
inline double reset_correction(double prev, double cur) {
  return cur < prev ? prev : 0.0;
}

[[gnu::noinline]] void rate_rebuild(SeriesState& s) {
  s.resets.reset();
  for (size_t i = 1; i < s.ring.size(); ++i) {
    double c = reset_correction(s.ring[i - 1].v, s.ring[i].v);
    if (c != 0.0) s.resets.add(c);
  }
}

// Advances the window to t and adds v. With `rate`, also maintains the reset sum.
template <bool kRate>
void series_push(SeriesState& s, int64_t t, double v) {
  const int64_t cut = window_cutoff(t, s.width);
  while (!s.ring.empty() && s.ring.front().t <= cut) {
    double gone = s.ring.front().v;
    s.ring.pop_front();
    if constexpr (kRate) {
      if (!s.ring.empty()) {  // the pair (gone, new front) leaves the window
        double c = reset_correction(gone, s.ring.front().v);
        if (c != 0.0) {
          s.resets.remove(c);
          if (--s.n_resets == 0) s.resets.reset();  // exactly 0: no drift to carry
        }
      }
    }
  }
  if (std::isnan(v)) return;
  if constexpr (kRate) {
    if (!s.ring.empty()) {
      double c = reset_correction(s.ring.back().v, v);
      if (c != 0.0) {
        s.resets.add(c);
        ++s.n_resets;
      }
    }
  }
  s.ring.push_back({t, v});
}

}  // namespace
}  // namespace omen::kernels::detail

using namespace omen::kernels::detail;  // the C entry points below only

extern "C" double omen_win_ewma(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<EwmaState*>(state);
  if (std::isnan(v)) return s.seen ? s.s : kNaN;
  if (!s.seen) {
    s.s = v;
    s.seen = true;
  } else {
    const double dt = static_cast<double>(t_ms - s.last_t);
    const double alpha = 1.0 - std::exp(-dt / s.width);
    s.s += alpha * (v - s.s);
  }
  s.last_t = t_ms;
  return s.s;
}

extern "C" double omen_win_delta(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<SeriesState*>(state);
  series_push<false>(s, t_ms, v);
  return s.ring.size() < 2 ? kNaN : s.ring.back().v - s.ring.front().v;
}

extern "C" double omen_win_rate(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<SeriesState*>(state);
  series_push<true>(s, t_ms, v);
  if (s.ring.size() < 2) return kNaN;
  double increase = s.ring.back().v - s.ring.front().v;
  if (s.n_resets != 0) [[unlikely]] {
    if (s.resets.stale(s.ring.size())) [[unlikely]]
      rate_rebuild(s);
    increase += s.resets.value();
  }
  const double seconds = static_cast<double>(s.ring.back().t - s.ring.front().t) / 1000.0;
  return increase / seconds;
}

extern "C" double omen_win_lag(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<LagState*>(state);
  s.ring.push_back({t_ms, v});  // stays: width > 0 and t is the newest time
  const int64_t cut = window_cutoff(t_ms, s.width);
  while (s.ring.front().t <= cut) {
    s.lagged = s.ring.front().v;
    s.ring.pop_front();
  }
  return s.lagged;
}
