// Small CSV and text helpers shared by the label and alarm readers (private to omen_score).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/support/text.h"
#include "omen/score.h"

namespace omen::score::internal {

/// One data row with the 1-based line it starts on.
struct CsvRow {
  size_t line = 0;
  std::vector<std::string> fields;
};

/// A parsed CSV: the header (trimmed, lower-cased) and the data rows.
struct CsvTable {
  std::vector<std::string> header;
  size_t header_line = 0;
  std::vector<CsvRow> rows;
};

/// core/support's CSV table reader (RFC 4180 quoting, CRLF or LF, a UTF-8 BOM skipped, blank
/// lines skipped, unquoted fields trimmed), with the header lower-cased. Every row must have
/// the header's field count. An empty file (no header) is an error.
Result<CsvTable> parse_csv(std::string_view text, const std::string& name);

/// Index of the first header column named one of `names` (lower case), or -1.
int find_column(const CsvTable& table, std::initializer_list<std::string_view> names);

/// Whole-string integer and floating-point numbers: core/support's strict parsers.
using support::parse_double;
using support::parse_int;

/// A 0/1 label or flag: `0`, `1`, `0.0`, `1.0`, `true`, `false`. nullopt otherwise.
std::optional<bool> parse_flag(std::string_view text);

/// 1-based line of byte `offset` in `text`.
size_t line_of(std::string_view text, size_t offset);

/// The whole file, or nullopt (with `*error` set to the OS reason) if it cannot be read.
std::optional<std::string> read_text_file(const std::string& path, std::string* error);

}  // namespace omen::score::internal
