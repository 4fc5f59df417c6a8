// min, max: monotonic deque, O(1) amortised per sample.
#include "core/kernels/extrema.h"

#include <cmath>
#include <limits>

#include "core/kernels/push_fns.h"

namespace omen::kernels::detail {
namespace {

// A new sample evicts the older ones it dominates (for max: those <= it); on ties the
// newer one is kept because it expires later.
template <bool kMax>
double extremum_push(ExtremumState& s, int64_t t, double v) {
  const int64_t cut = window_cutoff(t, s.width);
  while (!s.deque.empty() && s.deque.front().t <= cut) s.deque.pop_front();
  if (!std::isnan(v)) {
    if constexpr (kMax) {
      while (!s.deque.empty() && s.deque.back().v <= v) s.deque.pop_back();
    } else {
      while (!s.deque.empty() && s.deque.back().v >= v) s.deque.pop_back();
    }
    s.deque.push_back({t, v});
  }
  return s.deque.empty() ? std::numeric_limits<double>::quiet_NaN() : s.deque.front().v;
}

}  // namespace
}  // namespace omen::kernels::detail

using namespace omen::kernels::detail;  // the C entry points below only

extern "C" double omen_win_min(void* state, int64_t t_ms, double v) {
  return extremum_push<false>(*static_cast<ExtremumState*>(state), t_ms, v);
}

extern "C" double omen_win_max(void* state, int64_t t_ms, double v) {
  return extremum_push<true>(*static_cast<ExtremumState*>(state), t_ms, v);
}
