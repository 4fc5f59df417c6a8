// Timestamps: numbers (seconds or milliseconds), RFC 3339 and NAB's `YYYY-MM-DD HH:MM:SS`;
// durations.
#include "core/support/time.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "core/support/text.h"

namespace omen::support {

using TimeMs = int64_t;

// Howard Hinnant's days_from_civil: days since 1970-01-01 of y-m-d.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

namespace {

bool is_leap(int64_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

}  // namespace

unsigned days_in_month(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

namespace {

// Years 0000..9999: the range RFC 3339 can write.
constexpr TimeMs kMinMs = -62167219200000;  // 0000-01-01T00:00:00Z
constexpr TimeMs kMaxMs = 253402300799999;  // 9999-12-31T23:59:59.999Z

bool in_range(TimeMs t) {
  return t >= kMinMs && t <= kMaxMs;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Exactly n digits at s[i...]; -1 if not.
int digits(std::string_view s, size_t i, size_t n) {
  if (i + n > s.size()) return -1;
  int v = 0;
  for (size_t k = 0; k < n; ++k) {
    if (!is_digit(s[i + k])) return -1;
    v = v * 10 + (s[i + k] - '0');
  }
  return v;
}

// YYYY-MM-DD[(T|t| )HH:MM:SS[(.|,)frac][Z|z|±HH[:MM]|±HHMM]]
std::optional<TimeMs> date_time(std::string_view s) {
  const int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  if (y < 0 || mo < 0 || d < 0 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, mo)) {
    return std::nullopt;
  }
  const int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  if (s.size() == 10) return days * 86'400'000;

  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  const int h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2);
  if (h < 0 || mi < 0 || sec < 0 || s[13] != ':' || s[16] != ':') return std::nullopt;
  if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
  size_t i = 19;
  int ms = 0;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    ++i;
    size_t n = 0;
    while (i < s.size() && is_digit(s[i])) {
      if (n < 3) ms = ms * 10 + (s[i] - '0');
      ++n;
      ++i;
    }
    if (n == 0) return std::nullopt;
    for (; n < 3; ++n) ms *= 10;
  }
  int64_t offset_s = 0;
  if (i < s.size()) {
    if (s[i] == 'Z' || s[i] == 'z') {
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      const int sign = s[i] == '-' ? -1 : 1;
      const int oh = digits(s, i + 1, 2);
      if (oh < 0 || oh > 23) return std::nullopt;
      i += 3;
      int om = 0;
      if (i < s.size()) {
        if (s[i] == ':') ++i;
        om = digits(s, i, 2);
        if (om < 0 || om > 59) return std::nullopt;
        i += 2;
      }
      offset_s = sign * (oh * 3600 + om * 60);
    }
  }
  if (i != s.size()) return std::nullopt;
  const int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_s;
  const TimeMs t = secs * 1000 + ms;
  if (!in_range(t)) return std::nullopt;
  return t;
}

// Decimal number, exact for plain decimals: [+-]digits[.digits]; exponents go through double.
std::optional<TimeMs> parse_number(std::string_view s) {
  size_t i = 0;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    ++i;
  }
  uint64_t whole = 0;
  size_t whole_digits = 0;
  while (i < s.size() && is_digit(s[i])) {
    if (++whole_digits > 17) return std::nullopt;  // far beyond year 9999 even in ms
    whole = whole * 10 + static_cast<uint64_t>(s[i] - '0');
    ++i;
  }
  int frac[4] = {0, 0, 0, 0};  // first four fraction digits
  size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) {
      if (frac_digits < 4) frac[frac_digits] = s[i] - '0';
      ++frac_digits;
      ++i;
    }
  }
  if (whole_digits + frac_digits == 0) return std::nullopt;
  if (i < s.size()) {
    if (s[i] != 'e' && s[i] != 'E') return std::nullopt;
    double x;
    std::string_view body = s.substr(s[0] == '+' ? 1 : 0);
    auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), x);
    if (ec != std::errc() || end != body.data() + body.size()) return std::nullopt;
    return timestamp_from_number(x);
  }
  uint64_t ms;
  if (whole >= 100'000'000'000ULL) {
    ms = whole + (frac[0] >= 5 ? 1 : 0);  // already milliseconds: round the fraction
  } else {
    ms = whole * 1000 + static_cast<uint64_t>(frac[0] * 100 + frac[1] * 10 + frac[2]) +
         (frac[3] >= 5 ? 1 : 0);
  }
  const TimeMs t = neg ? -static_cast<TimeMs>(ms) : static_cast<TimeMs>(ms);
  if (!in_range(t)) return std::nullopt;
  return t;
}

}  // namespace

