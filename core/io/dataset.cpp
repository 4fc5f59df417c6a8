// Data files: reading a file, choosing its reader, and what the readers share.
//
// ===================================================================================
// Data file formats (this block is the reference; docs/cli.md copies it)
// ===================================================================================
//
// General
//   * Encoding UTF-8; a leading UTF-8 BOM is ignored. Lines end in \n or \r\n (a lone \r is
//     also a line end in CSV). Blank lines (empty or only spaces/tabs) are skipped anywhere.
//     A final newline is optional.
//   * Format::Auto picks the reader by extension, case-insensitively: .csv is CSV (wide or
//     long, decided by the header); .jsonl, .ndjson and .json are JSON lines. Any other
//     extension: a file whose first non-blank character is `{` is JSON lines, else CSV.
//   * Samples are appended in file order (rows top to bottom, columns left to right).
//   * Errors are reported as `file:line:col: message`, line and column 1-based, the column
//     a byte offset in the line pointing at the start of the offending cell. With
//     skip_bad_rows, a bad data row is dropped whole (none of its samples are kept), counted
//     in Dataset::skipped_rows, and the first 5 are kept in skipped_examples as
//     `file:line:col: message`. An unreadable file, an empty file (nothing but blank
//     lines), a bad header, and more data rows than max_rows are always errors.
//
// Timestamps (every format; see parse_timestamp)
//   * A number: unix time in seconds, possibly fractional (`1704067200`, `1704067200.25`,
//     `-86400`, `1.7e9`); a magnitude >= 1e11 is milliseconds (`1704067200000`). Rounded to
//     the millisecond.
//   * RFC 3339: `2024-01-02T03:04:05Z`, `2024-01-02T03:04:05.123+02:00`; `t`/space for `T`
//     and `z` for `Z`; offsets `+HH:MM`, `+HHMM` or `+HH`; no offset means UTC. Fractions
//     past milliseconds are truncated.
//   * `YYYY-MM-DD HH:MM:SS[.fff]` (NAB), UTC; and a bare date `YYYY-MM-DD` (midnight UTC).
//   * Dates are checked (no Feb 30, Feb 29 only in leap years, hour <= 23, second <= 59).
//     Years 0000-9999.
//
// Series keys (wide CSV headers, JSON wide keys, `series` cells and fields)
//   `name` or `name{label="value", ...}`: metric name [a-zA-Z_:][a-zA-Z0-9_:]*, label names
//   [a-zA-Z_][a-zA-Z0-9_]*, values double-quoted with escapes \" \\ \n. Only `=`; spaces
//   between tokens are allowed; a trailing comma is allowed. `{__name__="cpu"}` is `cpu`.
//   A label with an empty value is dropped (as in Prometheus). Duplicate labels are errors.
//   Labels are sorted by name.
//
// CSV: RFC 4180 quoting. A field may be enclosed in double quotes, which lets it contain
//   commas, line breaks and quotes (written as two quotes: "cpu{a=""x""}"). Spaces around
//   unquoted cells and outside quotes are ignored. Every row must have as many fields as
//   the header (`expected 3 fields, found 2`).
//
// CSV wide
//     timestamp,cpu,"mem{host=""a""}"
//     2024-01-01T00:00:00Z,0.5,1024
//     2024-01-01T00:01:00Z,,1030
//   * Header: the first column is the time column, whatever its name. Every other header
//     cell is a series key; keys must be distinct.
//   * Cells: empty = no sample for that series at that time; `NaN`/`nan` = an explicit NaN
//     sample; `Inf`/`-Inf` allowed. Otherwise a decimal number (std::from_chars syntax with
//     an optional leading `+`: `12`, `-1.5e3`, `.5`); anything else, e.g. `12abc`, is an
//     error: `bad value "12abc" in column 3 (cpu{instance="a"})`.
//
// CSV long
//     timestamp,series,labels,value
//     1704067200,cpu,host=a;dc=eu,0.5
//     1704067200,cpu,"{host=""b""}",0.7
//     1704067260,mem{host="a"},,1024
//   * Header exactly `timestamp,series,labels,value` (case-insensitive). With Format::Auto
//     a .csv file with this header is long, any other header wide.
//   * series: a series key (`cpu`, or `cpu{host="a"}`). labels: empty, `k=v;k2=v2` (spaces
//     around names and values ignored; values unquoted; a trailing `;` is fine) or
//     `{k="v",k2="v2"}`. Labels from both cells are merged; the same label with different
//     values is an error. value: as a wide cell (empty = no sample, NaN allowed).
//
// JSON lines
//     {"timestamp": "2024-01-01T00:00:00Z", "series": "cpu", "labels": {"host": "a"}, "value": 0.5}
//     {"ts": 1704067200, "cpu": 0.5, "mem{host=\"a\"}": 1024, "note": "ignored"}
//   * One JSON object per line (a file that is one JSON array is rejected).
//   * Time field: the first of `timestamp`, `ts`, `time` present; a number (seconds, or ms
//     when >= 1e11) or a string (any timestamp form above).
//   * Long row: has `series` (or `name` together with `value`), a string holding a series
//     key, plus `value` (number; null = no sample; a string "NaN"/"Inf"/"-Inf" or number)
//     and optional `labels`, an object of string values (merged as in long CSV).
//   * Wide row: otherwise every other field whose value is a number is a sample of the
//     series named by its key (a series key); null = no sample; fields of other types
//     (strings, booleans, objects, arrays) are ignored.
//   * A syntax error is reported at its line and the byte column the JSON parser stopped at:
//     `bad JSON: syntax error while parsing object key - ...`.
// ===================================================================================
#include "core/io/dataset.h"

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "core/io/reader_util.h"
#include "core/io/utf8.h"
#include "core/support/csv.h"
#include "core/support/text.h"

