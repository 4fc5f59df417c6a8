// Every op of the IR's table (compiler/ir/ops.def) in both tiers, bit for bit, over a grid
// of corner values; constant folding; batch sizes 0, 1, many.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "harness.h"

using namespace omen;
using namespace omen::jit_test;
using ir::Op;

namespace {

std::unique_ptr<jit::Jit> make_jit(int opt_level = 2) {
  std::string error;
  auto j = jit::create_linked(jit::JitOptions{opt_level}, &error);
  INFO(error);
  REQUIRE(j);
  return j;
}

// Every (a, b, c) triple of the grid, one per row (unary and binary ops see every value
// and every pair many times over).
Batch grid_batch() {
  const auto& vals = special_values();
  Batch batch;
  batch.cols.assign(3, {});
  for (double a : vals)
    for (double b : vals)
      for (double c : vals) {
        batch.ts.push_back(static_cast<int64_t>(batch.ts.size()) * 1000 - 5000);
        batch.cols[0].push_back(a);
        batch.cols[1].push_back(b);
        batch.cols[2].push_back(c);
      }
  return batch;
}

// A program computing `op` on inputs 0, 1, 2 (as many as its arity).
ir::Program scalar_program(Op op) {
  ir::Program p;
  p.name = std::string("op.") + ir::name(op);
  p.n_inputs = 3;
  for (uint32_t i = 0; i < 3; ++i) p.code.push_back({Op::Input, i});
  p.code.push_back({op, 0, 1, 2});
  p.outputs = {3};
  return p;
}

// A window spec of `kind` over 5 s with every parameter inside its valid range.
kernels::WindowSpec window_spec(kernels::WindowKind kind) {
  kernels::WindowSpec spec;
  spec.kind = kind;
  spec.width_ms = 5000;
  const kernels::KernelInfo& info = kernels::kernel_info(kind);
  for (size_t k = 0; k < info.n_params; ++k) spec.set_arg(k, info.params[k].clamp(0.25));
  return spec;
}

// The programs that exercise `op`: the grid through a scalar op; for each special op a
// hand-made program per case (every constant; every kernel; every shared-state read).
// Empty for an op this test does not know, which fails the test below.
std::vector<ir::Program> programs_for(Op op) {
  std::vector<ir::Program> out;
  if (ir::is_scalar(op)) {
    out.push_back(scalar_program(op));
    return out;
  }
  ir::Program p;
  p.name = std::string("op.") + ir::name(op);
  switch (op) {
    case Op::Const:  // every grid value as an immediate, NaN payloads included
      for (double v : special_values()) {
        p.outputs.push_back(static_cast<uint32_t>(p.code.size()));
        p.code.push_back({Op::Const, 0, 0, 0, 0, v});
      }
      out.push_back(p);
      break;
    case Op::Input:
      p.n_inputs = 3;
      for (uint32_t i = 0; i < 3; ++i) p.code.push_back({Op::Input, i});
      p.outputs = {0, 1, 2};
      out.push_back(p);
      break;
    case Op::Time:
      p.code = {{Op::Time}};
      p.outputs = {0};
      out.push_back(p);
      break;
    case Op::Window:  // every kernel over column 0
      for (size_t k = 0; k < kernels::kNumWindowKinds; ++k) {
        ir::Program w = p;
        w.name += std::string(".") + kernels::kernel_info(static_cast<kernels::WindowKind>(k)).name;
        w.n_inputs = 1;
        w.windows = {window_spec(static_cast<kernels::WindowKind>(k))};
        w.code = {{Op::Input, 0}, {Op::Window, 0, 0, 0, 0}};
        w.outputs = {1};
        out.push_back(w);
      }
      break;
    case Op::WindowRead:  // every kernel read from every state that serves it
      for (size_t s = 0; s < kernels::kNumWindowKinds; ++s)
        for (size_t k = 0; k < kernels::kNumWindowKinds; ++k) {
          const auto state = static_cast<kernels::WindowKind>(s);
          const auto view = static_cast<kernels::WindowKind>(k);
          if (!kernels::kernel_info(view).read || !kernels::can_read(state, view)) continue;
          ir::Program r = p;
          r.name += std::string(".") + kernels::kernel_info(view).name;
          r.n_inputs = 1;
          r.windows = {window_spec(state)};
          r.code = {{Op::Input, 0},
                    {Op::Window, 0, 0, 0, 0},
                    {Op::WindowRead, 1, static_cast<uint32_t>(k), 0, 0, window_spec(view).param}};
          r.outputs = {2, 1};
          out.push_back(r);
        }
      break;
    default:
      break;
  }
  return out;
}

// The same op on constants only: what the JIT folds at compile time must agree with run
// time.
ir::Program folded_program(Op op, double a, double b, double c) {
  ir::Program p;
  p.name = "fold";
  p.code.push_back({Op::Const, 0, 0, 0, 0, a});
  p.code.push_back({Op::Const, 0, 0, 0, 0, b});
  p.code.push_back({Op::Const, 0, 0, 0, 0, c});
  p.code.push_back({op, 0, 1, 2});
  p.outputs = {3};
  return p;
}

// The one exception to bit-for-bit agreement, measured and explained in harness.h: add and
// mul of two NaNs return the first source's NaN on x86, and the interpreter's inlined code,
// ir::eval_scalar and LLVM each may commute the operands; only NaN-ness is compared there.
bool commuted_nans(Op op, double a, double b) {
  return (op == Op::Add || op == Op::Mul) && std::isnan(a) && std::isnan(b);
}

// Both tiers, every output of every row compared by its bits (but for commuted_nans).
std::string compare_bits(const ir::Program& p, Op op, const Batch& batch, const Outputs& ref,
                         const Outputs& got) {
  for (size_t o = 0; o < ref.size(); ++o)
    for (size_t r = 0; r < batch.size(); ++r) {
      const bool exact = !commuted_nans(op, batch.cols[0][r], batch.cols[1][r]);
      if (same_value(ref[o][r], got[o][r], exact)) continue;
      Outputs one_ref(ref.size()), one_got(got.size());
      for (size_t k = 0; k < ref.size(); ++k) {
        one_ref[k] = {ref[k][r]};
        one_got[k] = {got[k][r]};
      }
      Batch row;
      row.ts = {batch.ts[r]};
      for (const auto& c : batch.cols) row.cols.push_back({c[r]});
      return diff(p, row, one_ref, one_got, /*exact_nan=*/true);
    }
  return {};
}

}  // namespace

