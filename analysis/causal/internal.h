// Private helpers shared by the omen_causal sources (not installed, may use Eigen).
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "omen/causal.h"

namespace omen::causal::internal {

/// Throws CausalError(code, message, {file, line, col}).
[[noreturn]] void fail(const std::string& code, const std::string& message,
                       const std::string& file = {}, int line = 0, int col = 0);

/// Reads a whole file; throws CausalError("io").
std::string read_file(const std::string& path);

/// Splits text into lines (handles \r\n); keeps empty lines so line numbers stay right.
std::vector<std::string_view> split_lines(std::string_view text);
/// A table cell: empty, "nan", "NaN", "NA" or "null" -> NaN; else a strict number
/// (core/support); nullopt on garbage.
std::optional<double> parse_number(std::string_view s);

/// Rows of `t` (restricted to `cols`) with no NaN, as an n x k matrix.
Eigen::MatrixXd complete_rows(const Table& t, const std::vector<size_t>& cols);
/// Correlation matrix of the columns of x (n x p), as numpy.corrcoef. Throws
/// CausalError("singular") naming constant columns or a collinear set.
Eigen::MatrixXd correlation_matrix(const Eigen::MatrixXd& x, const std::vector<std::string>& names);

/// Standard normal CDF.
double normal_cdf(double x);
/// Upper tail P(F > f) of an F(d1, d2) distribution.
double f_sf(double f, double d1, double d2);

/// Deterministic 64-bit generator (splitmix64), same sequence on every platform.
struct Rng {
  uint64_t state;
  explicit Rng(uint64_t seed) : state(seed) {}
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n).
  size_t below(size_t n) { return static_cast<size_t>(next() % n); }
};

/// Median of a copy of v (NaN skipped); NaN if empty.
double median(std::vector<double> v);
/// Quantile with linear interpolation (numpy default), NaN skipped.
double quantile(std::vector<double> v, double q);

}  // namespace omen::causal::internal
