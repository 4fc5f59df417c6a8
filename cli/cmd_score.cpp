// omen score: alarms (or anomaly scores) of one series against its labels.
//
//   omen score --labels nab:combined_windows.json --key realKnownCause/nyc_taxi.csv
//              --alarms alarms.csv [--metric event_f1|point_f1|nab_standard|nab_low_fp|
//              nab_low_fn|nab|all] [--threshold T] [--probation P] [--format text|json]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "omen/score.h"

namespace omen::cli {
namespace {

constexpr const char* kUsage =
    "usage: omen score --labels KIND:FILE [--key KEY] --alarms FILE [options]\n"
    "\n"
    "Scores one series' alarms against labelled anomaly windows.\n"
    "\n"
    "  --labels nab:FILE      NAB combined_windows.json (needs --key, e.g.\n"
    "                         realKnownCause/nyc_taxi.csv)\n"
    "  --labels points:FILE   per-point CSV with a 0/1 'label' column and a 'timestamp'\n"
    "                         or 'index' column (Argos: value,label,index)\n"
    "  --labels windows:FILE  CSV with 'start,end' columns\n"
    "  --alarms FILE          CSV: 'timestamp' (or 'index') and 'alarm' (0/1) or 'score'\n"
    "                         (anomaly score in [0,1]) columns\n"
    "  --metric M             event_f1, point_f1, nab_standard, nab_low_fp, nab_low_fn,\n"
    "                         nab (all three profiles) or all (default)\n"
    "  --threshold T          scores: alarm iff score >= T. Default 0.5 for the F1 metrics;\n"
    "                         without it NAB sweeps every threshold as NAB's optimizer does\n"
    "  --probation P          NAB probationary share of the series (default 0.15)\n"
    "  --format text|json     output format (default text)\n";

int usage_error(const std::string& message) {
  std::fprintf(stderr, "omen score: error: %s\n\n%s", message.c_str(), kUsage);
  return 2;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  return 1;
}

}  // namespace

int run_score(int argc, char** argv) {
  std::string labels_spec, key, alarms_path, metric = "all", format = "text";
  std::optional<double> threshold;
  double probation = 0.15;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    std::string v;
    if (arg == "--labels") {
      if (!value(&labels_spec)) return usage_error("--labels needs a value");
    } else if (arg == "--key") {
      if (!value(&key)) return usage_error("--key needs a value");
    } else if (arg == "--alarms") {
      if (!value(&alarms_path)) return usage_error("--alarms needs a value");
    } else if (arg == "--metric") {
      if (!value(&metric)) return usage_error("--metric needs a value");
    } else if (arg == "--format") {
      if (!value(&format)) return usage_error("--format needs a value");
    } else if (arg == "--threshold" || arg == "--probation") {
      if (!value(&v)) return usage_error(arg + " needs a value");
      char* end = nullptr;
      const double d = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0') return usage_error(arg + ": not a number: " + v);
      if (arg == "--threshold") {
        threshold = d;
      } else if (d < 0 || d >= 1) {
        return usage_error("--probation must be in [0, 1)");
      } else {
        probation = d;
      }
    } else {
      return usage_error("unknown argument '" + arg + "'");
    }
  }
  if (labels_spec.empty()) return usage_error("--labels is required");
  if (alarms_path.empty()) return usage_error("--alarms is required");
  if (format != "text" && format != "json") return usage_error("--format must be text or json");
  const std::vector<std::string> metrics = {"all",          "event_f1",   "point_f1",  "nab",
                                            "nab_standard", "nab_low_fp", "nab_low_fn"};
  if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end()) {
    return usage_error("unknown metric '" + metric + "'");
  }

  auto labels = score::read_labels(labels_spec, key);
  if (!labels.ok()) return fail(labels.error().str());
  auto alarms = score::read_alarms(alarms_path);
  if (!alarms.ok()) return fail(alarms.error().str());
  const score::LabelSet& ls = labels.value();
  score::AlarmSeries& as = alarms.value();

  // Index labels (Argos) name rows: against a timestamped alarm file, row r is index r.
  std::vector<TimeMs> times = as.times;
  score::TimeAxis axis = as.axis;
  if (ls.axis == score::TimeAxis::kIndex && as.axis == score::TimeAxis::kTimestamp) {
    for (size_t r = 0; r < times.size(); ++r) times[r] = static_cast<TimeMs>(r);
    axis = score::TimeAxis::kIndex;
  } else if (ls.axis == score::TimeAxis::kTimestamp && as.axis == score::TimeAxis::kIndex) {
    return fail(
        fmt::format("{}: error: the labels are timestamps but the alarm file has no "
                    "'timestamp' column",
                    alarms_path));
  }
  if (!as.scores && threshold) {
    std::fprintf(stderr, "omen score: warning: --threshold ignored: %s has 0/1 alarms\n",
                 alarms_path.c_str());
    threshold.reset();
  }

  score::Report report;
  report.labels = ls.source;
  report.alarms = alarms_path;
  report.axis = axis;
  const double flag_threshold = as.scores ? threshold.value_or(0.5) : 1.0;
  if (as.scores) report.threshold = flag_threshold;
  const auto flags = score::flags_from_scores(as.values, flag_threshold);
  report.metrics = score::evaluate(times, flags, ls.windows, axis);
  if (report.metrics.empty_windows > 0) {
    std::fprintf(stderr,
                 "omen score: warning: %zu of %zu label windows cover no row of %s (outside "
                 "its time range?); they are not scored\n",
                 report.metrics.empty_windows, report.metrics.windows, alarms_path.c_str());
  }
  report.include_point = metric == "all" || metric == "point_f1";
  report.include_event = metric == "all" || metric == "event_f1";

  std::vector<score::NabProfile> profiles;
  if (metric == "all" || metric == "nab" || metric == "nab_standard") {
    profiles.push_back(score::kNabStandard);
  }
  if (metric == "all" || metric == "nab" || metric == "nab_low_fp") {
    profiles.push_back(score::kNabLowFp);
  }
  if (metric == "all" || metric == "nab" || metric == "nab_low_fn") {
    profiles.push_back(score::kNabLowFn);
  }
  const score::NabOptions options{probation};
  const score::NabSeries series{key.empty() ? alarms_path : key, times, as.values, ls.windows};
  const std::span<const score::NabSeries> corpus(&series, 1);
  report.nab_swept = as.scores && !threshold;
  for (const auto& profile : profiles) {
    const score::NabResult res = report.nab_swept
                                     ? score::nab_optimize(corpus, profile, options)
                                     : score::nab_score(corpus, profile, flag_threshold, options);
    report.nab.emplace_back(profile, res);
  }
  const std::string out =
      format == "json" ? score::format_json(report) : score::format_text(report);
  std::fputs(out.c_str(), stdout);
  return 0;
}

}  // namespace omen::cli
