// promtool's expanding series notation, as used by the `input_series` of test files.
#include <charconv>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "core/io/dataset.h"

namespace omen::io {

namespace {

// Limit on the total number of values (to keep a typo such as `1x1000000000` from
// exhausting memory).
constexpr uint64_t kMaxValues = 10'000'000;

// A number as promtool's lexer reads it: from_chars syntax (1e3, .5, NaN, Inf) with an
// optional sign. Returns the end of the number, or nullptr.
const char* read_number(const char* p, const char* end, double& out) {
  const char* start = p;
  if (p < end && *p == '+') ++p;
  if (p < end && (*p == '+' || (*p == '-' && start != p))) return nullptr;  // "+-2", "++2"
  auto [q, ec] = std::from_chars(p, end, out);
  if (ec != std::errc()) return nullptr;
  return q;
}

// Repeat count after 'x': decimal digits only.
bool read_count(std::string_view s, uint64_t& n) {
  if (s.empty() || s.size() > 9) return false;
  n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

}  // namespace

std::vector<std::optional<double>> expand_series_notation(std::string_view text) {
  std::vector<std::optional<double>> out;
  size_t i = 0;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < text.size()) {
    if (is_space(text[i])) {
      ++i;
      continue;
    }
    const size_t offset = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    const std::string_view item = text.substr(offset, i - offset);
    auto bad = [&](std::string_view why) -> std::invalid_argument {
      return std::invalid_argument(
          fmt::format("bad series item \"{}\" at offset {}: {}", item, offset, why));
    };
    auto reserve = [&](uint64_t n) {
      if (out.size() + n > kMaxValues) {
        throw bad(fmt::format("expands past {} values", kMaxValues));
      }
    };

    if (item == "_" || item == "stale") {
      out.emplace_back(std::nullopt);
      continue;
    }
    if (item.substr(0, 2) == "_x") {
      uint64_t n;
      if (!read_count(item.substr(2), n)) throw bad("expected a count after '_x'");
      reserve(n);
      out.insert(out.end(), n, std::nullopt);
      continue;
    }
    const char* p = item.data();
    const char* end = p + item.size();
    double a;
    p = read_number(p, end, a);
    if (p == nullptr) throw bad("expected a number, '_' or 'stale'");
    if (p == end) {
      out.emplace_back(a);
      continue;
    }
    double b = 0;
    if (*p == '+' || *p == '-') {
      const bool minus = *p == '-';
      ++p;
      if (p == end || *p == '+' || *p == '-') throw bad("expected a number after the sign");
      auto [q, ec] = std::from_chars(p, end, b);
      if (ec != std::errc()) throw bad("expected a number after the sign");
      if (minus) b = -b;
      p = q;
      if (p == end || *p != 'x') throw bad("expected 'x' and a count after the increment");
    }
    if (*p != 'x') throw bad(fmt::format("unexpected '{}'", *p));
    uint64_t n;
    if (!read_count(std::string_view(p + 1, static_cast<size_t>(end - p - 1)), n)) {
      throw bad("expected a count after 'x'");
    }
    reserve(n + 1);
    // Accumulated as promtool does (a, a+b, a+b+b, ...), so values match it bit for bit.
    for (uint64_t k = 0; k <= n; ++k) {
      out.emplace_back(a);
      a += b;
    }
  }
  return out;
}

}  // namespace omen::io
