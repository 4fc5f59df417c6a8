// Alarm files and the conversions to per-row flags.
#include <catch2/catch.hpp>

#include "omen/score.h"
#include "test_util.h"

using namespace omen::score;
using Catch::Matchers::Contains;
using omen::TimeMs;

TEST_CASE("alarm CSV: timestamp,alarm", "[score][alarms]") {
  const auto r =
      parse_alarms("timestamp,alarm\n2024-01-01 00:00:00,0\n2024-01-01 00:01:00,1\n", "a.csv");
  REQUIRE(r.ok());
  CHECK(r.value().axis == TimeAxis::kTimestamp);
  CHECK_FALSE(r.value().scores);
  CHECK(r.value().values == std::vector<double>{0, 1});
  CHECK(r.value().times[1] - r.value().times[0] == 60'000);
}

TEST_CASE("alarm CSV: NAB results layout with anomaly_score", "[score][alarms]") {
  const auto r = read_alarms(test::fixture("nab_speed_7578_gaussian.csv"));
  REQUIRE(r.ok());
  CHECK(r.value().scores);
  CHECK(r.value().times.size() == 1127);
  CHECK(r.value().values[0] == 0.0);
  CHECK(r.value().values[1] == 1.0);
}

TEST_CASE("alarm CSV: index or row numbers", "[score][alarms]") {
  const auto r = parse_alarms("index,score\n0,0.1\n1,0.9\n", "a.csv");
  REQUIRE(r.ok());
  CHECK(r.value().axis == TimeAxis::kIndex);
  CHECK(r.value().times == std::vector<TimeMs>{0, 1});
  const auto rows = parse_alarms("alarm\n0\n1\n1\n", "a.csv");
  REQUIRE(rows.ok());
  CHECK(rows.value().times == std::vector<TimeMs>{0, 1, 2});
}

TEST_CASE("alarm CSV: errors", "[score][alarms]") {
  CHECK(parse_alarms("timestamp,alarm\n2024-01-01 00:00:00,2\n", "a.csv").error().str() ==
        "a.csv:2: error: alarm must be 0 or 1, found '2'");
  CHECK(parse_alarms("timestamp,score\n2024-01-01 00:00:00,1.5\n", "a.csv").error().line == 2);
  CHECK(parse_alarms("timestamp,score\n2024-01-01 00:00:00,nan\n", "a.csv").error().line == 2);
  CHECK_THAT(parse_alarms("timestamp,value\n", "a.csv").error().message,
             Contains("'alarm' column"));
  CHECK(parse_alarms("timestamp,alarm\n2024-01-32,1\n", "a.csv").error().line == 2);
  CHECK(parse_alarms("timestamp,alarm\n1704067200,1\n", "a.csv").error().line == 2);
}

TEST_CASE("flags from scores: score >= threshold, as NAB", "[score][alarms]") {
  const std::vector<double> s = {0.1, 0.5, 0.49999, 1.0};
  CHECK(flags_from_scores(s, 0.5) == std::vector<uint8_t>{0, 1, 0, 1});
}

TEST_CASE("flags from alarm instants", "[score][alarms]") {
  const auto t = test::minutes(5);
  const std::vector<TimeMs> alarms = {t[1], t[2] + 30'000, t[4] + 1, t[0] - 5};
  size_t dropped = 0;
  CHECK(flags_from_alarm_times(t, alarms, &dropped) == std::vector<uint8_t>{1, 1, 0, 1, 0});
  CHECK(dropped == 1);
}
