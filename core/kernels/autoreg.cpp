// ar_residual: the newest sample minus its prediction by an AR(p) model with intercept,
// fitted by least squares on the preceding window. O(p^2) to update the sums of row
// products, O(p^3) to solve, per sample.
//
// The rows are consecutive non-NaN samples of the window: target x_i, regressors
// x_{i-1}..x_{i-p}, for every i with p predecessors in the window. A sample leaving the
// window takes with it the one row whose oldest regressor it was; a sample entering adds
// the row it is the target of (after being predicted from the rows before it).
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/kernels/detectors.h"
#include "core/kernels/push_fns.h"

namespace omen::kernels::detail {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Index of the product sum of columns a <= b (see ArState::sums).
inline size_t tri(int p, int a, int b) {
  return static_cast<size_t>((p + 1) + a * (2 * p + 3 - a) / 2 + (b - a));
}

// Adds (sign +1) or removes (-1) the row whose target is ring[i].
void ar_row(ArState& s, size_t i, bool add) {
  const int p = s.p;
  double* z = s.scratch.data();
  for (int a = 0; a <= p; ++a) z[a] = s.ring[i - static_cast<size_t>(a)].v - s.shift;
  for (int a = 0; a <= p; ++a) {
    if (add)
      s.sums[static_cast<size_t>(a)].add(z[a]);
    else
      s.sums[static_cast<size_t>(a)].remove(z[a]);
    for (int b = a; b <= p; ++b) {
      if (add)
        s.sums[tri(p, a, b)].add(z[a] * z[b]);
      else
        s.sums[tri(p, a, b)].remove(z[a] * z[b]);
    }
  }
}

// Recomputes every sum from the ring, re-centred on the mean of the window.
[[gnu::noinline]] void ar_rebuild(ArState& s) {
  CompensatedSum total;
  size_t n = 0;
  for (size_t i = 0; i < s.ring.size(); ++i)
    if (std::isfinite(s.ring[i].v)) {
      total.add(s.ring[i].v);
      ++n;
    }
  const double mean = n ? total.value() / static_cast<double>(n) : 0.0;
  s.shift = std::isfinite(mean) ? mean : 0.0;
  for (auto& c : s.sums) c.reset();
  for (size_t i = static_cast<size_t>(s.p); i < s.ring.size(); ++i) ar_row(s, i, true);
}

bool any_stale(const ArState& s) {
  for (const auto& c : s.sums)
    if (c.stale(s.rows)) return true;
  return false;
}

// The centred moments C (p+1 x p+1, row-major) and means of the rows, from the sums.
void ar_moments(const ArState& s, double* c, double* mean) {
  const int p = s.p;
  const double n = static_cast<double>(s.rows);
  for (int a = 0; a <= p; ++a) mean[a] = s.sums[static_cast<size_t>(a)].value() / n;
  for (int a = 0; a <= p; ++a)
    for (int b = a; b <= p; ++b) {
      const double sa = s.sums[static_cast<size_t>(a)].value();
      const double v = s.sums[tri(p, a, b)].value() - sa * mean[b];
      c[a * (p + 1) + b] = c[b * (p + 1) + a] = v;
    }
}

// True when a centred diagonal moment lost more than 20 bits to the shift.
bool ar_cancelled(const ArState& s, const double* c) {
  const int p = s.p;
  for (int a = 0; a <= p; ++a)
    if (!(s.sums[tri(p, a, a)].value() <= 0x1p20 * c[a * (p + 1) + a])) return true;
  return false;
}

/// Solves (C_xx + delta I) beta = C_xy for the AR coefficients, C the centred moments of
/// the p + 1 columns (target first), by Cholesky; beta = 0 if the regressors are all
/// constant or the system is not numerically positive definite. Returns false then.
bool ar_solve(int p, const double* c, double* beta) {
  const int q = p + 1;
  double trace = 0.0;
  for (int a = 1; a <= p; ++a) trace += c[a * q + a];
  std::fill(beta, beta + p, 0.0);
  if (!(trace > 0.0) || !std::isfinite(trace)) return false;
  const double delta = 1e-10 * trace / p;
  // L L^T = A, A = C_xx + delta I (p x p), L stored in l[i * p + j], j <= i.
  double l[16 * 16];
  for (int i = 0; i < p; ++i) {
    for (int j = 0; j <= i; ++j) {
      double sum = c[(i + 1) * q + (j + 1)] + (i == j ? delta : 0.0);
      for (int k = 0; k < j; ++k) sum -= l[i * p + k] * l[j * p + k];
      if (i == j) {
        if (!(sum > 0.0)) return false;
        l[i * p + i] = std::sqrt(sum);
      } else {
        l[i * p + j] = sum / l[j * p + j];
      }
    }
  }
  double y[16];
  for (int i = 0; i < p; ++i) {  // L y = C_xy
    double sum = c[0 * q + (i + 1)];
    for (int k = 0; k < i; ++k) sum -= l[i * p + k] * y[k];
    y[i] = sum / l[i * p + i];
  }
  for (int i = p - 1; i >= 0; --i) {  // L^T beta = y
    double sum = y[i];
    for (int k = i + 1; k < p; ++k) sum -= l[k * p + i] * beta[k];
    beta[i] = sum / l[i * p + i];
  }
  return true;
}

}  // namespace

ArState::ArState(const WindowSpec& spec)
    : width(sane_width(spec)), p(static_cast<int>(spec_param(spec, 0))) {
  const size_t q = static_cast<size_t>(p) + 1;
  sums.resize(q + q * (q + 1) / 2);
  scratch.resize(q * q + 3 * q);
}

}  // namespace omen::kernels::detail

using namespace omen::kernels::detail;  // the C entry points below only

extern "C" double omen_win_ar_residual(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<ArState*>(state);
  const size_t p = static_cast<size_t>(s.p);
  const int64_t cut = window_cutoff(t_ms, s.width);
  while (!s.ring.empty() && s.ring.front().t <= cut) {
    if (s.ring.size() > p) {
      ar_row(s, p, false);
      --s.rows;
    }
    s.ring.pop_front();
  }
  if (s.rows == 0)
    for (auto& c : s.sums) c.reset();  // exactly zero, whatever the history
  if (std::isnan(v)) return kNaN;
  double residual = kNaN;
  if (s.rows >= p + 2) {
    if (any_stale(s)) [[unlikely]]
      ar_rebuild(s);
    const size_t q = p + 1;
    double* c = s.scratch.data() + q;  // scratch[0..q) is ar_row's
    double* mean = c + q * q;
    double* beta = mean + q;
    ar_moments(s, c, mean);
    if (ar_cancelled(s, c)) [[unlikely]] {
      ar_rebuild(s);
      ar_moments(s, c, mean);
    }
    ar_solve(s.p, c, beta);
    const size_t n = s.ring.size();
    double pred = mean[0];  // relative to the shift
    for (size_t j = 1; j <= p; ++j) pred += beta[j - 1] * ((s.ring[n - j].v - s.shift) - mean[j]);
    residual = (v - s.shift) - pred;
  }
  s.ring.push_back({t_ms, v});
  if (s.ring.size() > p) {
    ar_row(s, s.ring.size() - 1, true);
    ++s.rows;
  }
  return residual;
}
