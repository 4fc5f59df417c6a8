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
      return head + fmt::format("rule Ratio{} {{ on x by (id) when x / y > {} }}\n", i,
                                1.5 + 0.01 * i);
  }
}

double build_ms(const std::string& src, omen::Tier tier, std::string* err) {
  omen::EngineOptions o;
  o.tier = tier;
  double t0 = now_s();
  auto b = omen::Engine::from_source("rule.omen", src, o);
  double ms = (now_s() - t0) * 1e3;
  if (!b.ok()) *err = b.diagnostics;
  return ms;
}

std::string ms3(double x) { return std::isfinite(x) ? fmt::format("{:.2f}", x) : "missing"; }

}  // namespace

int run_compile(const Options& o) {
  const size_t n = o.quick ? 60 : 201;
  fmt::print("## 3. Compile latency per rule ({} distinct one-rule files, 3 shapes)\n\n", n);
  std::vector<double> interp, jit, diff, front, jit_only, j_build, j_opt, j_gen, create;
  std::string err, jit_err;
  // Cold start: the first Tier::Jit engine of the process (LLVM target initialization).
  double cold = build_ms(rule_source(100000), omen::Tier::Jit, &jit_err);
  if (!jit_err.empty()) cold = NAN;
  for (size_t i = 0; i < n; ++i) {
    std::string src = rule_source(i);
    double a, b = NAN;
    if (i % 2 == 0) {
      a = build_ms(src, omen::Tier::Interp, &err);
      if (jit_err.empty()) b = build_ms(src, omen::Tier::Jit, &jit_err);
    } else {
      if (jit_err.empty()) b = build_ms(src, omen::Tier::Jit, &jit_err);
      a = build_ms(src, omen::Tier::Interp, &err);
    }
    if (!err.empty()) {
      fmt::print(stderr, "rule {} does not build:\n{}\n", i, err);
      return 1;
    }
    interp.push_back(a);
    if (jit_err.empty()) {
      jit.push_back(b);
      diff.push_back(b - a);
    }
    double t0 = now_s();
    auto c = omen::compile({{"rule.omen", src}});
    front.push_back((now_s() - t0) * 1e3);
#ifdef OMEN_HAVE_JIT
    // jit::Jit::compile alone, on a fresh Jit per rule (as an engine has) but with the
    // creation timed apart.
    t0 = now_s();
    std::string e;
    auto j = omen::jit::Jit::create({}, &e);
    create.push_back((now_s() - t0) * 1e3);
    if (j && c.ok()) {
      omen::jit::CompileStats cs;
      t0 = now_s();
      auto fn = j->compile(c.module->rules[0].program, &e, &cs);
      if (fn) {
        jit_only.push_back((now_s() - t0) * 1e3);
        j_build.push_back(cs.build_ms);
        j_opt.push_back(cs.optimize_ms);
        j_gen.push_back(cs.codegen_ms);
      }
    }
#endif
  }
  Table t({"measure (ms per one-rule file)", "median", "p95", "max", "n"});
  auto row = [&](const std::string& name, const std::vector<double>& v) {
    Summary s = summarize(v);
    if (v.empty())
      t.row({name, "missing", "missing", "missing", "0"});
    else
      t.row({name, ms3(s.median), ms3(s.p95), ms3(s.max), std::to_string(s.n)});
  };
  row("Engine::from_source, Tier::Jit (end to end)", jit);
  row("Engine::from_source, Tier::Interp", interp);
  row("difference Jit - Interp (the JIT's share)", diff);
  row("front end only: omen::compile (parse, check, IR)", front);
  row("jit::Jit::create (one LLJIT per engine)", create);
  row("jit::Jit::compile (IR -> native)", jit_only);
  row("  of which LLVM IR build", j_build);
  row("  of which optimization passes", j_opt);
  row("  of which code generation + link", j_gen);
  fmt::print("{}\n", t.markdown());
  fmt::print("Cold start (first Tier::Jit engine in the process, LLVM initialization): {} ms.\n",
             ms3(cold));
  if (!jit_err.empty()) fmt::print("- note: JIT figures missing: {}\n", jit_err);
  Summary sj = summarize(jit);
  fmt::print("\nGoal: median <= 5 ms per rule with the JIT: {} (median {} ms end to end).\n\n",
             jit.empty() ? "missing" : (sj.median <= 5 ? "met" : "missed"), ms3(sj.median));
  return 0;
}

}  // namespace bench
