// State of the min and max kernels: a monotonic deque.
#pragma once

#include "core/kernels/moments.h"
#include "core/kernels/ring.h"

namespace omen::kernels::detail {

/// The samples that can still become the extremum: for max, values strictly decreasing
/// from front to back (for min, strictly increasing), times increasing. The front is the
/// answer; each sample enters and leaves once, so a push is O(1) amortised.
struct ExtremumState {
  explicit ExtremumState(const WindowSpec& spec) : width(sane_width(spec)) {}
  size_t bytes() const { return sizeof(*this) + deque.bytes(); }

  int64_t width;
  Ring<Sample> deque;
};

}  // namespace omen::kernels::detail
