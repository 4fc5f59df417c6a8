// Ingestion internals: the series store's trimming, the batch -> store id cache, instance
// lookup for rules that match a subset of the series, and honest memory accounting.
#include <random>

#include <catch2/catch.hpp>

#include "omen/engine.h"
#include "runtime/engine/engine_impl.h"

namespace {

// The alerts as sorted lines: samples pushed one by one deliver the alerts of one time in
// push order, a batch in rule and label order; the alerts themselves must be the same.
std::string log_of(const std::vector<omen::Alert>& alerts) {
  std::vector<std::string> lines;
  for (const auto& a : alerts) lines.push_back(omen::to_text(a));
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::unique_ptr<omen::Engine> build(const char* src) {
  omen::EngineOptions o;
  o.tier = omen::Tier::Interp;
  auto b = omen::Engine::from_source("rules.omen", src, o);
  INFO(b.render());
  REQUIRE(b.ok());
  return std::move(b.engine);
}

// Two engines over the same rules: one fed batches, one fed single samples.
struct Pair {
  std::unique_ptr<omen::Engine> batched, single;
};
Pair pair_of(const char* src) {
  return {build(src), build(src)};
}

// Both engines raised the same alerts and counted the same samples and evaluations.
void check_same(omen::Engine& batched, omen::Engine& single) {
  std::string x = log_of(batched.poll()), y = log_of(single.poll());
  CHECK(!x.empty());
  CHECK(x == y);
  auto sx = batched.stats(), sy = single.stats();
  CHECK(sx.series == sy.series);
  CHECK(sx.samples_accepted == sy.samples_accepted);
  CHECK(sx.dropped_duplicate == sy.dropped_duplicate);
  CHECK(sx.dropped_out_of_order == sy.dropped_out_of_order);
  CHECK(sx.evaluations == sy.evaluations);
  for (size_t r = 0; r < sx.per_rule.size(); ++r)
    CHECK(sx.per_rule[r].evaluations == sy.per_rule[r].evaluations);
}

// Every sample of the batch pushed alone, through push(key, t, v): no batching, no cache.
void push_one_by_one(omen::Engine& e, const omen::Batch& b) {
  std::vector<size_t> idx(b.t.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](size_t x, size_t y) { return b.t[x] < b.t[y]; });
  for (size_t i : idx)
    if (b.sid[i] < b.series.size()) e.push(b.series[b.sid[i]], b.t[i], b.v[i]);
}

constexpr int64_t kMin = 60'000;
const char* kHigh = "series x = metric(\"x\")\nrule High { on x by (id) when x > 0.5 for 1m }\n";

}  // namespace

