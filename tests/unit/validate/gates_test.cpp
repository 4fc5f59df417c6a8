// Each gate passes and fails on crafted data; alarm reconstruction (for, keep, staleness, onset);
// false positives and negatives in the report.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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

const std::vector<size_t> kSpikes = {150, 300, 450};

LabelledData spikes_data() {
  return data(series(600, kSpikes), windows_at(kSpikes));
}

}  // namespace

TEST_CASE("a good rule passes every gate", "[gates]") {
  const auto d = spikes_data();
  Report r = validate(rule("rule R { on x when x > 20 }"), d);
  CHECK(r.passed);
  REQUIRE(r.gates.size() == 7);
  for (const auto& g : r.gates) {
    INFO(gate_name(g.gate) << ": " << g.reason);
    if (g.gate == Gate::kNoRegression)
      CHECK(g.status == GateStatus::kSkipped);
    else
      CHECK(g.status == GateStatus::kPass);
  }
  REQUIRE(r.value);
  CHECK(*r.value == Approx(1.0));
  CHECK(r.scores.metrics.event.detected == 3);
  CHECK(r.false_positive_episodes == 0);
  CHECK(r.alarmed_rows == 9);
}

TEST_CASE("compiles: a syntax error fails and skips every other gate", "[gates]") {
  const auto d = spikes_data();
  Report r = validate(rule("rule R { on x when x > > 20 }"), d);
  CHECK_FALSE(r.passed);
  CHECK(gate(r, Gate::kCompiles).status == GateStatus::kFail);
  CHECK_THAT(gate(r, Gate::kCompiles).reason, Catch::Contains("E001"));
  CHECK_THAT(omen::format(r.diagnostics), Catch::Contains("cand.omen:3"));
  for (const auto& g : r.gates)
    if (g.gate != Gate::kCompiles) CHECK(g.status == GateStatus::kSkipped);
  CHECK_FALSE(r.value);
  // A type error is a compile failure too.
  Report t = validate(rule("rule R { on x when x + 1 }"), d);
  CHECK(gate(t, Gate::kCompiles).status == GateStatus::kFail);
  CHECK_THAT(gate(t, Gate::kCompiles).reason, Catch::Contains("E022"));
}

TEST_CASE("evaluates: a rule on a metric the data lacks fails", "[gates]") {
  const auto d = spikes_data();
  Report r = validate(
      Candidate{"c.omen", "series y = metric(\"cpu_invented\")\nrule R { on y when y > 1 }"}, d);
  CHECK_FALSE(r.passed);
  CHECK(gate(r, Gate::kEvaluates).status == GateStatus::kFail);
  CHECK_THAT(gate(r, Gate::kEvaluates).reason, Catch::Contains("never evaluated"));
  // Counting a rule that does not exist.
  Options o;
  o.rules = {"Nope"};
  Report n = validate(rule("rule R { on x when x > 20 }"), d, o);
  CHECK(gate(n, Gate::kEvaluates).status == GateStatus::kFail);
  CHECK_THAT(gate(n, Gate::kEvaluates).reason, Catch::Contains("no rule named 'Nope'"));
}

TEST_CASE("nan_verdicts: NaN inputs over the threshold fail", "[gates]") {
  const auto d = spikes_data();
  // A joined series that does not exist reads NaN at every tick.
  const std::string joined =
      "series y = metric(\"missing\")\nrule R { on x when x > 20 and y < 1 }";
  Report r = validate(rule(joined), d);
  CHECK(gate(r, Gate::kNanVerdicts).status == GateStatus::kFail);
  CHECK_THAT(gate(r, Gate::kNanVerdicts).reason, Catch::Contains("100.00%"));
  CHECK(r.nan_ticks == 600);
  // NaN samples in 2% of the rows: over the default 1%, under 5%.
  Batch b = series(600, kSpikes);
  for (size_t i = 0; i < 600; i += 50) b.v[i] = std::nan("");
  const auto nd = data(std::move(b), windows_at(kSpikes));
  Report r2 = validate(rule("rule R { on x when x > 20 }"), nd);
  CHECK(gate(r2, Gate::kNanVerdicts).status == GateStatus::kFail);
  CHECK(r2.nan_ticks == 12);
  Options o;
  o.max_nan_fraction = 0.05;
  Report r3 = validate(rule("rule R { on x when x > 20 }"), nd, o);
  CHECK(gate(r3, Gate::kNanVerdicts).status == GateStatus::kPass);
  CHECK(r3.passed);
}

