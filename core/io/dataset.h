// Reading time-series data files: CSV (wide and long), JSON lines, and promtool's
// expanding series notation used by test blocks.
//
// A Dataset is columnar: samples are kept in file order (the engine sorts them by time
// when it needs to), each naming its series by index into `series`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/support/time.h"
#include "omen/types.h"

namespace omen::io {

/// Hash of a series key (name and labels), for hash maps keyed by SeriesKey.
struct SeriesKeyHash {
  size_t operator()(const SeriesKey& key) const;
};

struct Dataset {
  std::vector<SeriesKey> series;  // distinct series, in order of first appearance
  std::vector<uint32_t> sid;      // per sample: index into series
  std::vector<TimeMs> t;          // per sample: timestamp (ms)
  std::vector<double> v;          // per sample: value (NaN allowed: an explicit missing value)
  size_t skipped_rows = 0;        // rows skipped under ReadOptions::skip_bad_rows
  std::vector<std::string> skipped_examples;  // up to 5 "file:line:col: reason" of skipped rows
  size_t replaced_bytes = 0;   // invalid UTF-8 bytes replaced by U+FFFD (lenient decoding)
  std::string replaced_first;  // "file:line:col" of the first one

  size_t size() const { return t.size(); }
  /// Index of the series, adding it if new. `key` should be normalized (sorted labels), as the
  /// readers and parse_series_key produce it. Amortized O(1).
  uint32_t intern(const SeriesKey& key);

  // Lookup index for intern(): covers series[0, indexed_series_). Series appended directly to
  // `series` are picked up on the next intern(); if `series` shrinks the index is rebuilt.
  // Editing an existing entry of `series` in place is not supported.
  std::unordered_map<SeriesKey, uint32_t, SeriesKeyHash> series_index_;
  size_t indexed_series_ = 0;
};

enum class Format { Auto, CsvWide, CsvLong, JsonLines };

struct ReadOptions {
  Format format = Format::Auto;   // Auto: by extension (.csv / .jsonl .ndjson .json) and header
  bool skip_bad_rows = false;     // false: the first bad row is an error
  size_t max_rows = 100'000'000;  // data rows per file (bad ones too); more is an error
};

/// Error in a data file, with its location (1-based line and byte column). what() is
/// "file:line:col: message"; "file:line: message" when col is 0 and "file: message" when line
/// is 0 (e.g. a file that cannot be read).
class DataError : public std::runtime_error {
 public:
  DataError(std::string file, size_t line, size_t col, const std::string& message);
  const std::string& file() const { return file_; }
  size_t line() const { return line_; }
  size_t col() const { return col_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  size_t line_, col_;
  std::string message_;
};

/// Reads one file. Throws DataError on bad input (unless skip_bad_rows; a bad header, an empty
/// file, an unreadable file or exceeding max_rows is always an error). Appends to `out` (series
/// are interned). The formats are described at the top of core/io/dataset.cpp.
void read_file(const std::string& path, const ReadOptions& options, Dataset& out);

/// Same, from text already in memory; `name` is used in error messages.
void read_text(std::string_view text, const std::string& name, const ReadOptions& options,
               Dataset& out);

/// Timestamps, in every format the readers take (core/support/time.h): a number (unix
/// seconds; a magnitude >= 1e11 is milliseconds), RFC 3339, NAB's `YYYY-MM-DD HH:MM:SS[.fff]`,
/// a bare date. Formatting writes RFC 3339 UTC.
using support::format_timestamp;
using support::parse_timestamp;

/// Parses a series selector with equality matchers only, as used in data headers and test
/// inputs: `cpu`, `cpu{instance="a",job="x"}`. Values take the escapes \" \\ \n; spaces
/// between tokens and a trailing comma are allowed; `{__name__="cpu"}` is `cpu`. Labels come
/// back sorted; a label with an empty value is dropped (as in Prometheus). Throws
/// std::invalid_argument with a message ending in "at offset N" (0-based byte offset).
SeriesKey parse_series_key(std::string_view text);

/// promtool's expanding notation: space-separated items `a`, `a+bxn`, `a-bxn`, `axn`
/// (n+1 values a, a+b, ..., a+n*b; `axn` repeats a n+1 times), `_` (one missing sample),
/// `_xn` (n missing, as in promtool: `_x3` is `_ _ _`), `stale` (treated as missing),
/// `NaN`/`Inf`/`-Inf` as values. nullopt = missing (no sample).
/// Throws std::invalid_argument naming the offending item and its 0-based offset.
std::vector<std::optional<double>> expand_series_notation(std::string_view text);

}  // namespace omen::io
