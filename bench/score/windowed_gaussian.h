// NAB's windowed-Gaussian baseline detector (numenta/NAB
// nab/detectors/gaussian/windowedGaussian_detector.py), reproduced operation by operation so that
// its anomaly scores match NAB's published results files bit for bit where possible:
//   - window of the last 6400 values, refit (mean, population std) when it grows and then every
//     100 values (the new values wait in a step buffer);
//   - mean and std as numpy computes them (pairwise summation, see numpy_sum());
//   - score = 1 - Q(|x - mean| / std), Q the normal tail probability via erfc; 0 for the first row;
//   - optionally rounded to 12 significant digits, as Python 2's str(float) wrote NAB's results
//     CSVs (the scorer read the rounded values back; a score of 0.99999999999951 became 1.0).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace omen::bench {

/// How to evaluate erfc: the C library's, or CPython 2.7's own series/continued fraction
/// (Modules/mathmodule.c m_erfc), which NAB's Python 2 results were computed with.
enum class Erfc { kLibm, kPython27 };

/// Options of the detector emulation.
struct GaussianOptions {
  size_t window_size = 6400;    ///< NAB: windowSize
  size_t step_size = 100;       ///< NAB: stepSize
  bool round_12_digits = true;  ///< emulate NAB's results CSV (Python 2 str(float))
  Erfc erfc = Erfc::kPython27;  ///< which erfc
};

/// numpy's float64 add.reduce: pairwise summation in blocks of 128 with 8 accumulators.
double numpy_sum(std::span<const double> a);

/// CPython 2.7's math.erfc.
double python27_erfc(double x);

/// Per-row anomaly scores of `values` (one series, file order).
std::vector<double> windowed_gaussian_scores(std::span<const double> values,
                                             const GaussianOptions& options = {});

}  // namespace omen::bench
