// Aggregate series in the engine: batching invariance, reserved names, reload, limits.
#include <cmath>
#include <random>

#include <catch2/catch.hpp>

#include "omen/engine.h"

namespace {

const char* kRules = R"(
series cpu_sum = sum(cpu) by (job)
series cpu_max = max(cpu) by (job)
series ok = counter_sum(req{code="200"}) by (job)
series all = counter_sum(req) by (job)
rule Hot { on cpu_sum when cpu_sum > 2.5 * cpu_max message "{job} {cpu_sum:.6f}" }
rule Errors { on all when 1 - rate(ok, 10m) / rate(all, 10m) > 0.1 message "{job}" }
)";

std::unique_ptr<omen::Engine> build(omen::Tier tier = omen::Tier::Interp,
                                    omen::EngineOptions o = {}) {
  o.tier = tier;
  auto b = omen::Engine::from_source("rules.omen", kRules, o);
  INFO(b.render());
  REQUIRE(b.ok());
  return std::move(b.engine);
}

// Members scraped at jittered times (not aligned), some missing, counters with resets.
omen::Batch jittered(uint32_t seed, int minutes) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  omen::Batch b;
  const int jobs = 3, instances = 4;
  for (int j = 0; j < jobs; ++j)
    for (int i = 0; i < instances; ++i) {
      omen::Labels l = {{"instance", std::to_string(i)}, {"job", std::to_string(j)}};
      b.series.push_back({"cpu", l});
      auto l200 = l, l500 = l;
      l200.push_back({"code", "200"});
      l500.push_back({"code", "500"});
      b.series.push_back({"req", omen::normalize_labels(l200)});
      b.series.push_back({"req", omen::normalize_labels(l500)});
    }
  std::vector<double> counters(b.series.size(), 0);
  for (int m = 0; m < minutes; ++m)
    for (uint32_t s = 0; s < b.series.size(); ++s) {
      if (u(rng) < 0.05) continue;  // a missed scrape
      int64_t t = m * 60'000LL + static_cast<int64_t>(s) * 997 % 20'000;
      if (s % 3 == 0) {
        b.add(s, t, u(rng) < 0.02 ? 5 * u(rng) : u(rng));
      } else {
        bool errors = s % 3 == 2;
        double inc = errors ? (m % 90 > 70 ? 30 * u(rng) : u(rng)) : 100 * u(rng);
        counters[s] = u(rng) < 0.003 ? inc : counters[s] + inc;  // a reset now and then
        b.add(s, t, counters[s]);
      }
    }
  return b;
}

std::string log_of(const std::vector<omen::Alert>& alerts) {
  std::string out;
  for (const auto& a : alerts) out += omen::to_text(a) + "\n";
  return out;
}

std::string push_by_timestamp(omen::Engine& e, const omen::Batch& b) {
  std::vector<size_t> order(b.t.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return b.t[x] < b.t[y]; });
  omen::Batch tick;
  tick.series = b.series;
  for (size_t k = 0; k < order.size(); ++k) {
    size_t i = order[k];
    tick.add(b.sid[i], b.t[i], b.v[i]);
    if (k + 1 == order.size() || b.t[order[k + 1]] != b.t[i]) {
      e.push(tick);
      tick.sid.clear();
      tick.t.clear();
      tick.v.clear();
    }
  }
  return log_of(e.poll());
}

}  // namespace

TEST_CASE("aggregates give the same alerts whatever the batching, members at jittered times") {
  omen::Batch b = jittered(11, 400);
  auto whole = build();
  whole->push(b);
  std::string a = log_of(whole->poll());
  auto step = build();
  std::string c = push_by_timestamp(*step, b);
  CHECK(a.find("Hot") != std::string::npos);
  CHECK(a.find("Errors") != std::string::npos);
  CHECK(a == c);
  auto s = whole->stats();
  CHECK(s.aggregate_samples > 0);
  CHECK(s.dropped_out_of_order == 0);
  CHECK(s.aggregate_dropped == 0);
}

