#include "core/support/keywords.h"

#include <algorithm>

namespace omen::support {

const std::vector<Keyword>& keywords() {
  static const std::vector<Keyword> list = {
#include "keywords.inc"
  };
  return list;
}

namespace {

const Keyword* find(std::string_view word) {
  const auto& list = keywords();
  auto it = std::lower_bound(list.begin(), list.end(), word,
                             [](const Keyword& k, std::string_view w) { return k.word < w; });
  return it != list.end() && it->word == word ? &*it : nullptr;
}

}  // namespace

bool is_reserved_word(std::string_view word) {
  const Keyword* k = find(word);
  return k != nullptr && k->reserved;
}

bool is_keyword(std::string_view word) {
  return find(word) != nullptr;
}

}  // namespace omen::support
