// The keywords of the Omen language, generated at build time from grammar/Omen.g4
// (core/support/keywords.cmake), so that every tool that writes Omen source agrees with
// the parser about which words need care.
#pragma once

#include <string_view>
#include <vector>

namespace omen::support {

struct Keyword {
  std::string_view word;
  bool reserved;  // true: never a name; false: the grammar's `name` rule accepts it too
};

/// Every keyword of the grammar, in alphabetical order.
const std::vector<Keyword>& keywords();

/// Whether `word` is a keyword that cannot be used as a name (rule, series, label, node...):
/// `rule`, `when`, `at`, `and`, ...
bool is_reserved_word(std::string_view word);

/// Whether `word` is any keyword of the grammar, reserved or not.
bool is_keyword(std::string_view word);

}  // namespace omen::support