TEST_CASE("the series store keeps memory proportional to its history") {
  omen::engine::SeriesData d;
  const int64_t history = 60 * kMin;
  size_t max_cap = 0;
  for (int64_t i = 0; i < 20'000; ++i) {  // two weeks, one sample a minute
    d.t.push_back(i * kMin);
    d.v.push_back(static_cast<double>(i));
    d.last_t = i * kMin;
    d.trim_before(i * kMin - history);
    max_cap = std::max(max_cap, d.t.capacity());
    REQUIRE(d.size() == static_cast<size_t>(std::min<int64_t>(i + 1, 61)));
    REQUIRE(d.t[d.head] == std::max<int64_t>(0, i - 60) * kMin);
  }
  CHECK(max_cap <= 256);  // ~2x the 61 live samples, not everything ever pushed
  // As-of reads still see exactly the live history.
  int64_t now = 19'999 * kMin;
  size_t idx = d.at_or_before(now - 30 * kMin - 1);
  REQUIRE(idx != SIZE_MAX);
  CHECK(d.t[idx] == now - 31 * kMin);
  CHECK(d.at_or_before(now - 61 * kMin) == SIZE_MAX);

  // A burst (one huge batch) gives its memory back once trimmed.
  omen::engine::SeriesData b;
  for (int64_t i = 0; i < 100'000; ++i) {
    b.t.push_back(i * kMin);
    b.v.push_back(0);
  }
  b.trim_before(99'999 * kMin - history);
  CHECK(b.size() == 61);
  CHECK(b.t.capacity() <= 256);
  CHECK(b.v.capacity() == b.t.capacity());
  CHECK(b.t.front() == 99'939 * kMin);

  // The newest sample is always kept, however old.
  b.trim_before(1'000'000 * kMin);
  CHECK(b.size() == 1);
  CHECK(b.t[b.head] == 99'999 * kMin);
}

TEST_CASE("batches that rename, reorder or add series at a position map them correctly") {
  auto [batched, single] = pair_of(kHigh);
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0, 1);
  auto key = [](int id) { return omen::SeriesKey{"x", {{"id", std::to_string(id)}}}; };
  int64_t t = 0;
  for (int round = 0; round < 60; ++round) {
    omen::Batch b;
    // The same list most of the time; every few rounds a position names another series,
    // the list is reordered, grows, or shrinks.
    std::vector<int> ids = {0, 1, 2, 3, 4, 5};
    if (round % 7 == 3) std::swap(ids[1], ids[4]);
    if (round % 5 == 2) ids[2] = 10 + round % 3;
    if (round % 11 == 6) ids.push_back(20 + round);
    if (round % 13 == 9) ids.resize(3);
    for (int id : ids) b.series.push_back(key(id));
    for (int step = 0; step < 3; ++step, t += kMin)
      for (uint32_t s = 0; s < b.series.size(); ++s) b.add(s, t, u(rng));
    b.add(static_cast<uint32_t>(b.series.size()) + 3, t, 1.0);  // no such series: ignored
    batched->push(b);
    push_one_by_one(*single, b);
  }
  check_same(*batched, *single);
}

TEST_CASE("rules matching a subset of the series evaluate exactly their instances") {
  // Interleaved metrics and label values, so each rule's instances are a sparse, sorted
  // subset of the store; batches touch random subsets in random series order.
  const char* src = R"(
series a = metric("m", kind = "a")
series b = metric("m", kind = "b")
series other = metric("other")
rule A { on a by (id) when a > 0.7 for 1m }
rule B { on b by (id) when b < 0.2 }
rule O { on other by (id) when other > 0.95 }
)";
  auto [batched, single] = pair_of(src);
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<omen::SeriesKey> keys;
  for (int i = 0; i < 30; ++i) {
    const char* kind = i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c";
    keys.push_back({i % 4 == 3 ? "other" : "m", {{"id", std::to_string(i)}, {"kind", kind}}});
  }
  uint64_t expected_evals = 0;  // of the regular samples (the dropped ones come on top)
  for (int round = 0; round < 40; ++round) {
    omen::Batch b;
    std::vector<size_t> pick;
    for (size_t i = 0; i < keys.size(); ++i)
      if (rng() % 3 != 0) pick.push_back(i);
    std::shuffle(pick.begin(), pick.end(), rng);
    for (size_t i : pick) b.series.push_back(keys[i]);
    for (int step = 0; step < 2; ++step) {
      int64_t t = (round * 2 + step) * kMin;
      for (uint32_t s = 0; s < b.series.size(); ++s) {
        b.add(s, t, u(rng));
        const auto& k = b.series[s];
        bool matched = k.name == "other" || k.labels[1].second != "c";
        expected_evals += matched ? 1 : 0;
      }
    }
    // A few out-of-order and duplicate samples, counted as when pushed one by one.
    if (!b.series.empty()) {
      b.add(0, round * 2 * kMin, 0.5);
      b.add(0, round * 2 * kMin - 7 * kMin, 0.5);
    }
    batched->push(b);
    push_one_by_one(*single, b);
  }
  auto sx = batched->stats();
  check_same(*batched, *single);
  CHECK(sx.evaluations >= expected_evals);
  CHECK(sx.evaluations <= expected_evals + 40);  // at most one early sample a round accepted
  CHECK(sx.dropped_duplicate > 0);
  CHECK(sx.dropped_out_of_order > 0);
}

TEST_CASE("a firing instance goes stale while other series keep the engine busy") {
  const char* src = R"(
series x = metric("x")
rule Up { on x by (id) when x > 0.5 }
)";
  auto e = build(src);
  omen::SeriesKey quiet{"x", {{"id", "quiet"}}}, busy{"x", {{"id", "busy"}}};
  e->push(quiet, 0, 1.0);  // fires, then never speaks again
  for (int64_t i = 1; i <= 10; ++i) e->push(busy, i * kMin, 0.0);
  auto alerts = e->poll();
  REQUIRE(alerts.size() == 2);
  CHECK(alerts[0].event == omen::AlertEvent::Firing);
  CHECK(alerts[1].event == omen::AlertEvent::Resolved);
  CHECK(alerts[1].at == 5 * kMin + 1);  // the first stale instant
}

TEST_CASE("EngineStats counts what each instance allocates") {
  const char* src = R"(
series x = metric("x")
series y = metric("y")
rule T { on x by (id) when x > 0.9 }
rule W { on x by (id) when abs((x - mean(x, 60m)) / (stddev(x, 60m) + 1e-9)) > 3 and x > y }
)";
  auto e = build(src);
  omen::Batch b;
  for (int i = 0; i < 100; ++i) {
    b.series.push_back({"x", {{"id", std::to_string(i)}}});
    b.series.push_back({"y", {{"id", std::to_string(i)}}});
  }
  for (int64_t k = 0; k < 5; ++k)
    for (uint32_t s = 0; s < b.series.size(); ++s) b.add(s, k * kMin, 0.5);
  e->push(b);
  auto s = e->stats();
  REQUIRE(s.instances == 200);
  // At least: T's Instance records; W's records, one join slot and its generation, its
  // WindowState handle (mean and stddev of the same input and width share one state) and the
  // allocator's headers of two heap blocks per window state.
  size_t floor =
      100 * sizeof(omen::engine::Instance) + 100 * (sizeof(omen::engine::Instance) + 4 + 8 +
                                                    1 * (sizeof(omen::kernels::WindowState) + 32));
  CHECK(s.state_bytes >= floor);
  CHECK(s.state_bytes <= floor * 3 / 2);  // capacity slack is bounded
  CHECK(sizeof(omen::engine::Instance) <= 40);
}

TEST_CASE("a batch naming one series at two positions keeps its samples in time order") {
  auto [batched, single] = pair_of(kHigh);
  omen::Batch b;
  b.series = {{"x", {{"id", "a"}}}, {"x", {{"id", "b"}}}, {"x", {{"id", "a"}}}};
  for (int64_t k = 0; k < 40; ++k) {
    // Alternate the two positions of "a"; every fifth time both, the second a duplicate.
    uint32_t pos = k % 2 == 0 ? 0 : 2;
    b.add(pos, k * kMin, (k / 3) % 2 ? 0.9 : 0.1);
    if (k % 5 == 0) b.add(2 - pos, k * kMin, 0.0);
    b.add(1, k * kMin, (k / 4) % 2 ? 0.9 : 0.1);
  }
  b.add(0, 3 * kMin, 1.0);  // sorted to 3m (after the first), so a duplicate
  batched->push(b);
  push_one_by_one(*single, b);
  CHECK(batched->stats().dropped_duplicate == 9);
  check_same(*batched, *single);
}
