#include "compiler/ast/source.h"

#include <algorithm>

#include <fmt/format.h>

namespace omen {

uint32_t SourceManager::add(std::string name, std::string text) {
  File f{std::move(name), std::move(text), {0}};
  for (size_t i = 0; i < f.text.size(); ++i)
    if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
  files_.push_back(std::move(f));
  return static_cast<uint32_t>(files_.size());
}

std::string_view SourceManager::line_text(uint32_t file, uint32_t line) const {
  if (file == 0 || file > files_.size()) return {};
  const File& f = files_[file - 1];
  if (line == 0 || line > f.line_starts.size()) return {};
  size_t b = f.line_starts[line - 1];
  size_t e = line < f.line_starts.size() ? f.line_starts[line] - 1 : f.text.size();
  std::string_view s(f.text.data() + b, e - b);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

void Diagnostics::error(const Loc& loc, std::string code, std::string message) {
  if (n_errors_ >= max_errors_) {
    ++suppressed_;
    return;
  }
  ++n_errors_;
  diags_.push_back({Severity::Error, std::move(code), std::move(message), loc});
}

void Diagnostics::warning(const Loc& loc, std::string code, std::string message) {
  if (std::find(disabled_.begin(), disabled_.end(), code) != disabled_.end()) return;
  if (werror_) return error(loc, std::move(code), std::move(message));
  ++n_warnings_;
  diags_.push_back({Severity::Warning, std::move(code), std::move(message), loc});
}

void Diagnostics::note(const Loc& loc, std::string message) {
  diags_.push_back({Severity::Note, "", std::move(message), loc});
}

std::string Diagnostics::render(const Diagnostic& d, bool color) const {
  const char* kind = d.severity == Severity::Error     ? "error"
                     : d.severity == Severity::Warning ? "warning"
                                                       : "note";
  std::string out;
  if (d.loc.valid() && sources_)
    out += fmt::format("{}:{}:{}: ", sources_->name(d.loc.file), d.loc.line, d.loc.col);
  if (color)
    out += d.severity == Severity::Error     ? "\033[1;31m"
           : d.severity == Severity::Warning ? "\033[1;35m"
                                             : "\033[1;36m";
  out += kind;
  if (!d.code.empty()) out += fmt::format("[{}]", d.code);
  if (color) out += "\033[0m";
  out += fmt::format(": {}\n", d.message);
  if (d.loc.valid() && sources_) {
    std::string_view line = sources_->line_text(d.loc.file, d.loc.line);
    if (!line.empty()) {
      out += fmt::format("  {}\n  ", line);
      // Keep tabs so the caret lines up under tab-indented source.
      for (uint32_t i = 1; i < d.loc.col && i - 1 < line.size(); ++i)
        out += line[i - 1] == '\t' ? '\t' : ' ';
      out += '^';
      for (uint32_t i = 1; i < d.loc.len && d.loc.col + i - 1 < line.size() + 1; ++i) out += '~';
      out += '\n';
    }
  }
  return out;
}

std::string Diagnostics::render(bool color) const {
  std::string out;
  for (const auto& d : diags_) out += render(d, color);
  if (suppressed_ > 0)
    out += fmt::format("note: {} more errors not shown (limit {})\n", suppressed_, max_errors_);
  return out;
}

}  // namespace omen
