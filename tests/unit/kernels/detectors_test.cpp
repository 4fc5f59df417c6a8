// The detector kernels against their references (detector_reference.h), tick by tick over
// random series of every shape and timing, plus hand-computed cases (NIST's generalized
// ESD example, step changes, boundaries) and hostile parameters.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/kernels/detectors.h"
#include "core/kernels/window.h"
#include "detector_reference.h"

// NAB's windowed Gaussian as bench/score emulates it (verified there against NAB's own
// published results): gauss_score must give the same bits.
#include "bench/score/windowed_gaussian.cpp"

namespace omen::kernels::testing {
namespace {

std::string str(double x) {
  std::ostringstream os;
  os.precision(17);
  os << x;
  return os.str();
}

WindowSpec spec(WindowKind kind, int64_t width, std::initializer_list<double> params) {
  WindowSpec s{kind, width};
  size_t i = 0;
  for (double p : params) s.set_arg(i++, p);
  return s;
}

/// Pushes every tick; calls check(i, got) after each.
void replay(const WindowSpec& sp, const std::vector<Tick>& ticks,
            const std::function<void(size_t, double)>& check) {
  WindowState s(sp);
  for (size_t i = 0; i < ticks.size(); ++i) check(i, s.push(ticks[i].t, ticks[i].v));
}

std::vector<Tick> prefix(const std::vector<Tick>& ticks, size_t i) {
  return {ticks.begin(), ticks.begin() + static_cast<ptrdiff_t>(i + 1)};
}

/// Runs `body(series, label)` over every shape x timing x seed.
void for_each_series(
    size_t n, double nan_prob, int seeds,
    const std::function<void(const std::vector<Tick>&, const std::string&)>& body) {
  uint64_t seed = 1;
  for (Shape shape : kShapes)
    for (Timing timing : kTimings)
      for (int k = 0; k < seeds; ++k) {
        auto series = random_series(seed++ * 7907, shape, timing, n, nan_prob);
        body(series, std::string(shape_name(shape)) + "/timing" +
                         std::to_string(static_cast<int>(timing)) + "/" + std::to_string(k));
      }
}

// --- distribution helpers -------------------------------------------------------------

TEST_CASE("Student-t tails and quantiles match Boost", "[detectors][stats]") {
  for (double nu : {1.0, 2.0, 3.0, 4.0, 7.0, 10.0, 30.0, 100.0, 1000.0, 52.0, 1e5}) {
    boost::math::students_t dist(nu);
    for (double tail : {0.5, 0.25, 0.05, 1e-3, 2.5e-4, 1e-5, 1e-8, 1e-12}) {
      INFO("nu=" << nu << " tail=" << tail);
      const double want =
          tail == 0.5 ? 0.0 : boost::math::quantile(boost::math::complement(dist, tail));
      const double got = detail::student_t_upper(tail, nu);
      CHECK(close(got, want, 1e-11, 1e-14));
      if (want > 0) CHECK(close(detail::student_t_sf(want, nu), tail, 1e-11));
    }
  }
  CHECK(std::isnan(detail::student_t_upper(0.0, 3)));
  CHECK(std::isnan(detail::student_t_upper(0.7, 3)));
  CHECK(std::isnan(detail::student_t_upper(0.1, 0)));
  CHECK(detail::student_t_sf(kInf, 3) == 0);
  CHECK(detail::student_t_sf(-2.0, 5) == Approx(1 - detail::student_t_sf(2.0, 5)).epsilon(1e-14));
}

TEST_CASE("ESD critical values match Boost and NIST", "[detectors][esd]") {
  for (size_t m = 3; m < 3000; m += (m < 60 ? 1 : 37))
    for (double alpha : {0.05, 0.01, 0.3}) {
      INFO("m=" << m << " alpha=" << alpha);
      CHECK(close(detail::esd_lambda(alpha, m), ref_esd_lambda(alpha, m), 1e-10));
    }
  // NIST/SEMATECH e-Handbook 1.3.5.17.3, Rosner's 54 values, alpha 0.05.
  const double nist[] = {3.158, 3.151, 3.143, 3.136, 3.128, 3.120, 3.111, 3.103, 3.094, 3.085};
  for (size_t i = 0; i < 10; ++i)
    CHECK(detail::esd_lambda(0.05, 54 - i) == Approx(nist[i]).margin(1e-3));
  CHECK(std::isnan(detail::esd_lambda(0.05, 2)));
}

// --- fit_quantile ------------------------------------------------------------------------

TEST_CASE("fit_quantile matches the reference", "[detectors][fit_quantile]") {
  size_t failures = 0, checks = 0;
  for_each_series(300, 0.1, 1, [&](const std::vector<Tick>& ticks, const std::string& label) {
    for (int64_t span : {1, 100, 1500, 100000})
      for (double q : {0.0, 0.1, 0.5, 0.99, 1.0})
        replay(spec(WindowKind::FitQuantile, span, {q}), ticks, [&](size_t i, double got) {
          const double want = ref_fit_quantile(prefix(ticks, i), span, q);
          ++checks;
          if (!same(got, want) && ++failures <= 5)
            FAIL_CHECK(label << " span " << span << " q " << q << " tick " << i << ": got "
                             << str(got) << " want " << str(want));
        });
  });
  CHECK(checks > 100000);
  CHECK(failures == 0);
}

TEST_CASE("fit_quantile fits once, on the first span", "[detectors][fit_quantile]") {
  WindowState s(spec(WindowKind::FitQuantile, 10, {0.5}));
  CHECK(std::isnan(s.push(100, 1)));
  CHECK(std::isnan(s.push(105, kNaN)));
  CHECK(std::isnan(s.push(109, 3)));  // t0 + 9: still training
  CHECK(s.push(110, 100) == 2);       // t0 + 10: fitted on {1, 3}; 100 is not in it
  CHECK(s.push(111, -5) == 2);
  CHECK(s.push(1'000'000, kNaN) == 2);
  WindowState empty(spec(WindowKind::FitQuantile, 10, {0.5}));
  CHECK(std::isnan(empty.push(0, kNaN)));
  CHECK(std::isnan(empty.push(10, 1)));  // nothing in the span: NaN for good
  CHECK(std::isnan(empty.push(11, 1)));
}

// --- esd ---------------------------------------------------------------------------------

TEST_CASE("esd matches the reference", "[detectors][esd]") {
  size_t failures = 0, checks = 0, near_ties = 0, flagged = 0;
  for_each_series(300, 0.05, 1, [&](const std::vector<Tick>& ticks, const std::string& label) {
    for (int64_t width : {30, 250, 1000})
      for (auto [alpha, r] : {std::pair{0.05, 1}, std::pair{0.05, 5}, std::pair{0.2, 20}})
        replay(spec(WindowKind::Esd, width, {alpha, static_cast<double>(r)}), ticks,
               [&](size_t i, double got) {
                 const EsdResult want = ref_esd(prefix(ticks, i), width, alpha, r);
                 ++checks;
                 flagged += got == 1;
                 if (got == want.flag) return;
                 if (want.margin < 1e-9) {
                   ++near_ties;
                   return;
                 }
                 if (++failures <= 5)
                   FAIL_CHECK(label << " w " << width << " alpha " << alpha << " r " << r
                                    << " tick " << i << ": got " << got << " want " << want.flag);
               });
  });
  CHECK(checks > 50000);
  CHECK(flagged > 1000);  // the test can fail: outliers are found
  CHECK(near_ties < 20);
  CHECK(failures == 0);
}

TEST_CASE("esd finds NIST's three outliers in Rosner's data", "[detectors][esd]") {
  const std::vector<double> data = {
      -0.25, 0.68, 0.94, 1.15, 1.20, 1.26, 1.26, 1.34, 1.38, 1.43, 1.49, 1.49, 1.55, 1.56,
      1.58,  1.65, 1.69, 1.70, 1.76, 1.77, 1.81, 1.91, 1.94, 1.96, 1.99, 2.06, 2.09, 2.10,
      2.14,  2.15, 2.23, 2.24, 2.26, 2.35, 2.37, 2.40, 2.47, 2.54, 2.62, 2.64, 2.90, 2.92,
      2.92,  2.93, 3.21, 3.26, 3.30, 3.59, 3.68, 4.30, 4.64, 5.34, 5.42, 6.01};
  REQUIRE(data.size() == 54);
  // Each value pushed last: flagged exactly for the three NIST outliers (R3 = 3.179 >
  // lambda3 = 3.143 although R1, R2 are below their critical values).
  for (size_t last = 0; last < data.size(); ++last) {
    WindowState s(spec(WindowKind::Esd, 1000, {0.05, 10}));
    double got = 0;
    int64_t t = 0;
    for (size_t i = 0; i < data.size(); ++i)
      if (i != last) s.push(++t, data[i]);
    got = s.push(++t, data[last]);
    INFO("value " << data[last]);
    const bool outlier = data[last] == 5.34 || data[last] == 5.42 || data[last] == 6.01;
    CHECK(got == (outlier ? 1.0 : 0.0));
  }
  // With at most 2 outliers tested, R1 and R2 alone are not significant: nothing.
  WindowState two(spec(WindowKind::Esd, 1000, {0.05, 2}));
  double got = 0;
  for (size_t i = 0; i < data.size(); ++i) got = two.push(static_cast<int64_t>(i), data[i]);
  CHECK(got == 0);
}

TEST_CASE("esd edge cases", "[detectors][esd]") {
  WindowState s(spec(WindowKind::Esd, 100, {0.05, 3}));
  CHECK(s.push(0, 1) == 0);
  CHECK(s.push(1, 1) == 0);     // n < 3: no test
  CHECK(s.push(2, 100) == 1);   // n = 3: R = 2/sqrt(3), the largest possible, > lambda 1.1543
  CHECK(s.push(3, kNaN) == 0);  // not in the window
  CHECK(s.push(4, kInf) == 1);  // infinitely far: flagged (and kept out of the window)
  for (int i = 5; i < 45; ++i) s.push(i, i % 2 ? 4 : 6);
  CHECK(s.push(45, 5) == 0);
  CHECK(s.push(46, 1e300) == 1);  // squares overflow: the sums are rescaled
  CHECK(s.push(47, -1e300) == 1);
  CHECK(s.push(48, 5) == 0);
  CHECK(s.push(49, 6) == 0);
  CHECK(s.push(500, 7) == 0);  // everything expired: alone
  // A constant window: the spread is 0, nothing is an outlier; then one different value
  // has R = (n - 1) / sqrt(n) = 4.36 for n = 21, above lambda = 2.73.
  WindowState c(spec(WindowKind::Esd, 1000, {0.05, 5}));
  for (int i = 0; i < 20; ++i) CHECK(c.push(i, 0.1) == 0);
  CHECK(c.push(20, 0.2) == 1);
}

// --- seasonal_base -----------------------------------------------------------------------

TEST_CASE("seasonal_base matches the reference", "[detectors][seasonal]") {
  size_t failures = 0, checks = 0;
  for_each_series(400, 0.1, 1, [&](const std::vector<Tick>& ticks, const std::string& label) {
    for (int64_t period : {1, 10, 95, 1000})
      for (int k : {1, 2, 4, 7})
        replay(spec(WindowKind::Seasonal, period, {static_cast<double>(k)}), ticks,
               [&](size_t i, double got) {
                 const double want = ref_seasonal(prefix(ticks, i), period, k);
                 ++checks;
                 if (!same(got, want) && ++failures <= 5)
                   FAIL_CHECK(label << " P " << period << " k " << k << " tick " << i << ": got "
                                    << str(got) << " want " << str(want));
               });
  });
  CHECK(checks > 100000);
  CHECK(failures == 0);
}

TEST_CASE("seasonal_base: peers, gaps and boundaries", "[detectors][seasonal]") {
  // Period 10, k = 3: peers of t are the latest samples in (t-20, t-10], (t-30, t-20],
  // (t-40, t-30].
  WindowState s(spec(WindowKind::Seasonal, 10, {3}));
  CHECK(std::isnan(s.push(0, 1)));
  CHECK(std::isnan(s.push(5, 2)));
  CHECK(s.push(10, 3) == 1);                // (-10, 0]: 1
  CHECK(s.push(15, 4) == 2);                // (-5, 5]: 2 (latest)
  CHECK(s.push(20, 5) == 2);                // (0, 10]: 3; (-10, 0]: 1 -> median 2
  CHECK(s.push(30, 6) == 3);                // (10, 20]: 5; (0, 10]: 3; (-10, 0]: 1
  CHECK(s.push(45, kNaN) == 5);             // (25, 35]: 6; (15, 25]: 5; (5, 15]: 4 -> 5
  CHECK(s.push(200, 7) != s.push(201, 8));  // NaN then 7 (no peers), 8: none either
  WindowState g(spec(WindowKind::Seasonal, 10, {2}));
  g.push(0, 1);
  CHECK(g.push(25, 2) == 1);  // peers in (5, 15]: none; in (-5, 5]: the 1 at 0
}

// --- ar_residual -------------------------------------------------------------------------

TEST_CASE("ar_residual matches the reference", "[detectors][ar]") {
  size_t failures = 0, checks = 0, finite = 0;
  for_each_series(300, 0.05, 1, [&](const std::vector<Tick>& ticks, const std::string& label) {
    for (int64_t width : {60, 400, 3000})
      for (int p : {1, 2, 5})
        replay(spec(WindowKind::ArResidual, width, {static_cast<double>(p)}), ticks,
               [&](size_t i, double got) {
                 const ArResult want = ref_ar(prefix(ticks, i), width, p);
                 ++checks;
                 bool ok;
                 if (std::isnan(want.residual) || std::isinf(want.residual)) {
                   ok = same(got, want.residual);
                 } else {
                   ++finite;
                   ok = std::fabs(got - want.residual) <=
                        1e-6 * want.scale + 1e-9 * std::fabs(want.residual);
                 }
                 if (!ok && ++failures <= 5)
                   FAIL_CHECK(label << " w " << width << " p " << p << " tick " << i << ": got "
                                    << str(got) << " want " << str(want.residual) << " scale "
                                    << want.scale);
               });
  });
  CHECK(checks > 50000);
  CHECK(finite > 30000);
  CHECK(failures == 0);
}

TEST_CASE("ar_residual: exact fits and degenerate windows", "[detectors][ar]") {
  WindowState s(spec(WindowKind::ArResidual, 1000, {1}));
  // Rows (2;1) (3;2) (4;3): x_i = x_{i-1} + 1, so 5 is predicted after 4.
  for (int i = 1; i <= 4; ++i) CHECK(std::isnan(s.push(i, i)));  // rows 0,1,2: < p + 2
  CHECK(s.push(5, 7) == Approx(2).margin(1e-6));
  // A constant window: the regressors carry nothing, the prediction is the mean.
  WindowState c(spec(WindowKind::ArResidual, 1000, {2}));
  for (int i = 0; i < 6; ++i) c.push(i, 3);
  CHECK(c.push(6, 5) == Approx(2).margin(1e-12));
  CHECK(std::isnan(c.push(7, kNaN)));
  // Rows now (3; 3, 3) x 4 and (5; 3, 3): constant regressors, prediction 17/5.
  CHECK(c.push(8, 3) == Approx(-0.4).margin(1e-9));
  // Everything expires: no rows, no prediction.
  CHECK(std::isnan(c.push(100'000, 1)));
}

// --- cusum -------------------------------------------------------------------------------

TEST_CASE("cusum matches the reference", "[detectors][cusum]") {
  size_t failures = 0, checks = 0, alarms = 0;
  for_each_series(300, 0.05, 1, [&](const std::vector<Tick>& ticks, const std::string& label) {
    for (int64_t width : {50, 500})
      for (auto [k, h] : {std::pair{0.5, 4.0}, std::pair{0.0, 2.0}, std::pair{1.0, 10.0}}) {
        double margin;
        const auto want = ref_cusum(ticks, width, k, h, &margin);
        bool diverged = false;
        replay(spec(WindowKind::Cusum, width, {k, h}), ticks, [&](size_t i, double got) {
          if (diverged) return;
          ++checks;
          alarms += std::fabs(got) > h;
          if (close(got, want[i], 1e-7, 1e-9)) return;
          if (margin < 1e-9) {  // a reset decided by the last bits: stop comparing
            diverged = true;
            return;
          }
          if (++failures <= 5)
            FAIL_CHECK(label << " w " << width << " k " << k << " h " << h << " tick " << i
                             << ": got " << str(got) << " want " << str(want[i]));
        });
      }
  });
  CHECK(checks > 20000);
  CHECK(alarms > 100);
  CHECK(failures == 0);
}

TEST_CASE("cusum by hand", "[detectors][cusum]") {
  // Width 30 on a 10 ms grid: the preceding window of t is (t - 30, t), two samples.
  // Drift 0.5, threshold 3.
  WindowState s(spec(WindowKind::Cusum, 30, {0.5, 3}));
  CHECK(std::isnan(s.push(0, 0)));   // no baseline
  CHECK(std::isnan(s.push(10, 2)));  // one sample: still none
  CHECK(s.push(20, 3) == 1.5);       // {0, 2}: mean 1, sd 1, z = 2: pos 1.5
  CHECK(s.push(30, 6) == 8);         // {2, 3}: mean 2.5, sd 0.5, z = 7: pos 8 > 3, restart
  CHECK(s.push(40, 1) == Approx(-(7.0 / 3 - 0.5)).epsilon(1e-12));  // {3, 6}: z = -7/3
  CHECK(std::isnan(s.push(50, kNaN)));
  CHECK(std::isnan(s.push(60, 6)));  // (30, 60) holds only the 1: no baseline
  // A constant window then a change: the stddev is floored at 1e-12 |mean|.
  WindowState c(spec(WindowKind::Cusum, 1000, {0.5, 5}));
  for (int i = 0; i < 5; ++i) c.push(i, 0.1);
  CHECK(c.push(5, 0.1) == 0);
  CHECK(c.push(6, 0.1000001) == Approx(1e6 - 0.5).epsilon(1e-6));
  CHECK(c.push(7, 0.1) <= 0);  // restarted
  WindowState zero(spec(WindowKind::Cusum, 1000, {0.5, 5}));
  for (int i = 0; i < 5; ++i) zero.push(i, 0);
  CHECK(zero.push(5, 1e-300) == kInf);  // a change from all zeros: infinitely many sigmas
}

// --- bocpd -------------------------------------------------------------------------------

TEST_CASE("bocpd matches the reference", "[detectors][bocpd]") {
  size_t failures = 0, checks = 0, near_ties = 0, drops = 0;
  for_each_series(250, 0.05, 1, [&](const std::vector<Tick>& ticks, const std::string& label) {
    for (int64_t width : {50, 500})
      for (auto [lambda, R] : {std::pair{100.0, 30}, std::pair{20.0, 8}, std::pair{1e4, 60}}) {
        std::vector<double> margin;
        const auto want = ref_bocpd(ticks, width, lambda, R, &margin);
        double prev = kNaN;
        replay(spec(WindowKind::Bocpd, width, {lambda, static_cast<double>(R)}), ticks,
               [&](size_t i, double got) {
                 ++checks;
                 drops += got < prev - 5;
                 prev = got;
                 if (same(got, want[i])) return;
                 if (margin[i] < 1e-9) {  // two run lengths (nearly) tie for the MAP
                   ++near_ties;
                   return;
                 }
                 if (++failures <= 5)
                   FAIL_CHECK(label << " w " << width << " lambda " << lambda << " R " << R
                                    << " tick " << i << ": got " << got << " want " << want[i]);
               });
      }
  });
  CHECK(checks > 20000);
  CHECK(drops > 50);  // change points are seen
  CHECK(near_ties < 10);
  CHECK(failures == 0);
}

TEST_CASE("bocpd sees a step change", "[detectors][bocpd]") {
  WindowState s(spec(WindowKind::Bocpd, 200, {100, 100}));
  std::mt19937_64 rng(3);
  std::normal_distribution<double> g(0, 1);
  double got = 0;
  int64_t t = 0;
  CHECK(std::isnan(s.push(t++, 0)));
  CHECK(std::isnan(s.push(t++, 1)));
  for (int i = 0; i < 150; ++i) got = s.push(t++, g(rng));
  CHECK(got == 100);  // a long run: at the cap, and it stays there
  got = s.push(t++, 10 + g(rng));
  CHECK(got <= 1);  // the jump starts a new run at once
  for (int i = 0; i < 20; ++i) got = s.push(t++, 10 + g(rng));
  CHECK(got >= 15);  // and it grows again
  CHECK(got <= 22);
}

// --- gauss_score ---------------------------------------------------------------------------

TEST_CASE("gauss_score matches the reference and NAB's emulation bit for bit",
          "[detectors][gaussian]") {
  size_t failures = 0, checks = 0;
  for_each_series(400, 0.0, 1, [&](const std::vector<Tick>& ticks, const std::string& label) {
    std::vector<double> values;
    for (const Tick& k : ticks) values.push_back(k.v);
    // On a constant series numpy's mean is off by an ulp, so NAB's std is ~1e-17 rather
    // than 0 (and its 1e-6 floor does not apply): only the bit-exact emulation knows that.
    const bool constant = label.rfind("constant", 0) == 0;
    // A step longer than the window: NAB's slicing drops the whole window (the bench
    // emulation does not handle it: compared with the reference only).
    const auto want = ref_gauss(ticks, 30, 100);
    replay(spec(WindowKind::Gaussian, 1, {30, 100}), ticks, [&](size_t i, double got) {
      ++checks;
      if (!constant && !close(got, want[i], 1e-6, 1e-6) && ++failures <= 5)
        FAIL_CHECK(label << " size 30 step 100 tick " << i << ": got " << str(got) << " ref "
                         << str(want[i]));
    });
    for (auto [size, step] :
         {std::pair{1, 1}, std::pair{50, 10}, std::pair{100, 1}, std::pair{6400, 100}}) {
      const auto want = ref_gauss(ticks, size, step);
      bench::GaussianOptions opt;
      opt.window_size = size;
      opt.step_size = step;
      opt.round_12_digits = false;
      opt.erfc = bench::Erfc::kLibm;
      const auto nab = bench::windowed_gaussian_scores(values, opt);
      replay(spec(WindowKind::Gaussian, 1, {static_cast<double>(size), static_cast<double>(step)}),
             ticks, [&](size_t i, double got) {
               ++checks;
               // (numpy's double mean of 1e9 + noise is ~1e-7 off the long double one)
               if ((same(got, nab[i]) && (constant || close(got, want[i], 1e-6, 1e-6))) ||
                   ++failures > 5)
                 return;
               FAIL_CHECK(label << " size " << size << " step " << step << " tick " << i << ": got "
                                << str(got) << " nab " << str(nab[i]) << " ref " << str(want[i]));
             });
    }
  });
  CHECK(checks > 50000);
  CHECK(failures == 0);
}

TEST_CASE("gauss_score by hand", "[detectors][gaussian]") {
  WindowState s(spec(WindowKind::Gaussian, 1, {3, 2}));
  CHECK(s.push(0, 5) == 0);                           // empty window: 0, as NAB
  CHECK(s.push(1, 5) == 1.0 - 0.5 * std::erfc(0.0));  // mean 5, sd 0 -> 1e-6: z = 0
  CHECK(s.push(2, 5.000001) == Approx(1 - 0.5 * std::erfc(1 / std::sqrt(2.0))).epsilon(1e-6));
  CHECK(std::isnan(s.push(3, kNaN)));  // not a record
  // Window {5, 5, 5.000001} is full: 7 waits in the step buffer; the score uses the old fit.
  const double sd = std::sqrt(2.0 / 9) * 1e-6;
  const double mean = 5 + 1e-6 / 3;
  CHECK(s.push(4, 5) ==
        Approx(1 - 0.5 * std::erfc((mean - 5) / sd / std::sqrt(2.0))).epsilon(1e-6));
}

// --- cooldown ----------------------------------------------------------------------------

TEST_CASE("cooldown matches the reference", "[detectors][cooldown]") {
  size_t failures = 0, checks = 0, ones = 0;
  for_each_series(400, 0.1, 2, [&](const std::vector<Tick>& raw, const std::string& label) {
    std::vector<Tick> ticks = raw;  // as a condition: positive values true
    for (Tick& k : ticks)
      if (!std::isnan(k.v)) k.v = k.v > 0.5 ? 1 : 0;
    for (int64_t width : {1, 10, 35, 400}) {
      const auto want = ref_cooldown(ticks, width);
      replay(spec(WindowKind::Cooldown, width, {}), ticks, [&](size_t i, double got) {
        ++checks;
        ones += got == 1;
        if (got != want[i] && ++failures <= 5)
          FAIL_CHECK(label << " w " << width << " tick " << i << ": got " << got << " want "
                           << want[i]);
      });
    }
  });
  CHECK(checks > 50000);
  CHECK(ones > 1000);
  CHECK(failures == 0);
}

TEST_CASE("cooldown by hand", "[detectors][cooldown]") {
  WindowState s(spec(WindowKind::Cooldown, 10, {}));
  CHECK(s.push(0, 0) == 0);
  CHECK(s.push(1, 1) == 1);
  CHECK(s.push(2, 1) == 0);
  CHECK(s.push(10, 1) == 0);  // 9 after the alarm
  CHECK(s.push(11, kNaN) == 0);
  CHECK(s.push(12, 2) == 1);  // 11 after: again (any non-zero is true)
  CHECK(s.push(21, 1) == 0);
  CHECK(s.push(22, 1) == 1);  // exactly the width after
}

// --- every detector kernel --------------------------------------------------------------

TEST_CASE("detector kernels survive hostile parameters and values", "[detectors][edge]") {
  const double params[] = {kNaN, -1, 0, 0.5, 1, 3, 1e9, kInf, -kInf};
  const double values[] = {0, 1, -1, kNaN, kInf, -kInf, 1e308, -1e308, 5e-324, 0.5, 2, 3};
  std::mt19937_64 rng(17);
  for (size_t k = kNumClassicKinds; k < kNumWindowKinds; ++k) {
    auto kind = static_cast<WindowKind>(k);
    INFO(kernel_info(kind).name);
    for (double p0 : params)
      for (double p1 : params) {
        WindowState s(spec(kind, 1 + static_cast<int64_t>(rng() % 50), {p0, p1}));
        int64_t t = -1000;
        for (int i = 0; i < 120; ++i) {
          t += 1 + static_cast<int64_t>(rng() % 7);
          const double r = s.push(t, values[rng() % std::size(values)]);
          if (kind == WindowKind::Esd || kind == WindowKind::Cooldown) REQUIRE((r == 0 || r == 1));
        }
      }
  }
  // Parameters are clamped into the declared ranges.
  const KernelInfo& esd = kernel_info(WindowKind::Esd);
  REQUIRE(esd.n_params == 2);
  CHECK(esd.params[0].clamp(0) > 0);
  CHECK(esd.params[0].clamp(kNaN) > 0);
  CHECK(esd.params[1].clamp(2.4) == 2);
  CHECK(esd.params[1].clamp(-3) == 1);
  CHECK(!esd.params[0].contains(0));
  CHECK(esd.params[0].contains(0.5));
  CHECK(!esd.params[1].contains(2.5));
  CHECK(!esd.params[1].contains(kNaN));
}

TEST_CASE("detector states stay bounded", "[detectors][edge]") {
  for (size_t k = kNumClassicKinds; k < kNumWindowKinds; ++k) {
    auto kind = static_cast<WindowKind>(k);
    INFO(kernel_info(kind).name);
    WindowState s(spec(kind, 1000, {0.5, 50}));
    int64_t t = 0;
    for (int i = 0; i < 20000; ++i) s.push(t += 10, std::sin(i * 0.1));  // 100 per window
    CHECK(s.bytes() < 64 * 1024);
    t += 1'000'000;
    for (int i = 0; i < 10; ++i) s.push(t += 10, i);
    CHECK(s.bytes() < 64 * 1024);
  }
}

}  // namespace
}  // namespace omen::kernels::testing
