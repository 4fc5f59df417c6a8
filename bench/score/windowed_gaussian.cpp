#include "bench/score/windowed_gaussian.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace omen::bench {
namespace {

constexpr size_t kPairwiseBlock = 128;  // numpy PW_BLOCKSIZE

double pairwise(const double* a, size_t n) {
  if (n < 8) {
    double res = 0.;
    for (size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= kPairwiseBlock) {
    double r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    size_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  size_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise(a, n2) + pairwise(a + n2, n - n2);
}

// CPython 2.7 Modules/mathmodule.c: series below 1.5, continued fraction above.
constexpr double kSqrtPi = 1.772453850905516027298167483341145182798;

double erf_series(double x) {
  const double x2 = x * x;
  double acc = 0.0;
  double fk = 25 + 0.5;
  for (int i = 0; i < 25; ++i) {
    acc = 2.0 + x2 * acc / fk;
    fk -= 1.0;
  }
  return acc * x * std::exp(-x2) / kSqrtPi;
}

double erfc_contfrac(double x) {
  if (x >= 30.0) return 0.0;
  const double x2 = x * x;
  double a = 0.0, da = 0.5, p = 1.0, p_last = 0.0, q = da + x2, q_last = 1.0;
  for (int i = 0; i < 50; ++i) {
    a += da;
    da += 2.0;
    const double b = da + x2;
    double temp = p;
    p = b * p - a * p_last;
    p_last = temp;
    temp = q;
    q = b * q - a * q_last;
    q_last = temp;
  }
  return p / q * x * std::exp(-x2) / kSqrtPi;
}

// NAB's normalProbability: the tail probability P(X > x), mirrored below the mean.
double normal_probability(double x, double mean, double std, Erfc which) {
  if (x < mean) x = 2 * mean - x;
  const double z = (x - mean) / std;
  const double arg = z / std::sqrt(2.0);
  return 0.5 * (which == Erfc::kLibm ? std::erfc(arg) : python27_erfc(arg));
}

double round_12(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return std::strtod(buf, nullptr);
}

}  // namespace

double numpy_sum(std::span<const double> a) {
  return 0.0 + pairwise(a.data(), a.size());
}

double python27_erfc(double x) {
  if (std::isnan(x)) return x;
  const double absx = std::fabs(x);
  if (absx < 1.5) return 1.0 - erf_series(x);
  const double cf = erfc_contfrac(absx);
  return x > 0.0 ? cf : 2.0 - cf;
}

std::vector<double> windowed_gaussian_scores(std::span<const double> values,
                                             const GaussianOptions& options) {
  std::vector<double> scores;
  scores.reserve(values.size());
  std::vector<double> window, step, sq;
  double mean = 0, sd = 1;
  auto update = [&] {
    const double n = static_cast<double>(window.size());
    mean = numpy_sum(window) / n;
    sq.resize(window.size());
    for (size_t i = 0; i < window.size(); ++i) {
      const double d = window[i] - mean;
      sq[i] = d * d;
    }
    sd = std::sqrt(numpy_sum(sq) / n);
    if (sd == 0.0) sd = 0.000001;
  };
  for (const double v : values) {
    double score = 0.0;
    if (!window.empty()) score = 1 - normal_probability(v, mean, sd, options.erfc);
    if (options.round_12_digits) score = round_12(score);
    scores.push_back(score);
    if (window.size() < options.window_size) {
      window.push_back(v);
      update();
    } else {
      step.push_back(v);
      if (step.size() == options.step_size) {
        window.erase(window.begin(), window.begin() + static_cast<ptrdiff_t>(options.step_size));
        window.insert(window.end(), step.begin(), step.end());
        step.clear();
        update();
      }
    }
  }
  return scores;
}

}  // namespace omen::bench