TEST_CASE("every op of the table agrees bit for bit with the interpreter on the grid",
          "[jit][ops]") {
  auto jit = make_jit();
  const Batch batch = grid_batch();
  size_t ops_seen = 0;
  for (const ir::OpInfo& info : ir::kOps) {
    INFO("op " << info.name);
    std::vector<ir::Program> programs = programs_for(info.op);
    INFO("no program in ops_test.cpp exercises this op: add its case to programs_for");
    REQUIRE(!programs.empty());
    for (const ir::Program& p : programs) {
      INFO(p.name);
      bool has_op = false;
      for (const ir::Instr& in : p.code) has_op |= in.op == info.op;
      REQUIRE(has_op);
      std::string error;
      ir::BatchFn fn = jit->compile(p, &error);
      INFO(error);
      REQUIRE(fn);
      // One chunk, and then many of odd sizes (window states carry over between them).
      for (const std::vector<size_t>& chunks :
           {std::vector<size_t>{batch.size()}, std::vector<size_t>{1, 0, 7, 4000, 37, 0}}) {
        std::vector<size_t> c = chunks;
        size_t used = 0;
        for (size_t n : c) used += n;
        if (used < batch.size()) c.push_back(batch.size() - used);
        Outputs ref = run(p, nullptr, batch, c);
        Outputs got = run(p, fn, batch, c);
        CHECK(compare_bits(p, info.op, batch, ref, got) == "");
      }
    }
    ++ops_seen;
  }
  CHECK(ops_seen == ir::kNumOps);
}

// All-constant scalar instructions are folded by the JIT with the interpreter's
// expressions (ir::eval_scalar), so here even NaN signs and payloads must match (but for
// commuted_nans).
TEST_CASE("constant folding agrees with run-time evaluation, NaN bits included", "[jit][ops]") {
  auto jit = make_jit();
  std::mt19937_64 rng(2);
  const auto& vals = special_values();
  Batch batch;
  batch.ts = {0, 1000, 2000};
  size_t scalar_ops = 0;
  for (const ir::OpInfo& info : ir::kOps) {
    if (!info.scalar) continue;
    ++scalar_ops;
    INFO(info.name);
    // Every (a, b) constant pair as its own sub-program (c cycles; unary ops need every
    // value once), merged a few hundred instructions to a compilation: big modules cost
    // superlinear time. parts[1] holds the pairs compared by NaN-ness only.
    const size_t n_b = info.arity == 1 ? 1 : vals.size();
    std::vector<ir::Program> parts[2];
    for (size_t i = 0; i < vals.size(); ++i) {
      for (size_t j = 0; j < n_b; ++j) {
        const double c = vals[(i * 7 + j) % vals.size()];
        parts[commuted_nans(info.op, vals[i], vals[j])].push_back(
            folded_program(info.op, vals[i], vals[j], c));
      }
      for (int k = 0; k < 2; ++k)
        if (parts[k].size() >= 96 || (i + 1 == vals.size() && !parts[k].empty())) {
          CHECK(check_program(*jit, merge(parts[k], nullptr), batch, rng, /*exact_nan=*/k == 0) ==
                "");
          parts[k].clear();
        }
    }
  }
  CHECK(scalar_ops > 0);
}

