// Reading time-series data files into a Batch: CSV (wide or long) and JSON lines.
// Formats are described in docs/cli.md ("Data files").
#pragma once

#include <string>
#include <vector>

#include "omen/diagnostics.h"
#include "omen/engine.h"

namespace omen {

struct DataReadOptions {
  bool skip_bad_rows = false;  // false: the first bad row fails the whole file
  size_t max_rows = 100'000'000;
};

struct DataReadResult {
  bool ok = false;
  /// When !ok, the error as data: E100 (bad content, with line and byte column) or E101 (the
  /// file cannot be read).
  std::vector<Diagnostic> diagnostics;
  std::string error;  // the same, one line: "file:line:col: message"
  size_t rows = 0;    // samples added
  size_t skipped_rows = 0;
  std::vector<std::string> skipped_examples;  // the first few skipped rows, with reasons
  size_t replaced_bytes = 0;   // invalid UTF-8 bytes replaced by U+FFFD (docs/reliability.md)
  std::string replaced_first;  // "file:line:col" of the first one
};

/// Appends the file's samples to `batch` (series are merged by key). On error nothing is
/// appended.
DataReadResult read_data_file(const std::string& path, const DataReadOptions& options,
                              Batch& batch);

}  // namespace omen
