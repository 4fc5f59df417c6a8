// Helpers shared by the omen_score unit tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "omen/score.h"

#ifndef OMEN_TEST_DIR
#error "OMEN_TEST_DIR must name the tests/ directory"
#endif

namespace omen::score::test {

/// tests/score/<name>: fixtures copied from NAB (see tests/score/ATTRIBUTION.md).
inline std::string fixture(const std::string& name) {
  return std::string(OMEN_TEST_DIR) + "/score/" + name;
}

/// A regular timeline: n rows, one minute apart, from 2024-01-01 00:00:00.
inline std::vector<TimeMs> minutes(size_t n) {
  const TimeMs base = *parse_time("2024-01-01 00:00:00");
  std::vector<TimeMs> t(n);
  for (size_t i = 0; i < n; ++i) t[i] = base + static_cast<TimeMs>(i) * 60'000;
  return t;
}

/// Flags with 1 at the given rows.
inline std::vector<uint8_t> flags_at(size_t n, std::initializer_list<size_t> rows) {
  std::vector<uint8_t> f(n, 0);
  for (size_t r : rows) f[r] = 1;
  return f;
}

/// The window covering rows [first, last] of `t`.
inline Window rows(const std::vector<TimeMs>& t, size_t first, size_t last) {
  return Window{t[first], t[last]};
}

}  // namespace omen::score::test