TEST_CASE("deterministic: two runs that differ fail", "[gates]") {
  const auto d = spikes_data();
  Options o;
  REQUIRE(gate(validate(rule("rule R { on x when x > 20 }"), d, o), Gate::kDeterministic).status ==
          GateStatus::kPass);
  // Make the second engine see one more (early, high) sample than the first.
  int engines = 0;
  o.on_engine = [&](Engine& e) {
    if (++engines == 2) e.push(SeriesKey{"x", {}}, kStart - kMinute, 100);
  };
  Report r = validate(rule("rule R { on x when x > 20 }"), d, o);
  CHECK(engines == 2);
  CHECK(gate(r, Gate::kDeterministic).status == GateStatus::kFail);
  CHECK_THAT(gate(r, Gate::kDeterministic).reason, Catch::Contains("differ"));
  CHECK_FALSE(r.passed);
  o.check_determinism = false;
  engines = 0;
  Report s = validate(rule("rule R { on x when x > 20 }"), d, o);
  CHECK(engines == 1);
  CHECK(gate(s, Gate::kDeterministic).status == GateStatus::kSkipped);
}

TEST_CASE("cost: a rule over the budget fails", "[gates]") {
  const auto d = spikes_data();
  const Candidate c = rule("rule Costly { on x when abs(robust_z(x, 1h)) > 6 }");
  Report ok = validate(c, d);
  CHECK(gate(ok, Gate::kCost).status == GateStatus::kPass);
  Options o;
  o.max_cost = 10;
  Report r = validate(c, d, o);
  CHECK(gate(r, Gate::kCost).status == GateStatus::kFail);
  CHECK_THAT(gate(r, Gate::kCost).reason, Catch::Contains("Costly costs"));
  REQUIRE(r.rules.size() == 1);
  CHECK(r.rules[0].cost > 10);
}

TEST_CASE("metric: under the threshold fails, for every metric", "[gates]") {
  const auto d = spikes_data();
  Report r = validate(rule("rule R { on x when x > 100 }"), d);
  CHECK(gate(r, Gate::kMetric).status == GateStatus::kFail);
  CHECK(*r.value == 0);
  Options o;
  o.min_metric = 0;
  CHECK(gate(validate(rule("rule R { on x when x > 100 }"), d, o), Gate::kMetric).status ==
        GateStatus::kPass);
  for (Metric m : {Metric::kPointF1, Metric::kNabStandard, Metric::kNabLowFp, Metric::kNabLowFn}) {
    Options mo;
    mo.metric = m;
    mo.min_metric = is_nab(m) ? 50 : 0.3;  // point F1 of x > 20: 9 of 33 labelled rows
    mo.nab.probation_percent = 0;
    Report good = validate(rule("rule R { on x when x > 20 }"), d, mo);
    Report bad = validate(rule("rule R { on x when x > 100 }"), d, mo);
    INFO(metric_name(m));
    CHECK(gate(good, Gate::kMetric).status == GateStatus::kPass);
    CHECK(gate(bad, Gate::kMetric).status == GateStatus::kFail);
  }
  // NAB: detecting every window at its first row is perfect; nothing is the null detector.
  Options nab;
  nab.metric = Metric::kNabStandard;
  nab.nab.probation_percent = 0;
  Report early = validate(rule("rule R { on x when x > 20 }"), d, nab);
  CHECK(*early.value > 90);
  CHECK(*validate(rule("rule R { on x when x > 100 }"), d, nab).value == Approx(0));
}

