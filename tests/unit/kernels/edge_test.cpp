// Hand-computed cases: empty windows, single samples, the excluded boundary t - width,
// counter resets, infinities, and cancellation after large values leave.
#include <catch2/catch.hpp>

#include <cmath>
#include <initializer_list>
#include <vector>

#include "core/kernels/window.h"
#include "reference.h"

namespace omen::kernels::testing {
namespace {

/// Pushes the ticks into a fresh state and returns every result.
std::vector<double> feed(WindowKind kind, int64_t width, std::initializer_list<Tick> ticks,
                         double param = 0.0) {
  WindowState s(WindowSpec{kind, width, param});
  std::vector<double> out;
  for (const Tick& k : ticks) out.push_back(s.push(k.t, k.v));
  return out;
}

double last(WindowKind kind, int64_t width, std::initializer_list<Tick> ticks, double param = 0.0) {
  return feed(kind, width, ticks, param).back();
}

TEST_CASE("an empty window gives count 0 and sum 0 and NaN elsewhere", "[kernels][edge]") {
  for (size_t k = 0; k < kNumClassicKinds; ++k) {
    auto kind = static_cast<WindowKind>(k);
    INFO(kernel_info(kind).name);
    // Never a sample; and a sample that has expired by the time of a NaN tick.
    for (double r :
         {last(kind, 10, {{0, kNaN}, {5, kNaN}}), last(kind, 10, {{0, 3.0}, {100, kNaN}})}) {
      if (kind == WindowKind::Count || kind == WindowKind::Sum) {
        CHECK(r == 0.0);
      } else if (kind == WindowKind::Ewma || kind == WindowKind::Lag) {
        // ewma never forgets; lag sees the expired tick. Covered below.
      } else {
        CHECK(std::isnan(r));
      }
    }
  }
  CHECK(std::isnan(last(WindowKind::Ewma, 10, {{0, kNaN}, {5, kNaN}})));
  CHECK(std::isnan(last(WindowKind::Lag, 10, {{0, kNaN}, {5, kNaN}})));
}

TEST_CASE("a single sample", "[kernels][edge]") {
  auto one = [](WindowKind k, double param = 0.0) { return last(k, 10, {{42, 5.0}}, param); };
  CHECK(one(WindowKind::Count) == 1);
  CHECK(one(WindowKind::Sum) == 5);
  CHECK(one(WindowKind::Mean) == 5);
  CHECK(one(WindowKind::Min) == 5);
  CHECK(one(WindowKind::Max) == 5);
  CHECK(one(WindowKind::Stddev) == 0);
  CHECK(one(WindowKind::Median) == 5);
  CHECK(one(WindowKind::Quantile, 0.3) == 5);
  CHECK(one(WindowKind::Mad) == 0);
  CHECK(one(WindowKind::Ewma) == 5);
  CHECK(std::isnan(one(WindowKind::Delta)));
  CHECK(std::isnan(one(WindowKind::Rate)));
  CHECK(std::isnan(one(WindowKind::Lag)));
}

TEST_CASE("a sample at exactly t - width is outside the window", "[kernels][edge]") {
  CHECK(feed(WindowKind::Count, 10, {{0, 1}, {9, 2}, {10, 3}, {19, kNaN}, {20, kNaN}}) ==
        std::vector<double>{1, 2, 2, 1, 0});
  CHECK(feed(WindowKind::Sum, 10, {{0, 1}, {9, 2}, {10, 3}, {19, kNaN}, {20, kNaN}}) ==
        std::vector<double>{1, 3, 5, 3, 0});
  auto mx = feed(WindowKind::Max, 10, {{0, 9}, {9, 2}, {10, 3}, {19, kNaN}, {20, kNaN}});
  CHECK(std::vector<double>(mx.begin(), mx.end() - 1) == std::vector<double>{9, 9, 3, 3});
  CHECK(std::isnan(mx.back()));
  auto mn = feed(WindowKind::Min, 10, {{0, 1}, {9, 2}, {10, 3}, {19, 4}, {20, kNaN}});
  CHECK(mn == std::vector<double>{1, 1, 2, 3, 4});
  CHECK(last(WindowKind::Delta, 10, {{0, 1}, {9, 2}, {10, 7}}) == 5);
  CHECK(std::isnan(last(WindowKind::Delta, 10, {{0, 1}, {10, 7}})));
  CHECK(last(WindowKind::Median, 10, {{0, 100}, {5, 1}, {10, 3}}) == 2);
  // Lag: the latest tick at or before t - width, so the boundary tick is *in* for lag.
  auto lag = feed(WindowKind::Lag, 10, {{0, 1}, {5, 2}, {10, 3}, {14, 4}, {15, 5}, {40, 6}});
  CHECK(std::isnan(lag[0]));
  CHECK(std::isnan(lag[1]));
  CHECK(lag[2] == 1);  // t - width = 0
  CHECK(lag[3] == 1);  // 4: still the tick at 0
  CHECK(lag[4] == 2);  // 5
  CHECK(lag[5] == 5);  // 30: the latest before it is the tick at 15
}

TEST_CASE("lag remembers NaN ticks", "[kernels][edge]") {
  auto lag = feed(WindowKind::Lag, 10, {{0, 1}, {5, kNaN}, {10, 3}, {15, 4}, {20, 5}});
  CHECK(lag[2] == 1);
  CHECK(std::isnan(lag[3]));  // the tick at 5 was NaN
  CHECK(lag[4] == 3);
}

TEST_CASE("NaN inputs advance time without being added", "[kernels][edge]") {
  CHECK(feed(WindowKind::Count, 10, {{0, 1}, {5, kNaN}, {12, kNaN}}) ==
        std::vector<double>{1, 1, 0});
  CHECK(last(WindowKind::Mean, 100, {{0, 1}, {5, kNaN}, {12, 3}}) == 2);
  CHECK(last(WindowKind::Delta, 100, {{0, 1}, {5, 4}, {12, kNaN}}) == 3);
  CHECK(last(WindowKind::Delta, 10, {{0, 1}, {5, 4}, {12, kNaN}, {13, 10}}) == 6);
}

TEST_CASE("ewma follows its recurrence", "[kernels][edge]") {
  auto e = feed(WindowKind::Ewma, 1000, {{0, kNaN}, {10, 2}, {500, kNaN}, {1010, 4}, {3010, 0}});
  CHECK(std::isnan(e[0]));
  CHECK(e[1] == 2);
  CHECK(e[2] == 2);  // NaN: unchanged, and the clock is not reset
  double s = 2 + (1 - std::exp(-1.0)) * (4 - 2);
  CHECK(e[3] == s);
  CHECK(e[4] == s + (1 - std::exp(-2.0)) * (0 - s));
}

TEST_CASE("rate handles counter resets like Prometheus", "[kernels][edge]") {
  // 10 -> 20 (+10) -> 5 (reset: +5) -> 15 (+10): 25 over 3 s.
  auto r = feed(WindowKind::Rate, 100000, {{0, 10}, {1000, 20}, {2000, 5}, {3000, 15}});
  CHECK(std::isnan(r[0]));
  CHECK(r[1] == 10);
  CHECK(r[2] == 7.5);
  CHECK(r[3] == Approx(25.0 / 3).epsilon(1e-12));
  // Once the sample before the reset leaves, the reset pair leaves with it.
  auto w = feed(WindowKind::Rate, 2500, {{0, 10}, {1000, 20}, {2000, 5}, {3000, 15}, {4000, 16}});
  CHECK(w[3] == Approx((5.0 + 10) / 2).epsilon(1e-12));  // samples 1000..3000
  CHECK(w[4] == Approx((10.0 + 1) / 2).epsilon(1e-12));  // samples 2000..4000: no reset
  // Two resets in a row, one of them to an equal-or-lower value than zero.
  CHECK(last(WindowKind::Rate, 100000, {{0, 7}, {500, 3}, {1000, 0}, {2000, 4}}) ==
        Approx((3.0 + 0 + 4) / 2).epsilon(1e-12));
}

TEST_CASE("quantile and median interpolate like numpy", "[kernels][edge]") {
  std::initializer_list<Tick> four = {{1, 4}, {2, 1}, {3, 3}, {4, 2}};
  CHECK(last(WindowKind::Median, 100, four) == 2.5);
  CHECK(last(WindowKind::Quantile, 100, four, 0.25) == 1.75);
  CHECK(last(WindowKind::Quantile, 100, four, 0.0) == 1);
  CHECK(last(WindowKind::Quantile, 100, four, 1.0) == 4);
  CHECK(last(WindowKind::Quantile, 100, four, 0.9) == Approx(3.7).epsilon(1e-15));
  // The mean of two huge middle values does not overflow.
  CHECK(last(WindowKind::Median, 100, {{1, 1.5e308}, {2, 1.7e308}}) == 1.6e308);
  CHECK(last(WindowKind::Median, 100, {{1, -1.5e308}, {2, -1.7e308}}) == -1.6e308);
  // Duplicates.
  CHECK(last(WindowKind::Median, 100, {{1, 2}, {2, 2}, {3, 2}, {4, 7}}) == 2);
}

TEST_CASE("mad is the median absolute deviation from the median", "[kernels][edge]") {
  // median 2; deviations 1 1 0 0 2 4 7 -> 1.
  CHECK(last(WindowKind::Mad, 100, {{1, 1}, {2, 1}, {3, 2}, {4, 2}, {5, 4}, {6, 6}, {7, 9}}) == 1);
  // median 2.5; deviations 1.5 .5 .5 1.5 -> 1.
  CHECK(last(WindowKind::Mad, 100, {{1, 1}, {2, 2}, {3, 3}, {4, 4}}) == 1);
  // All deviations on one side of the median.
  CHECK(last(WindowKind::Mad, 100, {{1, 5}, {2, 5}, {3, 5}, {4, 100}}) == 0);
  CHECK(last(WindowKind::Mad, 100, {{1, -3}, {2, 10}, {3, 10}, {4, 10}, {5, 10}}) == 0);
  CHECK(last(WindowKind::Mad, 100, {{1, 1}, {2, 10}}) == 4.5);
}

TEST_CASE("infinities", "[kernels][edge]") {
  CHECK(last(WindowKind::Sum, 10, {{0, 1}, {1, kInf}}) == kInf);
  CHECK(last(WindowKind::Sum, 10, {{0, -kInf}, {1, 2}}) == -kInf);
  CHECK(std::isnan(last(WindowKind::Sum, 10, {{0, -kInf}, {1, kInf}})));
  // Once the infinity leaves, the sum is exact again.
  CHECK(last(WindowKind::Sum, 10, {{0, kInf}, {5, 1.5}, {10, 2}}) == 3.5);
  CHECK(std::isnan(last(WindowKind::Stddev, 10, {{0, 1}, {1, kInf}})));
  CHECK(last(WindowKind::Stddev, 10, {{0, kInf}, {5, 1}, {10, 3}}) == 1);
  CHECK(last(WindowKind::Max, 10, {{0, 1}, {1, kInf}, {2, 3}}) == kInf);
  CHECK(last(WindowKind::Median, 10, {{0, -kInf}, {1, kInf}, {2, 3}}) == 3);
  CHECK(std::isnan(last(WindowKind::Mad, 10, {{0, kInf}, {1, kInf}, {2, 3}})));
}

TEST_CASE("overflowing sums recover once the huge values leave", "[kernels][edge]") {
  auto sum = feed(WindowKind::Sum, 10, {{0, 1e308}, {1, 1e308}, {2, 0.25}, {11, 0.5}, {12, 1}});
  CHECK(sum[1] == kInf);
  CHECK(sum[2] == kInf);
  CHECK(sum[3] == 0.75);
  CHECK(sum[4] == 1.5);
  CHECK(last(WindowKind::Mean, 10, {{0, 1e308}, {1, 1e308}}) == kInf);
  auto sd = feed(WindowKind::Stddev, 10, {{0, 1e200}, {1, -1e200}, {2, 3}, {11, 5}});
  CHECK(sd[1] == kInf);  // as numpy: the squares overflow
  CHECK(sd[2] == kInf);
  CHECK(sd[3] == 1);
}

TEST_CASE("no cancellation error after large values leave", "[kernels][edge]") {
  // A huge value enters and leaves: sum and stddev of the small rest must be exact.
  std::initializer_list<Tick> ticks = {{0, 1e16}, {1, 1}, {2, 2}, {3, 3}, {10, 4}};
  CHECK(last(WindowKind::Sum, 10, ticks) == 10);
  CHECK(last(WindowKind::Mean, 10, ticks) == 2.5);
  CHECK(last(WindowKind::Sum, 10, {{0, 1e300}, {1, 1}, {10, 2}}) == 3);
  CHECK(last(WindowKind::Stddev, 10, ticks) == Approx(std::sqrt(1.25)).epsilon(1e-12));
  // Tiny spread on a large offset.
  std::initializer_list<Tick> offset = {{0, 1e9}, {1, 1e9 + 1}, {2, 1e9 + 2}};
  CHECK(last(WindowKind::Stddev, 10, offset) == Approx(std::sqrt(2.0 / 3)).epsilon(1e-12));
  // A constant window after a varied one has a stddev of exactly zero.
  CHECK(last(WindowKind::Stddev, 10, {{0, 5}, {1, 0.1}, {10, 0.1}, {11, 0.1}}) == 0);
}

TEST_CASE("huge windows drain and refill", "[kernels][edge]") {
  for (size_t k = 0; k < kNumClassicKinds; ++k) {
    auto kind = static_cast<WindowKind>(k);
    INFO(kernel_info(kind).name);
    WindowState s(WindowSpec{kind, 1'000'000, 0.5});
    Reference ref(1'000'000);
    int64_t t = 0;
    double got = 0;
    for (int round = 0; round < 3; ++round) {
      for (int i = 0; i < 5000; ++i) {
        t += 1;
        double v = static_cast<double>((i * 7919) % 1000) / 8;
        got = s.push(t, v);
        ref.push(t, v);
      }
      const Expected e = ref.expected();
      const double want[] = {e.count,  e.sum, e.mean, e.min,   e.max,  e.stddev, e.median,
                             e.median, e.mad, e.ewma, e.delta, e.rate, e.lag};
      CHECK(close(got, want[k], 1e-9));
      t += 2'000'000;  // everything expires
    }
  }
}

}  // namespace
}  // namespace omen::kernels::testing
