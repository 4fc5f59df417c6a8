// count, sum, mean, stddev: O(1) amortised per sample.
#include "core/kernels/moments.h"

#include <cmath>
#include <limits>

#include "core/kernels/push_fns.h"

namespace omen::kernels::detail {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// --- sum / mean ---------------------------------------------------------------------

[[gnu::noinline]] void sum_rebuild(SumState& s) {
  s.sum.reset();
  for (size_t i = 0; i < s.ring.size(); ++i)
    if (!std::isinf(s.ring[i].v)) s.sum.add(s.ring[i].v);
}

// Advances the window to t and adds v; returns the sum (0 when empty). Works on a local
// copy of the accumulator: stores into the ring could alias it and force reloads.
double sum_push(SumState& s, int64_t t, double v) {
  const int64_t cut = window_cutoff(t, s.width);
  CompensatedSum sum = s.sum;
  while (!s.ring.empty() && s.ring.front().t <= cut) {
    double x = s.ring.front().v;
    s.ring.pop_front();
    if (std::isinf(x)) [[unlikely]]
      (x > 0 ? s.n_pos_inf : s.n_neg_inf)--;
    else
      sum.remove(x);
  }
  if (!std::isnan(v)) {
    s.ring.push_back({t, v});
    if (std::isinf(v)) [[unlikely]]
      (v > 0 ? s.n_pos_inf : s.n_neg_inf)++;
    else
      sum.add(v);
  }
  if (s.ring.empty()) {
    s.sum.reset();  // an empty window sums to exactly 0, whatever the history
    return 0.0;
  }
  s.sum = sum;
  if (s.sum.stale(s.ring.size())) [[unlikely]]
    sum_rebuild(s);
  if (s.n_pos_inf | s.n_neg_inf) [[unlikely]]
    return s.n_pos_inf == 0 ? -kInf : s.n_neg_inf == 0 ? kInf : kNaN;
  return s.sum.value();
}

// --- mean / stddev ------------------------------------------------------------------

// Recomputes the shifted sums from the buffer, with the shift moved to the sample
// nearest the mean.
[[gnu::noinline]] void moment_rebuild(MomentState& s) {
  CompensatedSum total;
  size_t n = 0;
  double shift = 0.0;
  for (size_t i = 0; i < s.ring.size(); ++i) {
    double v = s.ring[i].v;
    if (!std::isfinite(v)) continue;
    total.add(v);
    if (n++ == 0) shift = v;
  }
  s.s1.reset();
  s.s2.reset();
  if (n == 0) return;
  const double mean = total.value() / static_cast<double>(n);
  for (size_t i = 0; i < s.ring.size(); ++i) {
    double v = s.ring[i].v;
    if (std::isfinite(v) && std::fabs(v - mean) < std::fabs(shift - mean)) shift = v;
  }
  s.shift = shift;
  for (size_t i = 0; i < s.ring.size(); ++i) {
    double v = s.ring[i].v;
    if (!std::isfinite(v)) continue;
    double d = v - shift;
    s.s1.add(d);
    s.s2.add(d * d);
  }
}

size_t moment_finite(const MomentState& s) {
  return s.ring.size() - s.n_pos_inf - s.n_neg_inf;
}

}  // namespace

void moment_push(MomentState& s, int64_t t, double v) {
  const int64_t cut = window_cutoff(t, s.width);
  CompensatedSum s1 = s.s1, s2 = s.s2;  // local copies, as in sum_push
  const double shift = s.shift;
  while (!s.ring.empty() && s.ring.front().t <= cut) {
    double x = s.ring.front().v;
    s.ring.pop_front();
    if (std::isfinite(x)) [[likely]] {
      double d = x - shift;
      s1.remove(d);
      s2.remove(d * d);
    } else {
      (x > 0 ? s.n_pos_inf : s.n_neg_inf)--;
    }
  }
  if (!std::isnan(v)) {
    s.ring.push_back({t, v});
    if (std::isfinite(v)) [[likely]] {
      double d = v - shift;
      s1.add(d);
      s2.add(d * d);
    } else {
      (v > 0 ? s.n_pos_inf : s.n_neg_inf)++;
    }
  }
  s.s1 = s1;
  s.s2 = s2;
  const size_t n = moment_finite(s);
  if (n == 0) {
    s.s1.reset();  // an empty window sums to exactly 0, whatever the history
    s.s2.reset();
    return;
  }
  if (s.s1.stale(n) || s.s2.stale(n)) [[unlikely]] {
    moment_rebuild(s);
    return;
  }
  // The variance s2/n - (s1/n)^2 loses about log2(s2/n / var) bits to cancellation once
  // the mean has drifted away from the shift: re-centre when more than 16 bits are at
  // stake, i.e. when s1^2 / n > s2 (1 - 2^-16). Right after a rebuild the ratio is at
  // most 2 (some sample lies within one stddev of the mean), so this cannot fire twice in
  // a row. (Squares that overflow even after re-centring fail the test: no rebuild.)
  const double a = s.s1.value(), q = s.s2.value();
  if (a * a > q * static_cast<double>(n) * (1.0 - 0x1p-16)) [[unlikely]]
    moment_rebuild(s);
}

double moment_mean(const MomentState& s) {
  if (s.ring.empty()) return kNaN;
  if (s.n_pos_inf | s.n_neg_inf) [[unlikely]]
    return s.n_pos_inf == 0 ? -kInf : s.n_neg_inf == 0 ? kInf : kNaN;
  const double n = static_cast<double>(s.ring.size()), s1 = s.s1.value();
  // A sum that overflows a double gives +-inf, as numpy.mean does.
  const double total = s.shift * n + s1;
  if (std::isinf(total)) [[unlikely]]
    return total;
  return s.shift + s1 / n;
}

double moment_stddev(const MomentState& s) {
  const size_t n = moment_finite(s);
  if (n == 0 || n != s.ring.size()) return kNaN;  // like numpy.std with an infinity
  // Squares that overflow even after re-centring: numpy.std says inf too.
  const double q = s.s2.value();
  if (std::isinf(q)) [[unlikely]]
    return kInf;
  const double dn = static_cast<double>(n);
  const double m1 = s.s1.value() / dn;
  const double var = q / dn - m1 * m1;
  return var > 0.0 ? std::sqrt(var) : 0.0;  // rounding can leave var just below 0
}

}  // namespace omen::kernels::detail

using namespace omen::kernels::detail;  // the C entry points below only

extern "C" double omen_win_count(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<CountState*>(state);
  const int64_t cut = window_cutoff(t_ms, s.width);
  while (!s.times.empty() && s.times.front() <= cut) s.times.pop_front();
  if (!std::isnan(v)) s.times.push_back(t_ms);
  return static_cast<double>(s.times.size());
}

extern "C" double omen_win_sum(void* state, int64_t t_ms, double v) {
  return sum_push(*static_cast<SumState*>(state), t_ms, v);
}

extern "C" double omen_win_mean(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<MomentState*>(state);
  moment_push(s, t_ms, v);
  return moment_mean(s);
}

extern "C" double omen_win_stddev(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<MomentState*>(state);
  moment_push(s, t_ms, v);
  return moment_stddev(s);
}

extern "C" double omen_win_read_mean(void* state, double) {
  return moment_mean(*static_cast<const MomentState*>(state));
}

extern "C" double omen_win_read_stddev(void* state, double) {
  return moment_stddev(*static_cast<const MomentState*>(state));
}
