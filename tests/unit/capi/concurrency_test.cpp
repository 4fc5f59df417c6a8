// Many threads pushing into one engine (C++ and C API): totals are exact and, for disjoint
// series, every series gets exactly the alerts it gets when everything is pushed from one
// thread. Run under ThreadSanitizer by the OMEN_TSAN build (docs/embedding.md).
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "omen/engine.h"
#include "omen/omen.h"

namespace {

const char* kRules = R"(
import std
series x = metric("x")
rule Spike { on x by (id) when zscore(x, 10m) > 3 for 2m keep 1m }
rule Level { on x by (id) when x > 5 }
)";

constexpr int kThreads = 8;
constexpr int kSeriesPerThread = 12;
constexpr int kSteps = 240;

// Staleness is judged against the newest timestamp of ANY series (the engine's watermark),
// so producers running ahead of each other would resolve each other's alerts as stale. The
// contract (docs/embedding.md): deterministic per-series alerts need either producers in
// step or a staleness limit above their skew; this test takes the second.
omen::EngineOptions options() {
  omen::EngineOptions o;
  o.tier = omen::Tier::Interp;
  o.staleness_ms = 30LL * 86'400'000;
  return o;
}

std::unique_ptr<omen::Engine> build() {
  auto b = omen::Engine::from_source("rules.omen", kRules, options());
  INFO(b.render());
  REQUIRE(b.ok());
  return std::move(b.engine);
}

std::string series_id(int thread, int s) {
  return std::to_string(thread) + "-" + std::to_string(s);
}

// Deterministic values: noise, a level shift above 5 for a while, an occasional spike.
double value(int thread, int s, int step) {
  uint64_t h = uint64_t(thread) * 1'000'003u + uint64_t(s) * 10'007u + uint64_t(step) * 7919u;
  h ^= h >> 13;
  h *= 0x9E3779B97F4A7C15ULL;
  h ^= h >> 29;
  double noise = double(h % 1000) / 1000.0;
  if ((step + s * 7 + thread * 3) % 97 < 4) return 12 + noise;  // spikes
  return 1 + noise;
}

omen::SeriesKey key(int thread, int s) {
  return {"x", {{"id", series_id(thread, s)}}};
}

// Even threads push sample by sample, odd threads one batch per timestamp.
void produce(omen::Engine& e, int thread) {
  omen::Batch b;
  for (int s = 0; s < kSeriesPerThread; ++s) b.series.push_back(key(thread, s));
  for (int step = 0; step < kSteps; ++step) {
    int64_t t = int64_t(step) * 60'000;
    if (thread % 2 == 0) {
      for (int s = 0; s < kSeriesPerThread; ++s) e.push(b.series[s], t, value(thread, s, step));
    } else {
      b.sid.clear();
      b.t.clear();
      b.v.clear();
      for (int s = 0; s < kSeriesPerThread; ++s) b.add(uint32_t(s), t, value(thread, s, step));
      e.push(b);
    }
  }
}

using PerSeries = std::map<std::string, std::vector<std::string>>;

void collect(PerSeries& out, const std::vector<omen::Alert>& alerts) {
  for (const auto& a : alerts) out[omen::format_labels(a.labels)].push_back(omen::to_text(a));
}

PerSeries sequential_reference() {
  auto e = build();
  for (int th = 0; th < kThreads; ++th) produce(*e, th);
  PerSeries ref;
  collect(ref, e->poll());
  return ref;
}

}  // namespace

TEST_CASE(
    "concurrent pushes of disjoint series: exact totals, per-series alerts as if sequential") {
  const PerSeries ref = sequential_reference();
  REQUIRE(ref.size() > size_t(kThreads));  // most series alert at least once

  auto e = build();
  // Readers run while the producers push: poll, stats and rule names are safe at any time.
  // (Catch2 assertions are not thread-safe: the reader counts problems, checked after join.)
  std::atomic<bool> done{false};
  std::atomic<int> problems{0};
  PerSeries got;
  std::thread reader([&] {
    while (!done.load()) {
      collect(got, e->poll());
      omen::EngineStats s = e->stats();
      if (s.samples_accepted > s.samples_in || e->rule_names().size() != 2) ++problems;
    }
  });
  std::vector<std::thread> producers;
  for (int th = 0; th < kThreads; ++th) producers.emplace_back(produce, std::ref(*e), th);
  for (auto& p : producers) p.join();
  done = true;
  reader.join();
  CHECK(problems == 0);
  collect(got, e->poll());

  omen::EngineStats s = e->stats();
  const uint64_t total = uint64_t(kThreads) * kSeriesPerThread * kSteps;
  CHECK(s.samples_in == total);
  CHECK(s.samples_accepted == total);
  CHECK(s.dropped_out_of_order == 0);
  CHECK(s.dropped_duplicate == 0);
  CHECK(s.series == size_t(kThreads * kSeriesPerThread));
  CHECK(s.instances == size_t(2 * kThreads * kSeriesPerThread));
  size_t n_alerts = 0;
  for (const auto& [k, v] : got) n_alerts += v.size();
  CHECK(s.alerts == n_alerts);
  CHECK(got.size() == ref.size());
  for (const auto& [series, alerts] : ref) {
    INFO(series);
    auto it = got.find(series);
    REQUIRE(it != got.end());
    CHECK(it->second == alerts);
  }
}

