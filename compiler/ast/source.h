// Source files, locations and diagnostics (clang-style: file:line:col: error[E###]: ...).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "omen/diagnostics.h"

namespace omen {

/// A position in a source file: 1-based line and column (in characters), and the length of
/// the span on that line (for the caret underline). file == 0 means "no location".
struct Loc {
  uint32_t file = 0;
  uint32_t line = 0;
  uint32_t col = 0;
  uint32_t len = 1;
  bool valid() const { return file != 0; }
};

/// Owns the text of every file (or string) compiled in one session.
class SourceManager {
 public:
  /// Returns the file id (>= 1).
  uint32_t add(std::string name, std::string text);
  const std::string& name(uint32_t file) const { return files_[file - 1].name; }
  const std::string& text(uint32_t file) const { return files_[file - 1].text; }
  /// The text of line `line` (1-based) without its newline; empty if out of range.
  std::string_view line_text(uint32_t file, uint32_t line) const;
  size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string name;
    std::string text;
    std::vector<size_t> line_starts;
  };
  std::vector<File> files_;
};

/// Collects diagnostics (omen/diagnostics.h) with the file name and source line of their
/// location resolved; stops accepting errors after `max_errors` (the rest are counted).
/// A note attaches to the diagnostic before it.
class Diagnostics {
 public:
  explicit Diagnostics(const SourceManager* sources, size_t max_errors = 20)
      : sources_(sources), max_errors_(max_errors) {}

  void error(const Loc& loc, DiagCode code, std::string message);
  void warning(const Loc& loc, DiagCode code, std::string message);
  void note(const Loc& loc, std::string message);

  bool has_errors() const { return n_errors_ > 0; }
  size_t error_count() const { return n_errors_; }
  size_t warning_count() const { return n_warnings_; }
  /// What was reported, in order, plus a closing note when errors were suppressed.
  std::vector<Diagnostic> all() const;
  /// Warnings whose code is in this list are dropped (`--no-warn=W001`).
  void disable_warning(std::string code) { disabled_.push_back(std::move(code)); }
  void set_warnings_as_errors(bool on) { werror_ = on; }

  /// Renders every diagnostic (omen::format): location, message, source line, caret.
  std::string render(bool color = false) const;
  const SourceManager* sources() const { return sources_; }

 private:
  void add(Severity severity, const Loc& loc, DiagCode code, std::string message);
  const SourceManager* sources_;
  size_t max_errors_;
  size_t n_errors_ = 0;
  size_t n_warnings_ = 0;
  size_t suppressed_ = 0;
  bool last_dropped_ = false;  // the last error or warning was not kept: drop its notes
  bool werror_ = false;
  std::vector<std::string> disabled_;
  std::vector<Diagnostic> diags_;
};

}  // namespace omen
