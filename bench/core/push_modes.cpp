// `omen_core_bench push`: what a service that receives samples one by one pays against one
// that batches (issue 20), and how long a reload takes while alerts are active.
//
// The data: S series, one sample per series per minute, time-major (every series at minute m
// before any at m+1), values N(0.5, 0.1) with bursts; one rule `when x > 0.6 for 2m` keeps a
// changing sixth or so of the instances pending or firing, so the alert lifecycle and the
// staleness checks are exercised. Each mode pushes the same samples into a fresh engine
// (Tier::Interp, so no JIT work is measured) and reports thread-CPU time per sample; the ratio
// per-sample / batch is the figure of merit (same run, same data).
#include "bench/core/common.h"

namespace bench {

namespace {

const char* kRules = R"(
series x = metric("x")
rule High { on x by (s) when x > 0.6 for 2m }
)";
const char* kRulesAlt = R"(
series x = metric("x")
rule High { on x by (s) when x > 0.61 for 2m }
)";

std::vector<omen::SeriesKey> keys_for(size_t n) {
  std::vector<omen::SeriesKey> keys;
  for (size_t s = 0; s < n; ++s) keys.push_back({"x", {{"s", fmt::format("s{:05}", s)}}});
  return keys;
}

std::unique_ptr<omen::Engine> engine() {
  auto b = omen::Engine::from_source("push.omen", kRules, {omen::Tier::Interp});
  if (!b.ok()) throw std::runtime_error(b.render());
  return std::move(b.engine);
}

// Seconds of thread CPU per sample, pushing minute by minute.
double run_mode(const Dataset& d, const std::vector<omen::SeriesKey>& keys, size_t per_push,
                uint64_t* alerts) {
  auto e = engine();
  uint64_t n_alerts = 0;
  e->on_alert([&](const omen::Alert&) { ++n_alerts; });
  Stopwatch sw;
  for (size_t m = 0; m < d.n_samples; ++m) {
    omen::TimeMs t = kT0 + static_cast<omen::TimeMs>(m) * kStep;
    if (per_push == 1) {
      for (size_t s = 0; s < d.n_series; ++s) e->push(keys[s], t, d.row(s)[m]);
      continue;
    }
    for (size_t s0 = 0; s0 < d.n_series; s0 += per_push) {
      omen::Batch b;
      size_t s1 = std::min(d.n_series, s0 + per_push);
      b.series.assign(keys.begin() + static_cast<std::ptrdiff_t>(s0),
                      keys.begin() + static_cast<std::ptrdiff_t>(s1));
      for (size_t s = s0; s < s1; ++s) b.add(static_cast<uint32_t>(s - s0), t, d.row(s)[m]);
      e->push(b);
    }
  }
  double cpu = sw.cpu();
  *alerts = n_alerts;
  return cpu / static_cast<double>(d.n_series * d.n_samples);
}

}  // namespace

int run_push(const Options& o) {
  std::vector<size_t> sizes = o.series  ? std::vector<size_t>{o.series}
                              : o.quick ? std::vector<size_t>{1000}
                                        : std::vector<size_t>{1000, 10000};
  size_t minutes = o.samples ? o.samples : (o.quick ? 30 : 60);
  fmt::print("### Per-sample push vs batch push (Tier::Interp, {} minutes, median of {} runs)\n\n",
             minutes, o.reps);
  Table t({"series", "mode", "ns/sample (CPU)", "M samples/s", "alerts", "vs batch"});
  for (size_t n : sizes) {
    Dataset d = make_dataset(n, minutes, 7);
    auto keys = keys_for(n);
    double batch_ns = 0;
    for (size_t per_push : {n, size_t{64}, size_t{1}}) {
      std::vector<double> xs;
      uint64_t alerts = 0;
      for (int r = 0; r < o.reps; ++r) xs.push_back(run_mode(d, keys, per_push, &alerts));
      double ns = median(xs) * 1e9;
      if (per_push == n) batch_ns = ns;
      std::string mode = per_push == n   ? "one batch per minute"
                         : per_push == 1 ? "one sample per push"
                                         : fmt::format("batches of {}", per_push);
      t.row({fmt::format("{}", n), mode, f1(ns), f2(1e3 / ns), fmt::format("{}", alerts),
             ratio(ns, batch_ns)});
      fmt::print(stderr, "push: {} series, {}: {:.1f} ns/sample\n", n, mode, ns);
    }
  }
  fmt::print("{}\n", t.markdown());

  // Reload latency: an engine with n series and active alerts, reloaded alternately with two
  // rule sets that differ in the rule (a changed rule: fresh windows, alerts carried over).
  size_t n = sizes.back();
  Dataset d = make_dataset(n, 10, 7);
  auto keys = keys_for(n);
  auto e = engine();
  e->on_alert([](const omen::Alert&) {});
  for (size_t m = 0; m < d.n_samples; ++m) {
    omen::Batch b;
    b.series = keys;
    for (size_t s = 0; s < n; ++s)
      b.add(static_cast<uint32_t>(s), kT0 + static_cast<omen::TimeMs>(m) * kStep, d.row(s)[m]);
    e->push(b);
  }
  std::vector<double> wall;
  int reloads = o.quick ? 20 : 100;
  for (int i = 0; i < reloads; ++i) {
    Stopwatch sw;
    auto r = e->reload_source("push.omen", i % 2 ? kRules : kRulesAlt);
    wall.push_back(sw.wall() * 1e3);
    if (!r.ok) throw std::runtime_error(r.render());
  }
  Summary s = summarize(wall);
  fmt::print("### Reload latency ({} series with active alerts, {} reloads of a changed rule)\n\n",
             n, reloads);
  Table rt({"p50 ms", "p95 ms", "max ms"});
  rt.row({f2(s.median), f2(s.p95), f2(s.max)});
  fmt::print("{}\n", rt.markdown());
  return 0;
}

}  // namespace bench
