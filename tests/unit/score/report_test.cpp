// Text and JSON renderings of a report.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "omen/score.h"
#include "test_util.h"

using namespace omen::score;
using Catch::Matchers::Contains;
using omen::TimeMs;

namespace {

Report example() {
  const auto t = test::minutes(20);
  const std::vector<Window> w = {test::rows(t, 5, 8), test::rows(t, 14, 15)};
  const auto f = test::flags_at(20, {1, 3, 6, 7, 10});
  Report r;
  r.labels = "w.csv";
  r.alarms = "a.csv";
  r.metrics = evaluate(t, f, w);
  r.nab.emplace_back(kNabStandard, nab_score_flags(t, f, w, kNabStandard));
  return r;
}

}  // namespace

TEST_CASE("report: JSON carries every metric", "[score][report]") {
  const auto j = nlohmann::json::parse(format_json(example()));
  CHECK(j["rows"] == 20);
  CHECK(j["point"]["tp"] == 2);
  CHECK(j["event"]["segments"] == 2);
  CHECK(j["event"]["detected"] == 1);
  CHECK(j["delay"]["mean_ms"] == 60000.0);
  CHECK(j["false_alarms"] == 3);
  CHECK(j["nab"]["standard"]["score"].get<double>() == Approx(43.86417577116568));
  CHECK(j["nab_threshold"] == "fixed");
}

TEST_CASE("report: JSON null for undefined values", "[score][report]") {
  Report r;
  const std::vector<TimeMs> t = {0, 1};
  r.axis = TimeAxis::kIndex;
  r.metrics = evaluate(t, std::vector<uint8_t>{0, 0}, {}, TimeAxis::kIndex);
  r.nab.emplace_back(kNabLowFp, nab_score_flags(t, std::vector<uint8_t>{0, 0}, {}, kNabLowFp));
  const auto j = nlohmann::json::parse(format_json(r));
  CHECK(j["delay"].is_null());
  CHECK(j["false_alarms_per_day"].is_null());
  CHECK(j["nab"]["reward_low_FP_rate"]["score"].is_null());
}

TEST_CASE("report: text table", "[score][report]") {
  const std::string text = format_text(example());
  CHECK_THAT(text, Contains("event F1 (point-adjusted)"));
  CHECK_THAT(text, Contains("segments detected"));
  CHECK_THAT(text, Contains("1/2"));
  CHECK_THAT(text, Contains("standard"));
  CHECK_THAT(text, Contains("43.86"));
}
