// Tools over rule files: checking and showing each stage of the compiler pipeline.
#pragma once

#include <string>
#include <vector>

#include "omen/engine.h"

namespace omen {

/// Output of check_files.
struct CheckResult {
  bool ok = false;
  size_t errors = 0, warnings = 0, rules = 0, tests = 0;
  std::vector<Diagnostic> diagnostics;  // errors and warnings, in source order
  /// clang-style text, with source lines and carets.
  std::string render() const { return format(diagnostics); }
};

/// Parses and type-checks; nothing is run.
CheckResult check_files(const std::vector<std::string>& paths, const Limits& limits = {},
                        bool warnings_as_errors = false);

/// The stages `explain` can show.
enum class Stage { Ast, Ir, Llvm, LlvmOptimized };

/// Renders one stage for every rule (or only `rule` if not empty). On failure returns false
/// and puts diagnostics in *out.
bool explain(const std::vector<std::string>& paths, Stage stage, const std::string& rule,
             std::string* out);

/// The Omen source generated for intent `intent` (docs/intents.md): its query functions and
/// burn-rate rules. On failure returns false and puts diagnostics (or the error) in *out.
bool explain_intent(const std::vector<std::string>& paths, const std::string& intent,
                    std::string* out);

}  // namespace omen
