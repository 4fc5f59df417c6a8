// Random programs (random DAGs over every op, windows included) on random inputs rich in
// NaN, ±inf, ±0, subnormals and extremes: both tiers must agree bit for bit (NaN = NaN).
#include <catch2/catch.hpp>

#include "harness.h"

using namespace omen;
using namespace omen::jit_test;

namespace {

std::unique_ptr<jit::Jit> make_jit() {
  std::string error;
  auto j = jit::create_linked({}, &error);
  INFO(error);
  REQUIRE(j);
  return j;
}

}  // namespace

TEST_CASE("random programs, one compilation each", "[jit][random]") {
  auto jit = make_jit();
  std::mt19937_64 rng(20240601);
  for (int i = 0; i < 400; ++i) {
    GenOptions opts;
    opts.windows = i % 2 == 0;
    ir::Program p = random_program(rng, opts, "rnd" + std::to_string(i));
    Batch batch = random_batch(rng, p.n_inputs, rng() % 200, 1700000000000);
    std::string d = check_program(*jit, p, batch, rng);
    INFO("program " << i);
    REQUIRE(d == "");
  }
}

TEST_CASE("random programs, merged 10 to a compilation", "[jit][random]") {
  auto jit = make_jit();
  std::mt19937_64 rng(77);
  constexpr int kRounds = 300, kPerRound = 10;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<ir::Program> parts;
    std::vector<Batch> batches;
    size_t n = rng() % 300;
    Batch base = random_batch(rng, 0, n, 1600000000000 + static_cast<int64_t>(rng() % 1000000));
    for (int i = 0; i < kPerRound; ++i) {
      GenOptions opts;
      opts.windows = rng() % 2;
      parts.push_back(random_program(rng, opts, "part"));
      Batch b = random_batch(rng, parts.back().n_inputs, n, 0);
      b.ts = base.ts;
      batches.push_back(std::move(b));
    }
    ir::Program m = merge(parts, nullptr);
    Batch mb = merge_batches(batches);
    std::string d = check_program(*jit, m, mb, rng);
    if (!d.empty()) {
      // Narrow the report to the failing part.
      for (size_t i = 0; i < parts.size(); ++i) {
        std::string di = check_program(*jit, parts[i], batches[i], rng);
        if (!di.empty()) {
          d = "part " + std::to_string(i) + ": " + di;
          break;
        }
      }
    }
    INFO("round " << round);
    REQUIRE(d == "");
  }
}

TEST_CASE("random window-heavy programs over long batches", "[jit][random][window]") {
  auto jit = make_jit();
  std::mt19937_64 rng(99);
  for (int i = 0; i < 60; ++i) {
    GenOptions opts;
    opts.max_inputs = 2;
    opts.max_code = 12;
    ir::Program p = random_program(rng, opts, "win");
    // Every value also goes through a random window.
    size_t n_code = p.code.size();
    for (size_t v = 0; v < n_code; ++v) {
      kernels::WindowSpec spec{static_cast<kernels::WindowKind>(rng() % kernels::kNumWindowKinds),
                               static_cast<int64_t>(1 + rng() % 100000), 0.25};
      p.code.push_back({ir::Op::Window, static_cast<uint32_t>(v), 0, 0,
                        static_cast<uint32_t>(p.windows.size())});
      p.windows.push_back(spec);
      p.outputs.push_back(static_cast<uint32_t>(p.code.size() - 1));
    }
    Batch batch = random_batch(rng, p.n_inputs, 2000, 1700000000000);
    std::string d = check_program(*jit, p, batch, rng);
    INFO("program " << i);
    REQUIRE(d == "");
  }
}

TEST_CASE("random programs reading shared window states", "[jit][random][window]") {
  // Mean / stddev and median / quantile / mad windows, each followed by reads of the
  // other kernels of its share group from the same state (ir::Op::WindowRead), as the
  // checker lowers calls over the same input and width.
  using K = kernels::WindowKind;
  const K kinds[] = {K::Mean, K::Stddev, K::Median, K::Quantile, K::Mad};
  auto jit = make_jit();
  std::mt19937_64 rng(1234);
  for (int i = 0; i < 40; ++i) {
    GenOptions opts;
    opts.max_inputs = 2;
    opts.max_code = 10;
    ir::Program p = random_program(rng, opts, "shared");
    size_t n_code = p.code.size();
    for (size_t v = 0; v < n_code; ++v) {
      K kind = kinds[rng() % 5];
      kernels::WindowSpec spec{kind, static_cast<int64_t>(1 + rng() % 100000),
                               static_cast<double>(rng() % 5) / 4};
      const uint32_t slot = static_cast<uint32_t>(p.windows.size());
      p.windows.push_back(spec);
      p.code.push_back({ir::Op::Window, static_cast<uint32_t>(v), 0, 0, slot});
      const uint32_t push = static_cast<uint32_t>(p.code.size() - 1);
      p.outputs.push_back(push);
      for (K view : kinds) {
        if (!kernels::can_read(kind, view) || rng() % 3 == 0) continue;
        ir::Instr read{ir::Op::WindowRead, push, static_cast<uint32_t>(view), 0, slot};
        read.imm = static_cast<double>(rng() % 11) / 10;
        p.code.push_back(read);
        p.outputs.push_back(static_cast<uint32_t>(p.code.size() - 1));
      }
    }
    Batch batch = random_batch(rng, p.n_inputs, 2000, 1700000000000);
    std::string d = check_program(*jit, p, batch, rng);
    INFO("program " << i);
    REQUIRE(d == "");
  }
}
