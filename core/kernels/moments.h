// States of the moment kernels: count, sum, mean, stddev.
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/kernels/compensated_sum.h"
#include "core/kernels/ring.h"
#include "core/kernels/window.h"

namespace omen::kernels::detail {

/// Widths are > 0 by contract (the checker rejects others); clamping keeps the kernels'
/// invariants (the pushed sample is always in its own window) even if one slips through.
inline int64_t sane_width(const WindowSpec& spec) {
  return std::max<int64_t>(spec.width_ms, 1);
}

struct CountState {
  explicit CountState(const WindowSpec& spec) : width(sane_width(spec)) {}
  size_t bytes() const { return sizeof(*this) + times.bytes(); }

  int64_t width;
  Ring<int64_t> times;  // times of the non-NaN samples in the window
};

/// Shared by sum and mean.
struct SumState {
  explicit SumState(const WindowSpec& spec) : width(sane_width(spec)) {}
  size_t bytes() const { return sizeof(*this) + ring.bytes(); }

  int64_t width;
  Ring<Sample> ring;   // non-NaN samples in the window
  CompensatedSum sum;  // of the finite ones; infinities are counted apart
  uint32_t n_pos_inf = 0;
  uint32_t n_neg_inf = 0;
};

/// Shared by mean and stddev (so that one state serves both when a rule asks for the two
/// over the same input and width): shifted moments s1 = sum(x - shift), s2 =
/// sum((x - shift)^2), both compensated. The shift is a sample close to the mean, chosen
/// at each rebuild, which keeps s2/n - (s1/n)^2 free of cancellation. All maintenance
/// (expiry, periodic exact rebuild, re-centring) happens in the push; the reads
/// (moment_mean, moment_stddev) are pure, so a value never depends on which other values
/// of the state were read.
struct MomentState {
  explicit MomentState(const WindowSpec& spec) : width(sane_width(spec)) {}
  size_t bytes() const { return sizeof(*this) + ring.bytes(); }

  int64_t width;
  Ring<Sample> ring;  // non-NaN samples in the window
  double shift = 0.0;
  CompensatedSum s1, s2;  // over the finite samples
  uint32_t n_pos_inf = 0;
  uint32_t n_neg_inf = 0;
};

/// Advances the window to t and adds v (NaN: only advances).
void moment_push(MomentState& s, int64_t t, double v);
/// The window's mean / population standard deviation (NaN when empty).
double moment_mean(const MomentState& s);
double moment_stddev(const MomentState& s);

}  // namespace omen::kernels::detail
