#include "analysis/score/csv.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace omen::score::internal {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

Result<CsvTable> parse_csv(std::string_view text, const std::string& name) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  CsvTable table;
  size_t line = 1;
  size_t pos = 0;
  bool have_header = false;
  while (pos < text.size()) {
    const size_t row_line = line;
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;      // inside quotes
    bool was_quoted = false;  // the current field was quoted (then it is not trimmed)
    bool blank = true;
    for (;;) {
      if (pos >= text.size()) {
        if (quoted) {
          return Diagnostic{name, row_line, "unterminated quoted field"};
        }
        break;
      }
      const char c = text[pos++];
      if (quoted) {
        if (c == '"') {
          if (pos < text.size() && text[pos] == '"') {
            field.push_back('"');
            ++pos;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') ++line;
          field.push_back(c);
        }
        continue;
      }
      if (c == '\n') {
        ++line;
        break;
      }
      if (c == '\r') continue;
      if (c != ' ' && c != '\t') blank = false;
      if (c == '"' && trim(field).empty()) {
        field.clear();
        quoted = true;
        was_quoted = true;
      } else if (c == ',') {
        fields.push_back(was_quoted ? field : std::string(trim(field)));
        field.clear();
        was_quoted = false;
      } else {
        field.push_back(c);
      }
    }
    if (blank && fields.empty() && !was_quoted) continue;
    fields.push_back(was_quoted ? field : std::string(trim(field)));
    if (!have_header) {
      for (auto& f : fields) table.header.push_back(lower(f));
      table.header_line = row_line;
      have_header = true;
      continue;
    }
    if (fields.size() != table.header.size()) {
      return Diagnostic{name, row_line,
                        fmt::format("expected {} fields (as in the header), found {}",
                                    table.header.size(), fields.size())};
    }
    table.rows.push_back(CsvRow{row_line, std::move(fields)});
  }
  if (!have_header) return Diagnostic{name, 0, "empty file: a header line is required"};
  return table;
}

int find_column(const CsvTable& table, std::initializer_list<std::string_view> names) {
  for (std::string_view want : names) {
    for (size_t i = 0; i < table.header.size(); ++i) {
      if (table.header[i] == want) return static_cast<int>(i);
    }
  }
  return -1;
}

std::optional<int64_t> parse_int(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  size_t i = 0;
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    i = 1;
  }
  if (i == text.size()) return std::nullopt;
  int64_t v = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    v = v * 10 + (text[i] - '0');
  }
  return negative ? -v : v;
}

std::optional<double> parse_double(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  char buf[65];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(buf, &end);
  if (end != buf + text.size()) return std::nullopt;
  return v;
}

std::optional<bool> parse_flag(std::string_view text) {
  if (text == "0" || text == "0.0" || text == "false" || text == "False") return false;
  if (text == "1" || text == "1.0" || text == "true" || text == "True") return true;
  return std::nullopt;
}

size_t line_of(std::string_view text, size_t offset) {
  size_t line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') ++line;
  }
  return line;
}

std::optional<std::string> read_text_file(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    *error = "read error";
    return std::nullopt;
  }
  return ss.str();
}

}  // namespace omen::score::internal
