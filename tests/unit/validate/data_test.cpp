// Labelled data: the three label formats on a NAB excerpt, target selection, and clear errors
// for malformed labels and data (fixtures in tests/validate/, see ATTRIBUTION.md).
#include <catch2/catch.hpp>

#include "util.h"

using omen::Batch;
using omen::Engine;
using omen::EngineStats;
using omen::SeriesKey;
using omen::TimeMs;
namespace score = omen::score;
using namespace omen::validate;
using namespace omen::validate::test;

namespace {

const std::string kKey = "realTraffic/speed_7578.csv";

std::string error_of(const Result<LabelledData>& r) {
  REQUIRE_FALSE(r.ok());
  return r.error().str();
}

}  // namespace

TEST_CASE("the three label formats give the same scores", "[data]") {
  auto nab = load_data(fixture("speed_7578.csv"), "nab:" + fixture("nab_windows.json"), kKey);
  auto win = load_data(fixture("speed_7578.csv"), "windows:" + fixture("speed_7578_windows.csv"));
  auto pts = load_data(fixture("speed_7578.csv"), "points:" + fixture("speed_7578_points.csv"));
  REQUIRE(nab.ok());
  REQUIRE(win.ok());
  REQUIRE(pts.ok());
  CHECK(nab.value().times.size() == 1127);
  CHECK(nab.value().median_interval == 5 * 60'000);
  CHECK(nab.value().target.name == "value");
  CHECK(nab.value().labels.windows.size() == 4);
  CHECK(win.value().labels.windows.size() == 4);
  CHECK(pts.value().labels.windows.size() == 4);
  const Candidate c{"spike.omen", R"(import std
series speed = metric("value")
rule SpeedDrop { on speed when robust_z(speed, 4h) < -6 })"};
  Report a = validate(c, nab.value()), b = validate(c, win.value()), p = validate(c, pts.value());
  REQUIRE(a.value);
  CHECK(a.scores.metrics.event.detected == 3);
  CHECK(*a.value == Approx(*b.value));
  CHECK(*a.value == Approx(*p.value));
  CHECK(a.scores.nab[0].normalized == Approx(b.scores.nab[0].normalized));
  CHECK(a.scores.metrics.point.tp == p.scores.metrics.point.tp);
}

TEST_CASE("malformed labels are errors with file and line", "[data]") {
  const std::string data = fixture("speed_7578.csv");
  CHECK_THAT(error_of(load_data(data, "nab:" + fixture("bad_syntax.json"), kKey)),
             Catch::Contains("bad_syntax.json:4: error: invalid JSON"));
  CHECK_THAT(
      error_of(load_data(data, "nab:" + fixture("nab_windows.json"), "realTraffic/nope.csv")),
      Catch::Contains("unknown file key 'realTraffic/nope.csv'"));
  CHECK_THAT(error_of(load_data(data, "windows:" + fixture("overlapping_windows.csv"))),
             Catch::Contains("overlapping_windows.csv:3: error:") && Catch::Contains("overlaps"));
  CHECK_THAT(error_of(load_data(data, "points:" + fixture("bad_points.csv"))),
             Catch::Contains("bad_points.csv:3: error: label must be 0 or 1"));
  CHECK_THAT(error_of(load_data(data, "windows:" + fixture("no_such_file.csv"))),
             Catch::Contains("no_such_file.csv"));
  CHECK_THAT(error_of(load_data(data, "bogus:" + fixture("speed_7578_windows.csv"))),
             Catch::Contains("error"));
  // Well-formed labels that fit no row of the data: the wrong file or key.
  CHECK_THAT(error_of(load_data(data, "windows:" + fixture("outside_windows.csv"))),
             Catch::Contains("none of the 1 label windows covers a row") &&
                 Catch::Contains("wrong labels file or key?"));
  CHECK_THAT(error_of(load_data(data, "nab:" + fixture("nab_windows.json"),
                                "artificialWithAnomaly/art_daily_jumpsup.csv")),
             Catch::Contains("none of the 1 label windows"));
}

TEST_CASE("malformed data is an error with file, line and column", "[data]") {
  const std::string labels = "windows:" + fixture("speed_7578_windows.csv");
  const std::string msg = error_of(load_data(fixture("bad_data.csv"), labels));
  CHECK_THAT(msg, Catch::Contains("bad_data.csv:5: error: column 21: bad value \"fast\""));
  CHECK_THAT(error_of(load_data(fixture("missing.csv"), labels)), Catch::Contains("missing.csv"));
  // Skipping bad rows: the rest loads, with a warning.
  DataOptions skip;
  skip.skip_bad_rows = true;
  auto ok =
      load_data(fixture("bad_data.csv"), "windows:" + fixture("outside_windows.csv"), "", skip);
  CHECK_THAT(error_of(ok), Catch::Contains("none of the 1 label windows"));
}

TEST_CASE("the scored series: the only one, or named", "[data]") {
  Batch b = series(100, {50});
  b.series.push_back(SeriesKey{"y", {{"host", "a"}}});
  b.series.push_back(SeriesKey{"y", {{"host", "b"}}});
  for (size_t i = 0; i < 10; ++i) {
    b.add(1, kStart + static_cast<TimeMs>(i) * kMinute, 1);
    b.add(2, kStart + static_cast<TimeMs>(i) * kMinute, 2);
  }
  auto ls = windows_at({50});
  auto none = make_data(b, ls);
  CHECK_THAT(error_of(none),
             Catch::Contains("the data holds 3 series") && Catch::Contains("--target"));
  auto x = make_data(b, ls, DataOptions{"x", false});
  REQUIRE(x.ok());
  CHECK(x.value().times.size() == 100);
  CHECK_THAT(error_of(make_data(b, ls, DataOptions{"y", false})),
             Catch::Contains("names 2 series"));
  auto yb = make_data(b, windows_at({5}, 1, 1), DataOptions{"y{host=\"b\"}", false});
  REQUIRE(yb.ok());
  CHECK(yb.value().values[0] == 2);
  CHECK_THAT(error_of(make_data(b, ls, DataOptions{"z", false})), Catch::Contains("no series 'z'"));
  CHECK_THAT(error_of(make_data(Batch{}, ls)), Catch::Contains("no sample"));
}

TEST_CASE("index labels past the data: warned, or an error when all are", "[data]") {
  score::LabelSet ls;
  ls.axis = score::TimeAxis::kIndex;
  ls.windows = {{10, 20}, {500, 510}};
  auto d = make_data(series(100, {}), ls);
  REQUIRE(d.ok());
  REQUIRE(d.value().warnings.size() == 1);
  CHECK_THAT(d.value().warnings[0], Catch::Contains("1 of 2 label windows are past the last row"));
  ls.windows = {{500, 510}};
  CHECK_THAT(error_of(make_data(series(100, {}), ls)), Catch::Contains("none of the 1"));
}

TEST_CASE("split and spans", "[data]") {
  const auto d = data(series(101, {50}), windows_at({50}));
  auto [train, test] = split(d, 0.5);
  CHECK(train.begin == 0);
  CHECK(train.end == 51);
  CHECK(test.begin == 51);
  CHECK(test.end == 101);
  std::vector<uint8_t> flags(101, 0);
  flags[50] = 1;
  CHECK(score_flags(d, flags, train).metrics.event.f1 == Approx(1.0));
  // The window [48, 58] straddles the cut: clipped to each side.
  CHECK(score_flags(d, flags, test).metrics.event.segments == 1);
  CHECK(score_flags(d, flags, test).metrics.event.detected == 0);
  CHECK_THROWS_AS(score_flags(d, std::vector<uint8_t>(3, 0)), std::invalid_argument);
}

TEST_CASE("timestamps going backwards or repeating stay rows", "[data]") {
  Batch b = series(20, {});
  std::swap(b.t[10], b.t[11]);  // row 10 is later than row 11
  b.t[15] = b.t[14];            // row 15 repeats row 14's time
  auto d = make_data(b, windows_at({5}, 1, 1));
  REQUIRE(d.ok());
  CHECK(d.value().times.size() == 20);
  REQUIRE_FALSE(d.value().warnings.empty());
  CHECK_THAT(d.value().warnings[0],
             Catch::Contains("1 timestamp(s) going backwards and 1 repeated"));
  Report r = validate(rule("rule R { on x when x > 0 }"), d.value());
  CHECK(r.alarmed_rows == 20);  // the dropped sample's row is alarmed: R fires at its time
  CHECK_THAT(format_text(r), Catch::Contains("dropped 0 out-of-order and 1 duplicate"));
}