TEST_CASE("time is ts / 1000 with a real division", "[jit][ops]") {
  auto jit = make_jit();
  std::mt19937_64 rng(3);
  ir::Program p;
  p.name = "time";
  p.code = {{Op::Time}};
  p.outputs = {0};
  Batch batch;
  for (int64_t t : {int64_t{-9007199254740993}, int64_t{-1}, int64_t{0}, int64_t{1}, int64_t{3},
                    int64_t{7}, int64_t{1700000000123}, int64_t{9007199254740993},
                    int64_t{4611686018427387903}, std::numeric_limits<int64_t>::max()})
    batch.ts.push_back(t);
  for (int64_t i = 0; i < 2000; ++i) batch.ts.push_back(batch.ts.back() - 1 - i * 7919);
  std::sort(batch.ts.begin(), batch.ts.end());
  CHECK(check_program(*jit, p, batch, rng) == "");
}

TEST_CASE("batch sizes 0, 1 and many", "[jit][batch]") {
  auto jit = make_jit();
  std::mt19937_64 rng(4);
  // x * 2 + y, x > y, min(x, y), a window mean over x.
  ir::Program p;
  p.name = "batch";
  p.n_inputs = 2;
  p.windows = {{kernels::WindowKind::Mean, 10000, 0.0}};
  p.code = {{Op::Input, 0},  {Op::Input, 1},          {Op::Const, 0, 0, 0, 0, 2.0},
            {Op::Mul, 0, 2}, {Op::Add, 3, 1},         {Op::Gt, 0, 1},
            {Op::Min, 0, 1}, {Op::Window, 0, 0, 0, 0}};
  p.outputs = {5, 4, 6, 7};
  std::string error;
  ir::BatchFn fn = jit->compile(p, &error);
  REQUIRE(fn);

  SECTION("n = 0 touches no memory") {
    ir::BatchArgs args{nullptr, nullptr, nullptr, nullptr, 0};
    fn(&args);  // would crash on any load
    SUCCEED();
  }
  for (size_t n : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{8}, size_t{9}, size_t{64},
                   size_t{1001}, size_t{100000}}) {
    INFO("n = " << n);
    Batch batch = random_batch(rng, 2, n, 1700000000000);
    Outputs ref = run(p, nullptr, batch, {n});
    Outputs got = run(p, fn, batch, {n});
    CHECK(diff(p, batch, ref, got) == "");
  }
}

TEST_CASE("outputs may alias inputs (in-place batches)", "[jit][batch]") {
  auto jit = make_jit();
  // out0 = x + 1 written over column x itself: each row reads x before writing it.
  ir::Program p;
  p.name = "alias";
  p.n_inputs = 1;
  p.code = {{Op::Input, 0}, {Op::Const, 0, 0, 0, 0, 1.0}, {Op::Add, 0, 1}, {Op::Input, 0}};
  p.outputs = {2, 3};
  std::string error;
  ir::BatchFn fn = jit->compile(p, &error);
  REQUIRE(fn);
  std::vector<double> x(1000), y(1000);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i);
  std::vector<int64_t> ts(1000);
  const double* cols[] = {x.data()};
  double* outs[] = {x.data(), y.data()};
  ir::BatchArgs args{ts.data(), cols, nullptr, outs, x.size()};
  fn(&args);
  // The interpreter stores outputs in order after evaluating the row: y sees x + 1 stored
  // only if the load of #0 for output 1 came after the store, which it does not (all
  // instructions are evaluated before any output is stored).
  for (size_t i = 0; i < x.size(); ++i) {
    REQUIRE(x[i] == static_cast<double>(i) + 1);
    REQUIRE(y[i] == static_cast<double>(i));
  }
}

TEST_CASE("every optimization level gives the same results", "[jit][ops]") {
  std::mt19937_64 rng(5);
  for (int level = 0; level <= 3; ++level) {
    INFO("opt_level " << level);
    auto jit = make_jit(level);
    for (int i = 0; i < 40; ++i) {
      ir::Program p = random_program(rng, {}, "lvl");
      Batch batch = random_batch(rng, p.n_inputs, 1 + rng() % 300, 1700000000000);
      std::string d = check_program(*jit, p, batch, rng);
      REQUIRE(d == "");
    }
  }
}

TEST_CASE("no FP contraction: a*b+c, a*b-c, c-a*b stay two roundings", "[jit][ops]") {
  // With fused multiply-add, a*b+c is rounded once; on random reals that differs from the
  // interpreter's two roundings in a large share of rows.
  auto jit = make_jit(3);
  std::mt19937_64 rng(6);
  ir::Program p;
  p.name = "fma";
  p.n_inputs = 3;
  p.code = {{Op::Input, 0},  {Op::Input, 1},  {Op::Input, 2},  {Op::Mul, 0, 1},
            {Op::Add, 3, 2}, {Op::Sub, 3, 2}, {Op::Sub, 2, 3}, {Op::Neg, 3},
            {Op::Add, 7, 2}, {Op::Mul, 4, 2}, {Op::Add, 9, 3}};
  p.outputs = {4, 5, 6, 8, 10};
  Batch batch;
  batch.cols.assign(3, {});
  std::uniform_real_distribution<double> u(-1, 1);
  for (int64_t i = 0; i < 4096; ++i) {
    batch.ts.push_back(i);
    for (auto& c : batch.cols) c.push_back(u(rng));
  }
  CHECK(check_program(*jit, p, batch, rng) == "");
}
