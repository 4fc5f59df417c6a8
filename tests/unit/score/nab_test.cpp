// The NAB scorer against hand arithmetic from NAB's formulas, NAB's threshold sweep, and one NAB
// series scored by NAB itself (tests/score/ATTRIBUTION.md).
//
// NAB's formulas (nab/sweeper.py), written with scaledSigmoid(x) = 2 / (1 + e^(5x)) - 1, which is
// tanh(-2.5 x) (and -1 for x > 3):
//   detection in window rows [a, b], at row i:  tp * scaledSigmoid(-(b - i + 1) / (b - a + 1))
//                                                  / scaledSigmoid(-1)
//   detection outside, after window [a, b]:     fp * scaledSigmoid(|b - i| / (b - a))
//   detection outside, before every window:     -fp
//   window without detection:                   -fn;  with several: only the best (earliest) one
//   rows before min(floor(0.15 n), 750) are not scored
//   normalized = 100 * (raw - null) / (perfect - null), null = -fn * windows, perfect = tp *
//   windows
#include <cmath>

#include <catch2/catch.hpp>

#include "omen/score.h"
#include "test_util.h"

using namespace omen::score;
using omen::TimeMs;

namespace {

NabResult score_flags(const std::vector<TimeMs>& t, const std::vector<uint8_t>& f,
                      const std::vector<Window>& w, const NabProfile& p = kNabStandard) {
  return nab_score_flags(t, f, w, p);
}

}  // namespace

TEST_CASE("NAB scaled sigmoid", "[score][nab]") {
  CHECK(nab_scaled_sigmoid(-1.0) == Approx(0.9866142981514303));  // tanh(2.5)
  CHECK(nab_scaled_sigmoid(-0.5) == Approx(0.8482836399575129));  // tanh(1.25)
  CHECK(nab_scaled_sigmoid(0.0) == 0.0);
  CHECK(nab_scaled_sigmoid(1.0) == Approx(-0.9866142981514303));
  CHECK(nab_scaled_sigmoid(3.0) == Approx(std::tanh(-7.5)));  // 3.0 itself is not "> 3"
  CHECK(nab_scaled_sigmoid(3.0001) == -1.0);
}

TEST_CASE("NAB profiles are config/profiles.json's", "[score][nab]") {
  const auto p = nab_profiles();
  REQUIRE(p.size() == 3);
  CHECK(p[0].name == "standard");
  CHECK((p[0].tp_weight == 1.0 && p[0].fp_weight == 0.11 && p[0].fn_weight == 1.0));
  CHECK(p[1].name == "reward_low_FP_rate");
  CHECK((p[1].tp_weight == 1.0 && p[1].fp_weight == 0.22 && p[1].fn_weight == 1.0));
  CHECK(p[2].name == "reward_low_FN_rate");
  CHECK((p[2].tp_weight == 1.0 && p[2].fp_weight == 0.11 && p[2].fn_weight == 2.0));
}

