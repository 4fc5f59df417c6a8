// Scalar runtime functions with C linkage, called by both back ends (the interpreter
// directly, JIT code through its allow-list), so that transcendental results are
// bit-identical in both tiers.
#pragma once

extern "C" {
double omen_rt_exp(double x);
double omen_rt_log(double x);
double omen_rt_pow(double x, double y);
double omen_rt_fmod(double x, double y);
}
