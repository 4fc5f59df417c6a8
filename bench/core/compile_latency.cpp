// Benchmark 3: compile latency per rule. ~200 distinct one-rule files of the three shapes
// (threshold, z-score + for, two-series ratio). For each: Engine::from_source with
// Tier::Interp and with Tier::Jit (end to end: parse, check, lower, LLJIT instance, native
// code), their difference, and the pieces: the front end alone (omen::compile) and
// jit::Jit::compile alone on one shared Jit (IR build, optimization, code generation).
#include <memory>

#include "bench/core/common.h"
#include "compiler/driver/compile.h"
#ifdef OMEN_HAVE_JIT
#include "compiler/jit/jit.h"
#endif

namespace bench {
namespace {

std::string rule_source(size_t i) {
  std::string head = "series x = metric(\"x\")\nseries y = metric(\"y\")\n";
  switch (i % 3) {
    case 0:
      return head + fmt::format("rule Threshold{} {{ on x when x > {} }}\n", i, 0.5 + 0.001 * i);
    case 1:
      return head + fmt::format(
                        "rule ZScore{} {{\n  on x\n  when abs((x - mean(x, {}m)) / (stddev(x, "
                        "{}m) + 1e-9)) > {}\n  for {}m\n}}\n",
                        i, 10 + i, 10 + i, 2.5 + 0.25 * (i % 7), 1 + i % 10);
    default:
      return head +
             fmt::format("rule Ratio{} {{ on x by (id) when x / y > {} }}\n", i, 1.5 + 0.01 * i);
  }
}

/// A measure: thread CPU ms (the figure) and wall ms of each sample.
struct Samples {
  std::vector<double> cpu, wall;
  void add(const Stopwatch& sw) {
    cpu.push_back(sw.cpu() * 1e3);
    wall.push_back(sw.wall() * 1e3);
  }
};

void build(const std::string& src, omen::Tier tier, Samples* out, std::string* err) {
  omen::EngineOptions o;
  o.tier = tier;
  Stopwatch sw;
  auto b = omen::Engine::from_source("rule.omen", src, o);
  if (out) out->add(sw);
  if (!b.ok()) *err = b.render();
}

std::string ms3(double x) {
  return std::isfinite(x) ? fmt::format("{:.2f}", x) : "missing";
}

}  // namespace

int run_compile(const Options& o) {
  const size_t n = o.quick ? 60 : 201;
  fmt::print("## 3. Compile latency per rule: {} distinct one-rule files (3 shapes)\n\n", n);
  Samples interp, jit, front, create, jit_only;
  std::vector<double> diff, j_build, j_opt, j_gen;
  // By shape (i % 3): Tier::Jit end to end and jit::Jit::compile alone, CPU ms.
  std::vector<double> by_shape_e2e[3], by_shape_jit[3];
  std::string err, jit_err;
  // Cold start: the first Tier::Jit engine of the process (LLVM target initialization).
  Samples cold;
  build(rule_source(100000), omen::Tier::Jit, &cold, &jit_err);
  for (size_t i = 0; i < n; ++i) {
    std::string src = rule_source(i);
    size_t nj = jit.cpu.size();
    if (i % 2 == 0) {
      build(src, omen::Tier::Interp, &interp, &err);
      if (jit_err.empty()) build(src, omen::Tier::Jit, &jit, &jit_err);
    } else {
      if (jit_err.empty()) build(src, omen::Tier::Jit, &jit, &jit_err);
      build(src, omen::Tier::Interp, &interp, &err);
    }
    if (!err.empty()) {
      fmt::print(stderr, "rule {} does not build:\n{}\n", i, err);
      return 1;
    }
    if (!jit_err.empty() && jit.cpu.size() > nj) {  // a failed build is not a figure
      jit.cpu.pop_back();
      jit.wall.pop_back();
    }
    if (jit.cpu.size() > nj) {
      diff.push_back(jit.cpu.back() - interp.cpu.back());
      by_shape_e2e[i % 3].push_back(jit.cpu.back());
    }
    Stopwatch sw;
    auto c = omen::compile({{"rule.omen", src}});
    front.add(sw);
#ifdef OMEN_HAVE_JIT
    // jit::Jit::compile alone, on a fresh Jit per rule (as each engine has one), with the
    // creation of the Jit measured apart.
    std::string e;
    Stopwatch sc;
    auto j = omen::jit::Jit::create({}, &e);
    create.add(sc);
    if (j && c.ok()) {
      omen::jit::CompileStats cs;
      Stopwatch sj;
      auto fn = j->compile(c.module->rules[0].program, &e, &cs);
      if (fn) {
        jit_only.add(sj);
        by_shape_jit[i % 3].push_back(jit_only.cpu.back());
        j_build.push_back(cs.build_ms);
        j_opt.push_back(cs.optimize_ms);
        j_gen.push_back(cs.codegen_ms);
      }
    }
#endif
  }
  Table t({"measure (ms per one-rule file)", "median", "p95", "max", "median wall", "n"});
  auto row = [&](const std::string& name, const std::vector<double>& v,
                 const std::vector<double>* wall) {
    Summary s = summarize(v);
    if (v.empty())
      t.row({name, "missing", "missing", "missing", "missing", "0"});
    else
      t.row({name, ms3(s.median), ms3(s.p95), ms3(s.max), wall ? ms3(summarize(*wall).median) : "",
             std::to_string(s.n)});
  };
  row("Engine::from_source, Tier::Jit (end to end)", jit.cpu, &jit.wall);
  row("Engine::from_source, Tier::Interp", interp.cpu, &interp.wall);
  row("difference Jit - Interp, per rule (the JIT's share)", diff, nullptr);
  row("front end alone: omen::compile (parse, check, IR)", front.cpu, &front.wall);
  row("jit::Jit::create (one LLJIT per engine)", create.cpu, &create.wall);
  row("jit::Jit::compile (IR -> native code)", jit_only.cpu, &jit_only.wall);
  row("  CompileStats: LLVM IR build", j_build, nullptr);
  row("  CompileStats: optimization passes", j_opt, nullptr);
  row("  CompileStats: code generation + link", j_gen, nullptr);
  fmt::print("{}\n", t.markdown());
  fmt::print(
      "Thread CPU time unless marked wall (CompileStats are the JIT's own wall-clock "
      "figures). Cold start (the process's first Tier::Jit engine, LLVM "
      "initialization): {} ms CPU.\n",
      cold.cpu.empty() ? "missing" : ms3(cold.cpu[0]));
  Table ts({"shape", "Tier::Jit end to end: median", "p95", "jit::Jit::compile alone: median",
            "p95", "n"});
  const char* shape_names[] = {"threshold `x > c`",
                               "z-score `abs((x - mean) / (stddev + "
                               "1e-9)) > c for Nm` (2 windows)",
                               "ratio `x / y > c` by (id)"};
  for (int k = 0; k < 3; ++k) {
    Summary e = summarize(by_shape_e2e[k]), j = summarize(by_shape_jit[k]);
    ts.row({shape_names[k], e.n ? ms3(e.median) : "missing", e.n ? ms3(e.p95) : "missing",
            j.n ? ms3(j.median) : "missing", j.n ? ms3(j.p95) : "missing", std::to_string(e.n)});
  }
  fmt::print("\nBy rule shape (thread CPU ms):\n\n{}", ts.markdown());
  if (!jit_err.empty()) fmt::print("\n- note: JIT figures missing: {}\n", jit_err);
  Summary sj = summarize(jit.cpu);
  fmt::print("\nGoal: median <= 5 ms per rule with the JIT: {} (median {} ms end to end).\n\n",
             jit.cpu.empty() ? "missing" : (sj.median <= 5 ? "met" : "missed"), ms3(sj.median));
  return 0;
}

}  // namespace bench
