// Text helpers shared by every layer: trimming, ASCII case, strict numbers, Omen string
// literals.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace omen::support {

/// Strips ASCII spaces and tabs at both ends.
std::string_view trim(std::string_view s);

/// ASCII lower case.
std::string to_lower(std::string_view s);

/// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

/// Strict number: the whole (trimmed) text must be a number for std::from_chars, with an
/// optional leading '+'. Accepts NaN/Inf/Infinity in any case; out-of-range (1e999) and
/// empty text are not numbers. Plain decimals of up to 15 digits take an exact fast path.
bool parse_double(std::string_view s, double& out);
std::optional<double> parse_double(std::string_view s);

/// Strict integer: optional sign and decimal digits only, within int64.
std::optional<int64_t> parse_int(std::string_view s);

/// An Omen string literal: `"` ... `"` with `"`, `\`, newline and tab escaped.
std::string quote(std::string_view s);

}  // namespace omen::support
