// Every kernel against the reference, tick by tick, over random series: several seeds,
// value shapes (duplicates, large offsets, outliers, counters with resets), irregular
// timestamps with gaps, NaNs, and windows from one tick to hundreds.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/kernels/window.h"
#include "reference.h"

namespace omen::kernels::testing {
namespace {

enum class Values {
  Normal,
  SmallInts,
  Offset,
  Outliers,
  Counter,
  Wide,
  Constant,
  Spikes,
  TinyNoise,
  Ramp
};
enum class Times { Jitter, Grid, Gaps };

const char* name(Values v) {
  static const char* n[] = {"normal", "small-ints", "offset", "outliers",   "counter",
                            "wide",   "constant",   "spikes", "tiny-noise", "ramp"};
  return n[static_cast<int>(v)];
}
const char* name(Times t) {
  static const char* n[] = {"jitter", "grid", "gaps"};
  return n[static_cast<int>(t)];
}

/// A random series: strictly increasing times, values of the given shape, NaNs.
std::vector<Tick> make_series(uint64_t seed, Values shape, Times timing, size_t n,
                              double nan_prob) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<Tick> out;
  int64_t t = static_cast<int64_t>(rng() % 1'000'000) - 500'000;
  double counter = 0;
  bool nan_run = false;
  for (size_t i = 0; i < n; ++i) {
    switch (timing) {
      case Times::Jitter:
        t += 1 + static_cast<int64_t>(rng() % 20);
        break;
      case Times::Grid:
        t += 10;
        break;
      case Times::Gaps:
        t += u(rng) < 0.05 ? 1 + static_cast<int64_t>(rng() % 5000)
                           : 1 + static_cast<int64_t>(rng() % 3);
        break;
    }
    double v = 0;
    switch (shape) {
      case Values::Normal:
        v = g(rng);
        break;
      case Values::SmallInts:
        v = static_cast<double>(rng() % 6);
        break;
      case Values::Offset:
        v = 1e9 + g(rng);
        break;
      case Values::Outliers:
        v = u(rng) < 0.02 ? 1e12 * g(rng) : g(rng);
        break;
      case Values::Counter:
        // Huge spikes before some resets, to stress rate's reset sum.
        if (u(rng) < 0.005) counter += 1e22 * u(rng);
        counter = u(rng) < 0.03 ? std::floor(u(rng) * 10) : counter + std::floor(u(rng) * 100);
        v = counter;
        break;
      case Values::Wide:
        v = g(rng) * std::pow(10.0, u(rng) * 12 - 6);
        break;
      case Values::Constant:
        v = 0.1;
        break;
      case Values::TinyNoise:
        v = 1e12 + 1e-3 * g(rng);
        break;  // ~8 ulps of spread
      case Values::Ramp:
        v = 1.7e12 + static_cast<double>(t);
        break;
      case Values::Spikes:  // rare huge values: the compensation terms see big roundings
        v = u(rng) < 0.004 ? 1e25 * (u(rng) + 0.5) : g(rng);
        break;
    }
    // NaNs come alone and in runs (runs empty the window of the value kernels).
    if (u(rng) < 0.01) nan_run = !nan_run;
    if (nan_run || u(rng) < nan_prob) v = kNaN;
    out.push_back({t, v});
  }
  return out;
}

const double kQuantiles[] = {0.0, 0.1, 0.25, 1.0 / 3.0, 0.5, 0.9, 0.99, 1.0};
constexpr size_t kNumQ = sizeof(kQuantiles) / sizeof(kQuantiles[0]);

/// One state per kernel (and per quantile) of one width.
struct Kernels {
  explicit Kernels(int64_t width) {
    for (size_t k = 0; k < kNumWindowKinds; ++k)
      states.emplace_back(WindowSpec{static_cast<WindowKind>(k), width, 0.5});
    for (double q : kQuantiles) quantiles.emplace_back(WindowSpec{WindowKind::Quantile, width, q});
  }
  double push(WindowKind k, int64_t t, double v) {
    return states[static_cast<size_t>(k)].push(t, v);
  }
  std::vector<WindowState> states;
  std::vector<WindowState> quantiles;
};

std::string fmt(double x) {
  std::ostringstream os;
  os.precision(17);
  os << x;
  return os.str();
}

/// Pushes the series through every kernel and checks each result against the reference
/// every `check_every` ticks; returns the number of mismatches (the first few are
/// reported through Catch).
size_t run(const std::vector<Tick>& series, int64_t width, const std::string& label,
           size_t check_every = 1) {
  Kernels ks(width);
  Reference ref(width);
  size_t failures = 0;
  auto check = [&](bool ok, const char* kernel, size_t i, double got, double want) {
    if (ok) return;
    if (++failures <= 5) {
      FAIL_CHECK(label << " tick " << i << " t=" << series[i].t << " v=" << fmt(series[i].v) << ": "
                       << kernel << " got " << fmt(got) << " want " << fmt(want));
    }
  };
  constexpr double kRel = 1e-9;
  for (size_t i = 0; i < series.size(); ++i) {
    const int64_t t = series[i].t;
    const double v = series[i].v;
    ref.push(t, v);
    double got[kNumWindowKinds];
    for (size_t k = 0; k < kNumWindowKinds; ++k) got[k] = ks.states[k].push(t, v);
    double got_q[kNumQ];
    for (size_t q = 0; q < kNumQ; ++q) got_q[q] = ks.quantiles[q].push(t, v);
    if (i % check_every != 0 && i + 1 != series.size()) continue;

    const Expected e = ref.expected();
    auto at = [&](WindowKind k) { return got[static_cast<size_t>(k)]; };
    check(same(at(WindowKind::Count), e.count), "count", i, at(WindowKind::Count), e.count);
    check(close(at(WindowKind::Sum), e.sum, kRel, 1e-14 * e.abs_sum), "sum", i, at(WindowKind::Sum),
          e.sum);
    check(close(at(WindowKind::Mean), e.mean, kRel, 1e-14 * e.abs_sum / e.count), "mean", i,
          at(WindowKind::Mean), e.mean);
    check(same(at(WindowKind::Min), e.min), "min", i, at(WindowKind::Min), e.min);
    check(same(at(WindowKind::Max), e.max), "max", i, at(WindowKind::Max), e.max);
    check(close(at(WindowKind::Stddev), e.stddev, kRel), "stddev", i, at(WindowKind::Stddev),
          e.stddev);
    check(same(at(WindowKind::Median), e.median), "median", i, at(WindowKind::Median), e.median);
    check(same(at(WindowKind::Quantile), ref_quantile_sorted(e.sorted, 0.5)), "quantile(.5)", i,
          at(WindowKind::Quantile), ref_quantile_sorted(e.sorted, 0.5));
    check(close(at(WindowKind::Mad), e.mad, kRel), "mad", i, at(WindowKind::Mad), e.mad);
    check(same(at(WindowKind::Ewma), e.ewma), "ewma", i, at(WindowKind::Ewma), e.ewma);
    check(same(at(WindowKind::Delta), e.delta), "delta", i, at(WindowKind::Delta), e.delta);
    check(close(at(WindowKind::Rate), e.rate, kRel, 1e-14 * e.rate_scale), "rate", i,
          at(WindowKind::Rate), e.rate);
    check(same(at(WindowKind::Lag), e.lag), "lag", i, at(WindowKind::Lag), e.lag);
    for (size_t q = 0; q < kNumQ; ++q) {
      double want = ref_quantile_sorted(e.sorted, kQuantiles[q]);
      check(same(got_q[q], want), "quantile", i, got_q[q], want);
    }
  }
  return failures;
}

TEST_CASE("kernels match the reference on random series", "[kernels][random]") {
  const Values shapes[] = {Values::Normal,    Values::SmallInts, Values::Offset,   Values::Outliers,
                           Values::Counter,   Values::Wide,      Values::Constant, Values::Spikes,
                           Values::TinyNoise, Values::Ramp};
  const Times timings[] = {Times::Jitter, Times::Grid, Times::Gaps};
  // 1: only the current tick; 30 on the 10 ms grid: samples at exactly t - 30 must leave.
  const int64_t widths[] = {1, 7, 30, 250, 4000};
  size_t runs = 0, failures = 0;
  for (uint64_t seed = 1; seed <= 3; ++seed)
    for (Values shape : shapes)
      for (Times timing : timings)
        for (int64_t width : widths) {
          auto series = make_series(seed * 7919 + runs, shape, timing, 400, 0.1);
          std::string label = std::string(name(shape)) + "/" + name(timing) +
                              "/w=" + std::to_string(width) + "/seed=" + std::to_string(seed);
          failures += run(series, width, label);
          ++runs;
        }
  CHECK(runs == 3 * 10 * 3 * 5);
  CHECK(failures == 0);
}

TEST_CASE("kernels match the reference over long runs with drains", "[kernels][random]") {
  // Long enough for the periodic exact rebuilds and the buffer shrinking to kick in;
  // the window holds ~1000 samples, then empties on the gaps.
  size_t failures = 0;
  for (uint64_t seed : {11u, 12u}) {
    for (Values shape : {Values::Offset, Values::Outliers, Values::Counter, Values::SmallInts,
                         Values::Spikes, Values::TinyNoise}) {
      auto series = make_series(seed, shape, Times::Gaps, 12000, 0.05);
      failures += run(series, 2000, std::string("long/") + name(shape), 13);
    }
  }
  CHECK(failures == 0);
}

/// Pushes the series into one state of `leader` and, at every tick, reads each of `reads`
/// from it (as a rule does after lowering to ir::Op::WindowRead); each read must be
/// bitwise what a separate state of that kernel returns. Returns the mismatches.
size_t run_shared(const std::vector<Tick>& series, int64_t width, WindowKind leader, double q,
                  const std::vector<std::pair<WindowKind, double>>& reads,
                  const std::string& label) {
  WindowState shared(WindowSpec{leader, width, q});
  WindowState alone(WindowSpec{leader, width, q});
  std::vector<WindowState> separate;
  for (const auto& [kind, param] : reads) separate.emplace_back(WindowSpec{kind, width, param});
  size_t failures = 0;
  for (size_t i = 0; i < series.size(); ++i) {
    const Tick& x = series[i];
    double got = shared.push(x.t, x.v), want = alone.push(x.t, x.v);
    bool ok = std::memcmp(&got, &want, sizeof got) == 0;
    for (size_t r = 0; ok && r < reads.size(); ++r) {
      got = kernel_info(reads[r].first).read(shared.get(), reads[r].second);
      want = separate[r].push(x.t, x.v);
      ok = same(got, want) && std::signbit(got) == std::signbit(want);
    }
    if (!ok && ++failures <= 5)
      FAIL_CHECK(label << " tick " << i << ": got " << fmt(got) << " want " << fmt(want));
  }
  return failures;
}

TEST_CASE("a shared state reads exactly what separate states return", "[kernels][random]") {
  using K = WindowKind;
  struct Group {
    K leader;
    double q;
    std::vector<std::pair<K, double>> reads;
  };
  const Group groups[] = {
      {K::Mean, 0.5, {{K::Stddev, 0}}},
      {K::Stddev, 0.5, {{K::Mean, 0}}},
      {K::Median, 0, {{K::Mad, 0}, {K::Quantile, 0.9}, {K::Quantile, 0.0}, {K::Quantile, 1.0}}},
      {K::Mad, 0, {{K::Median, 0}, {K::Quantile, 1.0 / 3.0}}},
      {K::Quantile, 0.25, {{K::Median, 0}, {K::Mad, 0}, {K::Quantile, 0.99}}},
  };
  const Values shapes[] = {Values::Normal, Values::SmallInts, Values::Offset,    Values::Outliers,
                           Values::Wide,   Values::Spikes,    Values::TinyNoise, Values::Ramp};
  size_t failures = 0, runs = 0;
  for (const Group& g : groups)
    for (Values shape : shapes)
      for (Times timing : {Times::Jitter, Times::Gaps})
        for (int64_t width : {7, 250, 4000}) {
          auto series = make_series(4243 + runs++, shape, timing, 400, 0.1);
          failures += run_shared(series, width, g.leader, g.q, g.reads,
                                 std::string(kernel_info(g.leader).name) + "/" + name(shape) + "/" +
                                     name(timing) + "/w=" + std::to_string(width));
        }
  // Long runs: ~1000 samples, so the sorted window switches to the tree and back.
  for (const Group& g : groups) {
    auto series = make_series(77 + runs++, Values::Outliers, Times::Gaps, 12000, 0.05);
    failures += run_shared(series, 2000, g.leader, g.q, g.reads,
                           std::string("long/") + kernel_info(g.leader).name);
  }
  CHECK(failures == 0);
}

TEST_CASE("all-NaN series", "[kernels][random]") {
  std::vector<Tick> series;
  for (int64_t t = 0; t < 200; t += 3) series.push_back({t, kNaN});
  CHECK(run(series, 10, "all-nan") == 0);
  CHECK(run(series, 1000, "all-nan") == 0);
}

}  // namespace
}  // namespace omen::kernels::testing
