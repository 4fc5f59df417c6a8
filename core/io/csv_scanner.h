// RFC 4180 record scanner over text in memory. Private to core/io/.
//
// Fields are string_views into the text, except quoted fields containing doubled quotes,
// which are unescaped into a pool owned by the scanner (valid until the next call to next()).
// Blank lines (empty or only spaces/tabs) between records are skipped. Line ends are \n,
// \r\n or a lone \r. A quoted field may span lines. Spaces before an opening quote and after
// a closing quote are ignored; a quote inside an unquoted field is taken literally.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace omen::io::detail {

struct CsvField {
  std::string_view value;  // content: unquoted, unescaped, not trimmed
  const char* begin;       // raw extent in the text, quotes included
  const char* end;
  size_t line;  // 1-based line and byte column where the field starts
  size_t col;
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

}  // namespace omen::io::detail
