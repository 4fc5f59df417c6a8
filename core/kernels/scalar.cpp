// One definition of the scalar runtime functions (scalar.h) for both tiers.
#include <cmath>

#include "core/kernels/scalar.h"

extern "C" {
double omen_rt_exp(double x) {
  return std::exp(x);
}
double omen_rt_log(double x) {
  return std::log(x);
}
double omen_rt_pow(double x, double y) {
  return std::pow(x, y);
}
double omen_rt_fmod(double x, double y) {
  return std::fmod(x, y);
}
}
