// Distribution helpers of the detector kernels: Student's t tail and its inverse (for the
// generalized ESD critical values) and numpy's pairwise sum (for NAB's windowed Gaussian).
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/kernels/detectors.h"
#include "core/support/math.h"

namespace omen::kernels::detail {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kPi = 3.14159265358979323846;

double log_t_pdf(double t, double nu) {
  // Gamma((nu+1)/2) / Gamma(nu/2) = Gamma(1/2) / B(nu/2, 1/2), Gamma(1/2) = sqrt(pi).
  return 0.5 * std::log(kPi) - support::log_beta(nu / 2.0, 0.5) - 0.5 * std::log(nu * kPi) -
         (nu + 1.0) / 2.0 * std::log1p(t * t / nu);
}

// Wichura's AS241 (PPND16): the standard normal quantile, here from the upper tail q in
// (0, 0.5] so that tiny tails keep their precision.
double normal_upper(double q) {
  const double dq = 0.5 - q;  // = p - 0.5, exact for q <= 0.5
  if (std::fabs(dq) <= 0.425) {
    const double r = 0.180625 - dq * dq;
    return dq *
           (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) *
                    r +
                45921.953931549871457) *
                   r +
               13731.693765509461125) *
                  r +
              1971.5909503065514427) *
                 r +
             133.14166789178437745) *
                r +
            3.387132872796366608) /
           (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) *
                    r +
                21213.794301586595867) *
                   r +
               5394.1960214247511077) *
                  r +
              687.1870074920579083) *
                 r +
             42.313330701600911252) *
                r +
            1.0);
  }
  double r = std::sqrt(-std::log(q));
  double z;
  if (r <= 5.0) {
    r -= 1.6;
    z = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r +
              0.24178072517745061177) *
                 r +
             1.27045825245236838258) *
                r +
            3.64784832476320460504) *
               r +
           5.7694972214606914055) *
              r +
          4.6303378461565452959) *
             r +
         1.42343711074968357734) /
        (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r +
              0.0151986665636164571966) *
                 r +
             0.14810397642748007459) *
                r +
            0.68976733498510000455) *
               r +
           1.6763848301838038494) *
              r +
          2.05319162663775882187) *
             r +
         1.0);
  } else {
    r -= 5.0;
    z = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r +
              0.0012426609473880784386) *
                 r +
             0.026532189526576123093) *
                r +
            0.29656057182850489123) *
               r +
           1.7848265399172913358) *
              r +
          5.4637849111641143699) *
             r +
         6.6579046435011037772) /
        (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r +
              1.8463183175100546818e-5) *
                 r +
             7.868691311456132591e-4) *
                r +
            0.0148753612908506148525) *
               r +
           0.13692988092273580531) *
              r +
          0.59983220655588793769) *
             r +
         1.0);
  }
  return z;
}

}  // namespace

double student_t_sf(double t, double nu) {
  if (std::isnan(t) || !(nu > 0)) return kNaN;
  if (std::isinf(t)) return t > 0 ? 0.0 : 1.0;
  const double t2 = t * t;
  // x = nu / (nu + t^2) = 1 / (1 + t^2 / nu), y = 1 - x = t^2 / (nu + t^2)
  const double x = nu / (nu + t2), y = t2 / (nu + t2);
  const double log_x = -std::log1p(t2 / nu);
  const double log_y = std::log(t2 / nu) + log_x;
  const double tail = 0.5 * support::incomplete_beta(nu / 2.0, 0.5, x, y, log_x,
                                                     std::isfinite(log_y) ? log_y : std::log(y));
  return t >= 0 ? tail : 1.0 - tail;
}

double student_t_upper(double tail, double nu) {
  if (!(tail > 0.0 && tail <= 0.5) || !(nu > 0)) return kNaN;
  if (tail == 0.5) return 0.0;
  if (nu == 1.0) return 1.0 / std::tan(kPi * tail);
  if (nu == 2.0) return (1.0 - 2.0 * tail) / std::sqrt(2.0 * tail * (1.0 - tail));
  // Start: Cornish-Fisher expansion around the normal quantile (A&S 26.7.5).
  const double z = normal_upper(tail);
  const double z2 = z * z;
  double t = z + (z2 + 1) * z / (4 * nu) + ((5 * z2 + 16) * z2 + 3) * z / (96 * nu * nu) +
             (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / (384 * nu * nu * nu);
  if (!(t > 0) || !std::isfinite(t)) t = z;
  // Safeguarded Newton on g(u) = log sf(e^u) - log tail, u = log t: g is decreasing and,
  // in the heavy tail, close to linear in u, so this converges in a few steps.
  const double target = std::log(tail);
  double u = std::log(t);
  double lo = -std::numeric_limits<double>::infinity(),
         hi = std::numeric_limits<double>::infinity();
  for (int it = 0; it < 100; ++it) {
    const double tt = std::exp(u);
    const double sf = student_t_sf(tt, nu);
    const double g = std::log(sf) - target;
    if (g > 0)
      lo = std::max(lo, u);
    else
      hi = std::min(hi, u);
    const double dg = -std::exp(log_t_pdf(tt, nu) + u) / sf;  // d/du log sf(e^u)
    double next = u - g / dg;
    if (!std::isfinite(next) || next <= lo || next >= hi) {
      // Outside the bracket: bisect, or step out while one side is still open.
      if (std::isfinite(lo) && std::isfinite(hi))
        next = 0.5 * (lo + hi);
      else
        next = std::isfinite(lo) ? lo + 1.0 : hi - 1.0;
    }
    if (std::fabs(next - u) <= 1e-15 * std::max(1.0, std::fabs(u))) {
      u = next;
      break;
    }
    u = next;
  }
  return std::exp(u);
}

double esd_lambda(double alpha, size_t m) {
  if (m < 3) return kNaN;
  const double md = static_cast<double>(m);
  const double nu = md - 2.0;
  const double t = student_t_upper(alpha / (2.0 * md), nu);
  return (md - 1.0) * t / std::sqrt((nu + t * t) * md);
}

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
    for (; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  size_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise(a, n2) + pairwise(a + n2, n - n2);
}
}  // namespace

double numpy_sum(const double* a, size_t n) {
  return 0.0 + pairwise(a, n);
}

}  // namespace omen::kernels::detail