// 20 rows; probation = min(floor(0.15 * 20), 750) = 3, so rows 0..2 are not scored.
// Windows: A = rows 5..8 (width 4), B = rows 14..15 (width 2).
// Detections: row 1 (probation: ignored), row 3 (before any window), rows 6 and 7 (in A),
// row 10 (after A). Nothing in B.
//   row 3:  -fp                                                    = -0.11
//   row 6:  scaledSigmoid(-(8 - 6 + 1) / 4) / scaledSigmoid(-1)
//           = tanh(1.875) / tanh(2.5) = 0.9540452601799487 / 0.9866142981514305
//                                                                  = 0.9669890878000605
//   row 7:  tanh(1.25) / tanh(2.5) = 0.8597925669097837 < row 6's: only the best counts
//   row 10: fp * scaledSigmoid(|8 - 10| / (4 - 1)) = 0.11 * tanh(-5/3)
//                                                  = 0.11 * -0.9311096086675776
//   B:      -fn                                                    = -1
// standard:     raw = 0.9669890878000605 - 0.11 - 0.11 * 0.9311096086675776 - 1
//                   = -0.24543296915337298
//               null = -2, perfect = 2: 100 * (raw + 2) / 4 = 43.86417577116568
// low FP (0.22): raw = 0.9669890878000605 - 0.22 - 0.22 * 0.9311096086675776 - 1
//                   = -0.4578550261068065 -> 38.55362434732984
// low FN (fn 2): raw = -0.24543296915337298 - 1 = -1.245432969153373, null = -4:
//               100 * (raw + 4) / 6 = 45.90945051411045
TEST_CASE("NAB score: hand-computed case", "[score][nab]") {
  const auto t = test::minutes(20);
  const std::vector<Window> w = {test::rows(t, 5, 8), test::rows(t, 14, 15)};
  const auto f = test::flags_at(20, {1, 3, 6, 7, 10});

  const auto s = score_flags(t, f, w, kNabStandard);
  CHECK(s.raw == Approx(-0.24543296915337298).epsilon(1e-12));
  CHECK(s.null_score == -2.0);
  CHECK(s.perfect == 2.0);
  CHECK(s.normalized == Approx(43.86417577116568).epsilon(1e-12));
  CHECK(s.windows == 2);
  CHECK(s.detected == 1);
  // Rows 3..19 are scored: TP {6, 7}, FP {3, 10}, FN {5, 8, 14, 15}, TN the other 9.
  CHECK(s.counts.tp == 2);
  CHECK(s.counts.fp == 2);
  CHECK(s.counts.fn == 4);
  CHECK(s.counts.tn == 9);

  const auto lfp = score_flags(t, f, w, kNabLowFp);
  CHECK(lfp.raw == Approx(-0.4578550261068065).epsilon(1e-12));
  CHECK(lfp.normalized == Approx(38.55362434732984).epsilon(1e-12));

  const auto lfn = score_flags(t, f, w, kNabLowFn);
  CHECK(lfn.raw == Approx(-1.245432969153373).epsilon(1e-12));
  CHECK(lfn.null_score == -4.0);
  CHECK(lfn.normalized == Approx(45.90945051411045).epsilon(1e-12));
}

TEST_CASE("NAB score: detections on window boundaries", "[score][nab]") {
  const auto t = test::minutes(20);
  const std::vector<Window> w = {test::rows(t, 5, 8)};
  // First row of the window: position -1 earns exactly tp.
  CHECK(score_flags(t, test::flags_at(20, {5}), w).raw == Approx(1.0).epsilon(1e-15));
  // Last row: position -1/4: tanh(0.625) / tanh(2.5) = 0.5621241486044827.
  CHECK(score_flags(t, test::flags_at(20, {8}), w).raw ==
        Approx(0.5621241486044827).epsilon(1e-12));
  // The row after: a false positive at |8 - 9| / 3 past the window: 0.11 * tanh(-2.5 / 3),
  // plus the missed window.
  CHECK(score_flags(t, test::flags_at(20, {9}), w).raw ==
        Approx(-1 + 0.11 * -0.6822617902381697).epsilon(1e-12));
  // The row before: no preceding window: -fp, plus the missed window.
  CHECK(score_flags(t, test::flags_at(20, {4}), w).raw == Approx(-1.11).epsilon(1e-15));
}

TEST_CASE("NAB score: far false positives and the nearest preceding window", "[score][nab]") {
  const auto t = test::minutes(60);
  const std::vector<Window> w = {test::rows(t, 10, 13), test::rows(t, 30, 33)};
  // Row 25 is 12 rows after window 1 (12 / 3 = 4 > 3: -1); row 35 is after window 2 (2 / 3).
  const auto r = score_flags(t, test::flags_at(60, {25, 35}), w);
  CHECK(r.raw == Approx(-2 + 0.11 * -1.0 + 0.11 * std::tanh(-2.5 * 2 / 3.0)).epsilon(1e-12));
}

