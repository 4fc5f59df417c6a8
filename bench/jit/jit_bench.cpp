// Compile latency (median / p95 over N compilations, after one warm-up) for a few rule
// shapes, and the cost per row of the compiled code against the interpreter. Every
// compilation is of a distinct program (one constant differs), so the Jit's cache of
// identical programs never answers; its hit latency and compile_batch (several rules per
// LLVM module) are measured apart.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "compiler/interp/interp.h"
#include "compiler/jit/jit.h"

using namespace omen;
using ir::Op;

namespace {

struct Shape {
  const char* name;
  ir::Program program;
};

ir::Instr c(double v) {
  return {Op::Const, 0, 0, 0, 0, v};
}

// cpu > 90
ir::Program threshold() {
  ir::Program p;
  p.n_inputs = 1;
  p.code = {{Op::Input, 0}, c(90), {Op::Gt, 0, 1}};
  p.outputs = {2, 0};
  return p;
}

// mean(x, 5m) > 3 * stddev(x, 1h) + median(x, 1h) and not isnan(x): a typical anomaly rule
ir::Program zscore() {
  using K = kernels::WindowKind;
  ir::Program p;
  p.n_inputs = 1;
  p.windows = {{K::Mean, 300000, 0}, {K::Stddev, 3600000, 0}, {K::Median, 3600000, 0}};
  p.code = {{Op::Input, 0},
            {Op::Window, 0, 0, 0, 0},
            {Op::Window, 0, 0, 0, 1},
            {Op::Window, 0, 0, 0, 2},
            c(3),
            {Op::Mul, 4, 2},
            {Op::Add, 5, 3},
            {Op::Gt, 1, 6},
            {Op::IsNaN, 0},
            {Op::Not, 8},
            {Op::And, 7, 9},
            {Op::Sub, 1, 3},
            {Op::Div, 11, 2}};
  p.outputs = {10, 1, 12};
  return p;
}

// rate and ratios over 4 inputs with exp/log/pow, selects and min/max: ~40 instructions
ir::Program arithmetic(int size) {
  std::mt19937_64 rng(size);
  ir::Program p;
  p.n_inputs = 4;
  for (uint32_t i = 0; i < 4; ++i) p.code.push_back({Op::Input, i});
  p.code.push_back({Op::Time});
  p.code.push_back(c(0.5));
  static const Op ops[] = {Op::Add,    Op::Sub, Op::Mul, Op::Div, Op::Min, Op::Max,
                           Op::Lt,     Op::Gt,  Op::And, Op::Or,  Op::Abs, Op::Sqrt,
                           Op::Select, Op::Log, Op::Exp, Op::Pow, Op::Mod, Op::Floor};
  while (p.code.size() < static_cast<size_t>(size)) {
    auto i = static_cast<uint32_t>(p.code.size());
    Op op = ops[rng() % std::size(ops)];
    p.code.push_back(
        {op, static_cast<uint32_t>(rng() % i), i - 1, static_cast<uint32_t>(rng() % i)});
  }
  p.outputs = {static_cast<uint32_t>(p.code.size() - 1), 7, 9};
  return p;
}

double ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// CPU time of this thread: compile latency without the noise of other processes.
double thread_cpu_ms() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

double rss_mb() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * 4096.0 / (1024.0 * 1024.0);
}

double pct(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))];
}

