// State of the order-statistic kernels: median, quantile, mad.
#pragma once

#include <memory>
#include <vector>

#include "core/kernels/moments.h"
#include "core/kernels/order_tree.h"
#include "core/kernels/ring.h"

namespace omen::kernels::detail {

/// The window's values, sorted: a flat sorted array of order keys while the window is
/// small (a binary search and a short memmove beat the tree's descent up to a few hundred
/// elements, and select is an array access), the counted B+tree beyond. It switches to
/// the tree above kToTree elements and back below kToFlat (hysteresis, so a window whose
/// size hovers around a threshold does not convert on every push).
class OrderSet {
 public:
  static constexpr size_t kToTree = 256;
  static constexpr size_t kToFlat = 64;

  void insert(double v);
  /// Removes one element bitwise equal to v; false (and nothing done) if there is none.
  bool erase(double v);
  /// erase(old) then insert(v) (a window's steady state: one sample out, one in); in the
  /// flat array a single shift of the elements between the two positions.
  bool replace(double old, double v);
  size_t size() const { return tree_ ? tree_->size() : flat_.size(); }
  /// The k-th smallest element, 0-based; k < size().
  double select(size_t k) const { return tree_ ? tree_->select(k) : order_value(flat_[k]); }
  /// Number of elements ordered before v (-0.0 < +0.0).
  size_t count_below(double v) const;
  bool is_flat() const { return !tree_; }
  size_t bytes() const;
  /// Sorted, and the tree's invariants (for tests).
  bool valid() const;

 private:
  std::vector<int64_t> flat_;        // sorted keys, while !tree_
  std::unique_ptr<OrderTree> tree_;  // once the window grew past kToTree
};

/// Shared by median, quantile and mad (so that one state serves all of them when a rule
/// asks for several over the same input and width). Reads (order_median, ...) are pure.
struct OrderState {
  explicit OrderState(const WindowSpec& spec) : width(sane_width(spec)), q(spec.param) {}
  size_t bytes() const { return sizeof(*this) + ring.bytes() + set.bytes(); }

  int64_t width;
  double q;           // quantile only
  Ring<Sample> ring;  // non-NaN samples in the window, in time order (for expiry)
  OrderSet set;       // the same values, sorted
};

/// Advances the window to t and adds v (NaN: only advances).
void order_push(OrderState& s, int64_t t, double v);
double order_median(const OrderState& s);
/// numpy.quantile(window, q, method='linear'); q is clamped into [0, 1], NaN gives NaN.
double order_quantile(const OrderState& s, double q);
double order_mad(const OrderState& s);

/// numpy.median of two middle values: their mean, (a + b) / 2, without overflow.
double midpoint(double a, double b);
/// numpy's 'linear' interpolation between neighbours a <= b at fraction t in [0, 1).
double lerp(double a, double b, double t);

}  // namespace omen::kernels::detail