TEST_CASE("no_regression: the candidate must not score below the current version", "[gates]") {
  const auto d = spikes_data();
  const Candidate good = rule("rule R { on x when x > 20 }", "good.omen");
  const Candidate noisy = rule("rule R { on x when x > 12.4 }", "noisy.omen");
  Report worse = validate(noisy, d, {}, good);
  CHECK(gate(worse, Gate::kNoRegression).status == GateStatus::kFail);
  CHECK_THAT(gate(worse, Gate::kNoRegression).reason, Catch::Contains("regression"));
  REQUIRE(worse.current_value);
  CHECK(*worse.current_value == Approx(1.0));
  Options o;
  o.min_metric = 0;
  Report better = validate(good, d, o, noisy);
  CHECK(gate(better, Gate::kNoRegression).status == GateStatus::kPass);
  CHECK(better.passed);
  // Equal scores pass (epsilon 0); epsilon forgives a small loss.
  CHECK(gate(validate(good, d, o, good), Gate::kNoRegression).status == GateStatus::kPass);
  const double loss = *worse.current_value - *worse.value;
  o.epsilon = loss + 1e-9;
  CHECK(gate(validate(noisy, d, o, good), Gate::kNoRegression).status == GateStatus::kPass);
  // A current version that does not compile cannot vouch for anything.
  Report broken = validate(good, d, {}, rule("rule R { on x when }", "old.omen"));
  CHECK(gate(broken, Gate::kNoRegression).status == GateStatus::kFail);
  CHECK_THAT(gate(broken, Gate::kNoRegression).reason, Catch::Contains("does not compile"));
  // Only the current rules sharing a name with the candidate's count: Other alarms everywhere
  // and would make the current file look bad.
  const Candidate file = rule("rule R { on x when x > 20 }\nrule Other { on x when x > 0 }", "f");
  Report same = validate(noisy, d, {}, file);
  CHECK(*same.current_value == Approx(1.0));
  CHECK(gate(same, Gate::kNoRegression).status == GateStatus::kFail);
}

TEST_CASE("alarm flags replay the engine's alert lifecycle", "[alarms]") {
  // Spikes of 3 rows; `for 2m` fires at the third row only; `keep 3m` holds it 3 more minutes.
  const auto d = spikes_data();
  Evaluation plain = evaluate(rule("rule R { on x when x > 20 }"), d);
  Evaluation pending = evaluate(rule("rule R { on x when x > 20 for 2m }"), d);
  Evaluation kept = evaluate(rule("rule R { on x when x > 20 for 2m keep 3m }"), d);
  for (size_t s : kSpikes) {
    for (size_t i = s - 2; i < s + 8; ++i) {
      INFO("row " << i);
      CHECK(plain.flags[i] == (i >= s && i < s + 3));
      CHECK(pending.flags[i] == (i == s + 2));
      // resolved at the first tick with t - t_false >= 3m: t_false = s+3, so at s+6.
      CHECK(kept.flags[i] == (i >= s + 2 && i < s + 6));
    }
  }
  size_t n_plain = 0, n_pending = 0;
  for (auto f : plain.flags) n_plain += f;
  for (auto f : pending.flags) n_pending += f;
  CHECK(n_plain == 9);
  CHECK(n_pending == 3);
  // Onset mode: one row per firing.
  Options onset;
  onset.alarm_mode = AlarmMode::kOnset;
  Evaluation on = evaluate(rule("rule R { on x when x > 20 }"), d, onset);
  for (size_t i = 0; i < on.flags.size(); ++i) {
    INFO("row " << i);
    CHECK(on.flags[i] == (i == 150 || i == 300 || i == 450));
  }
}

TEST_CASE("staleness: by default scaled to the data's interval", "[alarms]") {
  // Hourly samples: with the engine's 5m staleness every activation would end between two
  // samples and `for 1h` could never fire.
  Batch b;
  b.series.push_back(SeriesKey{"x", {}});
  for (size_t i = 0; i < 100; ++i)
    b.add(0, kStart + static_cast<TimeMs>(i) * 3'600'000, i >= 50 && i < 55 ? 50.0 : 1.0);
  score::LabelSet ls;
  ls.windows.push_back({kStart + 49 * 3'600'000LL, kStart + 56 * 3'600'000LL});
  const auto d = data(std::move(b), ls);
  CHECK(d.median_interval == 3'600'000);
  const Candidate c = rule("rule R { on x when x > 10 for 1h }");
  Report r = validate(c, d);
  CHECK(r.staleness_ms == 4 * 3'600'000);
  CHECK(*r.value == Approx(1.0));
  CHECK(r.alarmed_rows == 4);
  Options o;
  o.staleness_ms = 5 * 60'000;
  Report s = validate(c, d, o);
  CHECK(*s.value == 0);
  CHECK(s.alarmed_rows == 0);
}

