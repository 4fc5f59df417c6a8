// Calendar dates, timestamps and durations, in milliseconds (omen::TimeMs is int64_t).
// Calendar math is done here (proleptic Gregorian, H. Hinnant's days_from_civil) so that
// parsing does not depend on timegm, TZ or the locale.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace omen::support {

/// Days since 1970-01-01 of the proleptic Gregorian date y-m-d.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

struct CivilDate {
  int64_t y;
  unsigned m, d;
};
/// The date `z` days after 1970-01-01.
CivilDate civil_from_days(int64_t z);

/// 28..31.
unsigned days_in_month(int64_t y, unsigned m);

/// A timestamp in every format the data readers take, as Unix milliseconds (UTC):
///   * a number: seconds, possibly fractional (`1704067200.25`, `1.7e9`); a magnitude
///     >= 1e11 is milliseconds. Rounded to the millisecond.
///   * RFC 3339 (`2024-01-02T03:04:05.123+02:00`; `t`/space for `T`, `z` for `Z`, offsets
///     `+HH:MM`, `+HHMM`, `+HH`, none = UTC), NAB's `YYYY-MM-DD HH:MM:SS[.ffffff]`, and a
///     bare date `YYYY-MM-DD`. Dates are checked (no Feb 30); fractions past ms truncated.
/// Years 0000..9999 only. Spaces and tabs around the text are ignored.
std::optional<int64_t> parse_timestamp(std::string_view text);

/// Like parse_timestamp, but only the date formats (RFC 3339, NAB's, a bare date): a number is
/// not a time here.
std::optional<int64_t> parse_date_time(std::string_view text);

/// A numeric timestamp (from JSON): seconds, or milliseconds when |x| >= 1e11.
std::optional<int64_t> timestamp_from_number(double x);
std::optional<int64_t> timestamp_from_integer(int64_t x);

/// RFC 3339 in UTC: `2024-01-02T03:04:05Z`, with `.mmm` when the milliseconds are not zero.
std::string format_timestamp(int64_t ms);

/// Overflow-checked time arithmetic (milliseconds): nullopt instead of a wrap.
inline std::optional<int64_t> checked_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}
inline std::optional<int64_t> checked_mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

/// A duration as the language writes it: one or more `<digits><unit>` with unit ms, s, m, h,
/// d or w (`5m`, `1h30m`, `250ms`). nullopt if malformed or if the total overflows int64
/// milliseconds (`100000000000000w`).
std::optional<int64_t> parse_duration(std::string_view text);

/// The canonical text of a duration, which parse_duration reads back: the largest units first
/// (`1d1h1m1s1ms`, `4m40s`), zero as `0s`, a negative duration with a leading `-`.
std::string format_duration(int64_t ms);

}  // namespace omen::support
