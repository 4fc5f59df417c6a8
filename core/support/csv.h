// CSV: an RFC 4180 record scanner over text in memory (the data readers' fast path), and a
// table reader on top of it for the small files (labels, alarms, causal tables, graphs).
//
// Fields are string_views into the text, except quoted fields containing doubled quotes,
// which are unescaped into a pool owned by the scanner (valid until the next call to next()).
// Blank lines (empty or only spaces/tabs) between records are skipped. Line ends are \n,
// \r\n or a lone \r. A quoted field may span lines. Spaces before an opening quote and after
// a closing quote are ignored; a quote inside an unquoted field is taken literally.
#pragma once

#include <cstddef>
#include <deque>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace omen::support {

struct CsvField {
  std::string_view value;  // content: unquoted, unescaped, not trimmed
  const char* begin;       // raw extent in the text, quotes included
  const char* end;
  size_t line;  // 1-based line and byte column where the field starts
  size_t col;
  bool quoted;
};

class CsvScanner {
 public:
  enum class Status { Record, End, Error };

  explicit CsvScanner(std::string_view text)
      : pos_(text.data()), end_(text.data() + text.size()), line_start_(text.data()) {}

  /// Reads the next non-blank record into `fields`. On Error, error_line/col/message describe
  /// the problem and the scanner has moved to the line after it.
  Status next(std::vector<CsvField>& fields);

  /// Where the last record starts and where it ends (the position of its line terminator,
  /// or just past its last character).
  size_t record_line() const { return record_line_; }
  size_t end_line() const { return end_line_; }
  size_t end_col() const { return end_col_; }

  size_t error_line() const { return error_line_; }
  size_t error_col() const { return error_col_; }
  const char* error_message() const { return error_message_; }

 private:
  Status fail(const char* at, const char* message);
  void skip_line();
  std::string_view unescape(const char* begin, const char* end);

  const char* pos_;
  const char* end_;
  const char* line_start_;
  size_t line_ = 1;
  size_t record_line_ = 0, end_line_ = 0, end_col_ = 0;
  size_t error_line_ = 0, error_col_ = 0;
  const char* error_message_ = "";
  std::deque<std::string> pool_;  // deque: growing it keeps earlier strings in place
  size_t pool_used_ = 0;
};

/// Text without a leading UTF-8 byte-order mark.
std::string_view strip_bom(std::string_view text);

/// A malformed table: what and where (1-based line and byte column).
class CsvError : public std::runtime_error {
 public:
  CsvError(size_t line, size_t col, const std::string& message)
      : std::runtime_error(message), line(line), col(col) {}
  size_t line, col;
};

/// One cell of a table: its text (unquoted fields trimmed of spaces and tabs, quoted ones as
/// written between the quotes) and where it starts.
struct CsvCell {
  std::string text;
  size_t line = 0, col = 0;
  bool quoted = false;
};

struct CsvRow {
  size_t line = 0;  // where the record starts
  std::vector<CsvCell> cells;
};

/// A whole CSV file: the first record is the header, every other record must have as many
/// fields. A leading BOM is skipped, blank lines are skipped anywhere.
struct CsvTable {
  CsvRow header;
  std::vector<CsvRow> rows;
  /// Index of the first header cell equal to one of `names`, ASCII case-insensitively; -1.
  int column(std::initializer_list<std::string_view> names) const;
};

/// Reads `text` as a CSV table; throws CsvError (an empty file, a bad quote, a row whose field
/// count differs from the header's).
CsvTable read_csv_table(std::string_view text);

}  // namespace omen::support
