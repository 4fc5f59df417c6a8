// The JIT's contract beyond arithmetic: the allow-list, error paths, dumps, threads.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "compiler/jit/jit_testing.h"
#include "harness.h"

using namespace omen;
using namespace omen::jit_test;
using ir::Op;

namespace {

std::unique_ptr<jit::Jit> make_jit() {
  std::string error;
  auto j = jit::create_linked({}, &error);
  INFO(error);
  REQUIRE(j);
  return j;
}

ir::Program small_program(const std::string& name) {
  ir::Program p;
  p.name = name;
  p.n_inputs = 1;
  p.code = {{Op::Input, 0}, {Op::Const, 0, 0, 0, 0, 3.0}, {Op::Mul, 0, 1}, {Op::Exp, 2}};
  p.outputs = {3};
  return p;
}

double run_one(ir::BatchFn fn, double x) {
  int64_t t = 0;
  const double* cols[] = {&x};
  double out = 0;
  double* outs[] = {&out};
  ir::BatchArgs args{&t, cols, nullptr, outs, 1};
  fn(&args);
  return out;
}

// A replacement kernel that fails like an allocation failure would.
extern "C" double omen_test_throwing_push(void*, int64_t, double v) {
  if (v > 2) throw std::runtime_error("kernel failed");
  return v * 10;
}

}  // namespace

TEST_CASE("an exception thrown by a kernel unwinds through JIT code", "[jit][eh]") {
  auto jit = make_jit();
  ir::Program p;
  p.name = "throws";
  p.n_inputs = 1;
  p.windows = {{kernels::WindowKind::Count, 1000, 0}};
  p.code = {{Op::Input, 0}, {Op::Window, 0, 0, 0, 0}};
  p.outputs = {1};
  const char* symbol = kernels::kernel_info(kernels::WindowKind::Count).symbol;
  std::string error;
  ir::BatchFn fn = jit::testing::compile_with_symbols(
      *jit, p, {{symbol, reinterpret_cast<void*>(&omen_test_throwing_push)}}, &error);
  INFO(error);
  REQUIRE(fn);
  int64_t ts[4] = {1, 2, 3, 4};
  double x[4] = {1, 2, 3, 4}, out[4] = {0, 0, 0, 0};
  const double* cols[] = {x};
  double* outs[] = {out};
  void* states[] = {nullptr};
  ir::BatchArgs args{ts, cols, states, outs, 4};
  CHECK_THROWS_WITH(fn(&args), "kernel failed");
  CHECK(out[0] == 10);
  CHECK(out[1] == 20);
  CHECK(out[2] == 0);

  // The replacement stays in its own JITDylib: ordinary rules get the real kernel.
  fn = jit->compile(p, &error);
  REQUIRE(fn);
  kernels::WindowState st(p.windows[0]);
  states[0] = st.get();
  fn(&args);
  CHECK(out[3] == 4);  // the real count kernel: 4 samples in (4 - 1000, 4]
}

TEST_CASE("the allow-list is the kernel table plus omen_rt_*", "[jit][allow]") {
  auto jit = make_jit();
  std::vector<std::string> allowed = jit::testing::allow_list(*jit);
  std::vector<std::string> expected;
  for (size_t k = 0; k < kernels::kNumWindowKinds; ++k) {
    const auto& info = kernels::kernel_info(static_cast<kernels::WindowKind>(k));
    expected.push_back(info.symbol);
    if (info.read) expected.push_back(info.read_symbol);  // reads of shared states
  }
  for (const char* s : {"omen_rt_exp", "omen_rt_log", "omen_rt_pow", "omen_rt_fmod"})
    expected.push_back(s);
  std::sort(allowed.begin(), allowed.end());
  std::sort(expected.begin(), expected.end());
  CHECK(allowed == expected);
}

TEST_CASE("JIT code cannot reach symbols outside the allow-list", "[jit][allow]") {
  auto jit = make_jit();
  const std::string printf_ir = R"(
@msg = private constant [4 x i8] c"hi\0A\00"
declare i32 @printf(ptr, ...)
define void @evil_printf() {
  %r = call i32 (ptr, ...) @printf(ptr @msg)
  ret void
})";
  const std::string system_ir = R"(
@cmd = private constant [5 x i8] c"true\00"
declare i32 @system(ptr)
define i32 @evil_system() {
  %r = call i32 @system(ptr @cmd)
  ret i32 %r
})";
  // Data symbols are no better than functions.
  const std::string environ_ir = R"(
