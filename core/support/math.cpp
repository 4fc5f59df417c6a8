#include "core/support/math.h"

#include <cmath>
#include <utility>

namespace omen::support {

namespace {

double log_gamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);  // lgamma writes the global signgam; lgamma_r does not
}

// The tail of Stirling's series: log Gamma(x) - [(x - 1/2) log x - x + log(2 pi) / 2],
// for x >= 20 (error < 1e-17).
double stirling_tail(double x) {
  const double r = 1.0 / x, r2 = r * r;
  return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680 - r2 / 1188))));
}

// Continued fraction of the incomplete beta function (modified Lentz), valid and fast
// for x < (a + 1) / (a + b + 2).
double beta_cf(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEps = 1e-16;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a - 1.0 + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1.0 + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < kEps) break;
  }
  return h;
}

}  // namespace

double log_beta(double a, double b) {
  if (a < b) std::swap(a, b);
  if (a < 20) return log_gamma(a) + log_gamma(b) - log_gamma(a + b);
  const double d = (a - 0.5) * std::log1p(b / a) + b * std::log(a + b) - b +
                   (stirling_tail(a + b) - stirling_tail(a));  // log Gamma(a+b) - log Gamma(a)
  return log_gamma(b) - d;
}

double incomplete_beta(double a, double b, double x, double y, double log_x, double log_y) {
  if (!(x > 0.0)) return 0.0;
  if (!(y > 0.0)) return 1.0;
  const double log_front = a * log_x + b * log_y - log_beta(a, b);
  if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(log_front) * beta_cf(a, b, x) / a;
  return 1.0 - std::exp(log_front) * beta_cf(b, a, y) / b;
}

double incomplete_beta(double a, double b, double x) {
  if (!(x > 0.0)) return 0.0;
  if (!(x < 1.0)) return 1.0;
  return incomplete_beta(a, b, x, 1.0 - x, std::log(x), std::log1p(-x));
}

}  // namespace omen::support
