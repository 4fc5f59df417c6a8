// Deterministic synthetic data for the causal tests (linear-Gaussian SEMs).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "omen/causal.h"

namespace synth {

struct Gauss {
  uint64_t s;
  explicit Gauss(uint64_t seed) : s(seed) {}
  double uniform() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return (double((s >> 11) & ((1ull << 53) - 1)) + 0.5) / double(1ull << 53);
  }
  double operator()() {
    double u = uniform(), v = uniform();
    return std::sqrt(-2 * std::log(u)) * std::cos(6.283185307179586 * v);
  }
};

/// Columns named `names`, values from `gen(row, cols_so_far, noise)`.
inline omen::causal::Table table(const std::vector<std::string>& names,
                                 const std::vector<std::vector<double>>& cols) {
  omen::causal::Table t;
  for (size_t i = 0; i < names.size(); ++i) t.add_column(names[i], cols[i]);
  return t;
}

/// a -> b -> c, a -> d (n rows).
inline omen::causal::Table chain(size_t n, uint64_t seed = 7) {
  Gauss g(seed);
  std::vector<std::vector<double>> c(4, std::vector<double>(n));
  for (size_t r = 0; r < n; ++r) {
    c[0][r] = g();
    c[1][r] = 0.8 * c[0][r] + g();
    c[2][r] = 0.8 * c[1][r] + g();
    c[3][r] = 0.7 * c[0][r] + g();
  }
  return table({"a", "b", "c", "d"}, c);
}

}  // namespace synth