namespace omen::io {

namespace {

std::string render(const std::string& file, size_t line, size_t col, const std::string& message) {
  if (line == 0) return fmt::format("{}: {}", file, message);
  if (col == 0) return fmt::format("{}:{}: {}", file, line, message);
  return fmt::format("{}:{}:{}: {}", file, line, col, message);
}

// A file's contents: mapped when it is a regular file, else read into `buffer`.
class FileText {
 public:
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  FileText() = default;
  ~FileText() {
    if (map_ != nullptr) ::munmap(map_, size_);
  }

  // Returns 0 or an errno value.
  int open(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    int e = load(fd);
    ::close(fd);
    return e;
  }

  std::string_view text() const {
    return map_ != nullptr ? std::string_view(static_cast<const char*>(map_), size_) : buffer_;
  }

 private:
  int load(int fd) {
    struct stat st;
    if (::fstat(fd, &st) != 0) return errno;
    if (S_ISDIR(st.st_mode)) return EISDIR;
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
      void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        map_ = p;
        size_ = static_cast<size_t>(st.st_size);
        ::madvise(map_, size_, MADV_SEQUENTIAL);
        return 0;
      }
    }
    // Pipes, /proc files, or mmap refused: read to the end.
    char chunk[1 << 16];
    for (;;) {
      ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno;
      if (n == 0) return 0;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  void* map_ = nullptr;
  size_t size_ = 0;
  std::string buffer_;
};

std::string lower_extension(std::string_view name) {
  size_t slash = name.find_last_of('/');
  size_t dot = name.find_last_of('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  return support::to_lower(name.substr(dot + 1));
}

}  // namespace

DataError::DataError(std::string file, size_t line, size_t col, const std::string& message)
    : std::runtime_error(render(file, line, col, message)),
      file_(std::move(file)),
      line_(line),
      col_(col),
      message_(message) {}

size_t SeriesKeyHash::operator()(const SeriesKey& key) const {
  std::hash<std::string> h;
  size_t seed = h(key.name);
  auto mix = [&seed](size_t v) { seed ^= v + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2); };
  for (const auto& [name, value] : key.labels) {
    mix(h(name));
    mix(h(value));
  }
  return seed;
}

uint32_t Dataset::intern(const SeriesKey& key) {
  if (indexed_series_ > series.size()) {
    series_index_.clear();
    indexed_series_ = 0;
  }
  for (; indexed_series_ < series.size(); ++indexed_series_) {
    series_index_.emplace(series[indexed_series_], static_cast<uint32_t>(indexed_series_));
  }
  auto [it, added] = series_index_.emplace(key, static_cast<uint32_t>(series.size()));
  if (added) {
    series.push_back(key);
    ++indexed_series_;
  }
  return it->second;
}

namespace detail {

std::string quote_cell(std::string_view text) {
  if (text.size() > 60) return fmt::format("\"{}...\"", text.substr(0, 57));
  return fmt::format("\"{}\"", text);
}

FileKind detect_kind(std::string_view name, std::string_view text) {
  const std::string ext = lower_extension(name);
  if (ext == "csv") return FileKind::Csv;
  if (ext == "jsonl" || ext == "ndjson" || ext == "json") return FileKind::JsonLines;
  size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{' ? FileKind::JsonLines
                                                               : FileKind::Csv;
}

void RowErrors::bad_row(size_t line, size_t col, const std::string& message) {
  if (!options_.skip_bad_rows) throw DataError(file_, line, col, message);
  ++out_.skipped_rows;
  if (out_.skipped_examples.size() < 5) {
    out_.skipped_examples.push_back(render(file_, line, col, message));
  }
}

void RowErrors::fatal(size_t line, size_t col, const std::string& message) const {
  throw DataError(file_, line, col, message);
}

void RowErrors::too_many_rows(size_t line) const {
  throw DataError(file_, line, 1,
                  fmt::format("more than {} data rows (ReadOptions::max_rows)", options_.max_rows));
}

}  // namespace detail

void read_text(std::string_view text, const std::string& name, const ReadOptions& options,
               Dataset& out) {
  text = support::strip_bom(text);
  // Data files are decoded leniently (docs/reliability.md): an invalid UTF-8 byte in a label
  // or cell becomes U+FFFD, counted and reported once by the caller.
  std::string decoded;
  if (size_t bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    TextPos pos = text_pos(text, bad);
    decoded = std::string(text);
    out.replaced_bytes += replace_invalid_utf8(decoded);
    if (out.replaced_first.empty())
      out.replaced_first = fmt::format("{}:{}:{}", name, pos.line, pos.col);
    text = decoded;
  }
  detail::RowErrors errors(name, options, out);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    errors.fatal(1, 1, "empty file");
  }
  Format format = options.format;
  if (format == Format::Auto && detail::detect_kind(name, text) == detail::FileKind::JsonLines) {
    format = Format::JsonLines;
  }
  if (format == Format::JsonLines) {
    detail::read_json_lines(text, errors, out);
  } else {
    detail::read_csv(text, format, errors, out);
  }
}

void read_file(const std::string& path, const ReadOptions& options, Dataset& out) {
  FileText file;
  if (int e = file.open(path); e != 0) {
    throw DataError(path, 0, 0, fmt::format("cannot read file: {}", std::strerror(e)));
  }
  read_text(file.text(), path, options, out);
}

}  // namespace omen::io