#ifdef OMEN_HAVE_JIT
TEST_CASE("aggregates: interpreter and JIT agree") {
  omen::Batch b = jittered(12, 300);
  auto i = build(omen::Tier::Interp), j = build(omen::Tier::Jit);
  i->push(b);
  j->push(b);
  CHECK(log_of(i->poll()) == log_of(j->poll()));
}
#endif

TEST_CASE("samples pushed to a reserved series name are dropped and counted") {
  auto e = build();
  omen::Batch b;
  b.series.push_back({"@cpu_sum:00000000", {{"job", "a"}}});
  b.series.push_back({"cpu", {{"job", "a"}}});
  b.add(0, 0, 1000);
  b.add(1, 0, 1);
  e->push(b);
  auto s = e->stats();
  CHECK(s.dropped_reserved == 1);
  CHECK(s.samples_accepted == 1);
  CHECK(s.aggregate_samples == 2);  // cpu_sum and cpu_max of job a
  CHECK(e->poll().empty());
}

TEST_CASE("a counter aggregate keeps its totals across a reload that keeps its definition") {
  auto e = build();
  // One job, one 200 counter: +100/min; a 500 counter: +5/min; then +50/min of errors.
  double c200 = 0, c500 = 0;
  auto push = [&](int from, int to, double err_rate) {
    for (int m = from; m <= to; ++m) {
      c200 += 100;
      c500 += err_rate;
      omen::Batch b;
      b.series = {{"req", {{"code", "200"}, {"job", "a"}}},
                  {"req", {{"code", "500"}, {"job", "a"}}}};
      b.add(0, m * 60'000LL, c200);
      b.add(1, m * 60'000LL, c500);
      e->push(b);
    }
  };
  push(0, 20, 5);
  CHECK(e->poll().empty());  // 5 / 105 < 0.1
  // Same aggregates, a new rule: the aggregates' totals carry over (no new baseline): at
  // minute 21, all = 21 x 105 = 2205 (after a new baseline it would be 0).
  auto r = e->reload_source(
      "v2.omen",
      std::string(kRules) + "rule Traffic { on all when all > 2000 message \"{all}\" }\n");
  INFO(r.render());
  REQUIRE(r.ok);
  CHECK(r.kept.size() == 2);
  push(21, 21, 5);
  auto alerts = e->poll();
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].rule == "Traffic");
  CHECK(alerts[0].message == "2205");
  push(22, 40, 50);
  bool fired = false;
  for (const auto& a : e->poll())
    fired = fired || (a.rule == "Errors" && a.event == omen::AlertEvent::Firing);
  CHECK(fired);
}

TEST_CASE("aggregate outputs count against the series limit") {
  omen::EngineOptions o;
  o.limits.max_series = 2;  // the member and one output
  auto e = build(omen::Tier::Interp, o);
  e->push({"cpu", {{"job", "a"}}}, 0, 1);
  auto s = e->stats();
  CHECK(s.series == 2);
  CHECK(s.aggregate_samples == 1);
  CHECK(s.dropped_series_limit == 0);  // the pushed sample was accepted
  CHECK(s.aggregate_dropped == 1);     // cpu_max's output found no room
}

TEST_CASE("a member sample older than its group's newest value is kept but cannot revise it") {
  auto e = build();
  e->push({"cpu", {{"instance", "1"}, {"job", "a"}}}, 10 * 60'000, 1);
  e->push({"cpu", {{"instance", "2"}, {"job", "a"}}}, 5 * 60'000, 2);  // b's first, but older
  auto s = e->stats();
  CHECK(s.samples_in == 2);
  CHECK(s.samples_accepted == 2);  // both members keep their samples
  CHECK(s.dropped_out_of_order == 0);
  CHECK(s.aggregate_dropped == 2);  // cpu_sum and cpu_max of job a cannot go back to 5m
  CHECK(s.aggregate_samples == 2);
}