@environ = external global ptr
define ptr @evil_environ() {
  %e = load ptr, ptr @environ
  ret ptr %e
})";
  // A large memset intrinsic is lowered to a call of libc memset: not allowed either.
  const std::string memset_ir = R"(
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
define void @evil_memset(ptr %p, i64 %n) {
  call void @llvm.memset.p0.i64(ptr %p, i8 0, i64 %n, i1 false)
  ret void
})";
  struct Case {
    const std::string* ir;
    const char* fn;
    const char* symbol;
  };
  for (Case c :
       {Case{&printf_ir, "evil_printf", "printf"}, Case{&system_ir, "evil_system", "system"},
        Case{&environ_ir, "evil_environ", "environ"}, Case{&memset_ir, "evil_memset", "memset"}}) {
    INFO(c.fn);
    std::string error;
    void* addr = jit::testing::add_llvm_ir(*jit, *c.ir, c.fn, &error);
    CHECK(addr == nullptr);
    CHECK(error.find(c.symbol) != std::string::npos);
  }

  // The JIT still works afterwards, and allow-listed symbols do link.
  std::string error;
  void* ok = jit::testing::add_llvm_ir(*jit, R"(
declare double @omen_rt_exp(double)
define double @fine(double %x) {
  %r = call double @omen_rt_exp(double %x)
  ret double %r
})",
                                       "fine", &error);
  INFO(error);
  REQUIRE(ok);
  auto fine = reinterpret_cast<double (*)(double)>(ok);
  CHECK(fine(1.25) == omen_rt_exp(1.25));
  ir::BatchFn fn = jit->compile(small_program("after"), &error);
  REQUIRE(fn);
  CHECK(run_one(fn, 0.5) == omen_rt_exp(1.5));
}

TEST_CASE("malformed IR is an error, not a crash", "[jit][errors]") {
  auto jit = make_jit();
  auto expect_error = [&](const ir::Program& p, const char* what) {
    std::string error;
    CHECK(jit->compile(p, &error) == nullptr);
    CHECK(error.find(what) != std::string::npos);
    CHECK(jit->dump_llvm(p, true).find("error") != std::string::npos);
  };
  ir::Program p = small_program("bad");
  p.code[2].b = 3;  // forward reference
  expect_error(p, "earlier value");
  p = small_program("bad");
  p.code[0].a = 1;  // column 1 of 1
  expect_error(p, "input column");
  p = small_program("bad");
  p.outputs = {4};
  expect_error(p, "output");
  p = small_program("bad");
  p.code.push_back({Op::Window, 0, 0, 0, 0});  // no window slot 0
  expect_error(p, "slot");
  p = small_program("bad");
  p.windows = {{kernels::WindowKind::kCount_, 1000, 0}};
  p.code.push_back({Op::Window, 0, 0, 0, 0});
  expect_error(p, "kind");
  p = small_program("bad");
  p.code[1].op = static_cast<Op>(200);
  expect_error(p, "opcode");
  // Window reads: the push they follow must be of their slot, their kind of its group.
  p = small_program("bad");
  p.windows = {{kernels::WindowKind::Mean, 1000, 0}, {kernels::WindowKind::Median, 1000, 0}};
  p.code.push_back({Op::Window, 0, 0, 0, 0});
  const uint32_t push = static_cast<uint32_t>(p.code.size() - 1);
  p.code.push_back(
      {Op::WindowRead, push, static_cast<uint32_t>(kernels::WindowKind::Stddev), 0, 0});
  {
    std::string error;
    CHECK(jit->compile(p, &error) != nullptr);
    INFO(error);
  }
  p.code.back().b = static_cast<uint32_t>(kernels::WindowKind::Mad);  // not a moment
  expect_error(p, "does not serve");
  p.code.back().b = static_cast<uint32_t>(kernels::WindowKind::Sum);  // no read
  expect_error(p, "does not serve");
  p.code.back().b = 999;
  expect_error(p, "does not serve");
  p.code.back().b = static_cast<uint32_t>(kernels::WindowKind::Stddev);
  p.code.back().slot = 1;  // not the slot of the push
  expect_error(p, "follow");
  p.code.back().slot = 7;
  expect_error(p, "slot");
}

