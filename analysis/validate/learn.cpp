// omen learn: detector templates x parameter grids, evaluated in fresh engines on a thread
// pool, selected on the training span, reported on the held-out span.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "analysis/validate/internal.h"
#include "omen/testing.h"
#include "omen/validate.h"

namespace omen::validate {

using detail::duration_literal;
using detail::number_literal;

std::string series_declaration(const SeriesKey& target, const std::string& name) {
  std::string out = fmt::format("series {} = metric(\"{}\"", name, target.name);
  for (const auto& [k, v] : target.labels) {
    std::string esc;
    for (char c : v) {
      if (c == '"' || c == '\\') esc += '\\';
      esc += c;
    }
    out += fmt::format(", {} = \"{}\"", k, esc);
  }
  return out + ")";
}

namespace {

// One template instance: a condition and a `for`, or an `or` of such parts.
struct Cand {
  std::string family, key, description, when;
  std::string cond;  // the condition in words, without the `for`
  int64_t for_ms = 0;
  std::vector<std::pair<std::string, int64_t>> parts;  // `or` combinations only
  std::vector<size_t> of;                              // combinations: the two singles
};

// The template of a single's key: the key without its strength (k=, q=, c=) and, unless
// `keep_for`, without its `for=` part. `zscore|abs|w=48u|k=5|for=1u` -> `zscore|abs|w=48u|`.
std::string template_of(const std::string& key, bool keep_for) {
  std::string out;
  size_t pos = 0;
  while (pos <= key.size()) {
    size_t bar = key.find('|', pos);
    if (bar == std::string::npos) bar = key.size();
    const std::string part = key.substr(pos, bar - pos);
    const bool strength =
        part.rfind("k=", 0) == 0 || part.rfind("q=", 0) == 0 || part.rfind("c=", 0) == 0;
    if (!strength && (keep_for || part.rfind("for=", 0) != 0)) out += part + "|";
    pos = bar + 1;
  }
  return out;
}

// Grid neighbours of each single: the same template, window and `for` at the adjacent
// strength (k, q or c), in generation order (strengths are generated in ascending order).
std::vector<std::vector<size_t>> neighbours(const std::vector<Cand>& singles) {
  std::map<std::string, std::vector<size_t>> groups;
  for (size_t i = 0; i < singles.size(); ++i)
    groups[template_of(singles[i].key, true)].push_back(i);
  std::vector<std::vector<size_t>> out(singles.size());
  for (const auto& [g, members] : groups)
    for (size_t j = 0; j < members.size(); ++j) {
      if (j > 0) out[members[j]].push_back(members[j - 1]);
      if (j + 1 < members.size()) out[members[j]].push_back(members[j + 1]);
    }
  return out;
}

double quantile_of(std::vector<double> v, double q) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(v.size() - 1, lo + 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

std::string rule_text(const std::string& name, const std::string& when, int64_t for_ms) {
  std::string out = fmt::format("rule {} {{\n  on x\n  when {}\n", name, when);
  if (for_ms > 0) out += fmt::format("  for {}\n", duration_literal(for_ms));
  return out + "}\n";
}

std::string header(const LabelledData& data) {
  return "import std\n\n" + series_declaration(data.target) + "\n\n";
}

// A detector family of the standard library: made from a window literal and a strength.
struct StdFamily {
  std::string name;
  std::vector<int> windows;       // in median intervals
  std::vector<double> strengths;  // ascending: more conservative last
  std::function<std::string(const std::string& w, double c)> make;
};

const std::vector<StdFamily>& std_families() {
  static const std::vector<StdFamily> fams = [] {
    auto n = [](double c) { return number_literal(c); };
    std::vector<StdFamily> f;
    f.push_back({"spike", {12, 48, 288}, {3, 5, 8, 12, 20}, [n](const std::string& w, double c) {
                   return fmt::format("spike(x, {}, {})", w, n(c));
                 }});
    f.push_back(
        {"iqr_outlier", {12, 48, 288}, {1.5, 3, 6, 12}, [n](const std::string& w, double c) {
           return fmt::format("iqr_outlier(x, {}, {})", w, n(c));
         }});
    f.push_back({"level_shift", {12, 48}, {1, 2, 4, 8}, [n](const std::string& w, double c) {
                   return fmt::format("level_shift(x, {}, {})", w, n(c));
                 }});
    f.push_back({"volatility_shift", {12, 48}, {2, 3, 5, 8}, [n](const std::string& w, double c) {
                   return fmt::format("volatility_shift(x, {}, {})", w, n(c));
                 }});
    f.push_back({"seasonal", {0}, {4, 6, 10, 15}, [n](const std::string&, double c) {
                   return fmt::format("seasonal_anomaly(x, 1d, 3, {})", n(c));
                 }});
    f.push_back({"ar", {48, 288}, {4, 6, 10}, [n](const std::string& w, double c) {
                   return fmt::format("ar_anomaly(x, {}, 3, {})", w, n(c));
                 }});
    f.push_back({"cusum", {288}, {5, 10, 20}, [n](const std::string& w, double c) {
                   return fmt::format("cusum_alarm(x, {}, 0.5, {})", w, n(c));
                 }});
    f.push_back({"changepoint", {288}, {0.5, 0.8, 0.95}, [n](const std::string& w, double c) {
                   return fmt::format("changepoint(x, {}, 250, 500, {})", w, n(c));
                 }});
    return f;
  }();
  return fams;
}

// Whether this build's standard library has the family (its first grid point compiles).
bool std_available(const StdFamily& f) {
  static std::mutex mu;
  static std::map<std::string, bool> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(f.name);
  if (it != cache.end()) return it->second;
  const std::string src = "import std\nseries x = metric(\"x\")\nrule P { on x when " +
                          f.make("1h", f.strengths.front()) + " }\n";
  EngineOptions eo;
  eo.tier = Tier::Interp;
  const bool ok = Engine::from_source("probe.omen", src, eo).ok();
  cache.emplace(f.name, ok);
  return ok;
}

bool wanted(const LearnOptions& o, std::string_view family) {
  return o.families.empty() ||
         std::find(o.families.begin(), o.families.end(), family) != o.families.end();
}

// The grid. Windows and `for` durations are multiples of the median interval u; value
// thresholds are quantiles of the training span's values. Order = tie-break order (simpler
// and earlier families first).
std::vector<Cand> singles(const LabelledData& data, Span train, const LearnOptions& o) {
  const int64_t u = data.median_interval > 0 ? data.median_interval : 60'000;
  const int64_t max_w = 90LL * 86'400'000;
  struct W {
    int mult;
    int64_t ms;
  };
  std::vector<W> windows;
  for (int m : {12, 48, 288}) windows.push_back({m, std::min<int64_t>(max_w, m * u)});
  const std::vector<std::pair<int, int64_t>> fors = {{0, 0}, {1, u}, {3, 3 * u}};
  std::vector<double> vals;
  for (size_t i = train.begin; i < train.end; ++i)
    if (std::isfinite(data.values[i])) vals.push_back(data.values[i]);

  std::vector<Cand> out;
  auto add = [&](std::string family, std::string key, std::string desc, std::string when) {
    for (auto [fm, fms] : fors) {
      Cand c;
      c.family = family;
      c.key = fmt::format("{}|for={}u", key, fm);
      c.description = fms ? fmt::format("{}, for {}", desc, duration_literal(fms)) : desc;
      c.cond = desc;
      c.when = when;
      c.for_ms = fms;
      out.push_back(std::move(c));
    }
  };
  if (!vals.empty()) {
    // Training quantiles, then beyond the training range by 10% of it.
    const double lo = quantile_of(vals, 0.0), hi = quantile_of(vals, 1.0);
    if (wanted(o, "value_above"))
      for (double q : {0.99, 0.995, 0.999, 1.0, 1.1}) {
        const double t = q > 1 ? hi + (q - 1) * (hi - lo) : quantile_of(vals, q);
        add("value_above", fmt::format("value_above|q={:g}", q),
            q > 1 ? fmt::format("x > {} (training max + {:g} x range)", number_literal(t), q - 1)
                  : fmt::format("x > {} (training quantile {:g})", number_literal(t), q),
            fmt::format("x > {}", number_literal(t)));
      }
    if (wanted(o, "value_below"))
      for (double q : {0.01, 0.005, 0.001, 0.0, -0.1}) {
        const double t = q < 0 ? lo + q * (hi - lo) : quantile_of(vals, q);
        add("value_below", fmt::format("value_below|q={:g}", q),
            q < 0 ? fmt::format("x < {} (training min - {:g} x range)", number_literal(t), -q)
                  : fmt::format("x < {} (training quantile {:g})", number_literal(t), q),
            fmt::format("x < {}", number_literal(t)));
      }
  }
  for (const char* fn : {"zscore", "robust_z"}) {
    if (!wanted(o, fn)) continue;
    const bool robust = std::string_view(fn) == "robust_z";
    const std::vector<double> ks =
        robust ? std::vector<double>{3, 5, 8, 12, 20} : std::vector<double>{3, 4, 5, 7, 10};
    for (const auto& w : windows)
      for (double k : ks)
        for (const char* side : {"abs", "up", "down"}) {
          const std::string call = fmt::format("{}(x, {})", fn, duration_literal(w.ms));
          const std::string sk = number_literal(k);
          std::string when = std::string_view(side) == "abs" ? fmt::format("abs({}) > {}", call, sk)
                             : std::string_view(side) == "up" ? fmt::format("{} > {}", call, sk)
                                                              : fmt::format("{} < -{}", call, sk);
          std::string desc =
              std::string_view(side) == "abs" ? fmt::format("|{}| > {}", call, sk) : when;
          add(fn, fmt::format("{}|{}|w={}u|k={:g}", fn, side, w.mult, k), desc, when);
        }
  }
  if (wanted(o, "quantile_band"))
    for (const auto& w : windows)
      for (double c : {0.0, 0.5, 1.0, 2.0}) {
        const std::string d = duration_literal(w.ms);
        const std::string lo = fmt::format("quantile(x, 0.01, {})", d);
        const std::string hi = fmt::format("quantile(x, 0.99, {})", d);
        std::string when =
            c == 0 ? fmt::format("x < {} or x > {}", lo, hi)
                   : fmt::format("x < {lo} - {c} * ({hi} - {lo}) or x > {hi} + {c} * ({hi} - {lo})",
                                 fmt::arg("lo", lo), fmt::arg("hi", hi),
                                 fmt::arg("c", number_literal(c)));
        add("quantile_band", fmt::format("quantile_band|w={}u|c={:g}", w.mult, c),
            fmt::format("x outside [q01, q99] of {} widened by {:g} x (q99 - q01)", d, c), when);
      }
  if (wanted(o, "jump")) {
    const W& w = windows[1];
    for (int lag : {2, 6})
      for (double k : {3.0, 5.0, 8.0}) {
        const std::string when =
            fmt::format("abs(delta(x, {})) > {} * stddev(x, {})", duration_literal(lag * u),
                        number_literal(k), duration_literal(w.ms));
        add("jump", fmt::format("jump|lag={}u|w={}u|k={:g}", lag, w.mult, k),
            fmt::format("|change over {}| > {:g} stddev of {}", duration_literal(lag * u), k,
                        duration_literal(w.ms)),
            when);
      }
  }
  if (wanted(o, "ewma_dev"))
    for (size_t wi = 1; wi < windows.size(); ++wi)
      for (double k : {3.0, 5.0, 8.0}) {
        const W& w = windows[wi];
        const int64_t tau = std::max<int64_t>(u, w.ms / 8);
        const std::string when =
            fmt::format("abs(x - ewma(x, {})) > {} * stddev(x, {})", duration_literal(tau),
                        number_literal(k), duration_literal(w.ms));
        add("ewma_dev", fmt::format("ewma_dev|w={}u|k={:g}", w.mult, k),
            fmt::format("|x - ewma(x, {})| > {:g} stddev of {}", duration_literal(tau), k,
                        duration_literal(w.ms)),
            when);
      }
  // Detectors of the standard library (stdlib/detectors.omen), when this build has them.
  const int64_t span_ms = data.times.empty() ? 0 : data.times[train.end - 1] - data.times[0];
  for (const StdFamily& f : std_families()) {
    if (!wanted(o, f.name) || !std_available(f)) continue;
    if (f.name == "seasonal" && (u >= 3'600'000 || span_ms < 4 * 86'400'000LL)) continue;
    for (int wm : f.windows) {
      const W w{wm, std::min<int64_t>(max_w, wm * u)};
      for (double c : f.strengths) {
        const std::string when = f.make(duration_literal(w.ms), c);
        add(f.name, fmt::format("{}|w={}u|c={:g}", f.name, w.mult, c), when, when);
      }
    }
  }
  return out;
}

struct Outcome {
  bool ran = false;
  std::vector<uint8_t> flags;
  Scores train, test;
  double train_value = -INFINITY;
  double smoothed = -INFINITY;      // selection key: mean over the candidate and its neighbours
  double train_second = -INFINITY;  // tie-break: NAB standard (F1 metrics) or event F1 (NAB)
  size_t train_alarms = 0;          // first tie-break: fewer alarmed training rows
  double test_value = std::nan("");
};

// Ranking: the smoothed training metric, the raw one, fewer training alarms, the secondary
// figure; equal candidates keep search order (stable sorts, first-wins selection).
bool better(const Outcome& a, const Outcome& b) {
  if (a.smoothed != b.smoothed) return a.smoothed > b.smoothed;
  if (a.train_value != b.train_value) return a.train_value > b.train_value;
  if (a.train_alarms != b.train_alarms) return a.train_alarms < b.train_alarms;
  return a.train_second > b.train_second;
}

double rank_value(double v) {
  return std::isnan(v) ? -INFINITY : v;
}

class Runner {
 public:
  Runner(const LabelledData& data, const LearnOptions& o, Span train, Span test)
      : data_(data), o_(o), train_(train), test_(test) {
    opts_.tier = o.tier;
    opts_.staleness_ms = o.staleness_ms;
    opts_.alarm_mode = o.alarm_mode;
    opts_.check_determinism = false;
    test_nab_ = o.nab;
    test_nab_.probation_percent = 0;  // the rule has seen the training span: no warm-up
  }

  void score(Outcome& out) const {
    out.train = score_flags(data_, out.flags, train_, o_.nab);
    out.test = score_flags(data_, out.flags, test_, test_nab_);
    out.train_value = rank_value(out.train.value(o_.metric));
    out.train_alarms = out.train.metrics.point.tp + out.train.metrics.point.fp;
    out.train_second = rank_value(is_nab(o_.metric) ? out.train.value(Metric::kEventF1)
                                                    : out.train.value(Metric::kNabStandard));
    out.test_value = out.test.value(o_.metric);
    out.ran = true;
  }

  // Evaluates rule candidates (no `or` parts) in batches of fresh engines on `jobs` threads.
  void run(const std::vector<Cand>& cands, const std::vector<size_t>& which,
           std::vector<Outcome>& outcomes, size_t& done, size_t total, std::string_view phase,
           std::vector<std::string>& warnings) {
    const size_t per = std::max<size_t>(1, o_.rules_per_engine);
    const size_t chunks = (which.size() + per - 1) / per;
    std::atomic<size_t> next{0};
    std::mutex mu;
    auto work = [&] {
      for (;;) {
        const size_t c = next.fetch_add(1);
        if (c >= chunks) return;
        const size_t b = c * per, e = std::min(which.size(), b + per);
        std::string src = header(data_);
        for (size_t i = b; i < e; ++i)
          src += rule_text(fmt::format("C{}", i - b), cands[which[i]].when, cands[which[i]].for_ms);
        Evaluation ev = evaluate(Candidate{"learn.omen", src}, data_, opts_);
        std::vector<Outcome> local(e - b);
        if (ev.compiled && ev.error.empty()) {
          for (size_t i = b; i < e; ++i) {
            local[i - b].flags = std::move(ev.rules[i - b].flags);
            score(local[i - b]);
          }
        }
        std::lock_guard<std::mutex> lock(mu);
        if (!ev.compiled || !ev.error.empty())
          warnings.push_back(fmt::format("a batch of {} templates failed: {}", e - b,
                                         ev.compiled ? ev.error : omen::format(ev.diagnostics)));
        for (size_t i = b; i < e; ++i) outcomes[which[i]] = std::move(local[i - b]);
        done += 1;
        if (o_.progress) o_.progress(done, total, phase);
      }
    };
    unsigned jobs = o_.jobs ? o_.jobs : std::max(1u, std::thread::hardware_concurrency());
    jobs = static_cast<unsigned>(std::min<size_t>(jobs, std::max<size_t>(1, chunks)));
    std::vector<std::thread> pool;
    for (unsigned j = 1; j < jobs; ++j) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
  }

  size_t chunks(size_t n) const {
    const size_t per = std::max<size_t>(1, o_.rules_per_engine);
    return (n + per - 1) / per;
  }

 private:
  const LabelledData& data_;
  const LearnOptions& o_;
  Span train_, test_;
  Options opts_;
  score::NabOptions test_nab_;
};

std::string figures(Metric m, const Scores& s) {
  const auto& e = s.metrics.event;
  std::string out =
      fmt::format("{} {}", metric_name(m),
                  std::isnan(s.value(m)) ? std::string("n/a") : fmt::format("{:.4f}", s.value(m)));
  out +=
      fmt::format(" | event F1 {:.4f} (P {:.3f} R {:.3f}; {}/{} windows, {} false-positive rows)",
                  e.f1, e.precision, e.recall, e.detected, e.segments, s.metrics.false_alarms);
  out += fmt::format(" | point F1 {:.4f}", s.metrics.point.f1);
  if (!std::isnan(s.nab[0].normalized))
    out += fmt::format(" | NAB standard {:.2f}", s.nab[0].normalized);
  return out;
}

size_t windows_in(const LabelledData& data, Span span) {
  std::vector<uint8_t> none(data.times.size(), 0);
  return score_flags(data, none, span).metrics.windows;
}

}  // namespace

std::vector<std::string> learn_families() {
  std::vector<std::string> out = {"value_above",   "value_below", "zscore",  "robust_z",
                                  "quantile_band", "jump",        "ewma_dev"};
  for (const auto& f : std_families())
    if (std_available(f)) out.push_back(f.name);
  return out;
}

LearnResult learn(const LabelledData& data, const LearnOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  LearnResult res;
  auto [train, test] = split(data, options.train_fraction);
  res.train = train;
  res.test = test;
  if (train.end - train.begin < 2) {
    res.error = "the training span has fewer than 2 rows";
    return res;
  }
  const size_t train_windows = windows_in(data, train);
  if (train_windows == 0) {
    res.error = fmt::format(
        "no label window covers a row of the training span (rows {}..{}): nothing to learn from; "
        "raise --train-fraction?",
        train.begin, train.end - 1);
    return res;
  }
  std::vector<Cand> cands = singles(data, train, options);
  if (cands.empty()) {
    res.error = "no template family selected";
    return res;
  }
  Runner runner(data, options, train, test);
  const size_t n_single = cands.size();
  const size_t k = std::min(options.combine_top, n_single);
  const size_t max_and = k * (k - 1);  // upper bound of `and` rules (two `for`s per pair)
  size_t total = runner.chunks(n_single) + runner.chunks(max_and);
  size_t done = 0;
  std::vector<Outcome> outcomes(n_single);
  std::vector<size_t> all_idx(n_single);
  for (size_t i = 0; i < n_single; ++i) all_idx[i] = i;
  runner.run(cands, all_idx, outcomes, done, total, "templates", res.warnings);
  // Flat optima generalize better than lucky ones: a single's selection key is the mean training
  // metric of itself and its grid neighbours (the same template at the adjacent strengths).
  {
    const auto nb = neighbours(cands);
    for (size_t i = 0; i < n_single; ++i) {
      if (!outcomes[i].ran) continue;
      double sum = outcomes[i].train_value;
      size_t cnt = 1;
      for (size_t j : nb[i])
        if (outcomes[j].ran) sum += outcomes[j].train_value, ++cnt;
      outcomes[i].smoothed = sum / static_cast<double>(cnt);
    }
  }

  // The best distinct templates (each at its best strength and `for`), for pairwise
  // combinations.
  std::vector<size_t> order(n_single);
  for (size_t i = 0; i < n_single; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return better(outcomes[a], outcomes[b]); });
  std::vector<size_t> best;
  std::set<std::string> seen;
  for (size_t i : order) {
    if (best.size() == k) break;
    if (!outcomes[i].ran || (outcomes[i].train_value <= 0 && !is_nab(options.metric))) continue;
    // Distinct templates: combining a detector with a stricter copy of itself is redundant.
    if (seen.insert(template_of(cands[i].key, false)).second) best.push_back(i);
  }
  std::vector<size_t> and_idx;
  for (size_t a = 0; a < best.size(); ++a)
    for (size_t b = a + 1; b < best.size(); ++b) {
      const Cand& A = cands[best[a]];
      const Cand& B = cands[best[b]];
      std::set<int64_t> fors = {0, std::max(A.for_ms, B.for_ms)};
      for (int64_t f : fors) {
        Cand c;
        c.family = "and";
        c.key = fmt::format("and|{}|{}|for={}", A.key, B.key, duration_literal(f));
        c.when = fmt::format("({}) and ({})", A.when, B.when);
        c.for_ms = f;
        c.of = {best[a], best[b]};
        c.description =
            fmt::format("({}) and ({}){}", A.cond, B.cond, f ? ", for " + duration_literal(f) : "");
        and_idx.push_back(cands.size());
        cands.push_back(std::move(c));
      }
      Cand c;
      c.family = "or";
      c.key = fmt::format("or|{}|{}", A.key, B.key);
      c.description = fmt::format("({}) or ({})", A.description, B.description);
      c.parts = {{A.when, A.for_ms}, {B.when, B.for_ms}};
      c.of = {best[a], best[b]};
      cands.push_back(std::move(c));
    }
  outcomes.resize(cands.size());
  total = runner.chunks(n_single) + runner.chunks(and_idx.size());
  runner.run(cands, and_idx, outcomes, done, total, "combinations", res.warnings);
  // `or` = two rules in one file: the union of their alarms (rules share no state).
  for (size_t i = n_single; i < cands.size(); ++i) {
    if (cands[i].family != "or") continue;
    const auto& fa = outcomes[cands[i].of[0]].flags;
    const auto& fb = outcomes[cands[i].of[1]].flags;
    outcomes[i].flags.resize(fa.size());
    for (size_t r = 0; r < fa.size(); ++r) outcomes[i].flags[r] = fa[r] | fb[r];
    runner.score(outcomes[i]);
  }
  // A combination is no flatter an optimum than its better part: its key is its own training
  // metric capped by the larger of its parts' keys. On a tie with a single, the usual
  // tie-breaks decide (fewer training alarms first). (Requiring combinations to beat both parts
  // strictly did worse on NAB's held-out halves: docs/validate.md, "Benchmarks".)
  for (size_t i = n_single; i < cands.size(); ++i) {
    Outcome& o = outcomes[i];
    if (!o.ran) continue;
    o.smoothed = std::min(o.train_value, std::max(outcomes[cands[i].of[0]].smoothed,
                                                  outcomes[cands[i].of[1]].smoothed));
  }

