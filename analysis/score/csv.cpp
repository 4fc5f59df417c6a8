#include "analysis/score/csv.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/support/csv.h"
#include "core/support/text.h"

namespace omen::score::internal {

Result<CsvTable> parse_csv(std::string_view text, const std::string& name) {
  support::CsvTable csv;
  try {
    csv = support::read_csv_table(text);
  } catch (const support::CsvError& e) {
    return Diagnostic{name, e.line, fmt::format("column {}: {}", e.col, e.what())};
  }
  CsvTable table;
  for (const auto& cell : csv.header.cells) table.header.push_back(support::to_lower(cell.text));
  table.header_line = csv.header.line;
  table.rows.reserve(csv.rows.size());
  for (auto& row : csv.rows) {
    CsvRow out{row.line, {}};
    out.fields.reserve(row.cells.size());
    for (auto& cell : row.cells) out.fields.push_back(std::move(cell.text));
    table.rows.push_back(std::move(out));
  }
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