std::optional<TimeMs> timestamp_from_number(double x) {
  if (!std::isfinite(x)) return std::nullopt;
  const double ms = std::fabs(x) >= 1e11 ? x : x * 1000.0;
  if (ms < static_cast<double>(kMinMs) - 0.5 || ms > static_cast<double>(kMaxMs) + 0.5) {
    return std::nullopt;
  }
  const TimeMs t = std::llround(ms);
  if (!in_range(t)) return std::nullopt;
  return t;
}

std::optional<TimeMs> timestamp_from_integer(int64_t x) {
  if (x >= 100'000'000'000 || x <= -100'000'000'000) {
    if (!in_range(x)) return std::nullopt;
    return x;
  }
  return x * 1000;  // |x| < 1e11 s is within range
}

std::optional<TimeMs> parse_timestamp(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) return std::nullopt;
  if (s.size() >= 10 && s[4] == '-' && is_digit(s[0])) return date_time(s);
  return parse_number(s);
}

std::optional<int64_t> parse_date_time(std::string_view text) {
  std::string_view s = trim(text);
  if (s.size() < 10) return std::nullopt;
  return date_time(s);
}

std::string format_timestamp(TimeMs t) {
  // Floor division, so times before 1970 get a positive millisecond part.
  int64_t secs = t / 1000;
  int64_t ms = t % 1000;
  if (ms < 0) {
    ms += 1000;
    secs -= 1;
  }
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  const CivilDate c = civil_from_days(days);
  const int64_t h = rem / 3600, mi = rem / 60 % 60, s = rem % 60;
  if (ms == 0) {
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.y, c.m, c.d, h, mi, s);
  }
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", c.y, c.m, c.d, h, mi, s, ms);
}

std::optional<int64_t> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    int64_t n = 0;
    const size_t start = i;
    while (i < text.size() && is_digit(text[i])) {
      auto next = checked_mul(n, 10);
      if (next) next = checked_add(*next, text[i] - '0');
      if (!next) return std::nullopt;
      n = *next;
      ++i;
    }
    if (i == start || i == text.size()) return std::nullopt;
    int64_t unit;
    if (text.substr(i, 2) == "ms") {
      unit = 1;
      i += 2;
    } else {
      switch (text[i++]) {
        case 's':
          unit = 1000;
          break;
        case 'm':
          unit = 60'000;
          break;
        case 'h':
          unit = 3'600'000;
          break;
        case 'd':
          unit = 86'400'000;
          break;
        case 'w':
          unit = 604'800'000;
          break;
        default:
          return std::nullopt;
      }
    }
    auto part = checked_mul(n, unit);
    if (part) part = checked_add(total, *part);
    if (!part) return std::nullopt;
    total = *part;
  }
  return total;
}

std::string format_duration(int64_t ms) {
  if (ms == 0) return "0s";
  std::string out = ms < 0 ? "-" : "";
  // Unsigned, so that the most negative value has a magnitude too.
  uint64_t v = ms < 0 ? 0 - static_cast<uint64_t>(ms) : static_cast<uint64_t>(ms);
  static constexpr std::pair<uint64_t, const char*> kUnits[] = {
      {86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}};
  for (auto [size, name] : kUnits) {
    if (v >= size) {
      out += fmt::format("{}{}", v / size, name);
      v %= size;
    }
  }
  return out;
}

}  // namespace omen::support