TEST_CASE("programs with any name, no code, no outputs", "[jit][edge]") {
  auto jit = make_jit();
  std::string error;
  for (std::string name : {std::string(""), std::string("a b\"c\n\\d@e.f"), std::string(300, 'x'),
                           std::string("\xc3\xa9t\xc3\xa9"), std::string("omen_rt_exp")}) {
    ir::BatchFn fn = jit->compile(small_program(name), &error);
    INFO(error);
    REQUIRE(fn);
    CHECK(run_one(fn, 2.0) == omen_rt_exp(6.0));
  }
  // The same program twice, under any name, is compiled once (the cache); without the
  // cache, the same name twice gives two functions.
  ir::BatchFn a = jit->compile(small_program("same"), &error);
  ir::BatchFn b = jit->compile(small_program("same"), &error);
  ir::BatchFn c = jit->compile(small_program("other name"), &error);
  CHECK(a);
  CHECK(a == b);
  CHECK(a == c);
  {
    auto uncached = jit::create_linked(jit::JitOptions{2, false}, &error);
    REQUIRE(uncached);
    a = uncached->compile(small_program("same"), &error);
    b = uncached->compile(small_program("same"), &error);
    CHECK(a);
    CHECK(b);
    CHECK(a != b);
    CHECK(run_one(a, 2.0) == run_one(b, 2.0));
  }

  ir::Program empty;
  empty.name = "empty";
  ir::BatchFn fn = jit->compile(empty, &error);
  REQUIRE(fn);
  int64_t ts[3] = {1, 2, 3};
  ir::BatchArgs args{ts, nullptr, nullptr, nullptr, 3};
  fn(&args);

  // Windows but no outputs: the kernels still see every tick.
  ir::Program w;
  w.name = "silent";
  w.n_inputs = 1;
  w.windows = {{kernels::WindowKind::Count, 1000000, 0}};
  w.code = {{Op::Input, 0}, {Op::Window, 0, 0, 0, 0}};
  fn = jit->compile(w, &error);
  REQUIRE(fn);
  kernels::WindowState st(w.windows[0]);
  void* states[] = {st.get()};
  double x[3] = {1, 2, 3};
  const double* cols[] = {x};
  args = {ts, cols, states, nullptr, 3};
  fn(&args);
  CHECK(st.push(4, 4.0) == 4.0);
}

TEST_CASE("dump_llvm shows IR before and after the pipeline, strict FP", "[jit][dump]") {
  auto jit = make_jit();
  ir::Program p;
  p.name = "dump me";
  p.n_inputs = 2;
  p.windows = {{kernels::WindowKind::Median, 60000, 0}};
  p.code = {{Op::Input, 0},  {Op::Input, 1},  {Op::Mul, 0, 1},          {Op::Add, 2, 0}, {Op::Time},
            {Op::Div, 3, 4}, {Op::Pow, 5, 0}, {Op::Window, 6, 0, 0, 0}, {Op::Min, 7, 1}};
  p.outputs = {8, 3};
  std::string raw = jit->dump_llvm(p, false);
  std::string opt = jit->dump_llvm(p, true);
  CHECK(raw.find("define void @omen_rule_dump_me_") != std::string::npos);
  CHECK(raw.find("fdiv double") != std::string::npos);
  CHECK(raw.find("@omen_rt_pow") != std::string::npos);
  CHECK(raw.find("@omen_win_median") != std::string::npos);
  CHECK(opt.find("define void @omen_rule_dump_me_") != std::string::npos);
  CHECK(opt.find("fdiv double") != std::string::npos);  // t / 1000 stays a division
  for (const char* banned :
       {"fmuladd", "llvm.fma", "fast ", "contract", "reassoc", "@llvm.pow", "@pow", "@exp"})
    CHECK(opt.find(banned) == std::string::npos);
  // dump_llvm adds nothing to the JIT: compile still works and is unaffected.
  std::string error;
  CHECK(jit->compile(p, &error) != nullptr);
}

TEST_CASE("compile() is thread-safe", "[jit][threads]") {
  auto jit = make_jit();
  constexpr int kThreads = 4, kEach = 15;
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(1000 + t);
      for (int i = 0; i < kEach && failures[t].empty(); ++i) {
        ir::Program p = random_program(rng, {}, "thread" + std::to_string(t));
        Batch batch = random_batch(rng, p.n_inputs, rng() % 100, 1700000000000);
        failures[t] = check_program(*jit, p, batch, rng);
        if (i % 5 == 0) jit->dump_llvm(p, i % 2);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& f : failures) CHECK(f == "");
}

TEST_CASE("compile stats are filled", "[jit][stats]") {
  auto jit = make_jit();
  jit::CompileStats stats;
  std::string error;
  REQUIRE(jit->compile(small_program("stats"), &error, &stats));
  CHECK(stats.build_ms > 0);
  CHECK(stats.optimize_ms > 0);
  CHECK(stats.codegen_ms > 0);
  CHECK(stats.build_ms + stats.optimize_ms + stats.codegen_ms < 1000);
}

