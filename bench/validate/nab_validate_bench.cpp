// The validator's benchmarks on the NAB corpus (docs/validate.md, "Benchmarks").
//
//   nab_validate_bench unsupervised [DATA_DIR] [--rules FILE] [--alarm onset|firing] [--jobs N]
//                                   [--per-file]
//       Runs an unsupervised Omen rule set (default bench/validate/nab_default.omen) over all 58
//       NAB series, each in a fresh engine, and scores it with omen::score: the NAB score
//       (standard, reward_low_FP_rate, reward_low_FN_rate) and event F1.
//   nab_validate_bench supervised [DATA_DIR] [--jobs N] [--per-file] [--families A,B]
//       `omen learn` on the first half of each labelled NAB series, event F1 on the second
//       half, against the best single fixed detector of the same template grid.
//
// DATA_DIR is NAB's checkout (data/ and labels/); default /work/shared/data/nab.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <numeric>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "omen/testing.h"
#include "omen/validate.h"

namespace ov = omen::validate;
namespace os = omen::score;

namespace {

struct Args {
  std::string mode;
  std::string data_dir = "/work/shared/data/nab";
  std::string rules = std::string(OMEN_VALIDATE_BENCH_DIR) + "/nab_default.omen";
  ov::AlarmMode alarm = ov::AlarmMode::kOnset;
  unsigned jobs = 0;
  bool per_file = false;
  std::vector<std::string> families;
  std::string only;  // substring filter on keys (development)
};

int usage() {
  std::fprintf(stderr,
               "usage: nab_validate_bench unsupervised [DATA_DIR] [--rules FILE] "
               "[--alarm onset|firing] [--jobs N] [--per-file] [--only TEXT]\n"
               "       nab_validate_bench supervised [DATA_DIR] [--jobs N] [--per-file] "
               "[--families A,B] [--only TEXT]\n");
  return 2;
}

bool parse(int argc, char** argv, Args* a) {
  if (argc < 2) return false;
  a->mode = argv[1];
  if (a->mode != "unsupervised" && a->mode != "supervised") return false;
  bool have_dir = false;
  for (int i = 2; i < argc; ++i) {
    std::string s = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (s == "--rules")
      a->rules = value();
    else if (s == "--alarm") {
      std::string v = value();
      if (v == "onset")
        a->alarm = ov::AlarmMode::kOnset;
      else if (v == "firing")
        a->alarm = ov::AlarmMode::kFiring;
      else
        return false;
    } else if (s == "--jobs")
      a->jobs = static_cast<unsigned>(std::stoul(value()));
    else if (s == "--per-file")
      a->per_file = true;
    else if (s == "--only")
      a->only = value();
    else if (s == "--families") {
      std::string v = value();
      size_t pos = 0;
      while (pos <= v.size()) {
        size_t c = v.find(',', pos);
        if (c == std::string::npos) c = v.size();
        if (c > pos) a->families.push_back(v.substr(pos, c - pos));
        pos = c + 1;
      }
    } else if (!have_dir && s.rfind("--", 0) != 0) {
      a->data_dir = s;
      have_dir = true;
    } else {
      return false;
    }
  }
  return true;
}

// Runs fn(i) for i in [0, n) on `jobs` threads.
template <class F>
void parallel_for(size_t n, unsigned jobs, F fn) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  unsigned j = jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::min<size_t>(j, n); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

struct Corpus {
  std::vector<std::string> keys;
  std::vector<ov::LabelledData> data;
};

bool load_corpus(const Args& a, Corpus* c) {
  const std::string labels = a.data_dir + "/labels/combined_windows.json";
  auto all = os::read_nab_windows_all(labels);
  if (!all.ok()) {
    std::fprintf(stderr, "%s\n", all.error().str().c_str());
    return false;
  }
  for (const auto& [key, ls] : all.value())
    if (a.only.empty() || key.find(a.only) != std::string::npos) c->keys.push_back(key);
  c->data.resize(c->keys.size());
  std::vector<std::string> errors(c->keys.size());
  parallel_for(c->keys.size(), a.jobs, [&](size_t i) {
    auto d = ov::load_data(a.data_dir + "/data/" + c->keys[i], "nab:" + labels, c->keys[i]);
    if (d.ok())
      c->data[i] = std::move(d.value());
    else
      errors[i] = d.error().str();
  });
  for (const auto& e : errors)
    if (!e.empty()) {
      std::fprintf(stderr, "%s\n", e.c_str());
      return false;
    }
  return true;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Event F1 over a corpus: mean of per-series F1 over series with a window, and pooled.
struct EventSummary {
  double mean_f1 = 0;
  size_t series = 0;
  double pooled_f1 = 0;
  size_t detected = 0, segments = 0, fp_rows = 0;
};

EventSummary summarize(const std::vector<os::Metrics>& ms) {
  EventSummary s;
  double sum = 0;
  for (const auto& m : ms) {
    if (m.event.segments == 0) continue;
    sum += m.event.f1;
    ++s.series;
    s.detected += m.event.detected;
    s.segments += m.event.segments;
    s.fp_rows += m.event.false_positives;
  }
  s.mean_f1 = s.series ? sum / static_cast<double>(s.series) : 0;
  const double p = s.detected + s.fp_rows ? static_cast<double>(s.detected) /
                                                static_cast<double>(s.detected + s.fp_rows)
                                          : 0;
  const double r =
      s.segments ? static_cast<double>(s.detected) / static_cast<double>(s.segments) : 0;
  s.pooled_f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
  return s;
}

// `{N u}` in a rule file stands for N times the series' median sampling interval (a duration
// literal, at most 90d), so that one rule set means the same number of samples on 5-minute and
// hourly data.
std::string instantiate(const std::string& text, omen::TimeMs interval) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find('{', pos);
    const size_t close = open == std::string::npos ? open : text.find('}', open);
    if (close == std::string::npos) {
      out += text.substr(pos);
      break;
    }
    const std::string inner = text.substr(open + 1, close - open - 1);
    char* end = nullptr;
    const double n = std::strtod(inner.c_str(), &end);
    if (end != inner.c_str() && std::string(end) == "u") {
      out += text.substr(pos, open - pos);
      const auto ms = static_cast<omen::TimeMs>(std::llround(n * static_cast<double>(interval)));
      out += omen::format_duration(std::clamp<omen::TimeMs>(ms, 1, 90LL * 86'400'000));
      pos = close + 1;
    } else {
      out += text.substr(pos, open + 1 - pos);
      pos = open + 1;
    }
  }
  return out;
}

