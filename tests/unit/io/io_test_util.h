// Helpers for the data-reader tests.
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "core/io/dataset.h"

namespace omen::io::test {

inline Dataset read(std::string_view text, const std::string& name = "t.csv",
                    ReadOptions options = {}) {
  Dataset d;
  read_text(text, name, options, d);
  return d;
}

inline Dataset read_skipping(std::string_view text, const std::string& name = "t.csv") {
  ReadOptions options;
  options.skip_bad_rows = true;
  return read(text, name, options);
}

/// The DataError that reading `text` throws (fails the test if none).
inline DataError error_of(std::string_view text, const std::string& name = "t.csv",
                          ReadOptions options = {}) {
  try {
    read(text, name, options);
  } catch (const DataError& e) {
    return e;
  }
  FAIL("expected a DataError");
  throw;  // unreachable
}

/// Samples as "series@t=v" strings, in order, for compact comparisons.
inline std::vector<std::string> samples(const Dataset& d) {
  std::vector<std::string> out;
  for (size_t i = 0; i < d.size(); ++i) {
    out.push_back(fmt::format("{}@{}={}", format_series(d.series[d.sid[i]]), d.t[i], d.v[i]));
  }
  return out;
}

}  // namespace omen::io::test
