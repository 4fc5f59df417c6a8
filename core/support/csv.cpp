#include "core/support/csv.h"

#include <cstring>

#include <fmt/format.h>

#include "core/support/text.h"

namespace omen::support {

namespace {

inline bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

}  // namespace

CsvScanner::Status CsvScanner::fail(const char* at, const char* message) {
  error_line_ = line_;
  error_col_ = static_cast<size_t>(at - line_start_) + 1;
  error_message_ = message;
  skip_line();
  return Status::Error;
}

// Moves past the end of the current line (used to resynchronize after an error).
void CsvScanner::skip_line() {
  const char* p = pos_;
  while (p < end_ && *p != '\n' && *p != '\r') ++p;
  if (p < end_) {
    if (*p == '\r' && p + 1 < end_ && p[1] == '\n') ++p;
    ++p;
    ++line_;
    line_start_ = p;
  }
  pos_ = p;
}

std::string_view CsvScanner::unescape(const char* begin, const char* end) {
  if (pool_used_ == pool_.size()) pool_.emplace_back();
  std::string& s = pool_[pool_used_++];
  s.clear();
  for (const char* p = begin; p < end; ++p) {
    s.push_back(*p);
    if (*p == '"') ++p;  // the second quote of a doubled pair
  }
  return s;
}

CsvScanner::Status CsvScanner::next(std::vector<CsvField>& fields) {
  fields.clear();
  pool_used_ = 0;

  // Skip blank lines.
  for (;;) {
    const char* p = pos_;
    while (p < end_ && is_blank(*p)) ++p;
    if (p == end_) {
      pos_ = end_;
      return Status::End;
    }
    if (*p != '\n' && *p != '\r') break;
    if (*p == '\r' && p + 1 < end_ && p[1] == '\n') ++p;
    pos_ = p + 1;
    ++line_;
    line_start_ = pos_;
  }
  record_line_ = line_;

  for (;;) {
    const char* field_begin = pos_;
    const char* q = pos_;
    while (q < end_ && is_blank(*q)) ++q;
    CsvField field;
    field.begin = field_begin;
    field.line = line_;
    field.col = static_cast<size_t>(field_begin - line_start_) + 1;
    field.quoted = q < end_ && *q == '"';
    if (q < end_ && *q == '"') {
      // Quoted field: find the closing quote, skipping doubled quotes.
      const char* s = q + 1;
      bool doubled = false;
      const char* close;
      for (;;) {
        close = static_cast<const char*>(std::memchr(s, '"', static_cast<size_t>(end_ - s)));
        if (close == nullptr) {
          pos_ = q;
          return fail(q, "unterminated quoted field");
        }
        if (close + 1 < end_ && close[1] == '"') {
          doubled = true;
          s = close + 2;
          continue;
        }
        break;
      }
      field.value = doubled ? unescape(q + 1, close)
                            : std::string_view(q + 1, static_cast<size_t>(close - q - 1));
      // Line breaks inside the quotes.
      for (const char* p = q + 1; p < close; ++p) {
        if (*p == '\n' || (*p == '\r' && p[1] != '\n')) {
          ++line_;
          line_start_ = p + 1;
        }
      }
      field.end = close + 1;
      const char* after = close + 1;
      while (after < end_ && is_blank(*after)) ++after;
      if (after < end_ && *after != ',' && *after != '\n' && *after != '\r') {
        pos_ = after;
        return fail(after, "unexpected character after closing quote");
      }
      pos_ = after;
    } else {
      const char* p = pos_;
      while (p < end_ && *p != ',' && *p != '\n' && *p != '\r') ++p;
      field.value = std::string_view(pos_, static_cast<size_t>(p - pos_));
      field.end = p;
      pos_ = p;
    }
    fields.push_back(field);

    if (pos_ < end_ && *pos_ == ',') {
      ++pos_;
      continue;
    }
    end_line_ = line_;
    end_col_ = static_cast<size_t>(pos_ - line_start_) + 1;
    if (pos_ < end_) {  // line terminator
      if (*pos_ == '\r' && pos_ + 1 < end_ && pos_[1] == '\n') ++pos_;
      ++pos_;
      ++line_;
      line_start_ = pos_;
    }
    return Status::Record;
  }
}

std::string_view strip_bom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

int CsvTable::column(std::initializer_list<std::string_view> names) const {
  for (std::string_view want : names) {
    for (size_t i = 0; i < header.cells.size(); ++i) {
      if (iequals(header.cells[i].text, want)) return static_cast<int>(i);
    }
  }
  return -1;
}

namespace {

CsvRow make_row(const CsvScanner& scanner, const std::vector<CsvField>& fields) {
  CsvRow row;
  row.line = scanner.record_line();
  row.cells.reserve(fields.size());
  for (const CsvField& f : fields) {
    row.cells.push_back(
        CsvCell{std::string(f.quoted ? f.value : trim(f.value)), f.line, f.col, f.quoted});
  }
  return row;
}

}  // namespace

CsvTable read_csv_table(std::string_view text) {
  CsvScanner scanner(strip_bom(text));
  std::vector<CsvField> fields;
  CsvTable table;
  bool have_header = false;
  for (;;) {
    const auto status = scanner.next(fields);
    if (status == CsvScanner::Status::End) break;
    if (status == CsvScanner::Status::Error) {
      throw CsvError(scanner.error_line(), scanner.error_col(), scanner.error_message());
    }
    if (!have_header) {
      table.header = make_row(scanner, fields);
      have_header = true;
      continue;
    }
    const size_t want = table.header.cells.size();
    if (fields.size() != want) {
      const std::string message =
          fmt::format("expected {} fields (as in the header), found {}", want, fields.size());
      if (fields.size() > want) throw CsvError(fields[want].line, fields[want].col, message);
      throw CsvError(scanner.end_line(), scanner.end_col(), message);
    }
    table.rows.push_back(make_row(scanner, fields));
  }
  if (!have_header) throw CsvError(1, 1, "empty file: a header line is required");
  return table;
}

}  // namespace omen::support
