// median, quantile: O(log w); mad: O(log^2 w) (O(log w) while the window is small
// enough for the flat sorted array). Over OrderSet: a flat sorted array or a counted tree.
#include "core/kernels/order.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/kernels/push_fns.h"

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

// Branch-free binary searches over sorted keys a[0..n): the first position whose key is
// >= key (lower) or > key (upper).
template <bool kUpper>
size_t search(const int64_t* a, size_t n, int64_t key) {
  if (n == 0) return 0;
  const int64_t* base = a;
  while (n > 1) {
    const size_t half = n / 2;
    base += (kUpper ? base[half] <= key : base[half] < key) ? half : 0;
    n -= half;
  }
  return static_cast<size_t>(base - a) + (kUpper ? *base <= key : *base < key);
}

}  // namespace

void OrderSet::insert(double v) {
  const int64_t key = order_key(v);
  if (tree_) {
    tree_->insert(v);
    return;
  }
  if (flat_.size() >= kToTree) [[unlikely]] {
    tree_ = std::make_unique<OrderTree>();
    for (int64_t k : flat_) tree_->insert(order_value(k));
    std::vector<int64_t>().swap(flat_);
    tree_->insert(v);
    return;
  }
  flat_.insert(
      flat_.begin() + static_cast<ptrdiff_t>(search<true>(flat_.data(), flat_.size(), key)), key);
}

bool OrderSet::erase(double v) {
  if (tree_) {
    if (!tree_->erase(v)) return false;
    if (tree_->size() <= kToFlat) [[unlikely]] {
      flat_.reserve(kToFlat * 2);
      for (size_t k = 0; k < tree_->size(); ++k) flat_.push_back(order_key(tree_->select(k)));
      tree_.reset();
    }
    return true;
  }
  const int64_t key = order_key(v);
  const size_t i = search<false>(flat_.data(), flat_.size(), key);
  if (i == flat_.size() || flat_[i] != key) return false;
  flat_.erase(flat_.begin() + static_cast<ptrdiff_t>(i));
  return true;
}

bool OrderSet::replace(double old, double v) {
  if (tree_) {
    if (!erase(old)) return false;
    insert(v);
    return true;
  }
  int64_t* a = flat_.data();
  const size_t n = flat_.size();
  const int64_t ko = order_key(old), kv = order_key(v);
  const size_t e = search<false>(a, n, ko);
  if (e == n || a[e] != ko) return false;
  if (kv >= ko) {
    // a[e] == old <= v, so v goes at p - 1 >= e once a[e + 1 .. p) move down by one.
    const size_t p = search<true>(a, n, kv);
    for (size_t i = e; i + 1 < p; ++i) a[i] = a[i + 1];
    a[p - 1] = kv;
  } else {
    // v < old: v goes at p <= e once a[p .. e) move up by one.
    const size_t p = search<true>(a, e, kv);
    for (size_t i = e; i > p; --i) a[i] = a[i - 1];
    a[p] = kv;
  }
  return true;
}

size_t OrderSet::count_below(double v) const {
  if (tree_) return tree_->count_below(v);
  return search<false>(flat_.data(), flat_.size(), order_key(v));
}

size_t OrderSet::bytes() const {
  return flat_.capacity() * sizeof(int64_t) + (tree_ ? sizeof(OrderTree) + tree_->bytes() : 0);
}

bool OrderSet::valid() const {
  if (tree_) return tree_->valid() && tree_->size() > kToFlat;
  return flat_.size() <= kToTree && std::is_sorted(flat_.begin(), flat_.end());
}

void order_push(OrderState& s, int64_t t, double v) {
  const int64_t cut = window_cutoff(t, s.width);
  // Steady state: exactly one sample expires and one arrives.
  if (!std::isnan(v) && !s.ring.empty() && s.ring.front().t <= cut &&
      (s.ring.size() == 1 || s.ring[1].t > cut)) {
    const double old = s.ring.front().v;
    s.ring.pop_front();
    s.ring.push_back({t, v});
    s.set.replace(old, v);
    return;
  }
  while (!s.ring.empty() && s.ring.front().t <= cut) {
    s.set.erase(s.ring.front().v);
    s.ring.pop_front();
  }
  if (!std::isnan(v)) {
    s.ring.push_back({t, v});
    s.set.insert(v);
  }
}

namespace {

double median_of(const OrderSet& set) {
  const size_t n = set.size();
  if (n == 0) return kNaN;
  if (n % 2 == 1) return set.select(n / 2);
  return midpoint(set.select(n / 2 - 1), set.select(n / 2));
}

// The deviations |x - m| of the sorted values a[0..n) from their median m form two
// sorted runs: below[i] = m - a[p-1-i] for the p values before m, and
// above[j] = a[p+j] - m for the rest. Their k-th smallest is found by binary search on
// how many of the first k+1 come from `below`, each probe an O(log n) select.
class Deviations {
 public:
  Deviations(const OrderSet& set, double m)
      : set_(set), m_(m), p_(set.count_below(m)), nb_(p_), na_(set.size() - p_) {}

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
  double below(size_t i) const { return m_ - set_.select(p_ - 1 - i); }
  double above(size_t j) const { return set_.select(p_ + j) - m_; }

  const OrderSet& set_;
  double m_;
  size_t p_;   // values ordered before m
  size_t nb_;  // length of the `below` run (= p_)
  size_t na_;  // length of the `above` run
};

double mad_of(const OrderSet& set) {
  const size_t n = set.size();
  const double m = median_of(set);
  if (!std::isfinite(m)) return kNaN;  // n == 0, or |x - inf| has NaN terms
  Deviations dev(set, m);
  double kth = 0, next = 0;
  if (n % 2 == 1) {
    dev.kth_and_next(n / 2, &kth, nullptr);
    return kth;
  }
  dev.kth_and_next(n / 2 - 1, &kth, &next);
  return midpoint(kth, next);
}

}  // namespace

double order_median(const OrderState& s) {
  return median_of(s.set);
}

double order_quantile(const OrderState& s, double q) {
  const size_t n = s.set.size();
  if (n == 0 || std::isnan(q)) return kNaN;
  q = std::clamp(q, 0.0, 1.0);
  const double h = q * static_cast<double>(n - 1);  // numpy: (n - 1) * q
  const double lo = std::floor(h);
  const size_t i = static_cast<size_t>(lo);
  if (i + 1 >= n) return s.set.select(n - 1);
  return lerp(s.set.select(i), s.set.select(i + 1), h - lo);
}

double order_mad(const OrderState& s) {
  return mad_of(s.set);
}

}  // namespace omen::kernels::detail

using namespace omen::kernels::detail;  // the C entry points below only

extern "C" double omen_win_median(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<OrderState*>(state);
  order_push(s, t_ms, v);
  return order_median(s);
}

extern "C" double omen_win_quantile(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<OrderState*>(state);
  order_push(s, t_ms, v);
  return order_quantile(s, s.q);
}

extern "C" double omen_win_mad(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<OrderState*>(state);
  order_push(s, t_ms, v);
  return order_mad(s);
}

extern "C" double omen_win_read_median(void* state, double) {
  return order_median(*static_cast<const OrderState*>(state));
}

extern "C" double omen_win_read_quantile(void* state, double q) {
  return order_quantile(*static_cast<const OrderState*>(state), q);
}

extern "C" double omen_win_read_mad(void* state, double) {
  return order_mad(*static_cast<const OrderState*>(state));
}
