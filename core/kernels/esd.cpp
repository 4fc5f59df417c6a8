// esd: the generalized ESD test (Rosner 1983) over the window, O(r log w) per sample.
//
// Step i of the test removes the sample farthest from the mean of those left; that sample
// is always the smallest or the largest left, so the samples left after i steps are a
// contiguous range of ranks of the sorted window. Each step reads both ends with two
// O(log n) selects and updates the moments of the rest by subtracting the removed
// sample from compensated sums. When the removed samples dwarf the rest (an outlier more
// than ~1000 sqrt(n) standard deviations out), the moments of the rest are recomputed
// exactly from the sorted range instead, O(w log w) for that sample.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "core/kernels/detectors.h"
#include "core/kernels/push_fns.h"

namespace omen::kernels::detail {
namespace {

// Recomputes the shifted sums from the ring, with the shift moved to the sample nearest
// the mean (as the stddev kernel does).
[[gnu::noinline]] void esd_rebuild(EsdState& s) {
  CompensatedSum total;
  for (size_t i = 0; i < s.ring.size(); ++i) total.add(s.ring[i].v);
  s.s1.reset();
  s.s2.reset();
  if (s.ring.empty()) return;
  const double mean = total.value() / static_cast<double>(s.ring.size());
  double shift = s.ring[0].v;
  for (size_t i = 0; i < s.ring.size(); ++i)
    if (std::fabs(s.ring[i].v - mean) < std::fabs(shift - mean)) shift = s.ring[i].v;
  s.shift = shift;
  for (size_t i = 0; i < s.ring.size(); ++i) {
    const double d = s.ring[i].v - shift;
    s.s1.add(d);
    s.s2.add(d * d);
  }
}

// Exact sums of the sorted values of ranks [lo, hi], as (x - sh) / sc with sh their median
// and sc their largest magnitude (so that no square overflows).
[[gnu::noinline]] void esd_range_sums(const OrderTree& tree, size_t lo, size_t hi, double* sh,
                                      double* sc, CompensatedSum* s1, CompensatedSum* s2) {
  *sc = std::max(std::fabs(tree.select(lo)), std::fabs(tree.select(hi)));
  if (!(*sc > 0.0)) *sc = 1.0;
  *sh = tree.select(lo + (hi - lo) / 2);
  s1->reset();
  s2->reset();
  for (size_t k = lo; k <= hi; ++k) {
    const double d = tree.select(k) / *sc - *sh / *sc;
    s1->add(d);
    s2->add(d * d);
  }
}

}  // namespace

EsdState::EsdState(const WindowSpec& spec)
    : width(sane_width(spec)),
      alpha(spec_param(spec, 0)),
      max_outliers(static_cast<int>(spec_param(spec, 1))) {
  cache.assign(std::bit_ceil(static_cast<size_t>(4 * max_outliers + 60)), Cached{0, 0.0});
}

double EsdState::lambda(size_t m) {
  Cached& c = cache[m & (cache.size() - 1)];
  if (c.m != m) c = Cached{m, esd_lambda(alpha, m)};
  return c.lambda;
}

}  // namespace omen::kernels::detail

using namespace omen::kernels::detail;  // the C entry points below only

extern "C" double omen_win_esd(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<EsdState*>(state);
  const int64_t cut = window_cutoff(t_ms, s.width);
  while (!s.ring.empty() && s.ring.front().t <= cut) {
    const double x = s.ring.front().v;
    s.ring.pop_front();
    s.tree.erase(x);
    const double d = x - s.shift;
    s.s1.remove(d);
    s.s2.remove(d * d);
  }
  if (std::isfinite(v)) {
    s.ring.push_back({t_ms, v});
    s.tree.insert(v);
    const double d = v - s.shift;
    s.s1.add(d);
    s.s2.add(d * d);
  }
  const size_t n = s.ring.size();
  if (n == 0) {
    s.s1.reset();
    s.s2.reset();
  } else if (s.s1.stale(n) || s.s2.stale(n)) [[unlikely]] {
    esd_rebuild(s);
  }
  if (std::isnan(v)) return 0.0;  // not in the window: not an outlier
  if (std::isinf(v)) return 1.0;  // infinitely far from any mean
  if (n < 3) return 0.0;
  const size_t r = std::min(static_cast<size_t>(s.max_outliers), n - 2);

  // The sums hold (x - sh) / sc: sc = 1 with the state's shift, or the range's scale.
  size_t lo = 0, hi = n - 1, m = n;
  double sh = s.shift, sc = 1.0;
  CompensatedSum s1 = s.s1, s2 = s.s2;
  double base2 = s2.value();           // the sum of squares these sums started from
  size_t significant = 0, newest = 0;  // last significant step; step that removed v
  for (size_t i = 1; i <= r; ++i, --m) {
    const double dm = static_cast<double>(m);
    double sum1 = s1.value();
    double ss = s2.value() - sum1 * (sum1 / dm);  // sum of squares about the mean
    // ss is a difference of doubles: it keeps ~32 bits while the terms it came from are
    // at most 2^20 times larger. Beyond that (or on overflow), recompute: the whole window
    // with a new shift (the mean drifted from it), or the range left (the removed samples
    // dominated).
    auto bad = [&] { return !(std::max(base2, sum1 * sum1 / dm) <= 0x1p20 * ss); };
    if (bad()) [[unlikely]] {
      if (i == 1) {
        esd_rebuild(s);
        s1 = s.s1;
        s2 = s.s2;
        sh = s.shift;
        base2 = s2.value();
        sum1 = s1.value();
        ss = s2.value() - sum1 * (sum1 / dm);
      }
      if (i > 1 || bad()) {
        esd_range_sums(s.tree, lo, hi, &sh, &sc, &s1, &s2);
        base2 = s2.value();
        sum1 = s1.value();
        ss = s2.value() - sum1 * (sum1 / dm);
      }
    }
    if (!(ss > 0.0)) break;         // the samples left are all equal: no step can be significant
    const double mean = sum1 / dm;  // (mean - sh) / sc
    const double sd = std::sqrt(ss / (dm - 1.0));
    const double a = s.tree.select(lo), b = s.tree.select(hi);
    const double da = mean - (a / sc - sh / sc), db = (b / sc - sh / sc) - mean;
    double x, dev;
    if (db >= da) {
      x = b;
      dev = db;
      --hi;
    } else {
      x = a;
      dev = da;
      ++lo;
    }
    if (dev / sd > s.lambda(m)) significant = i;
    if (newest == 0 && x == v) newest = i;
    const double d = x / sc - sh / sc;
    s1.remove(d);
    s2.remove(d * d);
  }
  return newest != 0 && newest <= significant ? 1.0 : 0.0;
}