TEST_CASE(
    "concurrent pushes into the same series: every sample is accepted or counted as dropped") {
  auto e = build();
  std::vector<std::thread> producers;
  // Every thread pushes the same series and timestamps: one sample per timestamp wins.
  for (int th = 0; th < kThreads; ++th)
    producers.emplace_back([&e] {
      for (int step = 0; step < kSteps; ++step) e->push(key(0, 0), int64_t(step) * 60'000, 1.0);
    });
  for (auto& p : producers) p.join();
  omen::EngineStats s = e->stats();
  CHECK(s.samples_in == uint64_t(kThreads) * kSteps);
  CHECK(s.samples_accepted + s.dropped_duplicate + s.dropped_out_of_order == s.samples_in);
  CHECK(s.samples_accepted >= 1);
  CHECK(s.samples_accepted <= uint64_t(kSteps));  // strictly increasing times per series
  CHECK(s.series == 1);
}

namespace {

struct Counter {
  std::mutex mu;
  PerSeries alerts;
};

void count_alert(const omen_alert* a, void* user) {
  auto* c = static_cast<Counter*>(user);
  omen::Alert copy;
  copy.rule = a->rule;
  for (size_t i = 0; i < a->n_labels; ++i)
    copy.labels.emplace_back(a->labels[i].name, a->labels[i].value);
  copy.severity = a->severity;
  copy.event = static_cast<omen::AlertEvent>(a->event);
  copy.at = a->at_ms;
  copy.active_since = a->active_since_ms;
  copy.fired_at = a->fired_at_ms;
  copy.value = a->value;
  copy.message = a->message;
  std::lock_guard<std::mutex> lock(c->mu);  // the callback runs on every pushing thread
  c->alerts[omen::format_labels(copy.labels)].push_back(omen::to_text(copy));
}

}  // namespace

TEST_CASE("C API: concurrent pushes with a callback give the sequential alerts per series") {
  const PerSeries ref = sequential_reference();
  omen_options* o = nullptr;
  REQUIRE(omen_options_create(&o) == OMEN_OK);
  REQUIRE(omen_options_set_tier(o, OMEN_TIER_INTERP) == OMEN_OK);
  REQUIRE(omen_options_set_staleness_ms(o, options().staleness_ms) == OMEN_OK);
  omen_engine* e = nullptr;
  REQUIRE(omen_engine_create_from_source("rules.omen", kRules, o, &e, nullptr) == OMEN_OK);
  omen_options_destroy(&o);
  Counter counter;
  REQUIRE(omen_engine_set_alert_callback(e, count_alert, &counter) == OMEN_OK);

  std::atomic<int> errors{0};
  std::vector<std::thread> producers;
  for (int th = 0; th < kThreads; ++th)
    producers.emplace_back([&, th] {
      omen_batch* b = nullptr;
      if (omen_batch_create(&b) != OMEN_OK) return void(++errors);
      std::vector<uint32_t> ids(kSeriesPerThread);
      std::vector<std::string> id_text(kSeriesPerThread);
      const char* names[] = {"id"};
      for (int s = 0; s < kSeriesPerThread; ++s) {
        id_text[s] = series_id(th, s);
        const char* values[] = {id_text[s].c_str()};
        if (th % 2 == 1 && omen_batch_add_series(b, "x", names, values, 1, &ids[s]) != OMEN_OK)
          ++errors;
      }
      for (int step = 0; step < kSteps; ++step) {
        int64_t t = int64_t(step) * 60'000;
        if (th % 2 == 0) {
          for (int s = 0; s < kSeriesPerThread; ++s) {
            const char* values[] = {id_text[s].c_str()};
            if (omen_engine_push(e, "x", names, values, 1, t, value(th, s, step)) != OMEN_OK)
              ++errors;
          }
        } else {
          omen_batch_clear(b);
          for (int s = 0; s < kSeriesPerThread; ++s)
            omen_batch_add(b, ids[s], t, value(th, s, step));
          if (omen_engine_push_batch(e, b) != OMEN_OK) ++errors;
        }
      }
      omen_batch_destroy(&b);
    });
  // A concurrent stats reader.
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done.load()) {
      omen_engine_stats s;
      if (omen_engine_get_stats(e, &s) != OMEN_OK || s.samples_accepted > s.samples_in) ++errors;
    }
  });
  for (auto& p : producers) p.join();
  done = true;
  reader.join();
  CHECK(errors == 0);
  omen_engine_stats s;
  REQUIRE(omen_engine_get_stats(e, &s) == OMEN_OK);
  CHECK(s.samples_in == uint64_t(kThreads) * kSeriesPerThread * kSteps);
  CHECK(s.samples_accepted == s.samples_in);
  CHECK(counter.alerts == ref);
  omen_engine_destroy(&e);
}