TEST_CASE("the report lists false positives and missed windows", "[report]") {
  // Labels on the first two spikes and on a quiet stretch: the third spike is a false
  // positive, the quiet window a false negative.
  auto ls = windows_at({150, 300});
  ls.windows.push_back({kStart + 520 * kMinute, kStart + 530 * kMinute});
  const auto d = data(series(600, kSpikes), ls);
  Options o;
  o.nab.probation_percent = 0;
  Report r = validate(rule("rule R { on x when x > 20 }"), d, o);
  CHECK(r.passed);  // 2/3 recall, 2/5 precision: F1 0.5 passes the default 0.5
  CHECK(r.scores.metrics.event.f1 == Approx(0.5));
  REQUIRE(r.false_positive_episodes == 1);
  REQUIRE(r.false_positives.size() == 1);
  CHECK(r.false_positives[0].first_row == 450);
  CHECK(r.false_positives[0].last_row == 452);
  CHECK(r.false_positives[0].start == kStart + 450 * kMinute);
  REQUIRE(r.windows.size() == 3);
  CHECK(r.windows[0].detected);
  CHECK(r.windows[0].first_row == 148);
  CHECK(r.windows[0].first_alarm_row == 150);
  CHECK(r.windows[0].delay_ms == 2 * kMinute);
  CHECK_FALSE(r.windows[2].detected);

  const std::string text = format_text(r);
  CHECK_THAT(text, Catch::Contains("MISSED    2024-01-01 08:40:00 .. 2024-01-01 08:50:00"));
  CHECK_THAT(text, Catch::Contains("false positives: 1 episode"));
  CHECK_THAT(text, Catch::Contains("2024-01-01 07:30:00 .. 2024-01-01 07:32:00  rows 450-452"));
  CHECK_THAT(text, Catch::Contains("metric         pass"));

  const auto j = nlohmann::json::parse(format_json(r));
  CHECK(j["passed"] == true);
  CHECK(j["gates"].size() == 7);
  CHECK(j["gates"][5]["gate"] == "metric");
  CHECK(j["false_positives"]["episodes"] == 1);
  CHECK(j["false_positives"]["listed"][0]["start"] == "2024-01-01 07:30:00");
  CHECK(j["false_negatives"].size() == 1);
  CHECK(j["false_negatives"][0]["start"] == "2024-01-01 08:40:00");
  CHECK(j["scores"]["event"]["f1"].get<double>() == Approx(0.5));
  CHECK(j["scores"]["nab"]["standard"]["score"].is_number());
  CHECK(j["value"].get<double>() == Approx(0.5));

  // The listing is capped, longest first: many short FPs and one long one.
  Options cap;
  cap.max_listed = 2;
  Report many = validate(rule("rule R { on x when x > 11.8 }"), d, cap);
  CHECK(many.false_positive_episodes > 2);
  CHECK(many.false_positives.size() == 2);
  CHECK_THAT(format_text(many), Catch::Contains("the 2 longest listed"));
}

TEST_CASE("index-axis labels score rows", "[report]") {
  score::LabelSet ls;
  ls.axis = score::TimeAxis::kIndex;
  for (size_t s : kSpikes)
    ls.windows.push_back({static_cast<TimeMs>(s - 2), static_cast<TimeMs>(s + 8)});
  const auto d = data(series(600, kSpikes), ls);
  Report r = validate(rule("rule R { on x when x > 20 }"), d);
  CHECK(*r.value == Approx(1.0));
  CHECK(r.windows.size() == 3);
  CHECK_THAT(format_text(r), Catch::Contains("detected  rows 148-158"));
}

TEST_CASE("a span scores only its rows", "[report]") {
  const auto d = spikes_data();
  Options o;
  o.span = {0, 200};  // only the first spike and window
  Report r = validate(rule("rule R { on x when x > 20 }"), d, o);
  CHECK(r.rows == 200);
  CHECK(r.scores.metrics.event.segments == 1);
  CHECK(r.windows.size() == 1);
  CHECK(r.alarmed_rows == 3);
  CHECK(r.ticks == 600);  // the rule still ran over every sample
}
