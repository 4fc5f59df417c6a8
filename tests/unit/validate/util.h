// Helpers shared by the omen_validate unit tests: deterministic synthetic series with planted
// anomalies, and fixture paths (tests/validate/, copied from NAB, see ATTRIBUTION.md).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "omen/validate.h"

#ifndef OMEN_TEST_DIR
#error "OMEN_TEST_DIR must name the tests/ directory"
#endif

namespace omen::validate::test {

/// tests/validate/<name>.
inline std::string fixture(const std::string& name) {
  return std::string(OMEN_TEST_DIR) + "/validate/" + name;
}

/// 2024-01-01 00:00:00 UTC in ms.
inline constexpr TimeMs kStart = 1'704'067'200'000;
inline constexpr TimeMs kMinute = 60'000;

/// A deterministic uniform in [-1, 1) (64-bit LCG).
struct Lcg {
  uint64_t s;
  double next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) / static_cast<double>(1ULL << 52) - 1.0;
  }
};

/// One series `name` sampled every minute: 10 + noise in [-1, 1] + a daily-ish wave, and
/// +`height` at each row of `spikes` (each spike lasts `width` rows).
inline Batch series(size_t n, const std::vector<size_t>& spikes, double height = 20,
                    size_t width = 3, const std::string& name = "x", uint64_t seed = 7) {
  Batch b;
  b.series.push_back(SeriesKey{name, {}});
  Lcg rng{seed};
  for (size_t i = 0; i < n; ++i) {
    double v = 10 + rng.next() + 2 * std::sin(static_cast<double>(i) / 60.0);
    for (size_t s : spikes)
      if (i >= s && i < s + width) v += height;
    b.add(0, kStart + static_cast<TimeMs>(i) * kMinute, v);
  }
  return b;
}

/// Label windows [row - before, row + after] (in minutes) around each spike row.
inline score::LabelSet windows_at(const std::vector<size_t>& rows, size_t before = 2,
                                  size_t after = 8) {
  score::LabelSet ls;
  ls.source = "synthetic";
  for (size_t r : rows)
    ls.windows.push_back({kStart + static_cast<TimeMs>(r - before) * kMinute,
                          kStart + static_cast<TimeMs>(r + after) * kMinute});
  return ls;
}

/// make_data that must succeed.
inline LabelledData data(Batch b, score::LabelSet ls, DataOptions o = {}) {
  auto r = make_data(std::move(b), std::move(ls), o, "synthetic.csv");
  if (!r.ok()) throw std::runtime_error(r.error().str());
  return std::move(r.value());
}

/// `import std`, `series x = metric("x")` and the given rule text.
inline Candidate rule(const std::string& body, const std::string& name = "cand.omen") {
  return Candidate{name, "import std\nseries x = metric(\"x\")\n" + body};
}

/// The result of one gate.
inline const GateResult& gate(const Report& r, Gate g) {
  for (const auto& x : r.gates)
    if (x.gate == g) return x;
  throw std::runtime_error("no such gate");
}

}  // namespace omen::validate::test
