// Private helpers shared by the data readers in core/io/. Not part of the public API.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/io/dataset.h"
#include "core/support/text.h"
#include "core/support/time.h"
#include "omen/types.h"

namespace omen::io::detail {

using support::parse_double;
using support::timestamp_from_integer;
using support::timestamp_from_number;
using support::trim;

/// `"text"` for messages, shortened past 60 bytes.
std::string quote_cell(std::string_view text);

/// Metric name: [a-zA-Z_:][a-zA-Z0-9_:]*. Label name: [a-zA-Z_][a-zA-Z0-9_]*.
bool is_metric_name(std::string_view s);
bool is_label_name(std::string_view s);

/// Labels of the long CSV `labels` cell: empty, `k=v;k2=v2` or `{k="v",k2="v2"}`. Returns
/// the labels unsorted, empty values dropped. Throws std::invalid_argument.
Labels parse_labels_cell(std::string_view text);

/// Adds `extra` to `key`'s labels and normalizes. Throws std::invalid_argument if a label is
/// given in both with different values.
void merge_labels(SeriesKey& key, Labels extra);

/// Which reader takes a file under Format::Auto: by extension (.csv; .jsonl .ndjson .json),
/// otherwise by the first non-blank character (`{` is JSON lines, anything else CSV).
enum class FileKind { Csv, JsonLines };
FileKind detect_kind(std::string_view name, std::string_view text);

/// Error policy for one read: data-row errors throw, or are counted under skip_bad_rows;
/// fatal errors always throw. Also enforces max_rows.
class RowErrors {
 public:
  RowErrors(const std::string& file, const ReadOptions& options, Dataset& out)
      : file_(file), options_(options), out_(out) {}

  /// A bad data row at (line, col): throws, or counts the row as skipped.
  void bad_row(size_t line, size_t col, const std::string& message);
  /// A bad header, an empty file...: always throws.
  [[noreturn]] void fatal(size_t line, size_t col, const std::string& message) const;
  /// Counts one data row (good or bad) and throws once there are more than max_rows.
  void count_row(size_t line) {
    if (++rows_ > options_.max_rows) too_many_rows(line);
  }

  const std::string& file() const { return file_; }

 private:
  [[noreturn]] void too_many_rows(size_t line) const;

  const std::string& file_;
  const ReadOptions& options_;
  Dataset& out_;
  size_t rows_ = 0;
};

/// CSV, wide or long. `format` is CsvWide, CsvLong, or Auto (decided by the header).
/// `text` has no BOM. Appends to `out`.
void read_csv(std::string_view text, Format format, RowErrors& errors, Dataset& out);

/// JSON lines. `text` has no BOM. Appends to `out`.
void read_json_lines(std::string_view text, RowErrors& errors, Dataset& out);

}  // namespace omen::io::detail
