#include "omen/diagnostics.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace omen {

const std::vector<DiagCodeInfo>& diag_codes() {
  static const std::vector<DiagCodeInfo> table = {
#define OMEN_DIAG(code, severity, description) \
  {DiagCode::code, #code, Severity::severity, description},
#include "omen/diagnostic_codes.def"
  };
  return table;
}

const DiagCodeInfo& info(DiagCode code) {
  return diag_codes()[static_cast<size_t>(code)];
}

std::string_view code_name(DiagCode code) {
  return info(code).name;
}

std::optional<DiagCodeInfo> find_code(std::string_view name) {
  for (const auto& row : diag_codes()) {
    if (row.name.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i)
      same = std::toupper(static_cast<unsigned char>(name[i])) == row.name[i];
    if (same) return row;
  }
  return std::nullopt;
}

Diagnostic make_diagnostic(DiagCode code, std::string message, std::string file, Range range) {
  Diagnostic d;
  d.code = std::string(code_name(code));
  d.severity = info(code).severity;
  d.file = std::move(file);
  d.range = range;
  d.message = std::move(message);
  return d;
}

std::string_view severity_name(Severity s) {
  return s == Severity::Error ? "error" : s == Severity::Warning ? "warning" : "note";
}

namespace {

// `file:line:col: kind[code]: message`, then the source line and the caret.
void render(std::string& out, Severity severity, std::string_view code, const std::string& file,
            const Range& r, const std::string& message, const std::string& source_line,
            bool color) {
  if (!file.empty() && r.valid())
    out += fmt::format("{}:{}:{}: ", file, r.line, r.col);
  else if (!file.empty())
    out += fmt::format("{}: ", file);
  if (color)
    out += severity == Severity::Error     ? "\033[1;31m"
           : severity == Severity::Warning ? "\033[1;35m"
                                           : "\033[1;36m";
  out += severity_name(severity);
  if (!code.empty()) out += fmt::format("[{}]", code);
  if (color) out += "\033[0m";
  out += fmt::format(": {}\n", message);
  if (!r.valid() || source_line.empty()) return;
  const std::string& line = source_line;
  out += fmt::format("  {}\n  ", line);
  // Keep tabs so the caret lines up under tab-indented source.
  for (uint32_t i = 1; i < r.col && i - 1 < line.size(); ++i)
    out += line[i - 1] == '\t' ? '\t' : ' ';
  out += '^';
  const uint32_t len = r.end_line == r.line && r.end_col > r.col ? r.end_col - r.col : 1;
  for (uint32_t i = 1; i < len && r.col + i - 1 < line.size() + 1; ++i) out += '~';
  out += '\n';
}

}  // namespace

std::string format(const Diagnostic& d, bool color) {
  std::string out;
  render(out, d.severity, d.code, d.file, d.range, d.message, d.source_line, color);
  for (const Note& n : d.notes)
    render(out, Severity::Note, "", n.file, n.range, n.message, n.source_line, color);
  return out;
}

std::string format(const std::vector<Diagnostic>& ds, bool color) {
  std::string out;
  for (const auto& d : ds) out += format(d, color);
  return out;
}

std::string to_json_line(const Diagnostic& d) {
  auto located = [](nlohmann::ordered_json& j, const std::string& file, const Range& r) {
    j["file"] = file;
    j["line"] = r.line;
    j["col"] = r.col;
    j["end_line"] = r.end_line;
    j["end_col"] = r.end_col;
  };
  nlohmann::ordered_json j;
  j["code"] = d.code;
  j["severity"] = severity_name(d.severity);
  located(j, d.file, d.range);
  j["message"] = d.message;
  if (!d.notes.empty()) {
    auto& notes = j["notes"] = nlohmann::ordered_json::array();
    for (const Note& n : d.notes) {
      nlohmann::ordered_json o;
      located(o, n.file, n.range);
      o["message"] = n.message;
      notes.push_back(std::move(o));
    }
  }
  if (d.fixit) {
    nlohmann::ordered_json o;
    o["line"] = d.fixit->range.line;
    o["col"] = d.fixit->range.col;
    o["end_line"] = d.fixit->range.end_line;
    o["end_col"] = d.fixit->range.end_col;
    o["replacement"] = d.fixit->replacement;
    j["fixit"] = std::move(o);
  }
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

size_t count_errors(const std::vector<Diagnostic>& ds) {
  return static_cast<size_t>(std::count_if(
      ds.begin(), ds.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

size_t count_warnings(const std::vector<Diagnostic>& ds) {
  return static_cast<size_t>(std::count_if(
      ds.begin(), ds.end(), [](const Diagnostic& d) { return d.severity == Severity::Warning; }));
}

const Diagnostic* first_error(const std::vector<Diagnostic>& ds) {
  for (const auto& d : ds)
    if (d.severity == Severity::Error) return &d;
  return nullptr;
}

}  // namespace omen
