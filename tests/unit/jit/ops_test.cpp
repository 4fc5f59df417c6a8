// Every op, over every pair of corner-case values, in both tiers; batch sizes 0, 1, many.
#include <catch2/catch.hpp>

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

const std::vector<double>& corner_values() {
  using L = std::numeric_limits<double>;
  static const std::vector<double> v = {0.0,
                                        -0.0,
                                        1.0,
                                        -1.0,
                                        0.5,
                                        -0.5,
                                        1.5,
                                        -2.5,
                                        2.0,
                                        3.0,
                                        1e300,
                                        -1e300,
                                        L::max(),
                                        -L::max(),
                                        L::min(),
                                        L::denorm_min(),
                                        -L::denorm_min(),
                                        L::infinity(),
                                        -L::infinity(),
                                        L::quiet_NaN(),
                                        -L::quiet_NaN(),
                                        4503599627370497.0,
                                        0.1,
                                        1.0 / 3.0};
  return v;
}

// A program computing `op` on inputs 0, 1, 2 (as many as its arity).
ir::Program op_program(Op op) {
  ir::Program p;
  p.name = std::string("op.") + ir::op_name(op);
  p.n_inputs = 3;
  for (uint32_t i = 0; i < 3; ++i) p.code.push_back({Op::Input, i});
  p.code.push_back({op, 0, 1, 2});
  p.outputs = {3};
  return p;
}

// The same op on constants only: what LLVM constant-folds must agree with run time.
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

}  // namespace

TEST_CASE("every scalar op matches the interpreter on all corner-value combinations",
          "[jit][ops]") {
  auto jit = make_jit();
  std::mt19937_64 rng(1);
  const auto& vals = corner_values();
  // All (a, b) pairs; c cycles through the values too.
  Batch batch;
  batch.cols.assign(3, {});
  for (size_t i = 0; i < vals.size(); ++i)
    for (size_t j = 0; j < vals.size(); ++j) {
      batch.ts.push_back(static_cast<int64_t>(batch.ts.size()) * 1000 - 5000);
      batch.cols[0].push_back(vals[i]);
      batch.cols[1].push_back(vals[j]);
      batch.cols[2].push_back(vals[(i + j) % vals.size()]);
    }
  for (int o = static_cast<int>(Op::Neg); o < static_cast<int>(Op::Window); ++o) {
    Op op = static_cast<Op>(o);
    INFO(ir::op_name(op));
    ir::Program p = op_program(op);
    CHECK(check_program(*jit, p, batch, rng) == "");
  }
}

// All-constant instructions are folded by the JIT with the interpreter's expressions, so
// here even NaN signs and payloads must match.
TEST_CASE("constant folding agrees with run-time evaluation, NaN bits included", "[jit][ops]") {
  auto jit = make_jit();
  std::mt19937_64 rng(2);
  const auto& vals = corner_values();
  // One merged program per op: every (a, b) constant pair as its own sub-program.
  Batch batch;
  batch.ts = {0, 1000, 2000};
  for (int o = static_cast<int>(Op::Neg); o < static_cast<int>(Op::Window); ++o) {
    Op op = static_cast<Op>(o);
    INFO(ir::op_name(op));
    // Unary ops need every value once; binary and ternary ops every pair (c cycles).
    const size_t n_b = ir::arity(op) == 1 ? 1 : vals.size();
    std::vector<ir::Program> parts;
    for (size_t i = 0; i < vals.size(); ++i) {
      for (size_t j = 0; j < n_b; ++j)
        parts.push_back(folded_program(op, vals[i], vals[j], vals[(i * 7 + j) % vals.size()]));
      // A few hundred instructions per compilation: big modules cost superlinear time.
      if (parts.size() >= 96 || i + 1 == vals.size()) {
        CHECK(check_program(*jit, merge(parts, nullptr), batch, rng, /*exact_nan=*/true) == "");
        parts.clear();
      }
    }
  }
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
