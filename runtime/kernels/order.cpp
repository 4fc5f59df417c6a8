// median, quantile: O(log w); mad: O(log^2 w). All over an order-statistic tree.
#include "runtime/kernels/order.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/kernels/push_fns.h"

namespace omen::kernels::detail {

double midpoint(double a, double b) {
  double s = a + b;
  if (std::isinf(s) && std::isfinite(a) && std::isfinite(b)) [[unlikely]]
    return a * 0.5 + b * 0.5;
  return s * 0.5;
}

double lerp(double a, double b, double t) {
  // numpy._lerp, which interpolates from the nearer end; t == 0 and a == b are exact
  // here (numpy gives NaN for them when a or b is infinite).
  if (t == 0.0 || a == b) return a;
  double d = b - a;
  return t >= 0.5 ? b - d * (1.0 - t) : a + d * t;
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Advances the window to t and adds v.
void order_push(OrderState& s, int64_t t, double v) {
  const int64_t cut = window_cutoff(t, s.width);
  while (!s.ring.empty() && s.ring.front().t <= cut) {
    s.tree.erase(s.ring.front().v);
    s.ring.pop_front();
  }
  if (!std::isnan(v)) {
    s.ring.push_back({t, v});
    s.tree.insert(v);
  }
}

double median_of(const OrderTree& tree) {
  const size_t n = tree.size();
  if (n == 0) return kNaN;
  if (n % 2 == 1) return tree.select(n / 2);
  return midpoint(tree.select(n / 2 - 1), tree.select(n / 2));
}

// The deviations |x - m| of the sorted values a[0..n) from their median m form two
// sorted runs: below[i] = m - a[p-1-i] for the p values before m, and
// above[j] = a[p+j] - m for the rest. Their k-th smallest is found by binary search on
// how many of the first k+1 come from `below`, each probe an O(log n) select.
class Deviations {
 public:
  Deviations(const OrderTree& tree, double m)
      : tree_(tree), m_(m), p_(tree.count_below(m)), nb_(p_), na_(tree.size() - p_) {}

  // Sets *kth to the k-th smallest deviation (0-based) and *next to the (k+1)-th.
  void kth_and_next(size_t k, double* kth, double* next) const {
    size_t lo = k + 1 > na_ ? k + 1 - na_ : 0;
    size_t hi = std::min(k + 1, nb_);
    while (lo < hi) {
      size_t i = lo + (hi - lo) / 2;  // i from below, k + 1 - i from above
      if (below(i) < above(k - i))
        lo = i + 1;
      else
        hi = i;
    }
    const size_t i = lo, j = k + 1 - lo;  // counts taken from each run
    constexpr double kInf = std::numeric_limits<double>::infinity();
    double b = i > 0 ? below(i - 1) : -kInf;
    double a = j > 0 ? above(j - 1) : -kInf;
    *kth = std::max(b, a);
    if (next) {
      double b_next = i < nb_ ? below(i) : kInf;
      double a_next = j < na_ ? above(j) : kInf;
      *next = std::min(b_next, a_next);
    }
  }

 private:
  double below(size_t i) const { return m_ - tree_.select(p_ - 1 - i); }
  double above(size_t j) const { return tree_.select(p_ + j) - m_; }

  const OrderTree& tree_;
  double m_;
  size_t p_;   // values ordered before m
  size_t nb_;  // length of the `below` run (= p_)
  size_t na_;  // length of the `above` run
};

double mad_of(const OrderTree& tree) {
  const size_t n = tree.size();
  const double m = median_of(tree);
  if (!std::isfinite(m)) return kNaN;  // n == 0, or |x - inf| has NaN terms
  Deviations dev(tree, m);
  double kth = 0, next = 0;
  if (n % 2 == 1) {
    dev.kth_and_next(n / 2, &kth, nullptr);
    return kth;
  }
  dev.kth_and_next(n / 2 - 1, &kth, &next);
  return midpoint(kth, next);
}

}  // namespace
}  // namespace omen::kernels::detail

using namespace omen::kernels::detail;  // the C entry points below only

extern "C" double omen_win_median(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<OrderState*>(state);
  order_push(s, t_ms, v);
  return median_of(s.tree);
}

extern "C" double omen_win_quantile(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<OrderState*>(state);
  order_push(s, t_ms, v);
  const size_t n = s.tree.size();
  if (n == 0 || std::isnan(s.q)) return kNaN;
  const double q = std::clamp(s.q, 0.0, 1.0);
  const double h = q * static_cast<double>(n - 1);  // numpy: (n - 1) * q
  const double lo = std::floor(h);
  const size_t i = static_cast<size_t>(lo);
  if (i + 1 >= n) return s.tree.select(n - 1);
  return lerp(s.tree.select(i), s.tree.select(i + 1), h - lo);
}

extern "C" double omen_win_mad(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<OrderState*>(state);
  order_push(s, t_ms, v);
  return mad_of(s.tree);
}
