// State of the order-statistic kernels: median, quantile, mad.
#pragma once

#include "runtime/kernels/moments.h"
#include "runtime/kernels/order_tree.h"
#include "runtime/kernels/ring.h"

namespace omen::kernels::detail {

struct OrderState {
  explicit OrderState(const WindowSpec& spec) : width(sane_width(spec)), q(spec.param) {}
  size_t bytes() const { return sizeof(*this) + ring.bytes() + tree.bytes(); }

  int64_t width;
  double q;           // quantile only
  Ring<Sample> ring;  // non-NaN samples in the window, in time order (for expiry)
  OrderTree tree;     // the same values, sorted
};

/// numpy.median of two middle values: their mean, (a + b) / 2, without overflow.
double midpoint(double a, double b);
/// numpy's 'linear' interpolation between neighbours a <= b at fraction t in [0, 1).
double lerp(double a, double b, double t);

}  // namespace omen::kernels::detail
