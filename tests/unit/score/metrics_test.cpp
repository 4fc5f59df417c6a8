// Point, event (point-adjusted), delay and false-alarm metrics on hand-computed cases.
#include <catch2/catch.hpp>

#include "omen/score.h"
#include "test_util.h"

using namespace omen::score;
using omen::TimeMs;

// The running example (20 rows, one minute apart):
//   windows   A = rows 5..8, B = rows 14..15
//   alarms    rows 3, 6, 7, 10
// point:  TP = {6, 7} = 2, FP = {3, 10} = 2, FN = {5, 8, 14, 15} = 4, TN = 20 - 8 = 12
//         precision 2/4 = 0.5, recall 2/6, F1 = 2 * 0.5 * (1/3) / (0.5 + 1/3) = 0.4
// event:  segments 2, A detected (TP 1), FP = alarming rows outside segments = 2
//         precision 1/3, recall 1/2, F1 = 2 * (1/6) / (5/6) = 0.4
// delay:  A starts at row 5, first alarm in it at row 6: 1 row = 60 s
// false alarms per day: 2 over a span of 19 minutes = 2 * 1440 / 19 = 151.578947...
TEST_CASE("metrics: the running example", "[score][metrics]") {
  const auto t = test::minutes(20);
  const std::vector<Window> w = {test::rows(t, 5, 8), test::rows(t, 14, 15)};
  const auto m = evaluate(t, test::flags_at(20, {3, 6, 7, 10}), w);
  CHECK(m.rows == 20);
  CHECK(m.point.tp == 2);
  CHECK(m.point.fp == 2);
  CHECK(m.point.fn == 4);
  CHECK(m.point.tn == 12);
  CHECK(m.point.precision == Approx(0.5));
  CHECK(m.point.recall == Approx(1.0 / 3));
  CHECK(m.point.f1 == Approx(0.4));
  CHECK(m.event.segments == 2);
  CHECK(m.event.detected == 1);
  CHECK(m.event.false_positives == 2);
  CHECK(m.event.precision == Approx(1.0 / 3));
  CHECK(m.event.recall == Approx(0.5));
  CHECK(m.event.f1 == Approx(0.4));
  CHECK(m.delay.detected == 1);
  CHECK(m.delay.mean_ms == 60'000);
  CHECK(m.delay.median_rows == 1);
  CHECK(m.false_alarms == 2);
  REQUIRE(m.false_alarms_per_day);
  CHECK(*m.false_alarms_per_day == Approx(2.0 * 1440 / 19));
}

TEST_CASE("metrics: a segment counts once however many of its rows fire", "[score][metrics]") {
  const auto t = test::minutes(10);
  const std::vector<Window> w = {test::rows(t, 2, 6)};
  const auto m = evaluate(t, test::flags_at(10, {2, 3, 4, 5, 6}), w);
  CHECK(m.event.detected == 1);
  CHECK(m.event.precision == 1.0);
  CHECK(m.event.recall == 1.0);
  CHECK(m.event.f1 == 1.0);
  CHECK(m.point.tp == 5);
  CHECK(m.delay.mean_ms == 0);
}

TEST_CASE("metrics: alarms exactly on window boundaries", "[score][metrics]") {
  const auto t = test::minutes(12);
  const std::vector<Window> w = {test::rows(t, 3, 5)};
  SECTION("first and last row of the window are inside") {
    const auto first = evaluate(t, test::flags_at(12, {3}), w);
    CHECK(first.event.detected == 1);
    CHECK(first.delay.mean_rows == 0);
    const auto last = evaluate(t, test::flags_at(12, {5}), w);
    CHECK(last.event.detected == 1);
    CHECK(last.delay.mean_rows == 2);
    CHECK(last.delay.mean_ms == 120'000);
  }
  SECTION("the rows just before and just after are outside") {
    const auto m = evaluate(t, test::flags_at(12, {2, 6}), w);
    CHECK(m.event.detected == 0);
    CHECK(m.event.false_positives == 2);
    CHECK(m.point.tp == 0);
    CHECK(m.delay.detected == 0);
  }
}

TEST_CASE("metrics: no labels", "[score][metrics]") {
  const auto t = test::minutes(10);
  const auto m = evaluate(t, test::flags_at(10, {4}), {});
  CHECK(m.event.segments == 0);
  CHECK(m.event.recall == 0);
  CHECK(m.event.precision == 0);  // TP 0 / (0 + 1)
  CHECK(m.event.f1 == 0);
  CHECK(m.point.recall == 0);
  CHECK(m.false_alarms == 1);
}

TEST_CASE("metrics: no alarms", "[score][metrics]") {
  const auto t = test::minutes(10);
  const std::vector<Window> w = {test::rows(t, 2, 3)};
  const auto m = evaluate(t, std::vector<uint8_t>(10, 0), w);
  CHECK(m.point.precision == 0);
  CHECK(m.point.f1 == 0);
  CHECK(m.event.precision == 0);
  CHECK(m.event.f1 == 0);
  CHECK(m.delay.detected == 0);
  CHECK(m.false_alarms == 0);
  CHECK(*m.false_alarms_per_day == 0);
}

TEST_CASE("metrics: no labels and no alarms; empty series", "[score][metrics]") {
  const auto t = test::minutes(5);
  const auto m = evaluate(t, std::vector<uint8_t>(5, 0), {});
  CHECK(m.point.f1 == 0);
  CHECK(m.event.f1 == 0);
  const auto e = evaluate({}, {}, {});
  CHECK(e.rows == 0);
  CHECK_FALSE(e.false_alarms_per_day);
}

TEST_CASE("metrics: delay mean and median over detected segments", "[score][metrics]") {
  const auto t = test::minutes(40);
  // Segments at rows 2..6, 10..16, 20..30, 35..36 (missed); first alarms at +0, +3, +8.
  const std::vector<Window> w = {test::rows(t, 2, 6), test::rows(t, 10, 16), test::rows(t, 20, 30),
                                 test::rows(t, 35, 36)};
  const auto m = evaluate(t, test::flags_at(40, {2, 13, 15, 28}), w);
  CHECK(m.event.detected == 3);
  CHECK(m.delay.detected == 3);
  CHECK(m.delay.mean_rows == Approx(11.0 / 3));
  CHECK(m.delay.median_rows == 3);
  CHECK(m.delay.median_ms == 180'000);
}

TEST_CASE("metrics: index axis has no per-day rate", "[score][metrics]") {
  std::vector<TimeMs> t = {0, 1, 2, 3, 4};
  const auto m = evaluate(t, test::flags_at(5, {0}), std::vector<Window>{{2, 3}}, TimeAxis::kIndex);
  CHECK(m.false_alarms == 1);
  CHECK_FALSE(m.false_alarms_per_day);
}

TEST_CASE("metrics: windows covering no row are counted, not scored", "[score][metrics]") {
  const auto t = test::minutes(10);
  const std::vector<Window> w = {Window{t[9] + 1, t[9] + 100}};
  const auto m = evaluate(t, std::vector<uint8_t>(10, 0), w);
  CHECK(m.windows == 1);
  CHECK(m.empty_windows == 1);
  CHECK(m.event.segments == 0);
}

TEST_CASE("metrics: mismatched lengths are a caller bug", "[score][metrics]") {
  const auto t = test::minutes(3);
  CHECK_THROWS_AS(evaluate(t, std::vector<uint8_t>(2, 0), {}), std::invalid_argument);
}

TEST_CASE("resolve_windows: exact limits, inexact limits, backward time", "[score][windows]") {
  const auto t = test::minutes(10);
  SECTION("exact") {
    const std::vector<Window> w = {test::rows(t, 2, 4), test::rows(t, 6, 6)};
    const auto r = resolve_windows(t, w);
    REQUIRE(r[0]);
    CHECK(r[0]->first == 2);
    CHECK(r[0]->last == 4);
    CHECK(r[1]->first == 6);
    CHECK(r[1]->last == 6);
  }
  SECTION("limits between rows snap to the rows inside") {
    const std::vector<Window> w = {Window{t[2] - 1, t[4] + 1}, Window{t[6] + 1, t[6] + 2}};
    const auto r = resolve_windows(t, w);
    REQUIRE(r[0]);
    CHECK(r[0]->first == 2);
    CHECK(r[0]->last == 4);
    CHECK_FALSE(r[1]);
  }
  SECTION("a timestamp going backwards: rows stay in file order, as in NAB") {
    // Times: 0 1 2 3 [1.5] 4 5 ... minutes; window [3, 5] covers rows 3..6 in file order.
    std::vector<TimeMs> u = {0, 60'000, 120'000, 180'000, 90'000, 240'000, 300'000, 360'000};
    const std::vector<Window> w = {Window{180'000, 300'000}};
    const auto r = resolve_windows(u, w);
    REQUIRE(r[0]);
    CHECK(r[0]->first == 3);
    CHECK(r[0]->last == 6);
  }
  SECTION("a repeated timestamp: the window is left at the first row equal to its end") {
    std::vector<TimeMs> u = {0, 1, 2, 2, 3};
    const auto r = resolve_windows(u, std::vector<Window>{{1, 2}});
    CHECK(r[0]->first == 1);
    CHECK(r[0]->last == 2);
  }
}
