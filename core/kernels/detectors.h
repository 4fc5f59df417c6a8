// States of the detector kernels: fit_quantile, esd, seasonal_base, ar_residual, cusum,
// bocpd, gauss_score, cooldown. Each needs a recursion or a loop over a constant number of
// terms that the Omen language cannot express (docs/stdlib.md says which and why).
//
// Parameters come from WindowSpec::arg(i) and are clamped into the ranges of the kernel
// table (window.cpp), so hand-built specs cannot break these invariants.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "core/kernels/compensated_sum.h"
#include "core/kernels/moments.h"
#include "core/kernels/order_tree.h"
#include "core/kernels/ring.h"

namespace omen::kernels::detail {

/// Parameter i of spec, clamped into the range the kernel table declares for it.
double spec_param(const WindowSpec& spec, size_t i);

/// fit_quantile: the samples of [t0, t0 + width) (t0 = the first tick) are kept; at the
/// first tick at or past t0 + width their quantile q is computed once and returned from
/// then on (NaN before, and NaN if the span held no sample).
struct FitQuantileState {
  explicit FitQuantileState(const WindowSpec& spec);
  size_t bytes() const { return sizeof(*this) + train.capacity() * sizeof(double); }

  int64_t width;
  double q;
  bool started = false, fitted = false;
  int64_t t0 = 0;
  double value = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> train;  // freed once fitted
};

/// The sliding mean and variance of a window, as the mean and stddev kernels compute them
/// (the same functions, so the same bits). `before(t)` advances the window to t without
/// adding anything (the window *preceding* the sample at t); `add(t, v)` then adds it.
struct Baseline {
  explicit Baseline(const WindowSpec& spec) : m(spec) {}
  size_t bytes() const { return m.bytes(); }
  /// Advances to t; sets the count, mean and population stddev of the samples in
  /// (t - width, t) (NaN mean/stddev if none).
  void before(int64_t t, double* count, double* mean, double* stddev);
  void add(int64_t t, double v);
  /// v - mean of the window set by before(), from the shifted sums: exact to the last bit
  /// of the deviation even when the mean is large (1e9 + noise), where v - mean would
  /// keep only the bits the rounded mean has.
  double deviation(double v) const;

  MomentState m;      // the window's samples and shifted moments
  double mean = 0.0;  // as of the last before()
};

/// esd: generalized ESD (Rosner 1983) over the window's finite samples. The window is kept
/// sorted (OrderTree) with shifted compensated moments, so each of the r test steps takes
/// the current extreme from either end in O(log n) and the moments of the rest by
/// subtraction; the critical values depend only on the size of the rest and are cached.
struct EsdState {
  explicit EsdState(const WindowSpec& spec);
  size_t bytes() const {
    return sizeof(*this) + ring.bytes() + tree.bytes() + cache.capacity() * sizeof(Cached);
  }
  /// Rosner's critical value for a set of m samples, through a direct-mapped cache (the
  /// sizes a window visits repeat, so the t quantiles are rarely recomputed).
  double lambda(size_t m);

  int64_t width;
  double alpha;
  int max_outliers;
  Ring<Sample> ring;  // finite samples in the window, in time order
  OrderTree tree;     // the same values, sorted
  double shift = 0.0;
  CompensatedSum s1, s2;  // sum(x - shift), sum((x - shift)^2) over the window
  struct Cached {
    size_t m;  // 0 = empty slot
    double lambda;
  };
  std::vector<Cached> cache;  // a power of two in size, indexed by m mod size
};

/// seasonal_base: the samples of the last (k + 1) periods; cursor j points just past the
/// latest sample at or before t - j * period.
struct SeasonalState {
  explicit SeasonalState(const WindowSpec& spec);
  size_t bytes() const {
    return sizeof(*this) + ring.bytes() + cursor.capacity() * sizeof(uint64_t) +
           peers.capacity() * sizeof(double);
  }

  int64_t period;
  int k;
  Ring<Sample> ring;             // non-NaN samples with time > t - (k + 1) * period
  uint64_t popped = 0;           // samples dropped from the front so far (absolute index base)
  std::vector<uint64_t> cursor;  // absolute indices, one per j = 1..k
  std::vector<double> peers;     // scratch
};

/// ar_residual: least squares AR(p) with intercept over the rows (x_i; x_{i-1}..x_{i-p}) of
/// consecutive samples in the window, as shifted compensated sums of the row products,
/// added and removed as samples enter and leave, rebuilt from the buffer now and then.
struct ArState {
  explicit ArState(const WindowSpec& spec);
  size_t bytes() const {
    return sizeof(*this) + ring.bytes() + sums.capacity() * sizeof(CompensatedSum);
  }

  int64_t width;
  int p;
  Ring<Sample> ring;  // non-NaN samples in the window, in time order
  double shift = 0.0;
  size_t rows = 0;  // rows in the sums: max(0, ring.size() - p)
  // sums[0..p]: sum(z_a - shift); then the upper triangle of sum((z_a - shift)(z_b - shift)),
  // a <= b, row by row. z_0 is the target, z_j the j-th lag.
  std::vector<CompensatedSum> sums;
  std::vector<double> scratch;
};

/// cusum: the two one-sided sums of the standardized sample, reset after an alarm.
struct CusumState {
  explicit CusumState(const WindowSpec& spec);
  size_t bytes() const { return sizeof(*this) + base.bytes(); }

  Baseline base;
  double drift, threshold;
  double pos = 0.0, neg = 0.0;
};

/// bocpd: the truncated run-length posterior and the Normal-Gamma posterior mean and beta
/// of each run length (kappa and alpha depend on the run length only).
struct BocpdState {
  explicit BocpdState(const WindowSpec& spec);
  size_t bytes() const {
    return sizeof(*this) + base.bytes() +
           (prob.capacity() + mu.capacity() + beta.capacity() + log_c.capacity() +
            scratch.capacity()) *
               sizeof(double);
  }

  Baseline base;
  double log_h, log_1mh;  // log hazard, log(1 - hazard)
  int max_run;
  bool started = false;
  std::vector<double> prob;      // P(run length = r), r = 0..prob.size()-1, sums to 1
  std::vector<double> mu, beta;  // posterior parameters of run length r
  std::vector<double> log_c;     // per r: the Student-t log-density constant
  std::vector<double> scratch;
};

/// gauss_score: NAB's windowed Gaussian, operation for operation.
struct GaussianState {
  explicit GaussianState(const WindowSpec& spec);
  size_t bytes() const {
    return sizeof(*this) + (window.capacity() + step.capacity() + sq.capacity()) * sizeof(double);
  }

  size_t size, step_size;
  std::vector<double> window, step, sq;
  double mean = 0.0, sd = 1.0;
};

struct CooldownState {
  explicit CooldownState(const WindowSpec& spec) : width(sane_width(spec)) {}
  size_t bytes() const { return sizeof(*this); }

  int64_t width;
  bool fired = false;
  int64_t last = 0;
};

// Statistics helpers, exposed for tests.

/// Upper-tail quantile of Student's t with nu > 0 degrees of freedom: the t with
/// P(T > t) = tail, for tail in (0, 0.5]. Relative accuracy ~1e-13.
double student_t_upper(double tail, double nu);
/// P(T > t) for Student's t with nu degrees of freedom.
double student_t_sf(double t, double nu);
/// Rosner's critical value for one generalized ESD step on a set of m >= 3 samples.
double esd_lambda(double alpha, size_t m);
/// numpy's float64 add.reduce (pairwise summation), as NAB's np.mean / np.std see it.
double numpy_sum(const double* a, size_t n);

}  // namespace omen::kernels::detail
