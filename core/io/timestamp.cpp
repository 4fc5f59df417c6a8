// Timestamps: numbers (seconds or milliseconds), RFC 3339 and NAB's `YYYY-MM-DD HH:MM:SS`.
// Calendar math is done here (proleptic Gregorian, days from civil) so that parsing does not
// depend on timegm, TZ or the locale.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "core/io/dataset.h"
#include "core/io/reader_util.h"

namespace omen::io {

namespace {

// Years 0000..9999: the range RFC 3339 can write.
constexpr TimeMs kMinMs = -62167219200000;  // 0000-01-01T00:00:00Z
constexpr TimeMs kMaxMs = 253402300799999;  // 9999-12-31T23:59:59.999Z

bool in_range(TimeMs t) {
  return t >= kMinMs && t <= kMaxMs;
}

// Howard Hinnant's days_from_civil: days since 1970-01-01 of y-m-d.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t y;
  unsigned m, d;
};

Civil civil_from_days(int64_t z) {
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

bool is_leap(int64_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

unsigned days_in_month(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
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
std::optional<TimeMs> parse_date_time(std::string_view s) {
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
    return detail::timestamp_from_number(x);
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

namespace detail {

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

}  // namespace detail

std::optional<TimeMs> parse_timestamp(std::string_view text) {
  std::string_view s = detail::trim(text);
  if (s.empty()) return std::nullopt;
  if (s.size() >= 10 && s[4] == '-' && is_digit(s[0])) return parse_date_time(s);
  return parse_number(s);
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
  const Civil c = civil_from_days(days);
  const int64_t h = rem / 3600, mi = rem / 60 % 60, s = rem % 60;
  if (ms == 0) {
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.y, c.m, c.d, h, mi, s);
  }
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", c.y, c.m, c.d, h, mi, s, ms);
}

}  // namespace omen::io
