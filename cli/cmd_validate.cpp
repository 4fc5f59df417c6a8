// omen validate | learn: gate rules on labelled data; learn a rule from labels (no LLM).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "omen/testing.h"
#include "omen/validate.h"

namespace omen::cli {
namespace {

constexpr const char* kValidateUsage =
    "usage: omen validate RULES.omen --data FILE --labels KIND:FILE [options]\n"
    "\n"
    "Runs the rules over labelled data in fresh engines and applies the gates: compiles,\n"
    "evaluates, nan_verdicts, deterministic, cost, metric, no_regression. Exit status 0 when\n"
    "every gate passes, 1 when one fails or an input is bad, 2 on a usage error.\n"
    "\n"
    "  --data FILE            samples (CSV wide/long or JSON lines, as `omen run`)\n"
    "  --labels nab:FILE      NAB combined_windows.json (with --key realKnownCause/nyc_taxi.csv)\n"
    "  --labels points:FILE   per-point 0/1 'label' CSV ('timestamp' or 'index' column)\n"
    "  --labels windows:FILE  CSV of 'start,end' windows\n"
    "  --key KEY              the NAB file key of the data\n"
    "  --target SERIES        the scored series when the data holds several (e.g. "
    "cpu{host=\"a\"})\n"
    "  --metric M             event_f1 (default), point_f1, nab_standard, nab_low_fp, nab_low_fn\n"
    "  --min X                metric gate threshold (default 0.5 for F1, 0 for NAB)\n"
    "  --current OLD.omen     the currently loaded version: the candidate must score\n"
    "                         >= current - epsilon\n"
    "  --epsilon X            regression tolerance (default 0)\n"
    "  --rule NAME            count only this rule's alerts (repeatable; default all rules)\n"
    "  --max-nan X            largest share of ticks with NaN inputs (default 0.01)\n"
    "  --max-cost X           per-evaluation cost budget of each rule (default 2000)\n"
    "  --no-determinism       skip the second run\n"
    "  --alarm firing|onset   a row is alarmed while an alert fires (default) or only at the\n"
    "                         first row of each firing\n"
    "  --staleness DUR        engine staleness (default max(5m, 4 x median interval))\n"
    "  --tier interp|jit|auto back end (default interp)\n"
    "  --probation P          NAB probationary share (default 0.15)\n"
    "  --span A:B             score rows [A, B) only\n"
    "  --max-listed N         false positives / windows listed (default 25)\n"
    "  --format text|json     report format (default text)\n"
    "  --skip-bad-rows        skip malformed data rows\n";

constexpr const char* kLearnUsage =
    "usage: omen learn --data FILE --labels KIND:FILE [options]\n"
    "\n"
    "Searches detector templates x parameter grids (and pairwise and/or combinations) on the\n"
    "training span, selects by the metric, reports it on the held-out span and writes a rule.\n"
    "\n"
    "  --data, --labels, --key, --target   as for `omen validate`\n"
    "  --train-fraction F     leading share of rows used for selection (default 0.5)\n"
    "  --metric M             event_f1 (default), point_f1, nab_standard, nab_low_fp, nab_low_fn\n"
    "  --out FILE             write the rule file here (default: print it on stdout)\n"
    "  --jobs N               worker threads (default: all cores)\n"
    "  --families A,B         template families (value_above, value_below, zscore, robust_z,\n"
    "                         quantile_band, jump, ewma_dev, and the stdlib detectors spike,\n"
    "                         iqr_outlier, level_shift, volatility_shift, seasonal, ar, cusum,\n"
    "                         changepoint when the build has them; default all)\n"
    "  --combine-top K        best singles combined pairwise (default 6)\n"
    "  --rule-name NAME       name of the learned rule (default Learned)\n"
    "  --alarm firing|onset   as for `omen validate`\n"
    "  --staleness DUR        engine staleness\n"
    "  --format text|json     summary format (default text)\n"
    "  --quiet                no progress on stderr\n"
    "  --skip-bad-rows        skip malformed data rows\n";

int usage_error(const char* cmd, const std::string& msg, const char* usage) {
  std::fprintf(stderr, "omen %s: error: %s\n\n%s", cmd, msg.c_str(), usage);
  return 2;
}

bool parse_double(const std::string& s, double* out) {
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return !s.empty() && end && *end == '\0' && std::isfinite(*out);
}

bool read_file(const std::string& path, std::string* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  *out = ss.str();
  return static_cast<bool>(f) || f.eof();
}

// Options shared by validate and learn; returns "" or a usage error.
std::string common(const Args& args, validate::DataOptions* data, std::optional<int64_t>* stale,
                   validate::AlarmMode* alarm, validate::Metric* metric) {
  data->target = args.get("target");
  data->skip_bad_rows = args.flag("skip-bad-rows");
  if (args.has("staleness")) {
    try {
      *stale = parse_duration_arg(args.get("staleness"));
    } catch (const std::exception& e) {
      return e.what();
    }
  }
  const std::string a = args.get("alarm", "firing");
  if (a == "firing")
    *alarm = validate::AlarmMode::kFiring;
  else if (a == "onset")
    *alarm = validate::AlarmMode::kOnset;
  else
    return "--alarm must be firing or onset";
  auto m = validate::parse_metric(args.get("metric", "event_f1"));
  if (!m)
    return "unknown metric '" + args.get("metric") +
           "' (event_f1, point_f1, nab_standard, nab_low_fp, nab_low_fn)";
  *metric = *m;
  if (!args.has("data")) return "--data is required";
  if (!args.has("labels")) return "--labels is required";
  const std::string spec = args.get("labels");
  if (spec.rfind("nab:", 0) == 0 && !args.has("key"))
    return "--labels nab:FILE needs --key (the data file's key in the NAB windows file, e.g. "
           "realKnownCause/nyc_taxi.csv)";
  return "";
}

}  // namespace

int run_validate(int argc, char** argv) {
  Args args(
      argc, argv,
      {"data", "labels", "key", "target", "metric", "min", "current", "epsilon", "rule", "max-nan",
       "max-cost", "alarm", "staleness", "tier", "probation", "span", "max-listed", "format"},
      {"no-determinism", "skip-bad-rows", "help"});
  if (args.flag("help")) return std::fputs(kValidateUsage, stdout), 0;
  if (!args.ok()) return usage_error("validate", args.error(), kValidateUsage);
  if (args.positional().size() != 1)
    return usage_error(
        "validate", args.positional().empty() ? "no rule file given" : "give exactly one rule file",
        kValidateUsage);
  validate::Options o;
  validate::DataOptions dopt;
  if (auto e = common(args, &dopt, &o.staleness_ms, &o.alarm_mode, &o.metric); !e.empty())
    return usage_error("validate", e, kValidateUsage);
  const std::string format = args.get("format", "text");
  if (format != "text" && format != "json")
    return usage_error("validate", "--format must be text or json", kValidateUsage);
  struct Num {
    const char* name;
    double* out;
  };
  double min = 0, probation = o.nab.probation_percent, max_listed = 25;
  for (Num n : {Num{"min", &min}, Num{"epsilon", &o.epsilon}, Num{"max-nan", &o.max_nan_fraction},
                Num{"max-cost", &o.max_cost}, Num{"probation", &probation},
                Num{"max-listed", &max_listed}}) {
    if (!args.has(n.name)) continue;
    if (!parse_double(args.get(n.name), n.out))
      return usage_error("validate",
                         fmt::format("--{}: not a number: {}", n.name, args.get(n.name)),
                         kValidateUsage);
  }
  if (args.has("min")) o.min_metric = min;
  if (probation < 0 || probation >= 1)
    return usage_error("validate", "--probation must be in [0, 1)", kValidateUsage);
  o.nab.probation_percent = probation;
  if (max_listed < 0) return usage_error("validate", "--max-listed must be >= 0", kValidateUsage);
  o.max_listed = static_cast<size_t>(max_listed);
  o.check_determinism = !args.flag("no-determinism");
  o.rules = args.all("rule");
  const std::string tier = args.get("tier", "interp");
  if (tier == "interp")
    o.tier = Tier::Interp;
  else if (tier == "jit")
    o.tier = Tier::Jit;
  else if (tier == "auto")
    o.tier = Tier::Auto;
  else
    return usage_error("validate", "--tier must be interp, jit or auto", kValidateUsage);
  if (args.has("span")) {
    const std::string s = args.get("span");
    const size_t colon = s.find(':');
    char* end = nullptr;
    if (colon == std::string::npos)
      return usage_error("validate", "--span must be A:B (rows)", kValidateUsage);
    const std::string a = s.substr(0, colon), b = s.substr(colon + 1);
    o.span.begin = a.empty() ? 0 : std::strtoull(a.c_str(), &end, 10);
    if (!a.empty() && *end) return usage_error("validate", "--span: bad row " + a, kValidateUsage);
    o.span.end = b.empty() ? SIZE_MAX : std::strtoull(b.c_str(), &end, 10);
    if (!b.empty() && *end) return usage_error("validate", "--span: bad row " + b, kValidateUsage);
  }

  const std::string rules_path = args.positional()[0];
  validate::Candidate cand{rules_path, ""};
  if (!read_file(rules_path, &cand.source)) {
    std::fprintf(stderr, "%s: error: cannot read the rule file\n", rules_path.c_str());
    return 1;
  }
  std::optional<validate::Candidate> current;
  if (args.has("current")) {
    current = validate::Candidate{args.get("current"), ""};
    if (!read_file(current->name, &current->source)) {
      std::fprintf(stderr, "%s: error: cannot read the current rule file\n", current->name.c_str());
      return 1;
    }
  }
  auto data = validate::load_data(args.get("data"), args.get("labels"), args.get("key"), dopt);
  if (!data.ok()) {
    std::fprintf(stderr, "%s\n", data.error().str().c_str());
    return 1;
  }
  validate::Report rep = validate::validate(cand, data.value(), o, current);
  const std::string out =
      format == "json" ? validate::format_json(rep) : validate::format_text(rep);
  std::fputs(out.c_str(), stdout);
  return rep.passed ? 0 : 1;
}

int run_learn(int argc, char** argv) {
  Args args(argc, argv,
            {"data", "labels", "key", "target", "metric", "train-fraction", "out", "jobs",
             "families", "combine-top", "rule-name", "alarm", "staleness", "format"},
            {"quiet", "skip-bad-rows", "help"});
  if (args.flag("help")) return std::fputs(kLearnUsage, stdout), 0;
  if (!args.ok()) return usage_error("learn", args.error(), kLearnUsage);
  if (!args.positional().empty())
    return usage_error("learn", "unexpected argument '" + args.positional()[0] + "'", kLearnUsage);
  validate::LearnOptions o;
  validate::DataOptions dopt;
  if (auto e = common(args, &dopt, &o.staleness_ms, &o.alarm_mode, &o.metric); !e.empty())
    return usage_error("learn", e, kLearnUsage);
  const std::string format = args.get("format", "text");
  if (format != "text" && format != "json")
    return usage_error("learn", "--format must be text or json", kLearnUsage);
  double f = 0.5, jobs = 0, top = static_cast<double>(o.combine_top);
  if (args.has("train-fraction") &&
      (!parse_double(args.get("train-fraction"), &f) || f <= 0 || f >= 1))
    return usage_error("learn", "--train-fraction must be a number in (0, 1)", kLearnUsage);
  if (args.has("jobs") && (!parse_double(args.get("jobs"), &jobs) || jobs < 1 || jobs > 1024 ||
                           jobs != std::floor(jobs)))
    return usage_error("learn", "--jobs must be a whole number >= 1", kLearnUsage);
  if (args.has("combine-top") &&
      (!parse_double(args.get("combine-top"), &top) || top < 0 || top != std::floor(top)))
    return usage_error("learn", "--combine-top must be a whole number >= 0", kLearnUsage);
  o.train_fraction = f;
  o.jobs = static_cast<unsigned>(jobs);
  o.combine_top = static_cast<size_t>(top);
  o.rule_name = args.get("rule-name", "Learned");
  if (args.has("families")) {
    const std::string fams = args.get("families");
    size_t pos = 0;
    while (pos <= fams.size()) {
      size_t comma = fams.find(',', pos);
      if (comma == std::string::npos) comma = fams.size();
      if (comma > pos) o.families.push_back(fams.substr(pos, comma - pos));
      pos = comma + 1;
    }
    const std::vector<std::string> known = validate::learn_families();
    for (const auto& fam : o.families)
      if (std::find(known.begin(), known.end(), fam) == known.end())
        return usage_error("learn",
                           fmt::format("unknown template family '{}' (this build has: {})", fam,
                                       fmt::join(known, ", ")),
                           kLearnUsage);
  }
  auto data = validate::load_data(args.get("data"), args.get("labels"), args.get("key"), dopt);
  if (!data.ok()) {
    std::fprintf(stderr, "%s\n", data.error().str().c_str());
    return 1;
  }
  for (const auto& w : data.value().warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());

  const auto t0 = std::chrono::steady_clock::now();
  auto last = t0;
  bool printed = false;
  if (!args.flag("quiet")) {
    o.progress = [&](size_t done, size_t total, std::string_view phase) {
      auto now = std::chrono::steady_clock::now();
      if (now - last < std::chrono::milliseconds(500) && done < total) return;
      last = now;
      printed = true;
      std::fprintf(stderr, "omen learn: %.*s: %zu/%zu engine batches (%.0f%%), %.1f s\n",
                   static_cast<int>(phase.size()), phase.data(), done, total,
                   total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0,
                   std::chrono::duration<double>(now - t0).count());
    };
  }
  validate::LearnResult res = validate::learn(data.value(), o);
  for (const auto& w : res.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  if (!res.ok) {
    std::fprintf(stderr, "omen learn: error: %s\n", res.error.c_str());
    return 1;
  }
  (void)printed;
  auto num = [](double v) { return std::isnan(v) ? std::string("n/a") : fmt::format("{:.4f}", v); };
  const char* mname = validate::metric_name(o.metric);
  if (format == "json") {
    nlohmann::json j;
    auto rule_json = [&](const validate::LearnedRule& r) {
      nlohmann::json x = {
          {"family", r.family},
          {"key", r.key},
          {"description", r.description},
          {"train", std::isnan(r.train) || std::isinf(r.train) ? nlohmann::json(nullptr)
                                                               : nlohmann::json(r.train)},
          {"test", std::isnan(r.test) ? nlohmann::json(nullptr) : nlohmann::json(r.test)},
          {"train_event_f1", r.train_scores.metrics.event.f1},
          {"test_event_f1", r.test_scores.metrics.event.f1}};
      return x;
    };
    j["metric"] = mname;
    j["candidates"] = res.candidates;
    j["train"] = {{"begin", res.train.begin}, {"end", res.train.end}};
    j["test"] = {{"begin", res.test.begin}, {"end", res.test.end}};
    j["best"] = rule_json(res.best);
    j["top"] = nlohmann::json::array();
    for (const auto& r : res.top) j["top"].push_back(rule_json(r));
    j["source"] = res.source;
    j["millis"] = res.millis;
    std::fputs((j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n").c_str(),
               stdout);
  } else {
    std::printf("learned: %s\n", res.best.description.c_str());
    std::printf("  %s: train %s (rows %zu..%zu), test %s (rows %zu..%zu)\n", mname,
                num(res.best.train).c_str(), res.train.begin, res.train.end - 1,
                num(res.best.test).c_str(), res.test.begin, res.test.end ? res.test.end - 1 : 0);
    std::printf("  %zu candidates in %.1f s\n\ntop candidates (by training %s)\n", res.candidates,
                res.millis / 1000, mname);
    for (const auto& r : res.top)
      std::printf("  train %-8s test %-8s %s\n", num(r.train).c_str(), num(r.test).c_str(),
                  r.description.c_str());
  }
  if (args.has("out")) {
    std::ofstream out(args.get("out"));
    out << res.source;
    if (!out) {
      std::fprintf(stderr, "omen learn: cannot write %s\n", args.get("out").c_str());
      return 1;
    }
    if (format != "json") std::printf("\nwrote %s\n", args.get("out").c_str());
  } else if (format != "json") {
    std::printf("\n%s", res.source.c_str());
  }
  return 0;
}

}  // namespace omen::cli
