// Alarm files (timestamp + alarm flag or anomaly score) and conversions to per-row flags.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "analysis/score/csv.h"
#include "omen/score.h"

namespace omen::score {

Result<AlarmSeries> parse_alarms(std::string_view text, const std::string& name) {
  auto parsed = internal::parse_csv(text, name);
  if (!parsed.ok()) return parsed.error();
  const internal::CsvTable& table = parsed.value();
  const int time_col = internal::find_column(table, {"timestamp", "time"});
  const int index_col = time_col < 0 ? internal::find_column(table, {"index"}) : -1;
  const int alarm_col = internal::find_column(table, {"alarm", "alert", "flag"});
  const int score_col =
      alarm_col < 0 ? internal::find_column(table, {"score", "anomaly_score"}) : -1;
  if (alarm_col < 0 && score_col < 0) {
    return Diagnostic{name, table.header_line,
                      "expected an 'alarm' column (0/1) or a 'score' column (anomaly score in "
                      "[0, 1]), e.g. header 'timestamp,alarm'"};
  }
  AlarmSeries out;
  out.axis = time_col >= 0 ? TimeAxis::kTimestamp : TimeAxis::kIndex;
  out.scores = score_col >= 0;
  out.times.reserve(table.rows.size());
  out.values.reserve(table.rows.size());
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    TimeMs t = static_cast<TimeMs>(r);
    if (time_col >= 0) {
      const auto parsed_time = parse_time(row.fields[time_col]);
      if (!parsed_time) {
        return Diagnostic{
            name, row.line,
            fmt::format("bad timestamp '{}' (expected YYYY-MM-DD HH:MM:SS)", row.fields[time_col])};
      }
      t = *parsed_time;
    } else if (index_col >= 0) {
      const auto parsed_index = internal::parse_int(row.fields[index_col]);
      if (!parsed_index) {
        return Diagnostic{
            name, row.line,
            fmt::format("bad index '{}' (expected an integer)", row.fields[index_col])};
      }
      t = *parsed_index;
    }
    double v = 0;
    if (alarm_col >= 0) {
      const auto flag = internal::parse_flag(row.fields[alarm_col]);
      if (!flag) {
        return Diagnostic{name, row.line,
                          fmt::format("alarm must be 0 or 1, found '{}'", row.fields[alarm_col])};
      }
      v = *flag ? 1.0 : 0.0;
    } else {
      const auto score = internal::parse_double(row.fields[score_col]);
      if (!score || !std::isfinite(*score) || *score < 0 || *score > 1) {
        return Diagnostic{
            name, row.line,
            fmt::format("score must be a number in [0, 1], found '{}'", row.fields[score_col])};
      }
      v = *score;
    }
    out.times.push_back(t);
    out.values.push_back(v);
  }
  return out;
}

Result<AlarmSeries> read_alarms(const std::string& path) {
  std::string error;
  const auto text = internal::read_text_file(path, &error);
  if (!text) return Diagnostic{path, 0, fmt::format("cannot read: {}", error)};
  return parse_alarms(*text, path);
}

std::vector<uint8_t> flags_from_scores(std::span<const double> scores, double threshold) {
  std::vector<uint8_t> flags(scores.size());
  for (size_t i = 0; i < scores.size(); ++i) flags[i] = scores[i] >= threshold ? 1 : 0;
  return flags;
}

std::vector<uint8_t> flags_from_alarm_times(std::span<const TimeMs> times,
                                            std::span<const TimeMs> alarm_times, size_t* dropped) {
  std::vector<uint8_t> flags(times.size(), 0);
  size_t lost = 0;
  // The timeline may repeat or go back (real NAB data does): "first row at or after" is taken
  // in file order, over the rows' running maximum time.
  std::vector<TimeMs> running(times.size());
  for (size_t i = 0; i < times.size(); ++i) {
    running[i] = i == 0 ? times[i] : std::max(running[i - 1], times[i]);
  }
  for (const TimeMs a : alarm_times) {
    const auto it = std::lower_bound(running.begin(), running.end(), a);
    if (it == running.end()) {
      ++lost;
      continue;
    }
    flags[static_cast<size_t>(it - running.begin())] = 1;
  }
  if (dropped) *dropped = lost;
  return flags;
}

}  // namespace omen::score
