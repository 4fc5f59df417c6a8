// omen learn on synthetic data with planted anomalies: finds them, generalizes to the held-out
// half, is deterministic whatever the threads and batching, and writes a rule that validates.
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

const std::vector<size_t> kPlanted = {200, 450, 700, 900, 1200, 1400, 1650, 1850};

LabelledData planted() {
  return data(series(2000, kPlanted, 12, 4), windows_at(kPlanted));
}

}  // namespace

TEST_CASE("learn finds a planted anomaly rule", "[learn]") {
  const auto d = planted();
  LearnOptions o;
  o.jobs = 2;
  LearnResult r = learn(d, o);
  REQUIRE(r.ok);
  INFO(r.source);
  CHECK(r.train.end == 1000);
  CHECK(r.test.begin == 1000);
  CHECK(r.best.train == Approx(1.0));
  CHECK(r.best.test >= 0.8);
  CHECK(r.best.train_scores.metrics.event.detected == 4);
  CHECK(r.best.test_scores.metrics.event.segments == 4);
  CHECK(r.candidates > 300);
  CHECK(r.all.size() == r.candidates);
  CHECK(r.top.size() == 10);
  CHECK(r.warnings.empty());
  // The rule file records the choice and its figures, and validates to the same test figure.
  CHECK_THAT(r.source, Catch::Contains("# choice: " + r.best.description));
  CHECK_THAT(r.source, Catch::Contains("# train: event_f1 1.0000"));
  CHECK_THAT(r.source, Catch::Contains("# test:  event_f1"));
  CHECK_THAT(r.source, Catch::Contains("series x = metric(\"x\")"));
  CHECK_THAT(r.source, Catch::Contains("rule Learned"));
  Options vo;
  vo.span = r.test;
  Report rep = validate(Candidate{"learned.omen", r.source}, d, vo);
  CHECK(rep.passed);
  REQUIRE(rep.value);
  CHECK(*rep.value == Approx(r.best.test));
}

TEST_CASE("learn is deterministic across threads and batching", "[learn]") {
  const auto d = planted();
  LearnOptions a;
  a.jobs = 1;
  a.families = {"value_above", "zscore", "jump"};
  LearnOptions b = a;
  b.jobs = 2;
  b.rules_per_engine = 7;
  LearnResult ra = learn(d, a), rb = learn(d, b);
  REQUIRE(ra.ok);
  REQUIRE(rb.ok);
  CHECK(ra.source == rb.source);
  REQUIRE(ra.all.size() == rb.all.size());
  for (size_t i = 0; i < ra.all.size(); ++i) {
    INFO(ra.all[i].key);
    CHECK(ra.all[i].key == rb.all[i].key);
    CHECK(ra.all[i].train == rb.all[i].train);
    CHECK(ra.all[i].test_scores.metrics.point.tp == rb.all[i].test_scores.metrics.point.tp);
  }
  for (const auto& c : ra.all)
    CHECK((c.family == "value_above" || c.family == "zscore" || c.family == "jump" ||
           c.family == "and" || c.family == "or"));
}

TEST_CASE("learn reports progress and optimizes the chosen metric", "[learn]") {
  const auto d = planted();
  LearnOptions o;
  o.metric = Metric::kNabStandard;
  o.families = {"value_above", "robust_z"};
  size_t calls = 0, last_done = 0, last_total = 0;
  o.progress = [&](size_t done, size_t total, std::string_view) {
    ++calls;
    CHECK(done > last_done);
    last_done = done;
    last_total = total;
  };
  LearnResult r = learn(d, o);
  REQUIRE(r.ok);
  CHECK(calls > 1);
  CHECK(last_done == last_total);
  CHECK(r.best.train > 50);
  CHECK_THAT(r.source, Catch::Contains("selected by nab_standard"));
  for (size_t i = 1; i < r.top.size(); ++i) CHECK(r.top[i - 1].train >= r.top[i].train);
}

TEST_CASE("learn: or-combinations are exact unions and the file holds both rules", "[learn]") {
  // Spikes up in the first half's first part, dips later: one-sided detectors each see half.
  Batch b = series(2000, {}, 0);
  for (size_t s : {200, 700, 1200, 1650})
    for (size_t i = s; i < s + 4; ++i) b.v[i] += 12;
  for (size_t s : {450, 900, 1400, 1850})
    for (size_t i = s; i < s + 4; ++i) b.v[i] -= 12;
  const auto d = data(std::move(b), windows_at(kPlanted));
  LearnOptions o;
  o.families = {"value_above", "value_below"};
  LearnResult r = learn(d, o);
  REQUIRE(r.ok);
  INFO(r.source);
  CHECK(r.best.family == "or");
  CHECK(r.best.train == Approx(1.0));
  CHECK_THAT(r.source, Catch::Contains("rule Learned_1") && Catch::Contains("rule Learned_2"));
  Options vo;
  vo.span = r.test;
  Report rep = validate(Candidate{"learned.omen", r.source}, d, vo);
  CHECK(*rep.value == Approx(r.best.test));
}

TEST_CASE("learn needs a labelled window in the training span", "[learn]") {
  const auto d = data(series(1000, {800}), windows_at({800}));
  LearnResult r = learn(d);
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.error, Catch::Contains("no label window covers a row of the training span"));
  LearnOptions o;
  o.train_fraction = 0.9;
  CHECK(learn(d, o).ok);
}
