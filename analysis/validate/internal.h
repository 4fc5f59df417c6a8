// Helpers shared by the omen_validate sources (not installed).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace omen::validate::detail {

/// FNV-1a over bytes, continuing from `h`.
inline uint64_t fnv(uint64_t h, const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  return h;
}
inline constexpr uint64_t kFnvBasis = 14695981039346656037ULL;

/// Mixes a 64-bit value into `h` (cheaper than fnv over its bytes).
inline uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdULL;
}

inline uint64_t hash_string(std::string_view s) {
  return fnv(kFnvBasis, s.data(), s.size());
}

/// An Omen number literal that reads back as (nearly) the same double: `%.10g`, with `e`
/// exponents written so that Omen's lexer accepts them.
std::string number_literal(double v);

/// An Omen duration literal (`5m`, `1h30m`, `250ms`).
std::string duration_literal(int64_t ms);

}  // namespace omen::validate::detail
