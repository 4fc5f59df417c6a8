// Benchmark 1 and 2: throughput of four rule shapes over 10M samples, Tier::Jit vs
// Tier::Interp vs hand-written C++, end to end (Engine::push) and kernel only (the rule's
// compiled program over whole series, no store or lifecycle); then the Python baselines
// (numpy cumulative sums, pandas rolling) on the same data for the windowed z-score rule.
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>

#include "bench/core/common.h"
#include "bench/core/handwritten.h"
#include "compiler/driver/compile.h"
#include "compiler/interp/interp.h"
#ifdef OMEN_HAVE_JIT
#include "compiler/jit/jit.h"
#endif

namespace bench {
namespace {

using omen::Batch;
using omen::Engine;
using omen::Tier;

constexpr size_t kBatch = 65536;
constexpr int64_t kStaleness = 5 * 60'000;  // the engine's default
constexpr int64_t kFor = 5 * 60'000;

enum class ShapeKind { Threshold, ZScore, Ratio, RobustZ };

struct Shape {
  ShapeKind kind;
  std::string id, title, source;
  int64_t for_ms;
};

std::vector<Shape> shapes() {
  return {
      {ShapeKind::Threshold, "a", "(a) threshold `x > 0.9`",
       "series x = metric(\"x\")\nrule Threshold { on x when x > 0.9 }\n", 0},
      {ShapeKind::ZScore, "b", "(b) z-score 60m + `for 5m`",
       "series x = metric(\"x\")\n"
       "rule ZScore {\n  on x\n"
       "  when abs((x - mean(x, 60m)) / (stddev(x, 60m) + 1e-9)) > 3\n  for 5m\n}\n",
       kFor},
      {ShapeKind::Ratio, "c", "(c) two series `x / y > 2` by (id)",
       "series x = metric(\"x\")\nseries y = metric(\"y\")\n"
       "rule Ratio { on x by (id) when x / y > 2 }\n",
       0},
      {ShapeKind::RobustZ, "d", "(d) `robust_z(x, 60m) > 4 for 5m`",
       "import std\nseries x = metric(\"x\")\n"
       "rule RobustZ { on x when robust_z(x, 60m) > 4 for 5m }\n",
       kFor},
  };
}

/// The in-memory input of one shape: batches for the engine, columns for the kernels.
struct Input {
  const Dataset* x = nullptr;
  const Dataset* y = nullptr;  // shape (c) only
  size_t n_ids = 0;            // series evaluated (the `on` series)
  std::vector<Batch> batches;
  uint64_t samples = 0;
};

omen::SeriesKey key(const char* metric, size_t id) {
  return {metric, {{"id", std::to_string(id)}}};
}

/// Time order, 64k samples a batch; each batch names every series (as a client would).
/// With y, y(id) precedes x(id) at each timestamp, so an x tick always sees its y.
Input make_input(const Dataset& x, const Dataset* y, size_t n_ids) {
  Input in;
  in.x = &x;
  in.y = y;
  in.n_ids = n_ids;
  std::vector<omen::SeriesKey> keys;
  for (size_t s = 0; s < n_ids; ++s) keys.push_back(key("x", s));
  if (y)
    for (size_t s = 0; s < n_ids; ++s) keys.push_back(key("y", s));
  auto start = [&] {
    in.batches.emplace_back();
    in.batches.back().series = keys;
    in.batches.back().sid.reserve(kBatch);
    in.batches.back().t.reserve(kBatch);
    in.batches.back().v.reserve(kBatch);
  };
  start();
  auto add = [&](uint32_t sid, omen::TimeMs t, double v) {
    if (in.batches.back().t.size() == kBatch) start();
    in.batches.back().add(sid, t, v);
    ++in.samples;
  };
  for (size_t i = 0; i < x.n_samples; ++i) {
    omen::TimeMs t = kT0 + static_cast<omen::TimeMs>(i) * kStep;
    for (size_t s = 0; s < n_ids; ++s) {
      if (y) add(static_cast<uint32_t>(n_ids + s), t, y->row(s)[i]);
      add(static_cast<uint32_t>(s), t, x.row(s)[i]);
    }
  }
  return in;
}

// ---- engine, end to end -------------------------------------------------------------

/// The measured interval of one run: thread CPU time and wall time.
struct Time {
  double cpu = 0, wall = 0;
};

Time elapsed(const Stopwatch& sw) {
  return {sw.cpu(), sw.wall()};
}

struct EngineResult {
  Time time;
  Events ev;
  omen::EngineStats stats;
  std::string error;
};

EngineResult run_engine(const Shape& sh, Tier tier, const Input& in) {
  EngineResult r;
  omen::EngineOptions o;
  o.tier = tier;
  auto built = Engine::from_source("bench.omen", sh.source, o);
  if (!built.ok()) {
    r.error = built.render();
    return r;
  }
  Events ev;
  built.engine->on_alert([&ev](const omen::Alert& a) { ev.add(a.event); });
  Stopwatch sw;
  for (const Batch& b : in.batches) built.engine->push(b);
  r.time = elapsed(sw);
  r.ev = ev;
  r.stats = built.engine->stats();
  if (tier == Tier::Jit && (r.stats.per_rule.empty() || r.stats.per_rule[0].tier != "jit"))
    r.error = "Tier::Jit engine did not run native code";
  return r;
}

// ---- hand-written, streaming over the same batches ---------------------------------

Time run_hand_stream(const Shape& sh, const Input& in, Events* ev_out) {
  Events ev;
  const size_t n = in.n_ids;
  Stopwatch sw;
  switch (sh.kind) {
    case ShapeKind::Threshold: {
      std::vector<hand::Lifecycle> st(n);
      for (const Batch& b : in.batches)
        for (size_t i = 0; i < b.t.size(); ++i) st[b.sid[i]].step(b.v[i] > 0.9, b.t[i], 0, ev);
      break;
    }
    case ShapeKind::ZScore: {
      struct S {
        hand::ZScore z;
        hand::Lifecycle l;
      };
      std::vector<S> st(n);
      for (const Batch& b : in.batches)
        for (size_t i = 0; i < b.t.size(); ++i) {
          S& s = st[b.sid[i]];
          s.l.step(s.z.push(b.v[i]), b.t[i], kFor, ev);
        }
      break;
    }
    case ShapeKind::RobustZ: {
      struct S {
        hand::RobustZ z;
        hand::Lifecycle l;
      };
      std::vector<S> st(n);
      for (const Batch& b : in.batches)
        for (size_t i = 0; i < b.t.size(); ++i) {
          S& s = st[b.sid[i]];
          s.l.step(s.z.push(b.v[i]), b.t[i], kFor, ev);
        }
      break;
    }
    case ShapeKind::Ratio: {
      struct S {
        double y = std::numeric_limits<double>::quiet_NaN();
        int64_t yt = std::numeric_limits<int64_t>::min() / 2;
        hand::Lifecycle l;
      };
      std::vector<S> st(n);
      for (const Batch& b : in.batches)
        for (size_t i = 0; i < b.t.size(); ++i) {
          uint32_t sid = b.sid[i];
          if (sid >= n) {
            S& s = st[sid - n];
            s.y = b.v[i];
            s.yt = b.t[i];
            continue;
          }
          S& s = st[sid];
          double y = b.t[i] - s.yt > kStaleness ? std::numeric_limits<double>::quiet_NaN() : s.y;
          s.l.step(b.v[i] / y > 2.0, b.t[i], 0, ev);
        }
      break;
    }
  }
  Time secs = elapsed(sw);
  *ev_out = ev;
  return secs;
}

// ---- kernel only: the rule's program over whole series ------------------------------

/// Condition of the shape at every sample of every series, hand-written, no lifecycle.
Time run_hand_columns(const Shape& sh, const Input& in, uint64_t* trues_out) {
  const size_t N = in.x->n_samples;
  std::vector<uint8_t> cond(N);
  uint64_t trues = 0;
  Stopwatch sw;
  for (size_t s = 0; s < in.n_ids; ++s) {
    const double* x = in.x->row(s);
    switch (sh.kind) {
      case ShapeKind::Threshold:
        for (size_t i = 0; i < N; ++i) cond[i] = x[i] > 0.9;
        break;
      case ShapeKind::Ratio: {
        const double* y = in.y->row(s);
        for (size_t i = 0; i < N; ++i) cond[i] = x[i] / y[i] > 2.0;
        break;
      }
      case ShapeKind::ZScore: {
        hand::ZScore z;
        for (size_t i = 0; i < N; ++i) cond[i] = z.push(x[i]);
        break;
      }
      case ShapeKind::RobustZ: {
        hand::RobustZ z;
        for (size_t i = 0; i < N; ++i) cond[i] = z.push(x[i]);
        break;
      }
    }
    for (size_t i = 0; i < N; ++i) trues += cond[i];
  }
  Time secs = elapsed(sw);
  *trues_out = trues;
  return secs;
}

/// The compiled program of the shape's rule, run by the interpreter (fn == nullptr) or
/// by native code, one call per series over all its samples, fresh window states.
Time run_kernel(const omen::CompiledRule& rule, omen::ir::BatchFn fn, const Input& in,
                uint64_t* trues_out) {
  const omen::ir::Program& p = rule.program;
  const size_t N = in.x->n_samples;
  std::vector<int64_t> ts(N);
  for (size_t i = 0; i < N; ++i) ts[i] = kT0 + static_cast<int64_t>(i) * kStep;
  std::vector<std::vector<double>> outs(p.outputs.size(), std::vector<double>(N));
  std::vector<double*> out_ptrs;
  for (auto& o : outs) out_ptrs.push_back(o.data());
  std::vector<double> scratch(p.code.size());
  std::vector<const double*> cols(p.n_inputs);
  std::vector<void*> state_ptrs(p.windows.size());
  uint64_t trues = 0;
  Stopwatch sw;
  for (size_t s = 0; s < in.n_ids; ++s) {
    for (size_t c = 0; c < p.n_inputs; ++c)
      cols[c] = rule.inputs[c].selector == 0 ? in.x->row(s) : in.y->row(s);
    std::vector<omen::kernels::WindowState> states;
    states.reserve(p.windows.size());
    for (size_t w = 0; w < p.windows.size(); ++w) {
      states.emplace_back(p.windows[w]);
      state_ptrs[w] = states.back().get();
    }
    omen::ir::BatchArgs args{ts.data(), cols.data(), state_ptrs.data(), out_ptrs.data(), N};
    if (fn)
      fn(&args);
    else
      omen::interp::run_batch(p, args, scratch.data());
    const double* c0 = outs[0].data();
    for (size_t i = 0; i < N; ++i) trues += c0[i] != 0.0;
  }
  Time secs = elapsed(sw);
  *trues_out = trues;
  return secs;
}

// ---- Python baselines ---------------------------------------------------------------

struct PyResult {
  std::string name;
  double seconds = NAN;
  uint64_t pending = 0, firing = 0;
};

std::vector<PyResult> run_python(const Options& o, const std::string& file, size_t series,
                                 size_t samples, std::string* err) {
  std::vector<PyResult> out;
  std::string cmd = fmt::format("{} {} --file {} --series {} --samples {} --reps {} 2>&1", o.python,
                                o.python_script, file, series, samples, o.reps);
  FILE* f = popen(cmd.c_str(), "r");
  if (!f) {
    *err = "cannot run: " + cmd;
    return out;
  }
  char line[4096];
  std::string all;
  while (fgets(line, sizeof line, f)) {
    all += line;
    char name[64];
    double secs;
    unsigned long long pend, fire;
    if (sscanf(line, "RESULT %63s %lf %llu %llu", name, &secs, &pend, &fire) == 4)
      out.push_back({name, secs, pend, fire});
  }
  int rc = pclose(f);
  if (rc != 0 || out.empty()) *err = "python baseline failed (" + cmd + "):\n" + all;
  return out;
}

}  // namespace

int run_throughput(const Options& o) {
  const size_t S = o.series ? o.series : (o.quick ? 200 : 1000);
  const size_t N = o.samples ? o.samples : 10000;
  fmt::print(
      "## 1. Throughput: {} series x {} samples = {:.1f}M samples, 1-minute spacing, "
      "batches of {} samples in time order; median of {} runs\n\n",
      S, N, double(S * N) / 1e6, kBatch, o.reps);
  Stopwatch gen;
  Dataset x = make_dataset(S, N, 42);
  // (c): S/2 ids with x (the first S/2 series) and y, so that it also pushes S*N samples.
  Dataset y = make_dataset(S / 2, N, 4242, 0.05, false);
  std::vector<Shape> sh;
  for (const Shape& s : shapes())
    if (o.shapes.find(s.id) != std::string::npos) sh.push_back(s);
  Input in_x = make_input(x, nullptr, S);
  Input in_c = make_input(x, &y, S / 2);
  fmt::print(stderr, "data generated in {:.1f} s\n", gen.wall());

  // The x data for the Python baselines: float64, series-major.
  std::string xfile = fmt::format("{}/x_{}x{}.f64", o.out_dir, S, N);
  {
    std::ofstream f(xfile, std::ios::binary);
    f.write(reinterpret_cast<const char*>(x.v.data()),
            static_cast<std::streamsize>(x.v.size() * sizeof(double)));
  }

  struct Row {
    std::vector<Time> interp, jit, hand, k_interp, k_jit, k_hand;
    Events ev_interp, ev_jit, ev_hand;
    uint64_t tr_interp = 0, tr_jit = 0, tr_hand = 0;
    std::string jit_error, interp_error;
    uint64_t samples = 0, evals = 0, engine_evals = 0;
    std::shared_ptr<const omen::CompiledModule> module;
    omen::ir::BatchFn kfn = nullptr;
  };
  std::vector<Row> rows(sh.size());
#ifdef OMEN_HAVE_JIT
  std::string jerr;
  std::unique_ptr<omen::jit::Jit> jit = omen::jit::Jit::create({}, &jerr);
#endif
  for (size_t k = 0; k < sh.size(); ++k) {
    auto c = omen::compile({{"bench.omen", sh[k].source}});
    if (!c.ok()) {
      fmt::print(stderr, "rule {} does not compile:\n{}\n", sh[k].id, c.diags->render());
      return 1;
    }
    rows[k].module = c.module;
#ifdef OMEN_HAVE_JIT
    if (jit) {
      std::string e;
      rows[k].kfn = jit->compile(c.module->rules[0].program, &e);
      if (!rows[k].kfn) rows[k].jit_error = "jit::Jit::compile: " + e;
    } else {
      rows[k].jit_error = "jit::Jit::create: " + jerr;
    }
#else
    rows[k].jit_error = "built without the JIT (OMEN_WITH_JIT=OFF or no compiler/jit sources)";
#endif
  }

  auto want = [&](const char* v) { return o.variants.find(v) != std::string::npos; };
  for (int rep = 0; rep < o.reps; ++rep) {
    for (size_t k = 0; k < sh.size(); ++k) {
      Row& r = rows[k];
      const Input& in = sh[k].kind == ShapeKind::Ratio ? in_c : in_x;
      r.samples = in.samples;
      r.evals = in.n_ids * in.x->n_samples;
      if (want("interp") && r.interp_error.empty()) {
        EngineResult e = run_engine(sh[k], Tier::Interp, in);
        if (!e.error.empty()) r.interp_error = e.error;
        r.interp.push_back(e.time);
        r.ev_interp = e.ev;
        r.engine_evals = e.stats.evaluations;
      }
      if (want("jit") && r.jit_error.empty()) {
        EngineResult e = run_engine(sh[k], Tier::Jit, in);
        if (!e.error.empty()) {
          r.jit_error = e.error;
        } else {
          r.jit.push_back(e.time);
          r.ev_jit = e.ev;
        }
      }
      if (want("hand")) r.hand.push_back(run_hand_stream(sh[k], in, &r.ev_hand));
      if (want("kernel")) {
        const omen::CompiledRule& rule = r.module->rules[0];
        r.k_interp.push_back(run_kernel(rule, nullptr, in, &r.tr_interp));
        if (r.kfn) r.k_jit.push_back(run_kernel(rule, r.kfn, in, &r.tr_jit));
        r.k_hand.push_back(run_hand_columns(sh[k], in, &r.tr_hand));
      }
    }
    fmt::print(stderr, "throughput: run {}/{} done\n", rep + 1, o.reps);
  }

  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> contention;  // wall / CPU of every run
  auto rate = [&](uint64_t n, const std::vector<Time>& ts) {
    if (ts.empty()) return kNaN;
    std::vector<double> cpu;
    for (const Time& t : ts) {
      cpu.push_back(t.cpu);
      if (t.cpu > 0) contention.push_back(t.wall / t.cpu);
    }
    return double(n) / median(cpu);
  };
  // Rates by "<shape><variant>", NaN when not measured.
  std::map<std::string, double> R;
  auto get = [&](const std::string& k) { return R.count(k) ? R[k] : kNaN; };
  Table t({"rule", "samples pushed", "evaluations", "interp M/s", "JIT M/s", "JIT/interp",
           "hand-written M/s", "JIT/hand-written", "events p/f/r/c (engine; hand-written)"});
  Table tk({"rule", "evaluations", "interp M/s", "JIT M/s", "JIT/interp", "hand-written M/s",
            "JIT/hand-written", "true conditions (interp; JIT; hand)"});
  std::vector<std::string> notes;
  for (size_t k = 0; k < sh.size(); ++k) {
    Row& r = rows[k];
    const std::string& id = sh[k].id;
    double ri = R[id + "_interp"] = rate(r.samples, r.interp);
    double rj = R[id + "_jit"] = rate(r.samples, r.jit);
    double rh = R[id + "_hand"] = rate(r.samples, r.hand);
    double ki = R[id + "_kinterp"] = rate(r.evals, r.k_interp);
    double kj = R[id + "_kjit"] = rate(r.evals, r.k_jit);
    double kh = R[id + "_khand"] = rate(r.evals, r.k_hand);
    // The engine's events: interp's, or JIT's when interp was not run.
    const Events& base = r.interp.empty() ? r.ev_jit : r.ev_interp;
    std::string ev = base.str();
    if (!r.jit.empty() && !r.interp.empty() && !(r.ev_jit == r.ev_interp))
      ev += " (JIT: " + r.ev_jit.str() + ")";
    if (!r.hand.empty()) ev += r.ev_hand == base ? "; same" : "; " + r.ev_hand.str();
    t.row({sh[k].title, fmt::format("{:.1f}M", r.samples / 1e6),
           fmt::format("{:.1f}M", r.evals / 1e6), mps(ri), mps(rj), ratio(rj, ri), mps(rh),
           ratio(rj, rh), ev});
    tk.row({sh[k].title, fmt::format("{:.1f}M", r.evals / 1e6), mps(ki), mps(kj), ratio(kj, ki),
            mps(kh), ratio(kj, kh),
            fmt::format("{}; {}; {}", r.tr_interp, r.k_jit.empty() ? "-" : std::to_string(r.tr_jit),
                        r.tr_hand)});
    if (r.engine_evals != r.evals)
      notes.push_back(fmt::format("({}): the engine made {} evaluations, expected {}", id,
                                  r.engine_evals, r.evals));
    if (!r.jit_error.empty())
      notes.push_back(fmt::format("({}): JIT figures missing: {}", id, r.jit_error));
    if (!r.interp_error.empty())
      notes.push_back(fmt::format("({}): Tier::Interp: {}", id, r.interp_error));
    if (!r.hand.empty() && !r.interp.empty() && !(r.ev_hand == r.ev_interp))
      notes.push_back(fmt::format("({}): hand-written events differ from the engine's", id));
    if (!r.k_jit.empty() && (r.tr_jit != r.tr_interp || r.tr_hand != r.tr_interp))
      notes.push_back(fmt::format("({}): kernel-only conditions differ", id));
  }
  fmt::print(
      "### End to end: Engine::push (ingestion, series store, evaluation, alert "
      "lifecycle)\n\n{}\n",
      t.markdown());
  fmt::print(
      "M/s = million pushed samples per second of thread CPU time; (c) pushes x and y, "
      "so half of its samples are evaluations. Events = pending/firing/resolved/cleared "
      "transitions; \"same\" = the hand-written code produced exactly these.\n\n");
  fmt::print(
      "### Kernel only: the rule's compiled program over each whole series (no store, "
      "no lifecycle; fresh window states per series)\n\n{}\n",
      tk.markdown());
  fmt::print(
      "M/s = million evaluations per second; hand-written = the same condition, "
      "columnar.\n\n");
  for (const auto& n : notes) fmt::print("- note: {}\n", n);
  if (!notes.empty()) fmt::print("\n");

  auto status = [](double v, double g) {
    return std::isfinite(v) ? (v >= g ? "met" : "missed") : "missing";
  };
  Table goals({"goal", "target", "measured", "status"});
  auto goal_row = [&](const std::string& name, const char* target, double v, double g) {
    goals.row({name, target, std::isfinite(v) ? f2(v) + "x" : "missing", status(v, g)});
  };
  goal_row("JIT/interp, (d) robust z + for, end to end", ">= 5x", get("d_jit") / get("d_interp"),
           5);
  goal_row("JIT/interp, (d) robust z, kernel only", ">= 5x", get("d_kjit") / get("d_kinterp"), 5);
  for (const Shape& s : sh)
    goal_row(fmt::format("JIT/hand-written ({}), end to end", s.id), ">= 0.7",
             get(s.id + "_jit") / get(s.id + "_hand"), 0.7);
  for (const Shape& s : sh)
    goal_row(fmt::format("JIT/hand-written ({}), kernel only", s.id), ">= 0.7",
             get(s.id + "_kjit") / get(s.id + "_khand"), 0.7);

  // Python baselines on the same x data, rule (b).
  size_t bi = sh.size();
  for (size_t k = 0; k < sh.size(); ++k)
    if (sh[k].kind == ShapeKind::ZScore) bi = k;
  if (!o.python.empty() && bi < sh.size()) {
    fmt::print(
        "## 2. Python baselines: rolling z over 60 samples, |z| > 3, `for 5m` = 6 "
        "samples (rule (b)), same data\n\n");
    std::string err;
    auto py = run_python(o, xfile, S, N, &err);
    const Row& rb = rows[bi];
    double n = double(S * N);
    Table tp({"implementation", "M samples/s", "Omen JIT end to end / this",
              "Omen JIT kernel only / this", "pending / firing events"});
    double numpy_rate = kNaN, pandas_rate = kNaN;
    for (const auto& p : py) {
      double r = n / p.seconds;
      if (p.name == "numpy_cumsum") numpy_rate = r;
      if (p.name == "pandas_rolling") pandas_rate = r;
      tp.row({p.name, mps(r), ratio(get("b_jit"), r), ratio(get("b_kjit"), r),
              fmt::format("{} / {}", p.pending, p.firing)});
    }
    tp.row({"Omen Tier::Jit, end to end", mps(get("b_jit")), "1.00x",
            ratio(get("b_kjit"), get("b_jit")),
            fmt::format("{} / {}", rb.ev_jit.pending, rb.ev_jit.firing)});
    tp.row({"Omen Tier::Interp, end to end", mps(get("b_interp")),
            ratio(get("b_jit"), get("b_interp")), ratio(get("b_kjit"), get("b_interp")),
            fmt::format("{} / {}", rb.ev_interp.pending, rb.ev_interp.firing)});
    tp.row({"Omen JIT kernel only (condition, no lifecycle)", mps(get("b_kjit")),
            ratio(get("b_jit"), get("b_kjit")), "1.00x", "-"});
    tp.row({"hand-written C++, streaming", mps(get("b_hand")), ratio(get("b_jit"), get("b_hand")),
            ratio(get("b_kjit"), get("b_hand")),
            fmt::format("{} / {}", rb.ev_hand.pending, rb.ev_hand.firing)});
    fmt::print("{}\n", tp.markdown());
    fmt::print(
        "Python: whole array in memory, median of {} timed runs after one warm-up, "
        "thread CPU time; the events are counted from its arrays as Omen counts "
        "alert transitions.\n\n",
        o.reps);
    if (!err.empty()) fmt::print("- note: {}\n\n", err);
    goal_row("Omen JIT / numpy, end to end", ">= 10x", get("b_jit") / numpy_rate, 10);
    goal_row("Omen JIT / numpy, kernel only", ">= 10x", get("b_kjit") / numpy_rate, 10);
    goal_row("Omen JIT / pandas, end to end", ">= 10x", get("b_jit") / pandas_rate, 10);
    goal_row("Omen JIT / pandas, kernel only", ">= 10x", get("b_kjit") / pandas_rate, 10);
  }
  fmt::print("### Throughput goals\n\n{}\n", goals.markdown());
  if (!contention.empty())
    fmt::print(
        "Machine load during these runs: wall time / CPU time = {:.2f} (median), "
        "{:.2f} (max).\n\n",
        median(contention), *std::max_element(contention.begin(), contention.end()));
  return 0;
}

}  // namespace bench
