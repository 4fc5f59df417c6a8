// States of the time-shaped kernels: ewma, delta, rate, lag.
#pragma once

#include <limits>

#include "core/kernels/compensated_sum.h"
#include "core/kernels/moments.h"
#include "core/kernels/ring.h"

namespace omen::kernels::detail {

struct EwmaState {
  explicit EwmaState(const WindowSpec& spec) : width(static_cast<double>(sane_width(spec))) {}
  size_t bytes() const { return sizeof(*this); }

  double width;        // the time constant, ms
  double s = 0.0;      // valid once seen
  int64_t last_t = 0;  // time of the last non-NaN update
  bool seen = false;
};

/// Shared by delta and rate.
struct SeriesState {
  explicit SeriesState(const WindowSpec& spec) : width(sane_width(spec)) {}
  size_t bytes() const { return sizeof(*this) + ring.bytes(); }

  int64_t width;
  Ring<Sample> ring;  // non-NaN samples in the window
  // Rate only: the increase over the window is back - front + sum of the values just
  // before each counter reset (a drop) between consecutive samples of the window.
  CompensatedSum resets;
  size_t n_resets = 0;
};

struct LagState {
  explicit LagState(const WindowSpec& spec) : width(sane_width(spec)) {}
  size_t bytes() const { return sizeof(*this) + ring.bytes(); }

  int64_t width;
  Ring<Sample> ring;  // every tick in the window, NaN ones too
  // Value of the latest tick that left the window; NaN before any.
  double lagged = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace omen::kernels::detail
