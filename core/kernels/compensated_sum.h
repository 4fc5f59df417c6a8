// A running sum with add and remove, compensated by Knuth's TwoSum (the Neumaier idea
// without a branch), plus the bookkeeping that tells its owner when to recompute the sum
// exactly from its buffer.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace omen::kernels::detail {

class CompensatedSum {
 public:
  void add(double x) {
    accumulate(x);
    mass_ += std::fabs(x);
    if (mass_ > peak_) peak_ = mass_;
  }
  void remove(double x) {
    accumulate(-x);
    mass_ -= std::fabs(x);
  }
  /// The sum; +-inf or NaN if a partial sum overflowed (c_ is then NaN).
  double value() const { return std::isfinite(c_) ? s_ + c_ : s_; }
  void reset() { *this = CompensatedSum(); }

  /// True when the sum should be rebuilt from the n terms it currently holds:
  ///  * the magnitude of the contents fell by 2^24 since the last rebuild (large terms
  ///    left), where the plain-precision compensation term may have lost the residue;
  ///  * after 64 n + 64Ki operations, to bound the slow drift of the compensation
  ///    itself (each step adds an error of about eps * |c|, itself ~eps * |s|);
  ///  * or once a partial sum overflowed, which leaves c_ NaN for good.
  /// The first two are amortised O(1) per operation; the last costs O(n) per push only
  /// while the terms held really overflow a double.
  bool stale(size_t n) const {
    return ops_ > 64 * static_cast<uint64_t>(n) + 65536 || mass_ * 0x1p24 < peak_ ||
           !std::isfinite(c_);
  }

 private:
  void accumulate(double x) {
    double t = s_ + x;
    double z = t - s_;
    c_ += (s_ - (t - z)) + (x - z);
    s_ = t;
    ++ops_;
  }

  double s_ = 0.0;     // leading part
  double c_ = 0.0;     // accumulated rounding errors of s_
  double mass_ = 0.0;  // sum of |term| currently held (plain; only a scale estimate)
  double peak_ = 0.0;  // max mass_ since the last reset
  uint64_t ops_ = 0;
};

}  // namespace omen::kernels::detail
