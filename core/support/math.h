// Special functions shared by the detector kernels and the causal statistics.
#pragma once

namespace omen::support {

/// log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b), without the cancellation
/// lgamma suffers when a parameter is large (Stirling's series for the difference).
double log_beta(double a, double b);

/// The regularized incomplete beta I_x(a, b), given x, y = 1 - x and their logarithms (all
/// passed, so that a caller who knows them more precisely than x keeps the precision: with
/// a ~ 1e5, an error of one ulp in log x would cost 1e-11). Continued fraction (modified
/// Lentz, as in Numerical Recipes).
double incomplete_beta(double a, double b, double x, double y, double log_x, double log_y);

/// I_x(a, b) from x alone: 0 for x <= 0, 1 for x >= 1.
double incomplete_beta(double a, double b, double x);

}  // namespace omen::support
