// Embedded under load (docs/embedding.md, "Concurrency"): producers pushing single samples and
// batches, hot reloads (valid and invalid) and readers of every const accessor, all at once.
// Bounded in size so it runs in seconds, also under ThreadSanitizer (build-tsan, .ci/run).
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <catch2/catch.hpp>

#include "omen/engine.h"

namespace {

// Rule A always has `for 1m` (an activation starts with pending), B never has `for` (it starts
// firing); both keep that across versions, so every activation has one start and one end event.
const char* kV1 = R"(
series m = metric("m")
rule A { on m by (s) when m > 50 for 1m }
rule B { on m by (s) when m > 80 }
)";
const char* kV2 = R"(
series m = metric("m")
rule A { on m by (s) when m > 60 for 1m }
rule B { on m by (s) when m > 90 labels { v = "2" } }
rule C { on m when m < 5 }
)";
const char* kBad = "series m = metric(\"m\")\nrule A { on m when m > }\n";

struct Balance {
  std::mutex mu;
  std::map<std::string, long> open;  // rule|labels -> starts - ends
  long starts = 0, ends = 0;
  void on(const omen::Alert& a) {
    bool start = (a.rule == "A" && a.event == omen::AlertEvent::Pending) ||
                 (a.rule != "A" && a.event == omen::AlertEvent::Firing);
    bool end = a.event == omen::AlertEvent::Resolved || a.event == omen::AlertEvent::Cleared;
    if (!start && !end) return;
    std::string key = a.rule + "|" + omen::format_labels(a.labels);
    std::lock_guard<std::mutex> lock(mu);
    open[key] += start ? 1 : -1;
    ++(start ? starts : ends);
  }
};

double value_at(uint32_t series, int64_t minute) {
  uint32_t h = series * 2654435761u ^ static_cast<uint32_t>(minute) * 40503u;
  return (h >> 8) % 100;  // 0..99
}

}  // namespace

TEST_CASE("producers, reloads and readers at once: counters reconcile, no alert is orphaned") {
  constexpr int kProducers = 4, kSeriesEach = 50, kMinutes = 120, kReloads = 40;
  for (omen::Tier tier : {omen::Tier::Interp, omen::Tier::Auto}) {
    CAPTURE(omen::tier_name(tier));
    auto built = omen::Engine::from_source("v1.omen", kV1, {tier});
    REQUIRE(built.ok());
    omen::Engine& e = *built.engine;
    Balance balance;
    e.on_alert([&](const omen::Alert& a) { balance.on(a); });
    std::atomic<uint64_t> pushed{0};
    std::atomic<bool> done{false};
    std::atomic<int> reloads_ok{0}, reloads_rejected{0};

    std::vector<std::thread> threads;
    for (int p = 0; p < kProducers; ++p) {
      threads.emplace_back([&, p] {
        for (int64_t minute = 0; minute < kMinutes; ++minute) {
          if (minute % 2 == 0) {  // single samples
            for (int k = 0; k < kSeriesEach; ++k) {
              uint32_t s = static_cast<uint32_t>(p * kSeriesEach + k);
              e.push({"m", {{"s", std::to_string(s)}}}, minute * 60'000, value_at(s, minute));
              ++pushed;
            }
          } else {  // one batch
            omen::Batch b;
            for (int k = 0; k < kSeriesEach; ++k) {
              uint32_t s = static_cast<uint32_t>(p * kSeriesEach + k);
              b.series.push_back({"m", {{"s", std::to_string(s)}}});
              b.add(static_cast<uint32_t>(k), minute * 60'000, value_at(s, minute));
            }
            e.push(b);
            pushed += kSeriesEach;
          }
        }
      });
    }
    threads.emplace_back([&] {  // reloads: v2, v1, and now and then one with errors
      for (int i = 0; i < kReloads; ++i) {
        const char* src = i % 5 == 4 ? kBad : (i % 2 == 0 ? kV2 : kV1);
        auto r = e.reload_source("r.omen", src);
        ++(r.ok ? reloads_ok : reloads_rejected);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
    threads.emplace_back([&] {  // readers of every const accessor
      while (!done.load()) {
        omen::EngineStats s = e.stats();
        CHECK(s.samples_accepted <= s.samples_in);
        std::vector<std::string> names = e.rule_names();
        CHECK(names.size() >= 2);
        CHECK(e.poll().empty());  // a callback is set: nothing is queued
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    });
    for (size_t i = 0; i + 1 < threads.size(); ++i) threads[i].join();
    done = true;
    threads.back().join();

    e.flush(int64_t{kMinutes + 60} * 60'000);  // everything still active goes stale
    omen::EngineStats s = e.stats();
    CHECK(s.samples_in == pushed.load());
    CHECK(s.samples_accepted + s.dropped_out_of_order + s.dropped_duplicate +
              s.dropped_series_limit + s.dropped_reserved ==
          s.samples_in);
    CHECK(s.samples_accepted == s.samples_in);  // producers own disjoint series, in order
    CHECK(reloads_rejected.load() == kReloads / 5);
    CHECK(s.reloads == static_cast<uint64_t>(reloads_ok.load()));
    CHECK(balance.starts > 0);
    CHECK(balance.starts == balance.ends);
    for (const auto& [key, n] : balance.open) {
      CAPTURE(key);
      CHECK(n == 0);
    }
  }
}