  // Selection: highest smoothed training metric, then the raw one, then fewer training alarms,
  // then the secondary figure; then the earlier (simpler) candidate.
  size_t chosen = SIZE_MAX;
  for (size_t i = 0; i < cands.size(); ++i) {
    if (!outcomes[i].ran) continue;
    if (chosen == SIZE_MAX || better(outcomes[i], outcomes[chosen])) chosen = i;
  }
  res.candidates = cands.size();
  auto make = [&](size_t i) {
    LearnedRule r;
    r.family = cands[i].family;
    r.key = cands[i].key;
    r.description = cands[i].description;
    r.when = cands[i].when;
    r.for_ms = cands[i].for_ms;
    r.parts = cands[i].parts;
    r.train = outcomes[i].train_value;
    r.test = outcomes[i].test_value;
    r.train_scores = outcomes[i].train;
    r.test_scores = outcomes[i].test;
    return r;
  };
  res.all.reserve(cands.size());
  for (size_t i = 0; i < cands.size(); ++i) res.all.push_back(make(i));
  if (chosen == SIZE_MAX) {
    res.error = "no candidate could be evaluated";
    if (!res.warnings.empty()) res.error += ": " + res.warnings.front();
    return res;
  }
  std::vector<size_t> ranked(cands.size());
  for (size_t i = 0; i < cands.size(); ++i) ranked[i] = i;
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](size_t a, size_t b) { return better(outcomes[a], outcomes[b]); });
  for (size_t i = 0; i < ranked.size() && res.top.size() < 10; ++i)
    if (outcomes[ranked[i]].ran) res.top.push_back(make(ranked[i]));

  // The rule file, re-run alone in a fresh engine: its figures are the written ones.
  const Cand& c = cands[chosen];
  std::string rules;
  if (c.parts.empty()) {
    rules = rule_text(options.rule_name, c.when, c.for_ms);
  } else {
    for (size_t p = 0; p < c.parts.size(); ++p)
      rules += (p ? "\n" : "") + rule_text(fmt::format("{}_{}", options.rule_name, p + 1),
                                           c.parts[p].first, c.parts[p].second);
  }
  Outcome final_out;
  {
    Options opts;
    opts.tier = options.tier;
    opts.staleness_ms = options.staleness_ms;
    opts.alarm_mode = options.alarm_mode;
    Evaluation ev = evaluate(Candidate{"learned.omen", header(data) + rules}, data, opts);
    if (!ev.compiled || !ev.error.empty()) {
      res.error = "the learned rule failed to run: " +
                  (ev.compiled ? ev.error : omen::format(ev.diagnostics));
      return res;
    }
    final_out.flags = std::move(ev.flags);
    runner.score(final_out);
    if (final_out.flags != outcomes[chosen].flags)
      res.warnings.push_back("the learned rule alone alarms differently from the search batch");
  }
  res.best = make(chosen);
  res.best.train = final_out.train_value;
  res.best.test = final_out.test_value;
  res.best.train_scores = final_out.train;
  res.best.test_scores = final_out.test;

  const Metric m = options.metric;
  std::string src;
  src += fmt::format(
      "# Learned by `omen learn` (template search, no LLM): {} candidates, selected "
      "by {} on the training span.\n",
      res.candidates, metric_name(m));
  src += fmt::format("# data: {} (series {}, {} rows, median interval {})\n", data.name,
                     format_series(data.target), data.times.size(),
                     duration_literal(data.median_interval));
  src += fmt::format("# labels: {} ({} windows)\n", data.labels.source, data.labels.windows.size());
  src += fmt::format("# training: rows {}..{} ({} windows); held out: rows {}..{} ({} windows)\n",
                     train.begin, train.end - 1, train_windows, test.begin,
                     test.end == 0 ? 0 : test.end - 1, windows_in(data, test));
  src += fmt::format("# choice: {} [{}]\n", c.description, c.key);
  src += "# train: " + figures(m, final_out.train) + "\n";
  src += "# test:  " + figures(m, final_out.test) + "\n";
  size_t listed = 0;
  for (size_t i = 0; i < res.top.size() && listed < 3; ++i) {
    if (res.top[i].key == c.key) continue;
    src += fmt::format(
        "# runner-up: {} (train {:.4f}, test {})\n", res.top[i].description, res.top[i].train,
        std::isnan(res.top[i].test) ? std::string("n/a") : fmt::format("{:.4f}", res.top[i].test));
    ++listed;
  }
  src += "\n" + header(data) + rules;
  res.source = std::move(src);
  res.ok = true;
  res.millis =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace omen::validate