TEST_CASE("compile_batch: one function per program, the same results as the interpreter",
          "[jit][batch]") {
  auto jit = make_jit();
  std::mt19937_64 rng(4242);
  for (int round = 0; round < 12; ++round) {
    // Batches of 1 to 120 programs, sometimes with duplicates (by content, other names).
    size_t k = round == 0 ? 1 : 1 + rng() % 120;
    std::vector<ir::Program> ps;
    for (size_t i = 0; i < k; ++i) {
      if (i > 0 && rng() % 8 == 0) {
        ps.push_back(ps[rng() % i]);
        ps.back().name = "dup" + std::to_string(i);
        continue;
      }
      GenOptions opts;
      opts.windows = rng() % 2;
      ps.push_back(
          random_program(rng, opts, "b" + std::to_string(round) + "_" + std::to_string(i)));
    }
    std::vector<const ir::Program*> pp;
    for (auto& p : ps) pp.push_back(&p);
    std::vector<std::string> errors;
    jit::CompileStats stats;
    std::vector<ir::BatchFn> fns = jit->compile_batch(pp, &errors, &stats);
    REQUIRE(fns.size() == k);
    REQUIRE(errors.size() == k);
    CHECK(stats.compiled + stats.cached == k);
    for (size_t i = 0; i < k; ++i) {
      INFO("round " << round << " program " << i << ": " << errors[i]);
      REQUIRE(fns[i]);
      Batch batch = random_batch(rng, ps[i].n_inputs, rng() % 150, 1700000000000);
      Outputs ref = run(ps[i], nullptr, batch, {batch.size()});
      Outputs got = run(ps[i], fns[i], batch, {batch.size()});
      REQUIRE(diff(ps[i], batch, ref, got) == "");
    }
  }
}

TEST_CASE("compile_batch: a bad program fails alone", "[jit][batch][errors]") {
  auto jit = make_jit();
  ir::Program good1 = small_program("good1"), bad = small_program("bad"),
              good2 = small_program("good2");
  good2.code[1].imm = 5.0;
  bad.code[2].b = 3;  // forward reference
  std::vector<std::string> errors;
  jit::CompileStats stats;
  auto fns = jit->compile_batch({&good1, &bad, &good2}, &errors, &stats);
  REQUIRE(fns.size() == 3);
  CHECK(fns[0]);
  CHECK(fns[1] == nullptr);
  CHECK(errors[1].find("earlier value") != std::string::npos);
  CHECK(fns[2]);
  CHECK(errors[0].empty());
  CHECK(errors[2].empty());
  CHECK(stats.modules == 1);
  CHECK(run_one(fns[0], 2.0) == omen_rt_exp(6.0));
  CHECK(run_one(fns[2], 2.0) == omen_rt_exp(10.0));
  CHECK(jit->compile_batch({}, &errors).empty());
  CHECK(errors.empty());
}

TEST_CASE("compile_batch: large batches are split into several modules", "[jit][batch]") {
  auto jit = make_jit();
  std::mt19937_64 rng(99);
  std::vector<ir::Program> ps;
  GenOptions opts;
  opts.max_code = 200;
  for (int i = 0; i < 150; ++i) ps.push_back(random_program(rng, opts, "big"));
  std::vector<const ir::Program*> pp;
  size_t instrs = 0;
  for (auto& p : ps) {
    pp.push_back(&p);
    instrs += p.code.size();
  }
  std::vector<std::string> errors;
  jit::CompileStats stats;
  auto fns = jit->compile_batch(pp, &errors, &stats);
  INFO(instrs << " instructions");
  CHECK(stats.modules >= 2);
  CHECK(stats.modules < ps.size());
  for (size_t i = 0; i < ps.size(); ++i) {
    REQUIRE(fns[i]);
    Batch batch = random_batch(rng, ps[i].n_inputs, 40, 1700000000000);
    REQUIRE(diff(ps[i], batch, run(ps[i], nullptr, batch, {40}), run(ps[i], fns[i], batch, {40})) ==
            "");
  }
}

TEST_CASE("the cache keys on everything but the name", "[jit][cache]") {
  auto jit = make_jit();
  std::string error;
  ir::Program p;
  p.name = "w";
  p.n_inputs = 2;
  p.windows = {{kernels::WindowKind::Count, 1000, 0}};
  p.code = {
      {Op::Input, 0}, {Op::Window, 0, 0, 0, 0}, {Op::Const, 0, 0, 0, 0, 2.0}, {Op::Mul, 1, 2}};
  p.outputs = {3};
  ir::BatchFn base = jit->compile(p, &error);
  REQUIRE(base);
  std::vector<ir::Program> variants(6, p);
  variants[0].code[2].imm = 3.0;                           // a constant
  variants[1].windows[0].width_ms = 2000;                  // a window's width
  variants[2].windows[0].kind = kernels::WindowKind::Sum;  // a window's kind
  variants[3].outputs = {3, 0};                            // the outputs
  variants[4].n_inputs = 3;                                // the inputs
  variants[5].code[0].a = 1;                               // an operand
  for (size_t i = 0; i < variants.size(); ++i) {
    INFO("variant " << i);
    ir::BatchFn fn = jit->compile(variants[i], &error);
    REQUIRE(fn);
    CHECK(fn != base);
  }
  p.name = "renamed";
  CHECK(jit->compile(p, &error) == base);
  jit::CompileStats stats;
  CHECK(jit->compile(variants[0], &error, &stats) != nullptr);
  CHECK(stats.cached == 1);
  CHECK(stats.compiled == 0);
}
