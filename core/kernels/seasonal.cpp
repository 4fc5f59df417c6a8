// seasonal_base: the median of the seasonal peers of the current tick t, peer j (j = 1..k)
// being the latest sample in (t - (j + 1) P, t - j P], P the period. Each peer has a
// cursor that only moves forward, so finding them is O(k) amortized; the median of the
// (at most k) peers is a sort of k values.
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/kernels/detectors.h"
#include "core/kernels/order.h"
#include "core/kernels/push_fns.h"

namespace omen::kernels::detail {

SeasonalState::SeasonalState(const WindowSpec& spec)
    : period(sane_width(spec)), k(static_cast<int>(spec_param(spec, 0))) {
  cursor.assign(static_cast<size_t>(k), 0);
  peers.reserve(static_cast<size_t>(k));
}

namespace {
// t - n * period, saturating.
int64_t back(int64_t t, int64_t period, int64_t n) {
  int64_t span;
  if (__builtin_mul_overflow(period, n, &span)) return INT64_MIN;
  return window_cutoff(t, span);
}
}  // namespace
}  // namespace omen::kernels::detail

using namespace omen::kernels::detail;  // the C entry points below only

extern "C" double omen_win_seasonal_base(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<SeasonalState*>(state);
  const int64_t keep_after = back(t_ms, s.period, s.k + 1);  // older samples are no peer
  while (!s.ring.empty() && s.ring.front().t <= keep_after) {
    s.ring.pop_front();
    ++s.popped;
  }
  if (!std::isnan(v)) s.ring.push_back({t_ms, v});
  const uint64_t end = s.popped + s.ring.size();
  s.peers.clear();
  for (int j = 1; j <= s.k; ++j) {
    const int64_t at = back(t_ms, s.period, j);         // peer j: latest sample <= at ...
    const int64_t after = back(t_ms, s.period, j + 1);  // ... and > after
    uint64_t& c = s.cursor[static_cast<size_t>(j - 1)];
    c = std::max(c, s.popped);
    while (c < end && s.ring[c - s.popped].t <= at) ++c;
    if (c > s.popped) {
      const Sample& p = s.ring[c - 1 - s.popped];
      if (p.t > after) s.peers.push_back(p.v);
    }
  }
  const size_t n = s.peers.size();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  std::sort(s.peers.begin(), s.peers.end(), [](double a, double b) { return a < b; });
  return n % 2 ? s.peers[n / 2] : midpoint(s.peers[n / 2 - 1], s.peers[n / 2]);
}
