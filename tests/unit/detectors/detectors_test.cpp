// Every detector of the standard library (stdlib/detectors.omen and the detector built-ins)
// run as a rule through the engine, in the interpreter and in the JIT, against a C++
// reference that recomputes the documented semantics from the raw ticks (docs/stdlib.md).
//
// Detectors built only from exact kernels (median, quantile, mad, sum, lag) must agree bit
// for bit: the reference evaluates the same double expression. Where a kernel rounds
// differently from the long double reference (stddev, the AR fit, cusum, ...), a decision
// may differ only when the reference's margin to the threshold is tiny (counted, bounded).
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "../kernels/detector_reference.h"
#include "omen/engine.h"

namespace omen::kernels::testing {
namespace {

using Ticks = std::vector<Tick>;

// --- running rules ---------------------------------------------------------------------

/// A reference decision and how far it is from flipping (relative), inf when exact.
struct Want {
  bool fire = false;
  double margin = kInf;
};

/// lhs > rhs, with the relative margin.
Want gt(double lhs, double rhs, bool exact) {
  Want w;
  w.fire = lhs > rhs;
  if (!exact && std::isfinite(lhs) && std::isfinite(rhs))
    w.margin = std::fabs(lhs - rhs) / std::max({std::fabs(lhs), std::fabs(rhs), 1e-300});
  return w;
}
Want either(Want a, Want b) {
  return {a.fire || b.fire, std::min(a.margin, b.margin)};
}

/// One series and the reference decision at each of its ticks.
struct Case {
  std::string label;
  Ticks ticks;
  std::vector<Want> want;
};

struct Outcome {
  size_t ticks = 0, fired = 0, near_ties = 0, failures = 0;
};

/// The condition of rule R (`when`) at every tick of each case's series (one engine, the
/// cases as instances x{case="i"}); empty if the tier is unavailable.
std::vector<std::vector<double>> run_rule(const std::string& when, const std::vector<Case>& cases,
                                          Tier tier, std::string* error) {
  EngineOptions o;
  o.tier = tier;
  const std::string src =
      "import std\nseries x = metric(\"x\")\nrule R { on x when " + when + " }\n";
  auto built = Engine::from_source("detectors.omen", src, o);
  if (!built.ok()) {
    *error = built.render();
    return {};
  }
  std::vector<std::vector<double>> cond(cases.size());
  built.engine->on_verdicts([&](const std::string&, const SeriesKey& key, const TimeMs*,
                                const double* c, const uint8_t*, size_t n) {
    size_t index = SIZE_MAX;
    for (const auto& [k, v] : key.labels)
      if (k == "case") index = std::stoul(v);
    auto& out = cond.at(index);
    out.insert(out.end(), c, c + n);
  });
  Batch b;
  for (size_t i = 0; i < cases.size(); ++i) {
    b.series.push_back({"x", {{"case", std::to_string(i)}}});
    for (const Tick& k : cases[i].ticks) b.add(static_cast<uint32_t>(i), k.t, k.v);
  }
  built.engine->push(b);
  return cond;
}

/// Runs `when` in each tier over every case and compares with the reference decisions.
Outcome compare(const std::string& when, const std::vector<Case>& cases) {
  Outcome out;
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    std::string error;
    auto got = run_rule(when, cases, tier, &error);
    if (got.empty()) {
      if (tier == Tier::Jit && error.find("E900") != std::string::npos) continue;  // no JIT here
      FAIL(when << ": " << error);
    }
    for (size_t c = 0; c < cases.size(); ++c) {
      const Case& cs = cases[c];
      REQUIRE(got[c].size() == cs.ticks.size());
      for (size_t i = 0; i < cs.ticks.size(); ++i) {
        ++out.ticks;
        out.fired += got[c][i] != 0;
        if ((got[c][i] != 0) == cs.want[i].fire) continue;
        if (cs.want[i].margin < 1e-7) {
          ++out.near_ties;
          continue;
        }
        if (++out.failures <= 5)
          FAIL_CHECK(cs.label << " [" << tier_name(tier) << "] " << when << " tick " << i
                              << " t=" << cs.ticks[i].t << " v=" << cs.ticks[i].v << ": got "
                              << got[c][i] << " want " << cs.want[i].fire);
      }
    }
  }
  return out;
}

// --- the documented semantics, from the raw ticks ----------------------------------------

/// Non-NaN values of y at the ticks with time in (t_i - w, t_i].
std::vector<double> win(const Ticks& ticks, const std::vector<double>& y, size_t i, int64_t w) {
  std::vector<double> out;
  for (size_t j = 0; j <= i; ++j)
    if (ticks[j].t > ticks[i].t - w && !std::isnan(y[j])) out.push_back(y[j]);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<double> values(const Ticks& ticks) {
  std::vector<double> v;
  for (const Tick& k : ticks) v.push_back(k.v);
  return v;
}

/// lag(y, d): the value at the latest tick at or before t_i - d (NaN if none).
std::vector<double> lag(const Ticks& ticks, const std::vector<double>& y, int64_t d) {
  std::vector<double> out(y.size(), kNaN);
  for (size_t i = 0; i < y.size(); ++i)
    for (size_t j = 0; j <= i; ++j)
      if (ticks[j].t <= ticks[i].t - d) out[i] = y[j];
  return out;
}

double q(const std::vector<double>& sorted, double p) {
  return ref_quantile_sorted(sorted, p);
}
double med(const std::vector<double>& sorted) {
  return ref_median_sorted(sorted);
}
double mad(const std::vector<double>& sorted) {
  const double m = med(sorted);
  if (!std::isfinite(m)) return kNaN;
  std::vector<double> dev;
  for (double x : sorted) dev.push_back(std::fabs(x - m));
  std::sort(dev.begin(), dev.end());
  return med(dev);
}
double pstd(const std::vector<double>& x) {
  Moments m = moments(x);
  return x.empty() ? kNaN : static_cast<double>(std::sqrt(m.var));
}
double iqr(const std::vector<double>& s) {
  return q(s, 0.75) - q(s, 0.25);
}
double robust_z(double x, const std::vector<double>& s) {
  return (x - med(s)) / (1.4826 * mad(s) + 1e-9);
}

/// The series shapes and timings of detector_reference.h, with a few NaNs.
void for_each_series(size_t n, const std::function<void(const Ticks&, const std::string&)>& body,
                     std::initializer_list<Shape> shapes = {Shape::Normal, Shape::SmallInts,
                                                            Shape::Outliers, Shape::Shifts,
                                                            Shape::Constant, Shape::Seasonal}) {
  uint64_t seed = 11;
  for (Shape shape : shapes)
    for (Timing timing : {Timing::Grid, Timing::Jitter, Timing::Gaps}) {
      auto ticks = random_series(seed++ * 104729, shape, timing, n, 0.03);
      body(ticks,
           std::string(shape_name(shape)) + "/timing" + std::to_string(static_cast<int>(timing)));
    }
}

/// Collects cases, one list per detector expression.
struct Suite {
  std::map<std::string, std::vector<Case>> by_rule;
  void add(const std::string& when, const std::string& label, const Ticks& ticks,
           std::vector<Want> want) {
    by_rule[when].push_back({label, ticks, std::move(want)});
  }
  Outcome run(const std::string& when) { return compare(when, by_rule.at(when)); }
};

void finish(const Outcome& o, size_t min_fired) {
  INFO("ticks " << o.ticks << " fired " << o.fired << " near ties " << o.near_ties);
  CHECK(o.failures == 0);
  CHECK(o.fired >= min_fired);  // the detector does fire: the comparison can fail
  CHECK(o.near_ties * 1000 <= o.ticks);
}

constexpr int64_t kW = 200;  // ms: ~20 samples of the 10 ms grid

// --- thresholds and quantiles -------------------------------------------------------------

TEST_CASE("threshold", "[detectors][std]") {
  Suite suite;
  for_each_series(200, [&](const Ticks& ticks, const std::string& label) {
    std::vector<Want> want;
    for (const Tick& k : ticks) want.push_back({k.v < -1 || k.v > 1.5});
    suite.add("threshold(x, -1, 1.5)", label, ticks, want);
  });
  finish(suite.run("threshold(x, -1, 1.5)"), 100);
}

TEST_CASE("quantile_band and iqr_outlier over the preceding window", "[detectors][std]") {
  Suite suite;
  for_each_series(200, [&](const Ticks& ticks, const std::string& label) {
    const auto prev = lag(ticks, values(ticks), 1);
    std::vector<Want> w_band, w_iqr;
    for (size_t i = 0; i < ticks.size(); ++i) {
      const auto s = win(ticks, prev, i, kW);
      const double x = ticks[i].v;
      w_band.push_back({x < q(s, 0.05) || x > q(s, 0.95)});
      w_iqr.push_back({x < q(s, 0.25) - 1.5 * iqr(s) || x > q(s, 0.75) + 1.5 * iqr(s)});
    }
    suite.add("quantile_band(x, 0.05, 0.95, 200ms)", label, ticks, w_band);
    suite.add("iqr_outlier(x, 200ms, 1.5)", label, ticks, w_iqr);
  });
  finish(suite.run("quantile_band(x, 0.05, 0.95, 200ms)"), 200);
  finish(suite.run("iqr_outlier(x, 200ms, 1.5)"), 50);
}

TEST_CASE("quantile_bounds and iqr_bounds fitted on a training span", "[detectors][std]") {
  Suite suite;
  for_each_series(250, [&](const Ticks& ticks, const std::string& label) {
    std::vector<Want> w_q, w_i;
    for (size_t i = 0; i < ticks.size(); ++i) {
      const Ticks upto(ticks.begin(), ticks.begin() + static_cast<ptrdiff_t>(i + 1));
      const double lo = ref_fit_quantile(upto, 500, 0.01), hi = ref_fit_quantile(upto, 500, 0.99);
      const double q1 = ref_fit_quantile(upto, 500, 0.25), q3 = ref_fit_quantile(upto, 500, 0.75);
      const double x = ticks[i].v;
      w_q.push_back({x < lo || x > hi});
      w_i.push_back({x < q1 - 2 * (q3 - q1) || x > q3 + 2 * (q3 - q1)});
    }
    suite.add("quantile_bounds(x, 0.01, 0.99, 500ms)", label, ticks, w_q);
    suite.add("iqr_bounds(x, 500ms, 2)", label, ticks, w_i);
  });
  finish(suite.run("quantile_bounds(x, 0.01, 0.99, 500ms)"), 50);
  finish(suite.run("iqr_bounds(x, 500ms, 2)"), 20);
}

// --- spikes and shifts ------------------------------------------------------------------------

TEST_CASE("spike, spike_up, spike_down", "[detectors][std]") {
  Suite suite;
  for_each_series(200, [&](const Ticks& ticks, const std::string& label) {
    const auto prev = lag(ticks, values(ticks), 1);
    std::vector<Want> w_both, w_up, w_down;
    for (size_t i = 0; i < ticks.size(); ++i) {
      const auto s = win(ticks, prev, i, kW);
      const double x = ticks[i].v, m = med(s), r = 3 * iqr(s);
      w_both.push_back({std::fabs(x - m) > r});
      w_up.push_back({x - m > r});
      w_down.push_back({m - x > r});
    }
    suite.add("spike(x, 200ms, 3)", label, ticks, w_both);
    suite.add("spike_up(x, 200ms, 3)", label, ticks, w_up);
    suite.add("spike_down(x, 200ms, 3)", label, ticks, w_down);
  });
  finish(suite.run("spike(x, 200ms, 3)"), 50);
  finish(suite.run("spike_up(x, 200ms, 3)"), 20);
  finish(suite.run("spike_down(x, 200ms, 3)"), 20);
}

TEST_CASE("level_shift and volatility_shift", "[detectors][std]") {
  Suite suite;
  for_each_series(200, [&](const Ticks& ticks, const std::string& label) {
    const auto x = values(ticks);
    const auto older = lag(ticks, x, kW);
    std::vector<Want> w_level, w_vol;
    for (size_t i = 0; i < ticks.size(); ++i) {
      const auto right = win(ticks, x, i, kW), left = win(ticks, older, i, kW);
      w_level.push_back({std::fabs(med(right) - med(left)) > 2 * iqr(left)});
      const double sr = pstd(right), sl = pstd(left);
      w_vol.push_back(either(gt(sr, 3 * sl, false), gt(sl, 3 * sr, false)));
    }
    suite.add("level_shift(x, 200ms, 2)", label, ticks, w_level);
    suite.add("volatility_shift(x, 200ms, 3)", label, ticks, w_vol);
  });
  finish(suite.run("level_shift(x, 200ms, 2)"), 50);
  finish(suite.run("volatility_shift(x, 200ms, 3)"), 50);
}

// --- standardized distances --------------------------------------------------------------

TEST_CASE("robust_outlier", "[detectors][std]") {
  Suite suite;
  for_each_series(200, [&](const Ticks& ticks, const std::string& label) {
    const auto x = values(ticks);
    std::vector<Want> want;
    for (size_t i = 0; i < ticks.size(); ++i)
      want.push_back({std::fabs(robust_z(x[i], win(ticks, x, i, kW))) > 3.5});
    suite.add("robust_outlier(x, 200ms, 3.5)", label, ticks, want);
  });
  finish(suite.run("robust_outlier(x, 200ms, 3.5)"), 30);
}

TEST_CASE("windowed_gaussian", "[detectors][std]") {
  Suite suite;
  for_each_series(300, [&](const Ticks& ticks, const std::string& label) {
    const auto score = ref_gauss(ticks, 40, 5);
    std::vector<Want> want;
    for (double s : score) {
      Want w = gt(s, 0.99, false);
      w.fire = s >= 0.99;
      want.push_back(w);
    }
    suite.add("windowed_gaussian(x, 40, 5, 0.99)", label, ticks, want);
  });
  finish(suite.run("windowed_gaussian(x, 40, 5, 0.99)"), 30);
}

TEST_CASE("esd", "[detectors][std]") {
  Suite suite;
  for_each_series(200, [&](const Ticks& ticks, const std::string& label) {
    std::vector<Want> want;
    for (size_t i = 0; i < ticks.size(); ++i) {
      const Ticks upto(ticks.begin(), ticks.begin() + static_cast<ptrdiff_t>(i + 1));
      const EsdResult r = ref_esd(upto, 300, 0.05, 4);
      want.push_back({r.flag == 1, r.margin});
    }
    suite.add("esd(x, 300ms, 5%, 4)", label, ticks, want);
  });
  finish(suite.run("esd(x, 300ms, 5%, 4)"), 50);
}

// --- seasonal and autoregressive residuals ------------------------------------------------

TEST_CASE("seasonal_anomaly", "[detectors][std]") {
  Suite suite;
  for_each_series(
      400,
      [&](const Ticks& ticks, const std::string& label) {
        std::vector<double> resid(ticks.size());
        for (size_t i = 0; i < ticks.size(); ++i) {
          const Ticks upto(ticks.begin(), ticks.begin() + static_cast<ptrdiff_t>(i + 1));
          resid[i] = ticks[i].v - ref_seasonal(upto, 1000, 2);
        }
        std::vector<Want> want;
        for (size_t i = 0; i < ticks.size(); ++i)
          want.push_back({std::fabs(robust_z(resid[i], win(ticks, resid, i, 2000))) > 4});
        suite.add("seasonal_anomaly(x, 1s, 2, 4)", label, ticks, want);
      },
      {Shape::Seasonal, Shape::Outliers, Shape::Shifts});
  finish(suite.run("seasonal_anomaly(x, 1s, 2, 4)"), 20);
}

TEST_CASE("ar_anomaly", "[detectors][std]") {
  Suite suite;
  for_each_series(200, [&](const Ticks& ticks, const std::string& label) {
    std::vector<double> resid(ticks.size());
    for (size_t i = 0; i < ticks.size(); ++i) {
      const Ticks upto(ticks.begin(), ticks.begin() + static_cast<ptrdiff_t>(i + 1));
      resid[i] = ref_ar(upto, 300, 2).residual;
    }
    std::vector<Want> want;
    for (size_t i = 0; i < ticks.size(); ++i) {
      const auto s = win(ticks, resid, i, 300);
      const double z = std::fabs(robust_z(resid[i], s));
      // The residuals carry the fit's rounding (~1e-12 relative): so do z and the MAD.
      Want w = gt(z, 4, false);
      if (mad(s) < 1e-6 * (std::fabs(med(s)) + 1e-3)) w.margin = 0;  // z of a ~0 MAD: unstable
      want.push_back(w);
    }
    suite.add("ar_anomaly(x, 300ms, 2, 4)", label, ticks, want);
  });
  finish(suite.run("ar_anomaly(x, 300ms, 2, 4)"), 30);
}

// --- change points -------------------------------------------------------------------------

TEST_CASE("cusum_alarm", "[detectors][std]") {
  Suite suite;
  for_each_series(250, [&](const Ticks& ticks, const std::string& label) {
    double margin;
    const auto stat = ref_cusum(ticks, 300, 0.5, 4, &margin);
    std::vector<Want> want;
    bool diverged = false;  // a reset decided by the last bits: no comparison after it
    for (double s : stat) {
      Want w = gt(std::fabs(s), 4, false);
      if (diverged) w.margin = 0;
      if (w.margin < 1e-7) diverged = true;
      want.push_back(w);
    }
    suite.add("cusum_alarm(x, 300ms, 0.5, 4)", label, ticks, want);
  });
  finish(suite.run("cusum_alarm(x, 300ms, 0.5, 4)"), 50);
}

TEST_CASE("changepoint (BOCPD with NAB's score)", "[detectors][std]") {
  Suite suite;
  for_each_series(200, [&](const Ticks& ticks, const std::string& label) {
    std::vector<double> margin;
    const auto map = ref_bocpd(ticks, 300, 50, 40, &margin);
    std::vector<Want> want;
    for (size_t i = 0; i < ticks.size(); ++i) {
      const double prev = i ? map[i - 1] : kNaN, cur = map[i];
      const double score = cur < prev ? 1 - cur / prev : 0;
      Want w{score >= 0.5};
      // The score reads the MAP at this tick and the last: a run-length near-tie at either.
      if (margin[i] < 1e-9 || (i && margin[i - 1] < 1e-9)) w.margin = 0;
      want.push_back(w);
    }
    suite.add("changepoint(x, 300ms, 50, 40, 0.5)", label, ticks, want);
  });
  finish(suite.run("changepoint(x, 300ms, 50, 40, 0.5)"), 20);
}

// --- combinators ---------------------------------------------------------------------------

TEST_CASE("at_least, cooldown, aggregate_alarms", "[detectors][std]") {
  Suite suite;
  for_each_series(300, [&](const Ticks& ticks, const std::string& label) {
    std::vector<double> cond;
    for (const Tick& k : ticks) cond.push_back(k.v > 0.8 ? 1 : 0);  // NaN > 0.8 is false
    Ticks cond_ticks = ticks;
    std::vector<double> at_least(ticks.size());
    std::vector<Want> w_al;
    for (size_t i = 0; i < ticks.size(); ++i) {
      cond_ticks[i].v = cond[i];
      double n = 0;
      for (double c : win(ticks, cond, i, 100)) n += c;
      at_least[i] = n >= 3 ? 1 : 0;
      w_al.push_back({at_least[i] == 1});
    }
    Ticks al_ticks = ticks;
    for (size_t i = 0; i < ticks.size(); ++i) al_ticks[i].v = at_least[i];
    std::vector<Want> w_cd, w_agg;
    for (double c : ref_cooldown(cond_ticks, 150)) w_cd.push_back({c == 1});
    for (double c : ref_cooldown(al_ticks, 500)) w_agg.push_back({c == 1});
    suite.add("at_least(x > 0.8, 100ms, 3)", label, ticks, w_al);
    suite.add("cooldown(x > 0.8, 150ms)", label, ticks, w_cd);
    suite.add("aggregate_alarms(x > 0.8, 100ms, 3, 500ms)", label, ticks, w_agg);
  });
  finish(suite.run("at_least(x > 0.8, 100ms, 3)"), 100);
  finish(suite.run("cooldown(x > 0.8, 150ms)"), 100);
  finish(suite.run("aggregate_alarms(x > 0.8, 100ms, 3, 500ms)"), 20);
}

// --- the checker -------------------------------------------------------------------------------

std::string diagnostics(const std::string& when) {
  const std::string src =
      "import std\nseries x = metric(\"x\")\nrule R { on x when " + when + " }\n";
  auto built = Engine::from_source("bad.omen", src, EngineOptions{Tier::Interp});
  return built.ok() ? std::string() : built.render();
}

TEST_CASE("detector parameters are checked", "[detectors][check]") {
  struct Case {
    const char* when;
    const char* message;
  } cases[] = {
      {"esd(x, 1h, 0.05)", "E013]: esd() takes 4 arguments, found 3"},
      {"esd(x, 1h, 0, 3)", "E024]: the alpha of esd() must be in (0, 0.5], found 0"},
      {"esd(x, 1h, 0.05, 2.5)",
       "the max_outliers of esd() must be an integer in [1, 1000], found 2.5"},
      {"esd(x, 1h, x, 3)", "E023]: the alpha of esd() must be known at compile time"},
      {"esd(x, 0ms, 0.05, 3)", "E024]: the window of esd() must be between 1ms and 90d"},
      {"esd(x, 1h, 5m, 3)", "E021]: argument 3 of esd() must be number, found duration"},
      {"cusum(x, 1h, -1, 4) > 0", "the drift of cusum() must be >= 0, found -1"},
      {"cusum(x, 1h, 0.5, 0) > 0", "the threshold of cusum() must be > 0, found 0"},
      {"bocpd(x, 1h, 0.5, 100) > 0", "the expected_run of bocpd() must be >= 1, found 0.5"},
      {"bocpd(x, 1h, 100, 20000) > 0", "the max_run of bocpd() must be an integer in [1, 10000]"},
      {"seasonal_base(x, 1d, 0) > 0",
       "the periods of seasonal_base() must be an integer in [1, 64]"},
      {"seasonal_base(x, 7d, 14) > 0",
       "E024]: the span of seasonal_base(), period x periods, must be at most 90d"},
      {"ar_residual(x, 1h, 17) > 0",
       "the order of ar_residual() must be an integer in [1, 16], found 17"},
      {"gauss_score(x, 0, 1) > 0", "the size of gauss_score() must be an integer in [1, 10000000]"},
      {"fit_quantile(x, 1.5, 1h) > 0",
       "the quantile of fit_quantile() must be in [0, 1], found 1.5"},
      {"cooldown(x, 1h)", "E022]: the first argument of cooldown() must be bool, found number"},
      {"esd(x, 1h, 0.05, 3) > 0", "E020]"},  // esd is a bool
      {"seasonal_anomaly(x, 1d, 1.5, 3)", "the periods of seasonal_base() must be an integer"},
      {"ar_anomaly(x, 1h, 40, 3)",
       "the order of ar_residual() must be an integer in [1, 16], found 40"},
  };
  for (const Case& c : cases) {
    INFO(c.when);
    const std::string d = diagnostics(c.when);
    CHECK(d.find(c.message) != std::string::npos);
    if (d.find(c.message) == std::string::npos) WARN(d);
  }
  CHECK(diagnostics("esd(x, 1h, 5%, 3) and cooldown(x > 1, 10m)").empty());  // percent alpha
  CHECK(diagnostics("at_least(esd(x, 1h, 0.05, 3), 10m, 2)").empty());
  CHECK(diagnostics("spike(x, 1h, x)").empty());  // c is an ordinary operand: may vary
  CHECK(diagnostics("seasonal_anomaly(x, 1d, 7, 3.5) or ar_anomaly(x, 1h, 16, 4)").empty());
}

TEST_CASE("identical detector calls share state, different parameters do not",
          "[detectors][check]") {
  // Through the IR listing: one window per distinct (kernel, width, parameters, argument).
  EngineOptions o{Tier::Interp};
  auto one =
      Engine::from_source("a.omen",
                          "import std\nseries x = metric(\"x\")\n"
                          "rule R { on x when esd(x, 1h, 0.05, 3) and esd(x, 1h, 0.05, 3) }\n",
                          o);
  auto two =
      Engine::from_source("b.omen",
                          "import std\nseries x = metric(\"x\")\n"
                          "rule R { on x when esd(x, 1h, 0.05, 3) and esd(x, 1h, 0.05, 4) }\n",
                          o);
  REQUIRE(one.ok());
  REQUIRE(two.ok());
  // The cost counts each window once: one shared esd state against two.
  const auto s1 = one.engine->stats(), s2 = two.engine->stats();
  CHECK(s1.per_rule.at(0).cost < s2.per_rule.at(0).cost);
}

}  // namespace
}  // namespace omen::kernels::testing
