// Scorer check: NAB's windowed-Gaussian detector over the 58 NAB series, thresholds swept as
// NAB's optimizer does, scored with Omen's NAB scorer, compared with NAB's published results
// (39.65 standard, 20.87 reward_low_FP_rate, 47.41 reward_low_FN_rate) and, per file, with NAB's
// own results CSVs (bench/score/reference/).
//
//   nab_gaussian_bench [DATA_DIR] [--erfc py27|libm] [--no-round] [--reference DIR] [--per-file]
//                      [--dump-scores KEY OUT.csv]
//
// --dump-scores writes one series' `timestamp,value,anomaly_score` (the layout of NAB's results
// files); tests/score/nab_speed_7578_gaussian.csv was made with it.
//
// Exit status: 0 if every profile is within 0.5 of the published score, 1 otherwise, 2 on usage
// or input errors.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench/score/nab_corpus.h"
#include "bench/score/windowed_gaussian.h"
#include "omen/score.h"

#ifndef OMEN_SCORE_REFERENCE_DIR
#define OMEN_SCORE_REFERENCE_DIR "bench/score/reference"
#endif

namespace {

using omen::score::NabProfile;

struct Published {
  NabProfile profile;
  double score;  // NAB results/final_results.json, windowedGaussian
};

const Published kPublished[] = {
    {omen::score::kNabStandard, 39.649523496077585},
    {omen::score::kNabLowFp, 20.86798582474138},
    {omen::score::kNabLowFn, 47.4100271583046},
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir = "/work/shared/data/nab";
  std::string reference_dir = OMEN_SCORE_REFERENCE_DIR;
  omen::bench::GaussianOptions gopt;
  bool per_file = false;
  std::string dump_key, dump_path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--erfc" && i + 1 < argc) {
      const std::string v = argv[++i];
      if (v != "py27" && v != "libm") {
        std::fprintf(stderr, "--erfc must be py27 or libm\n");
        return 2;
      }
      gopt.erfc = v == "libm" ? omen::bench::Erfc::kLibm : omen::bench::Erfc::kPython27;
    } else if (a == "--no-round") {
      gopt.round_12_digits = false;
    } else if (a == "--reference" && i + 1 < argc) {
      reference_dir = argv[++i];
    } else if (a == "--dump-scores" && i + 2 < argc) {
      dump_key = argv[++i];
      dump_path = argv[++i];
    } else if (a == "--per-file") {
      per_file = true;
    } else if (!a.empty() && a[0] != '-') {
      data_dir = a;
    } else {
      std::fprintf(stderr,
                   "usage: nab_gaussian_bench [DATA_DIR] [--erfc py27|libm] [--no-round] "
                   "[--reference DIR] [--per-file] [--dump-scores KEY OUT.csv]\n");
      return 2;
    }
  }

  const auto t_load = std::chrono::steady_clock::now();
  auto corpus = omen::bench::load_nab_corpus(data_dir);
  if (!corpus.ok()) {
    std::fprintf(stderr, "%s\n", corpus.error().str().c_str());
    return 2;
  }
  auto& files = corpus.value();
  const double load_s = seconds_since(t_load);

  const auto t_detect = std::chrono::steady_clock::now();
  size_t rows = 0;
  for (auto& f : files) {
    f.scores = omen::bench::windowed_gaussian_scores(f.values, gopt);
    rows += f.values.size();
  }
  const double detect_s = seconds_since(t_detect);
  if (!dump_key.empty()) {
    for (const auto& f : files) {
      if (f.key != dump_key) continue;
      std::FILE* out = std::fopen(dump_path.c_str(), "w");
      if (!out) {
        std::fprintf(stderr, "cannot write %s\n", dump_path.c_str());
        return 2;
      }
      std::fprintf(out, "timestamp,value,anomaly_score\n");
      for (size_t i = 0; i < f.times.size(); ++i) {
        std::fprintf(out, "%s,%.17g,%.12g\n", omen::score::format_time(f.times[i]).c_str(),
                     f.values[i], f.scores[i]);
      }
      std::fclose(out);
    }
  }
  std::vector<omen::score::NabSeries> series;
  for (const auto& f : files) {
    series.push_back(omen::score::NabSeries{f.key, f.times, f.scores, f.windows});
  }

  std::printf(
      "NAB corpus: %zu series, %zu rows, %zu windows (%s)\n", files.size(), rows,
      [&] {
        size_t w = 0;
        for (const auto& f : files) w += f.windows.size();
        return w;
      }(),
      data_dir.c_str());
  std::printf("detector: windowed Gaussian (window 6400, step 100), erfc=%s, %s\n\n",
              gopt.erfc == omen::bench::Erfc::kLibm ? "libm" : "py27",
              gopt.round_12_digits ? "scores rounded to 12 digits as in NAB's results CSVs"
                                   : "scores not rounded");
  std::printf(
      "| profile | threshold | raw | null | perfect | Omen score | NAB published | diff |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  bool all_ok = true;
  double score_s = 0;
  std::map<std::string, omen::score::NabResult> results;
  for (const auto& pub : kPublished) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = omen::score::nab_optimize(series, pub.profile);
    score_s += seconds_since(t0);
    const double diff = r.normalized - pub.score;
    all_ok = all_ok && std::fabs(diff) <= 0.5;
    std::printf("| %s | %.6g | %.4f | %.1f | %.1f | %.4f | %.4f | %+.1e |\n",
                std::string(pub.profile.name).c_str(), r.threshold, r.raw, r.null_score, r.perfect,
                r.normalized, pub.score, diff);
    results.emplace(std::string(pub.profile.name), r);
  }
  std::printf("\ntime: load %.2fs, detector %.2fs, sweep+score (3 profiles) %.3fs\n", load_s,
              detect_s, score_s);

  // Per-file comparison with NAB's results CSVs (standard and reward_low_FP_rate).
  for (const std::string profile : {"standard", "reward_low_FP_rate"}) {
    const std::string path =
        fmt::format("{}/windowedGaussian_{}_scores.csv", reference_dir, profile);
    auto ref = omen::bench::load_reference_scores(path);
    if (!ref.ok()) {
      std::printf("\n(per-file reference %s not read: %s)\n", path.c_str(),
                  ref.error().str().c_str());
      continue;
    }
    const auto& r = results.at(profile);
    size_t same = 0;
    std::string mismatches;
    for (size_t i = 0; i < files.size(); ++i) {
      const auto it = ref.value().find(files[i].key);
      if (it == ref.value().end()) continue;
      const double want = it->second;
      const double got = r.per_series[i];
      // NAB printed 12 significant digits.
      if (std::fabs(got - want) <= 1e-10 * std::max(1.0, std::fabs(want))) {
        ++same;
      } else {
        mismatches +=
            fmt::format("    {:<60} Omen {:>+12.6f}  NAB {:>+12.6f}\n", files[i].key, got, want);
      }
    }
    std::printf("\nper-file %s scores equal to NAB's results file: %zu/%zu\n", profile.c_str(),
                same, ref.value().size());
    if (!mismatches.empty()) std::printf("%s", mismatches.c_str());
  }
  if (per_file) {
    std::printf("\n%-62s %10s %10s %10s\n", "file", "standard", "low_FP", "low_FN");
    for (size_t i = 0; i < files.size(); ++i) {
      std::printf("%-62s %10.6f %10.6f %10.6f\n", files[i].key.c_str(),
                  results.at("standard").per_series[i],
                  results.at("reward_low_FP_rate").per_series[i],
                  results.at("reward_low_FN_rate").per_series[i]);
    }
  }
  return all_ok ? 0 : 1;
}
