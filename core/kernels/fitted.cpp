// fit_quantile (a bound fitted once on a training span), gauss_score (NAB's windowed
// Gaussian) and cooldown (alarm suppression): kernels whose state is not a sliding window.
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/kernels/detectors.h"
#include "core/kernels/order.h"
#include "core/kernels/push_fns.h"

namespace omen::kernels::detail {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

FitQuantileState::FitQuantileState(const WindowSpec& spec)
    : width(sane_width(spec)), q(spec_param(spec, 0)) {}

GaussianState::GaussianState(const WindowSpec& spec)
    : size(static_cast<size_t>(spec_param(spec, 0))),
      step_size(static_cast<size_t>(spec_param(spec, 1))) {}

namespace {

// numpy.quantile(x, q) ('linear') of the sorted values.
double sorted_quantile(const std::vector<double>& x, double q) {
  const size_t n = x.size();
  if (n == 0) return kNaN;
  const double h = q * static_cast<double>(n - 1);
  const double lo = std::floor(h);
  const size_t i = static_cast<size_t>(lo);
  if (i + 1 >= n) return x[n - 1];
  return lerp(x[i], x[i + 1], h - lo);
}

// NAB's anomaly_likelihood.normalProbability: P(X > x), mirrored below the mean.
double normal_probability(double x, double mean, double sd) {
  if (x < mean) x = 2 * mean - x;
  const double z = (x - mean) / sd;
  return 0.5 * std::erfc(z / std::sqrt(2.0));
}

// WindowedGaussianDetector._updateWindow: np.mean, np.std (ddof 0), 1e-6 for a zero std.
void gaussian_refit(GaussianState& s) {
  const size_t n = s.window.size();
  const double dn = static_cast<double>(n);
  s.mean = numpy_sum(s.window.data(), n) / dn;
  s.sq.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const double d = s.window[i] - s.mean;
    s.sq[i] = d * d;
  }
  s.sd = std::sqrt(numpy_sum(s.sq.data(), n) / dn);
  if (s.sd == 0.0) s.sd = 0.000001;
}

}  // namespace
}  // namespace omen::kernels::detail

using namespace omen::kernels::detail;  // the C entry points below only

extern "C" double omen_win_fit_quantile(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<FitQuantileState*>(state);
  if (s.fitted) return s.value;
  if (!s.started) {
    s.started = true;
    s.t0 = t_ms;
  }
  if (static_cast<__int128>(t_ms) - s.t0 < s.width) {  // still in [t0, t0 + width)
    if (!std::isnan(v)) s.train.push_back(v);
    return kNaN;
  }
  std::sort(s.train.begin(), s.train.end(), [](double a, double b) { return a < b; });
  s.value = sorted_quantile(s.train, s.q);
  s.fitted = true;
  std::vector<double>().swap(s.train);
  return s.value;
}

extern "C" double omen_win_gauss_score(void* state, int64_t, double v) {
  auto& s = *static_cast<GaussianState*>(state);
  if (std::isnan(v)) return kNaN;  // a missing value is not a record
  double score = 0.0;
  if (!s.window.empty()) score = 1.0 - normal_probability(v, s.mean, s.sd);
  if (s.window.size() < s.size) {
    s.window.push_back(v);
    gaussian_refit(s);
  } else {
    s.step.push_back(v);
    if (s.step.size() >= s.step_size) {
      // Slide by the step: drop the oldest step_size values (all of them if the step
      // is longer than the window, as Python's slicing does) and append the step.
      const size_t drop = std::min(s.step_size, s.window.size());
      s.window.erase(s.window.begin(), s.window.begin() + static_cast<ptrdiff_t>(drop));
      s.window.insert(s.window.end(), s.step.begin(), s.step.end());
      s.step.clear();
      gaussian_refit(s);
    }
  }
  return score;
}

extern "C" double omen_win_cooldown(void* state, int64_t t_ms, double v) {
  auto& s = *static_cast<CooldownState*>(state);
  if (std::isnan(v) || v == 0.0) return 0.0;
  if (s.fired && static_cast<__int128>(t_ms) - s.last < s.width) return 0.0;
  s.fired = true;
  s.last = t_ms;
  return 1.0;
}