// Variant i of `p`: its first constant moved by i * 2^-20 (the same instructions, so the
// same compile work, but a program of its own).
ir::Program variant(const ir::Program& p, int i) {
  ir::Program v = p;
  for (auto& in : v.code)
    if (in.op == Op::Const) {
      in.imm += static_cast<double>(i) * 0x1p-20;
      break;
    }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  int iters = 200;
  jit::JitOptions options;
  for (int i = 1; i + 1 < argc; ++i) {
    if (!std::strcmp(argv[i], "--iters")) iters = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--opt-level")) options.opt_level = std::atoi(argv[i + 1]);
  }
  std::printf("opt_level %d, %d compilations per shape\n", options.opt_level, iters);
  std::string error;
  // Jit::create cost: the first includes LLVM's one-time target initialization.
  std::vector<double> create_ms;
  std::unique_ptr<jit::Jit> jit;
  for (int i = 0; i < 21; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    jit = jit::create_linked(options, &error);
    create_ms.push_back(ms(std::chrono::steady_clock::now() - t0));
    if (!jit) {
      std::fprintf(stderr, "no JIT: %s\n", error.c_str());
      return 1;
    }
  }
  std::printf("Jit::create: first %.2fms, then median %.2fms\n", create_ms[0],
              pct(std::vector<double>(create_ms.begin() + 1, create_ms.end()), 0.5));
  std::vector<Shape> shapes = {{"threshold (3 instr)", threshold()},
                               {"zscore windows (13 instr)", zscore()},
                               {"arithmetic (40 instr)", arithmetic(40)},
                               {"arithmetic (200 instr)", arithmetic(200)}};
  const double rss0 = rss_mb();
  int compiled = 0;
  std::printf("%-28s %9s %9s %9s %9s | %7s %7s %7s | %9s %9s\n", "shape", "median", "p95",
              "cpu med", "first", "build", "opt", "codegen", "interp/row", "jit/row");
  for (auto& s : shapes) {
    s.program.name = s.name;
    std::vector<double> total, cpu, build, opt, cg;
    double first = 0;
    ir::BatchFn fn = nullptr;
    for (int i = 0; i <= iters; ++i) {
      jit::CompileStats st;
      auto t0 = std::chrono::steady_clock::now();
      double c0 = thread_cpu_ms();
      ir::Program p = variant(s.program, i);
      p.name = s.name;
      fn = jit->compile(p, &error, &st);
      double c = thread_cpu_ms() - c0;
      double t = ms(std::chrono::steady_clock::now() - t0);
      if (!fn) {
        std::fprintf(stderr, "%s: %s\n", s.name, error.c_str());
        return 1;
      }
      ++compiled;
      if (i == 0) {
        first = t;
        continue;
      }
      total.push_back(t);
      cpu.push_back(c);
      build.push_back(st.build_ms);
      opt.push_back(st.optimize_ms);
      cg.push_back(st.codegen_ms);
    }
    // Run time per row over 100k rows, both tiers, fresh window states each.
    const size_t n = 100000;
    std::mt19937_64 rng(1);
    std::vector<int64_t> ts(n);
    std::vector<std::vector<double>> cols(s.program.n_inputs, std::vector<double>(n));
    for (size_t r = 0; r < n; ++r) ts[r] = 1700000000000 + static_cast<int64_t>(r) * 1000;
    for (auto& col : cols)
      for (auto& x : col) x = std::uniform_real_distribution<double>(0, 100)(rng);
    std::vector<const double*> col_ptrs;
    for (auto& col : cols) col_ptrs.push_back(col.data());
    std::vector<std::vector<double>> outs(s.program.outputs.size(), std::vector<double>(n));
    std::vector<double*> out_ptrs;
    for (auto& o : outs) out_ptrs.push_back(o.data());
    // Median of 5 runs per tier.
    double per_row[2];
    std::vector<double> runs[2];
    for (int rep = 0; rep < 10; ++rep) {
      int tier = rep % 2;
      {
        std::vector<kernels::WindowState> states;
        std::vector<void*> sp;
        for (auto& w : s.program.windows) states.emplace_back(w);
        for (auto& st : states) sp.push_back(st.get());
        ir::BatchArgs args{ts.data(), col_ptrs.data(), sp.data(), out_ptrs.data(), n};
        std::vector<double> scratch(s.program.code.size());
        auto t0 = std::chrono::steady_clock::now();
        if (tier == 0)
          interp::run_batch(s.program, args, scratch.data());
        else
          fn(&args);
        runs[tier].push_back(ms(std::chrono::steady_clock::now() - t0) * 1e6 /
                             static_cast<double>(n));
      }
    }
    for (int tier = 0; tier < 2; ++tier) per_row[tier] = pct(runs[tier], 0.5);
    std::printf("%-28s %7.2fms %7.2fms %7.2fms %7.2fms | %7.2f %7.2f %7.2f | %8.1fns %8.1fns\n",
                s.name, pct(total, 0.5), pct(total, 0.95), pct(cpu, 0.5), first, pct(build, 0.5),
                pct(opt, 0.5), pct(cg, 0.5), per_row[0], per_row[1]);
  }
  std::printf("%d functions compiled: RSS grew by %.1f MB (%.1f KB per function)\n", compiled,
              rss_mb() - rss0, (rss_mb() - rss0) * 1024.0 / compiled);

  // The cache: compiling a program again (any name) returns its function.
  {
    std::vector<double> hit;
    for (int i = 0; i < iters; ++i) {
      ir::Program p = variant(shapes[1].program, 1 + i % 50);
      p.name = "again";
      double c0 = thread_cpu_ms();
      if (!jit->compile(p, &error)) return 1;
      hit.push_back(thread_cpu_ms() - c0);
    }
    std::printf("cache hit (a program compiled before): median %.4fms CPU\n", pct(hit, 0.5));
  }

  // compile_batch: k distinct programs of one shape per call (k = 1, 10, 100), a fresh Jit
  // per call (as an engine has one), CPU ms per program; RSS growth per program over all.
  std::printf("\ncompile_batch, fresh Jit per batch (CPU ms per program, median over batches):\n");
  std::printf("%-28s %9s %9s %9s\n", "shape", "k=1", "k=10", "k=100");
  int salt = 1000000;
  for (auto& s : shapes) {
    std::printf("%-28s", s.name);
    for (int k : {1, 10, 100}) {
      int batches = std::max(3, iters / k / 4);
      std::vector<double> per;
      for (int b = 0; b < batches; ++b) {
        auto j = jit::create_linked(options, &error);
        std::vector<ir::Program> ps;
        for (int i = 0; i < k; ++i) ps.push_back(variant(s.program, salt++));
        std::vector<const ir::Program*> pp;
        for (auto& p : ps) pp.push_back(&p);
        std::vector<std::string> errors;
        double c0 = thread_cpu_ms();
        auto fns = j->compile_batch(pp, &errors);
        per.push_back((thread_cpu_ms() - c0) / k);
        for (size_t i = 0; i < fns.size(); ++i)
          if (!fns[i]) {
            std::fprintf(stderr, "%s: %s\n", s.name, errors[i].c_str());
            return 1;
          }
      }
      std::printf(" %7.3fms", pct(per, 0.5));
    }
    std::printf("\n");
  }
  {
    const double r0 = rss_mb();
    std::vector<ir::Program> ps;
    for (int i = 0; i < 1000; ++i) ps.push_back(variant(shapes[i % 3].program, salt++));
    std::vector<const ir::Program*> pp;
    for (auto& p : ps) pp.push_back(&p);
    std::vector<std::string> errors;
    double c0 = thread_cpu_ms();
    auto fns = jit->compile_batch(pp, &errors);
    double c = thread_cpu_ms() - c0;
    std::printf(
        "1000 programs (first three shapes) in one compile_batch: %.1fms CPU "
        "(%.3fms per program), RSS grew by %.1f KB per function\n",
        c, c / 1000, (rss_mb() - r0) * 1024.0 / 1000);
  }
  return 0;
}