int unsupervised(const Args& a) {
  std::ifstream f(a.rules);
  if (!f) {
    std::fprintf(stderr, "cannot read %s\n", a.rules.c_str());
    return 1;
  }
  std::stringstream ss;
  ss << f.rdbuf();
  const ov::Candidate cand{a.rules, ss.str()};
  const auto t0 = std::chrono::steady_clock::now();
  Corpus c;
  if (!load_corpus(a, &c)) return 1;
  const double t_load = seconds_since(t0);
  const size_t n = c.keys.size();
  std::vector<std::vector<double>> scores(n);
  std::vector<std::vector<uint8_t>> flags(n);
  std::vector<std::string> errors(n);
  std::vector<std::map<std::string, size_t>> per_rule_alarms(n);
  double min_weight = 1;
  std::mutex mu;
  ov::Options opt;
  opt.alarm_mode = a.alarm;
  const auto t1 = std::chrono::steady_clock::now();
  parallel_for(n, a.jobs, [&](size_t i) {
    const ov::Candidate inst{cand.name, instantiate(cand.source, c.data[i].median_interval)};
    ov::Evaluation ev = ov::evaluate(inst, c.data[i], opt);
    if (!ev.compiled || !ev.error.empty()) {
      errors[i] = ev.compiled ? ev.error : omen::format(ev.diagnostics);
      return;
    }
    // Score of a row: the highest `score` label among the rules alarming there (default 1).
    std::vector<double> s(c.data[i].times.size(), 0.0);
    for (const auto& r : ev.rules) {
      double w = 1;
      for (const auto& [k, v] : r.alert_labels)
        if (k == "score") w = std::stod(v);
      {
        std::lock_guard<std::mutex> lock(mu);
        if (r.firing_events) min_weight = std::min(min_weight, w);
      }
      size_t count = 0;
      for (size_t row = 0; row < s.size(); ++row)
        if (r.flags[row]) {
          s[row] = std::max(s[row], w);
          ++count;
        }
      per_rule_alarms[i][r.name] = count;
    }
    flags[i] = ev.flags;
    scores[i] = std::move(s);
  });
  const double t_eval = seconds_since(t1);
  for (size_t i = 0; i < n; ++i)
    if (!errors[i].empty()) {
      std::fprintf(stderr, "%s: %s\n", c.keys[i].c_str(), errors[i].c_str());
      return 1;
    }
  std::vector<os::NabSeries> corpus;
  std::vector<os::Metrics> metrics;
  size_t rows = 0, windows = 0;
  for (size_t i = 0; i < n; ++i) {
    corpus.push_back({c.keys[i], c.data[i].times, scores[i], c.data[i].labels.windows});
    metrics.push_back(ov::score_flags(c.data[i], flags[i]).metrics);
    rows += c.data[i].times.size();
    windows += c.data[i].labels.windows.size();
  }
  const auto profiles = os::nab_profiles();
  std::printf("rules: %s (alarm mode %s)\n", a.rules.c_str(),
              a.alarm == ov::AlarmMode::kOnset ? "onset" : "firing");
  std::printf("corpus: %zu series, %zu rows, %zu windows; load %.2f s, evaluate %.2f s\n\n", n,
              rows, windows, t_load, t_eval);
  std::printf("| NAB scoring | standard | reward_low_FP | reward_low_FN |\n|---|---|---|---|\n");
  os::NabResult fixed[3], swept[3];
  for (size_t p = 0; p < 3; ++p) {
    fixed[p] = os::nab_score(corpus, profiles[p], min_weight);
    swept[p] = os::nab_optimize(corpus, profiles[p]);
  }
  std::printf("| every alarm is a detection (threshold %g) | %.2f | %.2f | %.2f |\n", min_weight,
              fixed[0].normalized, fixed[1].normalized, fixed[2].normalized);
  std::printf(
      "| threshold swept on rule scores (NAB optimizer) | %.2f (t=%g) | %.2f (t=%g) | %.2f "
      "(t=%g) |\n",
      swept[0].normalized, swept[0].threshold, swept[1].normalized, swept[1].threshold,
      swept[2].normalized, swept[2].threshold);
  std::printf(
      "\nstandard, every alarm: raw %.3f, windows detected %zu/%zu, detections tp %zu "
      "fp %zu\n",
      fixed[0].raw, fixed[0].detected, fixed[0].windows, fixed[0].counts.tp, fixed[0].counts.fp);
  const EventSummary es = summarize(metrics);
  std::printf(
      "event F1 (all rows, every alarm): mean over %zu labelled series %.4f; pooled %.4f "
      "(%zu/%zu windows detected, %zu false-positive rows)\n",
      es.series, es.mean_f1, es.pooled_f1, es.detected, es.segments, es.fp_rows);
  if (a.per_file) {
    std::printf(
        "\n| series | rows | windows | detected | FP rows | event F1 | NAB standard raw |"
        "\n|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < n; ++i)
      std::printf("| %s | %zu | %zu | %zu | %zu | %.3f | %.3f |\n", c.keys[i].c_str(),
                  c.data[i].times.size(), metrics[i].event.segments, metrics[i].event.detected,
                  metrics[i].event.false_positives, metrics[i].event.f1, fixed[0].per_series[i]);
    std::map<std::string, size_t> totals;
    for (const auto& m : per_rule_alarms)
      for (const auto& [k, v] : m) totals[k] += v;
    std::printf("\nalarmed rows per rule:");
    for (const auto& [k, v] : totals) std::printf(" %s=%zu", k.c_str(), v);
    std::printf("\n");
  }
  return 0;
}

int supervised(const Args& a) {
  const auto t0 = std::chrono::steady_clock::now();
  Corpus c;
  if (!load_corpus(a, &c)) return 1;
  // Labelled series only.
  std::vector<size_t> idx;
  for (size_t i = 0; i < c.keys.size(); ++i)
    if (!c.data[i].labels.windows.empty()) idx.push_back(i);
  std::vector<ov::LearnResult> res(idx.size());
  std::atomic<size_t> done{0};
  std::mutex mu;
  parallel_for(idx.size(), a.jobs, [&](size_t j) {
    ov::LearnOptions o;
    o.jobs = 1;  // parallel over series instead
    o.families = a.families;
    res[j] = ov::learn(c.data[idx[j]], o);
    std::lock_guard<std::mutex> lock(mu);
    std::fprintf(stderr, "\r%zu/%zu series, %.0f s   ", ++done, idx.size(), seconds_since(t0));
  });
  std::fprintf(stderr, "\n");
  // Series whose halves both hold a window: learnable and scorable.
  std::vector<size_t> both;
  size_t no_train = 0, no_test = 0;
  for (size_t j = 0; j < idx.size(); ++j) {
    if (!res[j].ok) {
      ++no_train;
      continue;
    }
    if (res[j].best.test_scores.metrics.event.segments == 0) {
      ++no_test;
      continue;
    }
    both.push_back(j);
  }
  // Fixed detectors: every single template key, mean training event F1 over `both`.
  std::map<std::string, std::pair<double, double>> fixed;  // key -> (sum train, sum test)
  std::map<std::string, size_t> fixed_n;
  for (size_t j : both)
    for (const auto& r : res[j].all) {
      if (r.family == "and" || r.family == "or") continue;
      auto& s = fixed[r.key];
      s.first += r.train_scores.metrics.event.f1;
      s.second += r.test_scores.metrics.event.f1;
      ++fixed_n[r.key];
    }
  std::string best_key, oracle_key, zs_key;
  double best_train = -1, oracle_test = -1, zs_train = -1;
  for (const auto& [k, s] : fixed) {
    if (fixed_n[k] != both.size()) continue;
    if (s.first > best_train) best_train = s.first, best_key = k;
    if (s.second > oracle_test) oracle_test = s.second, oracle_key = k;
    if (k.rfind("zscore|abs|", 0) == 0 && k.find("for=0u") != std::string::npos &&
        s.first > zs_train)
      zs_train = s.first, zs_key = k;
  }
  const double nb = static_cast<double>(both.size());
  std::vector<os::Metrics> learned_test, fixed_test, zs_test, learned_train;
  for (size_t j : both) {
    learned_test.push_back(res[j].best.test_scores.metrics);
    learned_train.push_back(res[j].best.train_scores.metrics);
    for (const auto& r : res[j].all) {
      if (r.key == best_key) fixed_test.push_back(r.test_scores.metrics);
      if (r.key == zs_key) zs_test.push_back(r.test_scores.metrics);
    }
  }
  const EventSummary L = summarize(learned_test), F = summarize(fixed_test), Z = summarize(zs_test),
                     LT = summarize(learned_train);
  size_t candidates = 0;
  for (const auto& r : res) candidates += r.candidates;
  std::printf(
      "supervised: %zu labelled series; %zu learnable with a window in both halves "
      "(%zu: no window in the first half, %zu: none in the second)\n",
      idx.size(), both.size(), no_train, no_test);
  std::printf("%zu candidates evaluated in %.1f s\n\n", candidates, seconds_since(t0));
  std::printf(
      "| detector (event F1 on the second half) | mean over %zu series | pooled | "
      "windows detected | FP rows |\n|---|---|---|---|---|\n",
      both.size());
  std::printf(
      "| omen learn (per series, selected on the first half) | %.4f | %.4f | %zu/%zu | %zu |\n",
      L.mean_f1, L.pooled_f1, L.detected, L.segments, L.fp_rows);
  std::printf(
      "| best single fixed detector (`%s`, selected on first halves) | %.4f | %.4f | "
      "%zu/%zu | %zu |\n",
      best_key.c_str(), F.mean_f1, F.pooled_f1, F.detected, F.segments, F.fp_rows);
  std::printf(
      "| rolling z-score at its best single threshold (`%s`) | %.4f | %.4f | %zu/%zu | "
      "%zu |\n",
      zs_key.c_str(), Z.mean_f1, Z.pooled_f1, Z.detected, Z.segments, Z.fp_rows);
  std::printf(
      "| (optimistic: best fixed detector chosen on the second halves, `%s`) | %.4f | | | |\n",
      oracle_key.c_str(), oracle_test / nb);
  std::printf("\nomen learn on the first halves (training fit): mean event F1 %.4f\n", LT.mean_f1);
  if (a.per_file) {
    std::printf(
        "\n| series | learned rule | train F1 | test F1 | fixed test F1 "
        "|\n|---|---|---|---|---|\n");
    for (size_t j : both) {
      double ft = 0;
      for (const auto& r : res[j].all)
        if (r.key == best_key) ft = r.test_scores.metrics.event.f1;
      std::printf("| %s | %s | %.3f | %.3f | %.3f |\n", c.keys[idx[j]].c_str(),
                  res[j].best.description.c_str(), res[j].best.train_scores.metrics.event.f1,
                  res[j].best.test_scores.metrics.event.f1, ft);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!parse(argc, argv, &a)) return usage();
  return a.mode == "unsupervised" ? unsupervised(a) : supervised(a);
}
