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

namespace {

Range range_of(const Loc& loc) {
  if (!loc.valid()) return {};
  return {loc.line, loc.col, loc.line, loc.col + loc.len};
}

}  // namespace

void Diagnostics::add(Severity severity, const Loc& loc, DiagCode code, std::string message) {
  Diagnostic d = make_diagnostic(code, std::move(message));
  d.severity = severity;
  if (loc.valid() && sources_) {
    d.file = sources_->name(loc.file);
    d.range = range_of(loc);
    d.source_line = std::string(sources_->line_text(loc.file, loc.line));
  }
  diags_.push_back(std::move(d));
  last_dropped_ = false;
}

void Diagnostics::error(const Loc& loc, DiagCode code, std::string message) {
  if (n_errors_ >= max_errors_) {
    ++suppressed_;
    last_dropped_ = true;
    return;
  }
  ++n_errors_;
  add(Severity::Error, loc, code, std::move(message));
}

void Diagnostics::warning(const Loc& loc, DiagCode code, std::string message) {
  const std::string_view name = code_name(code);
  if (std::find(disabled_.begin(), disabled_.end(), name) != disabled_.end()) {
    last_dropped_ = true;
    return;
  }
  if (werror_) return error(loc, code, std::move(message));
  ++n_warnings_;
  add(Severity::Warning, loc, code, std::move(message));
}

void Diagnostics::note(const Loc& loc, std::string message) {
  if (last_dropped_) return;
  Note n;
  n.message = std::move(message);
  if (loc.valid() && sources_) {
    n.file = sources_->name(loc.file);
    n.range = range_of(loc);
    n.source_line = std::string(sources_->line_text(loc.file, loc.line));
  }
  if (!diags_.empty()) {
    diags_.back().notes.push_back(std::move(n));
    return;
  }
  Diagnostic d;
  d.severity = Severity::Note;
  d.file = std::move(n.file);
  d.range = n.range;
  d.message = std::move(n.message);
  d.source_line = std::move(n.source_line);
  diags_.push_back(std::move(d));
}

std::vector<Diagnostic> Diagnostics::all() const {
  std::vector<Diagnostic> out = diags_;
  if (suppressed_ > 0) {
    Diagnostic more;
    more.severity = Severity::Note;
    more.message = fmt::format("{} more errors not shown (limit {})", suppressed_, max_errors_);
    out.push_back(std::move(more));
  }
  return out;
}

std::string Diagnostics::render(bool color) const {
  return format(all(), color);
}

}  // namespace omen
