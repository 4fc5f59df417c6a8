// Timestamps as NAB writes them (`YYYY-MM-DD HH:MM:SS[.ffffff]`, UTC); the parsing and the
// calendar are core/support's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "core/support/time.h"
#include "omen/score.h"

namespace omen::score {

std::optional<TimeMs> parse_time(std::string_view s) {
  return support::parse_date_time(s);
}

std::string format_time(TimeMs t) {
  int64_t days = t / 86'400'000;
  int64_t ms = t % 86'400'000;
  if (ms < 0) {
    ms += 86'400'000;
    --days;
  }
  const support::CivilDate c = support::civil_from_days(days);
  const int64_t secs = ms / 1000;
  std::string out = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", c.y, c.m, c.d, secs / 3600,
                                secs / 60 % 60, secs % 60);
  if (ms % 1000 != 0) out += fmt::format(".{:03}", ms % 1000);
  return out;
}

}  // namespace omen::score
