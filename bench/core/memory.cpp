// Benchmark 5: memory per (series, rule). Each configuration runs in a fresh child process
// (this binary, `memory-child`): it builds an engine, pushes K samples to each of S series
// (time order, one batch per timestamp, the batch buffers allocated up front), and reports
// VmRSS before and after the pushes (after malloc_trim), VmHWM, the heap in use (mallinfo2:
// malloc's chunks, with their headers), and EngineStats. The bytes per (series, rule) are
// the growth over the same run with a rule that matches no series (series store only),
// divided by S; EngineStats gives the engine's own accounting, window buffers apart. "Beyond
// the window buffers" = that growth minus EngineStats' window bytes per instance.
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <map>

#include "bench/core/common.h"

namespace bench {
namespace {

struct Mode {
  std::string name, title, source;
};

const std::vector<Mode>& modes() {
  static const std::vector<Mode> m = {
      {"none", "no matching rule (series store only)",
       "series z = metric(\"unused\")\nrule Unused { on z when z > 0.9 }\n"},
      {"threshold", "(a) threshold `x > 0.9`",
       "series x = metric(\"x\")\nrule Threshold { on x when x > 0.9 }\n"},
      {"zscore", "(b) z-score 60m + for 5m",
       "series x = metric(\"x\")\nrule ZScore {\n  on x\n"
       "  when abs((x - mean(x, 60m)) / (stddev(x, 60m) + 1e-9)) > 3\n  for 5m\n}\n"},
      {"robust", "(d) robust_z 60m + for 5m",
       "import std\nseries x = metric(\"x\")\n"
       "rule RobustZ { on x when robust_z(x, 60m) > 4 for 5m }\n"},
  };
  return m;
}

std::string self_path() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "/proc/self/exe";
  buf[n] = 0;
  return buf;
}

long heap_in_use() {
  struct mallinfo2 mi = mallinfo2();
  return static_cast<long>(mi.uordblks + mi.hblkhd);
}

struct ChildResult {
  long rss_before = 0, rss_after = 0, hwm = 0, heap_before = 0, heap_after = 0;
  size_t instances = 0, state_bytes = 0, window_bytes = 0, series = 0;
  double push_s = 0;
  bool ok = false;
};

}  // namespace

int run_memory_child(const Options& o) {
  std::string mode = o.rest.empty() ? "threshold" : o.rest[0];
  const Mode* m = nullptr;
  for (const auto& x : modes())
    if (x.name == mode) m = &x;
  if (!m) return 2;
  const size_t S = o.series, K = o.samples;
  omen::EngineOptions eo;
  eo.tier = omen::Tier::Interp;  // no LLVM in the process: its code and arenas are not state
  auto built = omen::Engine::from_source("mem.omen", m->source, eo);
  if (!built.ok()) {
    fmt::print(stderr, "{}\n", built.render());
    return 1;
  }
  omen::Batch batch;
  batch.series.reserve(S);
  for (size_t s = 0; s < S; ++s) batch.series.push_back({"x", {{"id", std::to_string(s)}}});
  for (size_t s = 0; s < S; ++s) batch.add(static_cast<uint32_t>(s), 0, 0.0);
  Rng rng(7);
  malloc_trim(0);
  long before = proc_status_kb("VmRSS");
  long heap_before = heap_in_use();
  double t0 = now_s();
  for (size_t k = 0; k < K; ++k) {
    for (size_t s = 0; s < S; ++s) {
      batch.t[s] = kT0 + static_cast<omen::TimeMs>(k) * kStep;
      batch.v[s] = 0.5 + 0.1 * rng.normal();
    }
    built.engine->push(batch);
  }
  double push_s = now_s() - t0;
  malloc_trim(0);
  long after = proc_status_kb("VmRSS");
  long hwm = proc_status_kb("VmHWM");
  long heap_after = heap_in_use();
  auto st = built.engine->stats();
  fmt::print("MEM {} {} {} {} {} {} {} {:.3f} {} {}\n", before, after, hwm, st.instances,
             st.state_bytes, st.window_bytes, st.series, push_s, heap_before, heap_after);
  return 0;
}

