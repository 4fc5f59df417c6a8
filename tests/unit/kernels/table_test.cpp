// The kernel table, the state handle, memory accounting, the private containers, and
// the scalar runtime functions.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstring>
#include <deque>
#include <random>
#include <set>
#include <string>
#include <utility>

#include "compiler/ir/ir.h"
#include "core/kernels/order.h"
#include "core/kernels/order_tree.h"
#include "core/kernels/push_fns.h"
#include "core/kernels/ring.h"
#include "core/kernels/window.h"

namespace omen::kernels {
namespace {

TEST_CASE("kernel table", "[kernels][table]") {
  const char* names[] = {
      "count",    "sum",           "mean",        "min",   "max",   "stddev",      "median",
      "quantile", "mad",           "ewma",        "delta", "rate",  "lag",         "fit_quantile",
      "esd",      "seasonal_base", "ar_residual", "cusum", "bocpd", "gauss_score", "cooldown"};
  static_assert(sizeof(names) / sizeof(names[0]) == kNumWindowKinds);
  for (size_t k = 0; k < kNumWindowKinds; ++k) {
    const KernelInfo& info = kernel_info(static_cast<WindowKind>(k));
    CHECK(static_cast<size_t>(info.kind) == k);
    CHECK(std::string(info.name) == names[k]);
    CHECK(std::string(info.symbol) == std::string("omen_win_") + names[k]);
    CHECK(info.push != nullptr);
    CHECK(std::strlen(info.complexity) > 0);
    CHECK(find_kernel(names[k]) == &info);
  }
  CHECK(find_kernel("nope") == nullptr);
  CHECK(find_kernel("") == nullptr);
  CHECK(find_kernel("Median") == nullptr);
  CHECK(kernel_info(WindowKind::Median).push == &omen_win_median);
  CHECK(kernel_info(WindowKind::Lag).push == &omen_win_lag);
}

TEST_CASE("the push function and the handle agree", "[kernels][table]") {
  for (size_t k = 0; k < kNumWindowKinds; ++k) {
    WindowSpec spec{static_cast<WindowKind>(k), 50, 0.3};
    WindowState a(spec), b(spec);
    PushFn fn = kernel_info(spec.kind).push;
    for (int64_t t = 0; t < 300; t += 7) {
      double v = (t % 3 == 0) ? std::nan("") : std::sin(static_cast<double>(t));
      double x = a.push(t, v), y = fn(b.get(), t, v);
      CHECK(((std::isnan(x) && std::isnan(y)) || x == y));
    }
  }
}

TEST_CASE("state handles move", "[kernels][table]") {
  WindowState a(WindowSpec{WindowKind::Sum, 100, 0});
  a.push(1, 2.0);
  WindowState b(std::move(a));
  CHECK(a.get() == nullptr);
  CHECK(a.bytes() == 0);
  CHECK(b.kind() == WindowKind::Sum);
  CHECK(b.push(2, 3.0) == 5.0);
  WindowState c(WindowSpec{WindowKind::Median, 100, 0});
  c = std::move(b);
  CHECK(c.kind() == WindowKind::Sum);
  CHECK(c.push(3, 1.0) == 6.0);
  WindowState d;
  CHECK(d.get() == nullptr);
}

TEST_CASE("state bytes follow the window contents", "[kernels][table]") {
  for (size_t k = 0; k < kNumWindowKinds; ++k) {
    auto kind = static_cast<WindowKind>(k);
    INFO(kernel_info(kind).name);
    WindowState s(WindowSpec{kind, 100'000, 0.5});
    const size_t empty = s.bytes();
    CHECK(empty > 0);
    int64_t t = 0;
    // Decreasing values so that min's deque holds every sample too.
    for (int i = 0; i < 50'000; ++i) s.push(++t, 1e6 - i);
    const size_t full = s.bytes();
    if (kind == WindowKind::Ewma || kind == WindowKind::Min || kind == WindowKind::Cooldown ||
        kind == WindowKind::Gaussian) {  // O(1) state; gauss_score's window is `size` samples
      CHECK(full < empty + 1024);
    } else {
      CHECK(full >= empty + 50'000 * 8);
      CHECK(full <= empty + 50'000 * 80);  // a generous per-sample bound
    }
    t += 1'000'000;  // drain, then a few samples
    for (int i = 0; i < 10; ++i) s.push(++t, i);
    CHECK(s.bytes() < empty + 16 * 1024);
  }
}

TEST_CASE("ring behaves like a deque", "[kernels][ring]") {
  std::mt19937_64 rng(5);
  detail::Ring<int64_t> ring;
  std::deque<int64_t> ref;
  size_t max_cap = 0;
  for (int i = 0; i < 200'000; ++i) {
    // Phases of growth and shrinkage.
    bool grow = (i / 20'000) % 2 == 0;
    uint64_t r = rng() % 10;
    if (ref.empty() || r < (grow ? 6u : 3u)) {
      ring.push_back(i);
      ref.push_back(i);
    } else if (r % 2) {
      ring.pop_front();
      ref.pop_front();
    } else {
      ring.pop_back();
      ref.pop_back();
    }
    REQUIRE(ring.size() == ref.size());
    if (!ref.empty()) {
      REQUIRE(ring.front() == ref.front());
      REQUIRE(ring.back() == ref.back());
      size_t j = rng() % ref.size();
      REQUIRE(ring[j] == ref[j]);
    }
    REQUIRE(ring.capacity() <= std::max<size_t>(16, 4 * ref.size()));
    max_cap = std::max(max_cap, ring.capacity());
  }
  CHECK(max_cap >= 4096);
}

/// Random inserts and erasures (mostly oldest first, like a window) on `set` and on a
/// std::multiset, growing for `phase` steps then shrinking, and so on; checks size at
/// every step and contents, select and count_below every `every` steps. `step` is
/// called after each step.
template <class Set, class Step>
void against_multiset(Set& set, uint64_t seed, int steps, int phase, unsigned grow_pct, int every,
                      Step step) {
  std::mt19937_64 rng(seed);
  std::multiset<double> ref;
  std::deque<double> fifo;
  const double pool[] = {-0.0, 0.0, 1.0, -1.0, 2.5, 1e300, -1e-300, 7.0};
  for (int i = 0; i < steps; ++i) {
    bool grow = (i / phase) % 2 == 0;
    if (fifo.empty() || rng() % 10 < (grow ? grow_pct : 10 - grow_pct)) {
      double v = rng() % 3 == 0 ? pool[rng() % 8]
                                : std::ldexp(static_cast<double>(rng() % 1000) - 500,
                                             static_cast<int>(rng() % 20) - 10);
      set.insert(v);
      ref.insert(v);
      fifo.push_back(v);
    } else {
      double v;
      if (rng() % 4 == 0) {  // an arbitrary element
        size_t j = rng() % fifo.size();
        v = fifo[j];
        fifo.erase(fifo.begin() + static_cast<std::ptrdiff_t>(j));
      } else {
        v = fifo.front();
        fifo.pop_front();
      }
      REQUIRE(set.erase(v));
      ref.erase(ref.find(v));  // numerically equal is enough for the multiset
    }
    REQUIRE(set.size() == ref.size());
    step();
    if (i % every == 0) REQUIRE(set.valid());
    if (i % every == 0 && !ref.empty()) {
      size_t k = 0;
      for (double x : ref) {
        REQUIRE(set.select(k) == x);
        ++k;
      }
      double probe = pool[rng() % 8];
      size_t below = static_cast<size_t>(std::distance(ref.begin(), ref.lower_bound(probe)));
      // The set orders -0.0 before +0.0; the multiset treats them as equal.
      if (probe != 0.0) REQUIRE(set.count_below(probe) == below);
    }
  }
}

TEST_CASE("order tree behaves like a sorted multiset", "[kernels][tree]") {
  detail::OrderTree tree;
  against_multiset(tree, 9, 100'000, 10'000, 6, 97, [] {});
  CHECK(tree.bytes() > 0);
}

TEST_CASE("order tree stays shallow and small on sorted input and long duplicate runs",
          "[kernels][tree]") {
  // Leaves hold >= 32 keys and inner nodes >= 8 children, so height <= 2 + log8(n / 32).
  auto max_height = [](double n) { return 2 + std::log(n / 32 + 1) / std::log(8.0); };
  detail::OrderTree tree;
  CHECK(!tree.erase(1.0));
  for (int i = 0; i < 100'000; ++i) tree.insert(i);
  CHECK(tree.valid());
  CHECK(tree.height() <= max_height(100'000));
  const size_t full = tree.bytes();
  for (int i = 0; i < 99'000; ++i) REQUIRE(tree.erase(i));
  CHECK(tree.valid());
  CHECK(tree.size() == 1'000);
  CHECK(tree.select(0) == 99'000);
  CHECK(tree.bytes() <= 1'000 * 64 + 16 * 1024);
  CHECK(tree.bytes() < full / 50);
  for (int i = 200'000; i > 100'000; --i) tree.insert(i);
  CHECK(tree.valid());
  CHECK(tree.height() <= max_height(101'000));
  CHECK(tree.select(1'000) == 100'001);
  CHECK(!tree.erase(150'000.5));
  // 5000 copies each of three values, spanning many leaves, removed in mixed order.
  detail::OrderTree dup;
  for (int i = 0; i < 15'000; ++i) dup.insert(static_cast<double>(i % 3));
  CHECK(dup.valid());
  CHECK(dup.count_below(1.0) == 5'000);
  CHECK(dup.count_below(2.0) == 10'000);
  CHECK(dup.select(4'999) == 0.0);
  CHECK(dup.select(5'000) == 1.0);
  // All the 0s and 1s but a few, interleaved; then from the middle.
  for (int i = 0; i < 9'990; ++i) REQUIRE(dup.erase(static_cast<double>(i % 2)));
  CHECK(dup.valid());
  CHECK(dup.size() == 5'010);
  CHECK(dup.count_below(1.0) == 5);
  CHECK(dup.count_below(2.0) == 10);
  CHECK(dup.select(4) == 0.0);
  CHECK(dup.select(5) == 1.0);
  CHECK(dup.select(10) == 2.0);
  for (int i = 0; i < 5; ++i) REQUIRE(dup.erase(0.0));
  CHECK(!dup.erase(0.0));
  CHECK(dup.select(0) == 1.0);
  while (dup.size() > 0) REQUIRE(dup.erase(dup.select(dup.size() / 2)));
  CHECK(dup.size() == 0);
  CHECK(dup.valid());
}

TEST_CASE("order tree keeps -0.0 and +0.0 apart", "[kernels][tree]") {
  detail::OrderTree tree;
  tree.insert(0.0);
  tree.insert(-0.0);
  tree.insert(0.0);
  CHECK(std::signbit(tree.select(0)));
  CHECK(!std::signbit(tree.select(1)));
  CHECK(tree.count_below(0.0) == 1);
  CHECK(tree.count_below(-0.0) == 0);
  tree.erase(-0.0);
  CHECK(tree.size() == 2);
  CHECK(!std::signbit(tree.select(0)));
}

TEST_CASE("order set behaves like a sorted multiset across the flat / tree switch",
          "[kernels][tree]") {
  // Sizes swing between 0 and ~600, so the set converts flat -> tree past kToTree and
  // back below kToFlat many times.
  detail::OrderSet set;
  size_t to_tree = 0, to_flat = 0;
  bool was_flat = true;
  against_multiset(set, 17, 60'000, 1'500, 7, 89, [&] {
    if (set.is_flat() == was_flat) return;
    (set.is_flat() ? to_flat : to_tree)++;
    was_flat = set.is_flat();
    REQUIRE(set.valid());
    REQUIRE(set.size() == (was_flat ? detail::OrderSet::kToFlat : detail::OrderSet::kToTree + 1));
  });
  CHECK(to_tree >= 5);
  CHECK(to_flat >= 5);
  // replace = erase + insert, in both representations, with duplicates and signed zeros.
  std::mt19937_64 rng(5);
  for (size_t n : {size_t{1}, size_t{2}, size_t{7}, size_t{60}, size_t{300}}) {
    detail::OrderSet a, b;
    std::vector<double> held;
    auto draw = [&] { return static_cast<double>(static_cast<int>(rng() % 9) - 4); };
    for (size_t i = 0; i < n; ++i) {
      double v = rng() % 6 == 0 ? -0.0 : draw();
      a.insert(v);
      b.insert(v);
      held.push_back(v);
    }
    for (int step = 0; step < 2000; ++step) {
      size_t j = rng() % held.size();
      double v = rng() % 6 == 0 ? -0.0 : draw();
      REQUIRE(a.replace(held[j], v));
      REQUIRE(b.erase(held[j]));
      b.insert(v);
      held[j] = v;
      REQUIRE(a.size() == b.size());
      for (size_t k = 0; k < a.size(); ++k)
        REQUIRE(std::bit_cast<uint64_t>(a.select(k)) == std::bit_cast<uint64_t>(b.select(k)));
    }
    REQUIRE(a.valid());
    CHECK(!a.replace(0.5, 1.0));
  }
  CHECK(!set.erase(0.123));
  detail::OrderSet zeros;  // -0.0 and +0.0 stay apart in the flat array too
  zeros.insert(0.0);
  zeros.insert(-0.0);
  CHECK(std::signbit(zeros.select(0)));
  CHECK(zeros.count_below(0.0) == 1);
  CHECK(zeros.erase(-0.0));
  CHECK(!zeros.erase(-0.0));
  CHECK(!std::signbit(zeros.select(0)));
}

TEST_CASE("share groups: every member can read every member's state", "[kernels][table]") {
  for (size_t a = 0; a < kNumWindowKinds; ++a)
    for (size_t b = 0; b < kNumWindowKinds; ++b) {
      const KernelInfo& x = kernel_info(static_cast<WindowKind>(a));
      const KernelInfo& y = kernel_info(static_cast<WindowKind>(b));
      bool same_group = x.group != ShareGroup::None && x.group == y.group;
      CHECK(can_read(x.kind, y.kind) == same_group);
      if (y.group != ShareGroup::None) {
        CHECK(y.read != nullptr);
        CHECK(y.read_symbol != nullptr);
      }
    }
  CHECK(can_read(WindowKind::Mean, WindowKind::Stddev));
  CHECK(can_read(WindowKind::Mad, WindowKind::Quantile));
  CHECK(!can_read(WindowKind::Sum, WindowKind::Mean));
  CHECK(!can_read(WindowKind::Median, WindowKind::Mean));
}

TEST_CASE("scalar runtime functions", "[kernels][scalar]") {
  CHECK(omen_rt_exp(1.0) == std::exp(1.0));
  CHECK(omen_rt_log(10.0) == std::log(10.0));
  CHECK(omen_rt_pow(2.0, 0.5) == std::pow(2.0, 0.5));
  CHECK(omen_rt_fmod(7.5, 2.0) == 1.5);
  CHECK(std::isnan(omen_rt_log(-1.0)));
  CHECK(std::isnan(omen_rt_fmod(1.0, 0.0)));
}

}  // namespace
}  // namespace omen::kernels