TEST_CASE("NAB score: probationary period", "[score][nab]") {
  SECTION("15% of a short series") {
    const auto t = test::minutes(100);  // probation: rows 0..14
    const std::vector<Window> w = {test::rows(t, 50, 59)};
    CHECK(score_flags(t, test::flags_at(100, {14}), w).raw == -1.0);
    CHECK(score_flags(t, test::flags_at(100, {15}), w).raw == Approx(-1.11));
  }
  SECTION("capped at 0.15 * 5000 = 750 rows") {
    const auto t = test::minutes(10'000);  // floor(1500) capped at 750
    const std::vector<Window> w = {test::rows(t, 5000, 5009)};
    CHECK(score_flags(t, test::flags_at(10'000, {749}), w).raw == -1.0);
    CHECK(score_flags(t, test::flags_at(10'000, {750}), w).raw == Approx(-1.11));
  }
  SECTION("a window inside the probation is neither rewarded nor penalised") {
    const auto t = test::minutes(100);
    const std::vector<Window> w = {test::rows(t, 2, 5), test::rows(t, 50, 59)};
    const auto r = score_flags(t, test::flags_at(100, {3}), w);
    CHECK(r.raw == -1.0);
    CHECK(r.null_score == -1.0);
    CHECK(r.perfect == 2.0);  // NAB's perfect counts every labelled window
  }
  SECTION("option") {
    const auto t = test::minutes(100);
    const std::vector<Window> w = {test::rows(t, 50, 59)};
    const NabOptions none{0.0};
    CHECK(nab_score_flags(t, test::flags_at(100, {0}), w, kNabStandard, none).raw == Approx(-1.11));
  }
}

TEST_CASE("NAB score: no windows, no detections", "[score][nab]") {
  const auto t = test::minutes(50);
  const auto none = score_flags(t, std::vector<uint8_t>(50, 0), {});
  CHECK(none.raw == 0.0);
  CHECK(std::isnan(none.normalized));
  const auto fp = score_flags(t, test::flags_at(50, {20, 30}), {});
  CHECK(fp.raw == Approx(-0.22));
  const std::vector<Window> w = {test::rows(t, 20, 29)};
  const auto miss = score_flags(t, std::vector<uint8_t>(50, 0), w);
  CHECK(miss.raw == -1.0);
  CHECK(miss.normalized == 0.0);  // the null detector
}

TEST_CASE("NAB sweep: the best threshold over all distinct scores", "[score][nab]") {
  const auto t = test::minutes(20);
  const std::vector<Window> w = {test::rows(t, 5, 8), test::rows(t, 14, 15)};
  std::vector<double> s(20, 0.1);
  s[1] = 0.99;   // probation: ignored by the sweep
  s[3] = 0.95;   // a false positive before any window
  s[6] = 0.9;    // A
  s[10] = 0.85;  // after A
  s[14] = 0.8;   // B, first row: +1
  s[18] = 0.7;   // 3 rows after B (width 2): 3 / 1 = 3, not > 3: fp * tanh(-7.5)
  const NabSeries series{"x", t, s, w};
  const std::span<const NabSeries> corpus(&series, 1);
  for (const auto& profile : nab_profiles()) {
    // Brute force over the candidate thresholds.
    double best = -1e300, best_t = 0;
    for (double th : {1.1, 0.95, 0.9, 0.85, 0.8, 0.7, 0.1}) {
      const double raw = nab_score(corpus, profile, th).raw;
      if (raw > best) {
        best = raw;
        best_t = th;
      }
    }
    const auto r = nab_optimize(corpus, profile);
    INFO(profile.name);
    CHECK(r.threshold == best_t);
    CHECK(r.raw == Approx(best).epsilon(1e-12));
  }
  // Standard at 0.8: A (0.9669890878000605) + B (1) - 0.11 - 0.11 * 0.9311096086675776.
  CHECK(nab_score(corpus, kNabStandard, 0.8).raw ==
        Approx(0.9669890878000605 + 1 - 0.11 - 0.11 * 0.9311096086675776).epsilon(1e-12));
}

TEST_CASE("NAB sweep: \"no detection\" can win", "[score][nab]") {
  const auto t = test::minutes(60);
  const std::vector<Window> w = {test::rows(t, 40, 42)};
  std::vector<double> s(60, 0.0);
  s[20] = 0.9;  // one false positive: -1 - 0.11 at 0.9; 0.0 catches the window with ~50 FPs
  const NabSeries series{"x", t, s, w};
  const auto r = nab_optimize(std::span<const NabSeries>(&series, 1), kNabStandard);
  CHECK(r.threshold == 1.1);
  CHECK(r.raw == -1.0);
  CHECK(r.normalized == 0.0);
}

TEST_CASE("NAB sweep: ties go to the higher threshold", "[score][nab]") {
  const auto t = test::minutes(20);
  const std::vector<Window> w = {test::rows(t, 10, 12)};
  std::vector<double> s(20, 0.0);
  s[11] = 0.8;  // detects the window
  s[12] = 0.6;  // a later detection in the same window adds nothing: same score at 0.6
  const NabSeries series{"x", t, s, w};
  const auto r = nab_optimize(std::span<const NabSeries>(&series, 1), kNabStandard);
  CHECK(r.threshold == 0.8);
  CHECK(r.raw == Approx(std::tanh(2.5 * 2 / 3.0) / std::tanh(2.5)).epsilon(1e-12));
}

TEST_CASE("NAB sweep: a corpus shares one threshold", "[score][nab]") {
  const auto t = test::minutes(20);
  const std::vector<Window> w = {test::rows(t, 10, 12)};
  std::vector<double> a(20, 0.0), b(20, 0.0);
  a[10] = 0.6;  // series a: detected at 0.6
  b[4] = 0.7;   // series b: a false positive above it
  b[10] = 0.5;  // ... and its window only at 0.5
  const NabSeries corpus[] = {{"a", t, a, w}, {"b", t, b, w}};
  const auto r = nab_optimize(corpus, kNabStandard);
  // 0.5 catches both windows (+2) at the cost of one FP (-0.11): 1.89 beats 0.6's 1 - 1 = 0.
  CHECK(r.threshold == 0.5);
  CHECK(r.raw == Approx(1.89));
  REQUIRE(r.per_series.size() == 2);
  CHECK(r.per_series[0] == Approx(1.0));
  CHECK(r.per_series[1] == Approx(0.89));
  CHECK(r.windows == 2);
  CHECK(r.normalized == Approx(100 * (1.89 + 2) / 4));
}

TEST_CASE("NAB score: preconditions", "[score][nab]") {
  const auto t = test::minutes(3);
  const std::vector<double> short_scores = {0.1};
  const NabSeries bad_len{"x", t, short_scores, {}};
  CHECK_THROWS_AS(nab_score(std::span<const NabSeries>(&bad_len, 1), kNabStandard, 0.5),
                  std::invalid_argument);
  const std::vector<double> nan_scores = {0.1, std::nan(""), 0.2};
  const NabSeries bad_nan{"x", t, nan_scores, {}};
  CHECK_THROWS_AS(nab_optimize(std::span<const NabSeries>(&bad_nan, 1), kNabStandard),
                  std::invalid_argument);
}

// NAB's windowed-Gaussian scores of realTraffic/speed_7578.csv (1127 rows, 4 windows), as NAB's
// results file holds them (12 significant digits), scored at NAB's optimized threshold 1.0.
// NAB's own results (results/windowedGaussian/windowedGaussian_<profile>_scores.csv):
//   standard            3.47059145681  TP 11  TN 841  FP 1  FN 105
//   reward_low_FP_rate  3.36059145681
TEST_CASE("NAB score: one NAB series, as NAB scored it", "[score][nab]") {
  const auto alarms = read_alarms(test::fixture("nab_speed_7578_gaussian.csv"));
  REQUIRE(alarms.ok());
  const auto labels =
      read_labels("nab:" + test::fixture("nab_windows_excerpt.json"), "realTraffic/speed_7578.csv");
  REQUIRE(labels.ok());
  const NabSeries series{"realTraffic/speed_7578.csv", alarms.value().times, alarms.value().values,
                         labels.value().windows};
  const std::span<const NabSeries> corpus(&series, 1);

  const auto s = nab_score(corpus, kNabStandard, 1.0);
  CHECK(s.raw == Approx(3.47059145681).margin(1e-10));
  CHECK(s.counts.tp == 11);
  CHECK(s.counts.tn == 841);
  CHECK(s.counts.fp == 1);
  CHECK(s.counts.fn == 105);
  CHECK(nab_score(corpus, kNabLowFp, 1.0).raw == Approx(3.36059145681).margin(1e-10));
  // All four windows are detected, so the low-FN profile scores the same raw value.
  CHECK(nab_score(corpus, kNabLowFn, 1.0).raw == Approx(3.47059145681).margin(1e-10));
}