int run_memory(const Options& o) {
  const size_t S = o.series ? o.series : (o.quick ? 20000 : 100000);
  const size_t K = o.samples ? o.samples : 70;
  fmt::print(
      "## 5. Memory per (series, rule): {} series x {} samples each (1-minute spacing), "
      "1 rule, Tier::Interp, one process per row\n\n",
      S, K);
  std::string self = self_path();
  auto run = [&](const std::string& mode, size_t series, size_t samples) {
    std::string cmd =
        fmt::format("'{}' memory-child {} --series {} --samples {}", self, mode, series, samples);
    FILE* f = popen(cmd.c_str(), "r");
    ChildResult r;
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
      double ps;
      if (sscanf(line, "MEM %ld %ld %ld %zu %zu %zu %zu %lf %ld %ld", &r.rss_before, &r.rss_after,
                 &r.hwm, &r.instances, &r.state_bytes, &r.window_bytes, &r.series, &ps,
                 &r.heap_before, &r.heap_after) == 10) {
        r.ok = true;
        r.push_s = ps;
      }
    }
    if (f) pclose(f);
    fmt::print(stderr, "memory: {} ({} x {}) done\n", mode, series, samples);
    return r;
  };
  std::map<std::string, ChildResult> res;
  for (const auto& m : modes()) res[m.name] = run(m.name, S, K);
  const ChildResult& base = res["none"];
  auto growth = [](const ChildResult& r) { return double(r.rss_after - r.rss_before) * 1024.0; };
  auto heap = [](const ChildResult& r) { return double(r.heap_after - r.heap_before); };
  Table t({"rule", "instances", "RSS growth MB",
           "B per (series, rule) beyond the series store: "
           "RSS; heap",
           "EngineStats window B/instance", "beyond the window buffers: RSS; heap",
           "EngineStats state B/instance (excl. windows)", "VmHWM MB"});
  Table g({"rule", "EngineStats state B/instance", "heap beyond windows B", "RSS beyond windows B",
           "status (<= 128 B)"});
  for (const auto& m : modes()) {
    const ChildResult& r = res[m.name];
    if (!r.ok) {
      t.row({m.title, "failed"});
      continue;
    }
    if (m.name == "none" || !r.instances || !base.ok) {
      t.row({m.title, std::to_string(r.instances), f1(growth(r) / 1048576.0),
             fmt::format("- (the store: {:.0f}; {:.0f} B per series)", growth(r) / double(S),
                         heap(r) / double(S)),
             "-", "-", "-", f1(double(r.hwm) / 1024.0)});
      continue;
    }
    const double inst = double(r.instances);
    const double per_rss = (growth(r) - growth(base)) / double(S);
    const double per_heap = (heap(r) - heap(base)) / double(S);
    const double win = double(r.window_bytes) / inst, st = double(r.state_bytes) / inst;
    t.row({m.title, std::to_string(r.instances), f1(growth(r) / 1048576.0),
           fmt::format("{:.0f}; {:.0f}", per_rss, per_heap), fmt::format("{:.0f}", win),
           fmt::format("{:.0f}; {:.0f}", per_rss - win, per_heap - win), fmt::format("{:.0f}", st),
           f1(double(r.hwm) / 1024.0)});
    const double worst = std::max({st, per_heap - win, per_rss - win});
    g.row({m.title, fmt::format("{:.0f}", st), fmt::format("{:.0f}", per_heap - win),
           fmt::format("{:.0f}", per_rss - win), worst <= 128 ? "met" : "missed"});
  }
  fmt::print("{}\n", t.markdown());
  fmt::print(
      "RSS growth = VmRSS after the pushes minus before (batch buffers allocated before; "
      "malloc_trim before each reading); heap = malloc's chunks in use (mallinfo2, "
      "headers included). Per (series, rule) = (growth with the rule - growth of the "
      "store-only run) / series.\n\n");
  fmt::print(
      "Goal: memory per (series, rule) beyond the window buffers <= 128 bytes (status: "
      "met when all three measures are):\n\n{}\n",
      g.markdown());
  // The series store over a longer run: samples it keeps per series.
  const size_t S2 = o.quick ? 2000 : 10000;
  Table ts({"series store, no rule", "series", "samples each", "RSS growth MB", "RSS B per series",
            "B per series per 16-byte sample kept for 60m"});
  for (size_t k : {size_t(70), size_t(1440)}) {
    ChildResult r = run("none", S2, k);
    if (!r.ok) continue;
    double per = growth(r) / double(S2);
    ts.row({k == 70 ? "70 minutes" : "one day", std::to_string(S2), std::to_string(k),
            f1(growth(r) / 1048576.0), fmt::format("{:.0f}", per),
            fmt::format("{:.1f}", per / (61.0 * 16))});
  }
  fmt::print("{}\n", ts.markdown());
  return 0;
}

}  // namespace bench
