// Diagnostics as data: one model for every error and warning Omen reports (compiler, causal
// graphs, data files, I/O). Results carry std::vector<Diagnostic>; format() renders the
// clang-style text (`file:line:col: error[E020]: message`, the source line and a caret).
// Every code is a row of omen/diagnostic_codes.def (`omen explain --code E020`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omen {

enum class Severity { Error, Warning, Note };

/// Every diagnostic code (omen/diagnostic_codes.def). Emitters name codes only through this.
enum class DiagCode : uint16_t {
#define OMEN_DIAG(code, severity, description) code,
#include "omen/diagnostic_codes.def"
};

/// One row of the code table.
struct DiagCodeInfo {
  DiagCode code;
  std::string_view name;  ///< "E020"
  Severity severity;      ///< the code's own severity (warnings may be promoted by --werror)
  std::string_view description;
};

/// The whole table, in order.
const std::vector<DiagCodeInfo>& diag_codes();
const DiagCodeInfo& info(DiagCode code);
/// "E020".
std::string_view code_name(DiagCode code);
/// The row named `name` (case-insensitive), or nullopt.
std::optional<DiagCodeInfo> find_code(std::string_view name);

/// A span in a file: 1-based lines and columns (characters of the line in Omen source, bytes
/// in data files); end_col is one past the last column of the span. line == 0: no location.
struct Range {
  uint32_t line = 0, col = 0, end_line = 0, end_col = 0;
  bool valid() const { return line != 0; }
};

/// A secondary location attached to a diagnostic ("previous definition is here").
struct Note {
  std::string file;
  Range range;
  std::string message;
  std::string source_line;  ///< the text of range.line, when the source is known
};

/// A suggested edit: replace `range` of the diagnostic's file by `replacement`.
struct FixIt {
  Range range;
  std::string replacement;
};

struct Diagnostic {
  std::string code;  ///< a row of the code table ("E020"); empty for a bare note
  Severity severity = Severity::Error;
  std::string file;  ///< empty: not about a file
  Range range;
  std::string message;
  std::vector<Note> notes;
  std::optional<FixIt> fixit;
  /// The text of range.line without its newline, when the source is known; format() puts it
  /// under the message with a caret.
  std::string source_line;
};

/// Builds a diagnostic of `code` (its table severity) about `file` at `range`.
Diagnostic make_diagnostic(DiagCode code, std::string message, std::string file = {},
                           Range range = {});

/// "error", "warning", "note".
std::string_view severity_name(Severity s);

/// Renders clang-style text: `file:line:col: error[E020]: message` (`file: error...` without a
/// line, `error...` without a file), then the source line and
/// a caret under the span when the source line is known, then each note the same way.
/// `color` adds ANSI colors to the severity.
std::string format(const Diagnostic& d, bool color = false);
std::string format(const std::vector<Diagnostic>& ds, bool color = false);

/// One JSON object on one line (no newline): code, severity, file, line, col, end_line,
/// end_col, message (and notes when there are any). Invalid UTF-8 is replaced, never thrown.
std::string to_json_line(const Diagnostic& d);

size_t count_errors(const std::vector<Diagnostic>& ds);
size_t count_warnings(const std::vector<Diagnostic>& ds);
/// The first error, or null.
const Diagnostic* first_error(const std::vector<Diagnostic>& ds);

}  // namespace omen
