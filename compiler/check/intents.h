// Internal to compiler/check: intents (docs/intents.md). An intent is checked here and
// expanded to Omen source text (functions and rules), which the checker then parses and
// lowers like any other source, so intents run in both tiers like every rule.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/check/elaborate.h"

namespace omen::check {

/// The error budget 1 - target of a target literal, computed exactly in decimal and rounded
/// once to the nearest double (99.9% -> the double nearest 0.001, never 1 - 0.999).
struct TargetBudget {
  bool well_formed = false;  // the text is a decimal literal with at most 1000 digits
  bool in_range = false;     // 0 < target < 1
  double budget = 0;         // 1 - target, correctly rounded; 0 if it underflows
  std::string budget_text;   // 1 - target as an exact decimal, e.g. "0.001"
};

/// `text` is the literal as written, without the '%' (`percent` says whether it had one).
TargetBudget exact_budget(std::string_view text, bool percent);

/// Checks `in` against the declarations in `ctx`; on success fills `out` (name, budget,
/// period, generated source and rule names) and returns true. Errors go to ctx.diags.
bool expand_intent(Context& ctx, const ast::Intent& in, CompiledIntent* out);

}  // namespace omen::check
