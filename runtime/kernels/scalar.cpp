// Scalar runtime functions shared by both back ends (see compiler/ir/ir.h): one
// definition, so the interpreter and JIT code get bit-identical transcendentals.
#include <cmath>

#include "compiler/ir/ir.h"

extern "C" {
double omen_rt_exp(double x) { return std::exp(x); }
double omen_rt_log(double x) { return std::log(x); }
double omen_rt_pow(double x, double y) { return std::pow(x, y); }
double omen_rt_fmod(double x, double y) { return std::fmod(x, y); }
}
