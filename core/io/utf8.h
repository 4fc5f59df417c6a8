// UTF-8 validation and lenient decoding (docs/reliability.md, "Input policy"): sources must
// be valid UTF-8; data files and documents are decoded leniently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace omen::io {

/// Byte offset of the first byte that does not start or continue a valid UTF-8 sequence
/// (overlong forms, surrogates and code points above U+10FFFF are invalid), or npos.
size_t find_invalid_utf8(std::string_view text);

/// Replaces each invalid byte of `text` by U+FFFD (EF BF BD) and returns how many were
/// replaced; `first` (optional) receives the byte offset of the first one.
size_t replace_invalid_utf8(std::string& text, size_t* first = nullptr);

/// 1-based line and byte column of `offset` in `text`.
struct TextPos {
  size_t line = 1, col = 1;
};
TextPos text_pos(std::string_view text, size_t offset);

}  // namespace omen::io
