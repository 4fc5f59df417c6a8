// cusum and bocpd: change-point recursions over a sample standardized against (cusum) or
// with a prior taken from (bocpd) the window preceding it.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/kernels/detectors.h"
#include "core/kernels/push_fns.h"

namespace omen::kernels::detail {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kPi = 3.14159265358979323846;

// BOCPD's Normal-Gamma prior: kappa0 = 1 and alpha0 = 1 (a Student-t predictive with 2
// degrees of freedom for a fresh run); mu0 and beta0 come from the preceding window.
constexpr double kKappa0 = 1.0;
constexpr double kAlpha0 = 1.0;
}  // namespace

void Baseline::before(int64_t t, double* count, double* mean, double* stddev) {
  moment_push(m, t, kNaN);
  *mean = this->mean = moment_mean(m);
  *stddev = moment_stddev(m);
  *count = static_cast<double>(m.ring.size());
}

double Baseline::deviation(double v) const {
  const size_t n = m.ring.size();
  if (n == 0 || m.n_pos_inf || m.n_neg_inf) return v - mean;
  return (v - m.shift) - m.s1.value() / static_cast<double>(n);
}

void Baseline::add(int64_t t, double v) {
  // The second push at the same time only appends: the window was advanced to t by
  // before(), so nothing more expires.
  moment_push(m, t, v);
}

CusumState::CusumState(const WindowSpec& spec)
    : base(spec), drift(spec_param(spec, 0)), threshold(spec_param(spec, 1)) {}

BocpdState::BocpdState(const WindowSpec& spec) : base(spec) {
  const double lambda = spec_param(spec, 0);
  max_run = static_cast<int>(spec_param(spec, 1));
  const double h = 1.0 / lambda;
  log_h = std::log(h);
  log_1mh = std::log1p(-h);  // -inf when lambda = 1: every tick is a change point
  log_c.resize(static_cast<size_t>(max_run) + 1);
  for (int r = 0; r <= max_run; ++r) {
    // Student-t with nu = 2 alpha: log Gamma((nu+1)/2) - log Gamma(nu/2) - log(nu pi)/2.
    const double alpha = kAlpha0 + 0.5 * r;
    int sign = 0;
    log_c[static_cast<size_t>(r)] =
        ::lgamma_r(alpha + 0.5, &sign) - ::lgamma_r(alpha, &sign) - 0.5 * std::log(2 * alpha * kPi);
  }
}

}  // namespace omen::kernels::detail

using namespace omen::kernels::detail;  // the C entry points below only

extern "C" double omen_win_cusum(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<CusumState*>(state);
  double n, mean, sd;
  s.base.before(t_ms, &n, &mean, &sd);
  if (std::isnan(v)) return kNaN;
  const double d = s.base.deviation(v);
  s.base.add(t_ms, v);
  if (n < 2) return kNaN;  // no baseline yet
  // The stddev is floored at 1e-12 |mean|, which absorbs the last-bit error of the mean
  // of a constant window; a real change from a constant window is still ~1e12 sigmas.
  const double scale = std::max(sd, 1e-12 * std::fabs(mean));
  const double z = d == 0.0 ? 0.0 : d / scale;  // d / 0 = +-inf: any change from all zeros
  if (std::isnan(z)) return kNaN;               // an infinity in the window or in v
  s.pos = std::max(0.0, s.pos + z - s.drift);
  s.neg = std::max(0.0, s.neg - z - s.drift);
  const double out = s.pos >= s.neg ? s.pos : -s.neg;
  if (s.pos > s.threshold || s.neg > s.threshold) s.pos = s.neg = 0.0;  // alarm: restart
  return out;
}

extern "C" double omen_win_bocpd(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<BocpdState*>(state);
  double n, mean, sd;
  s.base.before(t_ms, &n, &mean, &sd);
  if (std::isnan(v)) return kNaN;
  s.base.add(t_ms, v);
  // The prior of a run starting now: centred on the preceding window, with its variance
  // (floored, so that a constant window still gives a proper prior).
  const double var = sd * sd;
  const double floor = 1e-12 * std::max(1.0, mean * mean);
  const double mu0 = mean;
  const double beta0 = kAlpha0 * std::max(std::isfinite(var) ? var : 0.0, floor);
  if (n < 2 || !std::isfinite(mu0) || !std::isfinite(v) || !std::isfinite(beta0)) return kNaN;
  if (!s.started) {  // P(r = 0) = 1 before the first observation
    s.started = true;
    s.prob.assign(1, 1.0);
    s.mu.assign(1, 0.0);
    s.beta.assign(1, 0.0);
  }
  const size_t len = s.prob.size();  // run lengths 0..len-1 held
  s.mu[0] = mu0;
  s.beta[0] = beta0;
  // Predictive log-densities; pred = exp(lp - max) keeps the largest at 1.
  s.scratch.resize(len);
  double lp_max = -std::numeric_limits<double>::infinity();
  for (size_t r = 0; r < len; ++r) {
    const double kappa = kKappa0 + static_cast<double>(r);
    const double alpha = kAlpha0 + 0.5 * static_cast<double>(r);
    const double scale2 = s.beta[r] * (kappa + 1.0) / (alpha * kappa);
    const double d = v - s.mu[r];
    const double lp = s.log_c[r] - 0.5 * std::log(scale2) -
                      (alpha + 0.5) * std::log1p(d * d / (2.0 * alpha * scale2));
    s.scratch[r] = lp;
    if (lp > lp_max) lp_max = lp;
  }
  // Growth to r + 1 and the change point. Runs longer than max_run are merged into it: the
  // run of length max_run stands for "at least max_run", with the statistics of the last
  // max_run samples (dropping its mass instead, as NAB does, throws away the best
  // hypothesis of a long stable stretch and reports a change every max_run samples).
  const size_t new_len = std::min(len + 1, static_cast<size_t>(s.max_run) + 1);
  const double h = std::exp(s.log_h), g = std::exp(s.log_1mh);
  double cp = 0.0, merged = 0.0;
  s.prob.resize(new_len);
  s.mu.resize(new_len);
  s.beta.resize(new_len);
  for (size_t r = len; r-- > 0;) {
    const double w = s.prob[r] * std::exp(s.scratch[r] - lp_max);
    cp += w * h;
    if (r + 1 < new_len) {
      const double kappa = kKappa0 + static_cast<double>(r);
      const double d = v - s.mu[r];
      s.prob[r + 1] = w * g + merged;
      merged = 0.0;
      s.beta[r + 1] = s.beta[r] + kappa * d * d / (2.0 * (kappa + 1.0));
      s.mu[r + 1] = (kappa * s.mu[r] + v) / (kappa + 1.0);
    } else {
      merged = w * g;  // r = max_run: joins the growth of max_run - 1
    }
  }
  s.prob[0] = cp;
  double total = 0.0;
  for (double p : s.prob) total += p;
  if (!(total > 0.0) || !std::isfinite(total)) {  // nothing explains v: start afresh
    std::fill(s.prob.begin(), s.prob.end(), 0.0);
    s.prob[0] = 1.0;
    total = 1.0;
  }
  size_t best = 0;
  for (size_t r = 0; r < new_len; ++r) {
    s.prob[r] /= total;
    if (s.prob[r] > s.prob[best]) best = r;
  }
  return static_cast<double>(best);
}
