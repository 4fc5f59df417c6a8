// The rule validator and rule learning (`omen validate`, `omen learn`): run candidate rule
// sources over labelled data in fresh engines, score their alarms with omen::score, and gate
// them. This is the API the LLM loop (llm/) calls: every result is data (a Report with text and
// JSON renderings listing the failed gates, the metrics, and the false positives and negatives).
//
//   LabelledData  samples for the engine + the scored timeline (one series, file order) + labels
//   evaluate()    one run of a source in a FRESH engine: per-row alarm flags, verdict statistics
//   validate()    every gate, each candidate (and the current version) in its own fresh engine
//   learn()       search detector templates x parameter grids on a training span (no LLM)
//
// Alarm flags: a row (sample of the scored series) is alarmed when an alert of a counted rule is
// firing at that row's time. The engine's alert events (pending/firing/resolved/cleared, from
// poll()) are replayed as firing intervals [firing.at, resolved.at) per rule and series, and
// each row is tested against their union; `for`, `keep` and staleness are thereby exactly the
// engine's. docs/validate.md has the details.
//
// Thread safety: every function is re-entrant; concurrent calls share nothing (each builds its
// own engines). A LabelledData may be shared read-only between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "omen/engine.h"
#include "omen/score.h"

namespace omen::validate {

/// A problem with a user file (`file:line: error: message`), shared with omen::score.
using score::Diagnostic;
/// A value or the Diagnostic saying why there is none (omen::score::Result).
template <class T>
using Result = score::Result<T>;

// ---------------------------------------------------------------------------------------------
// Metrics

/// A metric the metric gate checks and the learner optimizes. Higher is better for all.
enum class Metric {
  kEventF1,      ///< event F1 with point adjustment (Argos), in [0, 1]
  kPointF1,      ///< point-wise F1, in [0, 1]
  kNabStandard,  ///< NAB normalized score, standard profile (100 = perfect, 0 = null detector)
  kNabLowFp,     ///< NAB normalized score, reward_low_FP_rate profile
  kNabLowFn,     ///< NAB normalized score, reward_low_FN_rate profile
};

/// The CLI name of a metric: event_f1, point_f1, nab_standard, nab_low_fp, nab_low_fn.
const char* metric_name(Metric metric);

/// Parses a CLI metric name (see metric_name); nullopt if unknown.
std::optional<Metric> parse_metric(std::string_view name);

/// The metric gate's default threshold: 0.5 for the F1 metrics, 0 for NAB (the null detector).
double default_min(Metric metric);

/// True for the three NAB metrics.
bool is_nab(Metric metric);

// ---------------------------------------------------------------------------------------------
// Data

/// Samples to run rules over, the timeline that is scored, and the labels on it.
/// The scored timeline is the rows of one series (the target), in file order: NAB scores rows
/// in file order, so a timestamp that repeats or goes backwards stays a row (the engine evaluates
/// samples in time order and drops a repeated time; every row is alarmed iff an alert is firing
/// at its time).
struct LabelledData {
  std::string name;            ///< where the samples came from (a path), for reports
  Batch batch;                 ///< every sample, in file order; pushed to each fresh engine
  SeriesKey target;            ///< the scored series
  std::vector<TimeMs> times;   ///< the target's sample times, in file order (one per row)
  std::vector<double> values;  ///< the target's values, parallel to `times`
  score::LabelSet labels;      ///< windows; on an index axis, row numbers of `times`
  TimeMs median_interval = 0;  ///< median positive step of `times` (0 with fewer than 2 rows)
  std::vector<std::string> warnings;  ///< e.g. label windows covering no row
};

/// How to pick the scored series and read the data.
struct DataOptions {
  /// Series key of the scored series (`cpu{host="a"}`); empty: the data must hold one series.
  std::string target;
  /// Skip malformed data rows instead of failing (as `omen run --skip-bad-rows`).
  bool skip_bad_rows = false;
};

/// Reads a data file (CSV or JSON lines, as `omen run`) and labels (`nab:FILE` with `key`,
/// `points:FILE` or `windows:FILE`, as omen::score::read_labels). Errors: unreadable or
/// malformed data or labels, no data, no or ambiguous target series, labels on a timestamp
/// axis none of whose windows covers a row of the data (wrong file or key?).
Result<LabelledData> load_data(const std::string& data_path, const std::string& label_spec,
                               const std::string& key = "", const DataOptions& options = {});

/// Builds LabelledData from samples already in memory (tests, the LLM loop). Same checks as
/// load_data; `name` is used in reports and diagnostics.
Result<LabelledData> make_data(Batch batch, score::LabelSet labels, const DataOptions& options = {},
                               std::string name = "<memory>");

/// Rows [begin, end) of the scored timeline; `end` is clamped to the number of rows.
struct Span {
  size_t begin = 0;       ///< first row scored
  size_t end = SIZE_MAX;  ///< one past the last row scored
};

/// Splits the timeline at `fraction` of its rows: {train, test}. Rules still run over all
/// samples (the test span is scored after the rule has seen the training span, as in
/// production); only the scoring is restricted.
std::pair<Span, Span> split(const LabelledData& data, double fraction);

// ---------------------------------------------------------------------------------------------
// Running a source

/// What counts as an alarmed row.
enum class AlarmMode {
  kFiring,  ///< every row at which an alert of a counted rule is firing (the default)
  kOnset,   ///< only the first row at or after each `firing` event (one detection per alert)
};

/// How candidates are run and gated.
struct Options {
  Metric metric = Metric::kEventF1;  ///< the metric gate's (and regression gate's) metric
  std::optional<double> min_metric;  ///< metric gate threshold; default default_min(metric)
  double max_nan_fraction = 0.01;    ///< gate: share of ticks with a NaN input (or verdict)
  double max_cost = 2000;            ///< gate: per-evaluation cost of each rule (RuleStats)
  double epsilon = 0.0;              ///< regression gate: candidate >= current - epsilon
  bool check_determinism = true;     ///< run twice in fresh engines and compare verdicts
  std::vector<std::string> rules;    ///< count only these rules' alerts (empty: all rules)
  AlarmMode alarm_mode = AlarmMode::kFiring;  ///< what makes a row alarmed
  Span span;                                  ///< rows that are scored (default: all)
  score::NabOptions nab;                      ///< NAB probationary period
  Tier tier = Tier::Interp;                   ///< back end of the fresh engines
  /// Staleness limit of the engines; nullopt: max(5m, 4 x the data's median interval), so that
  /// hourly data does not end every activation between two samples.
  std::optional<int64_t> staleness_ms;
  Limits limits;           ///< compile limits for untrusted sources
  size_t max_listed = 25;  ///< false positives / windows listed in reports
  /// Hook for tests and embedders: called with every fresh engine (candidate runs, the
  /// determinism re-run, the current version) after it is built and before data is pushed.
  std::function<void(Engine& engine)> on_engine;
};

/// A rule source to validate: one or more rules (and any consts, fns, series, tests).
struct Candidate {
  std::string name;    ///< file name for diagnostics and reports, e.g. `candidate.omen`
  std::string source;  ///< Omen source text
};

/// Per-rule facts of one run.
struct RuleRun {
  std::string name;              ///< rule name
  double cost = 0;               ///< per-evaluation cost estimate (RuleStats::cost)
  size_t instances = 0;          ///< series the rule evaluated (rule instances)
  uint64_t ticks = 0;            ///< evaluations (ticks over all instances)
  uint64_t nan_input_ticks = 0;  ///< ticks with a NaN (missing, stale or NaN-valued) input
  uint64_t nan_verdicts = 0;     ///< ticks whose condition was neither 0 nor 1
  size_t firing_events = 0;      ///< alerts that started firing
  Labels alert_labels;           ///< labels of the rule's first alert (identity + static labels)
  std::vector<uint8_t> flags;    ///< per timeline row: 1 if this rule alarmed there
};

/// One run of a source over the data in a fresh engine.
struct Evaluation {
  bool compiled = false;                      ///< false: nothing ran; see diagnostics
  std::vector<omen::Diagnostic> diagnostics;  ///< compiler errors and warnings
  std::string error;                          ///< an exception thrown while evaluating ("" if none)
  std::vector<RuleRun> rules;                 ///< every rule of the source, in source order
  std::vector<uint8_t> flags;                 ///< per timeline row: OR over the counted rules
  uint64_t ticks = 0;                         ///< evaluations of counted rules
  uint64_t nan_ticks = 0;                     ///< of which with a NaN input or verdict
  std::vector<uint64_t> trace;  ///< per verdict chunk: a digest of every tick (determinism)
  EngineStats stats;            ///< the engine's counters after the run
  int64_t staleness_ms = 0;     ///< staleness limit used
  double millis = 0;            ///< wall time of compile + run
};

/// Compiles `candidate` into a fresh engine, pushes every sample of `data`, and derives
/// per-row alarm flags (see AlarmMode). Never throws for a bad source or a failing rule.
Evaluation evaluate(const Candidate& candidate, const LabelledData& data,
                    const Options& options = {});

/// The staleness limit `options` gives for `data` (see Options::staleness_ms).
int64_t staleness_for(const LabelledData& data, const Options& options);

// ---------------------------------------------------------------------------------------------
// Scoring

/// All metrics of one set of flags on a span of the timeline.
struct Scores {
  score::Metrics metrics;             ///< point, event, delay, false alarms
  score::NabResult nab[3];            ///< standard, reward_low_FP_rate, reward_low_FN_rate
  double value(Metric metric) const;  ///< the named metric (NAB: normalized; NaN if no window)
};

/// Scores per-row `flags` (one per row of data.times) on `span` against the data's labels:
/// windows are clipped to the span; the NAB probation period starts at the span's first row.
/// Throws std::invalid_argument if flags.size() != data.times.size().
Scores score_flags(const LabelledData& data, std::span<const uint8_t> flags, Span span = {},
                   const score::NabOptions& nab = {});

// ---------------------------------------------------------------------------------------------
// Gates and the report

/// The gates, in the order they are reported.
enum class Gate {
  kCompiles,       ///< parses and type-checks (diagnostics in Report::diagnostics)
  kEvaluates,      ///< no exception, every rule matched a series, no ambiguous joins
  kNanVerdicts,    ///< share of ticks with NaN inputs or verdicts <= max_nan_fraction
  kDeterministic,  ///< two fresh runs give identical verdicts and alarms
  kCost,           ///< every rule's per-evaluation cost <= max_cost
  kMetric,         ///< metric >= min_metric on the span
  kNoRegression,   ///< metric >= current version's metric - epsilon (only with a current)
};

/// `compiles`, `evaluates`, `nan_verdicts`, `deterministic`, `cost`, `metric`, `no_regression`.
const char* gate_name(Gate gate);

/// Outcome of one gate.
enum class GateStatus {
  kPass,     ///< checked and satisfied
  kFail,     ///< checked and violated (the candidate is rejected)
  kSkipped,  ///< not checked: an earlier gate made it meaningless, or nothing to compare with
};

/// `pass`, `fail`, `skipped`.
const char* status_name(GateStatus status);

/// One gate's verdict with a one-line reason (always set, also on a pass).
struct GateResult {
  Gate gate = Gate::kCompiles;               ///< which gate
  GateStatus status = GateStatus::kSkipped;  ///< outcome
  std::string reason;                        ///< why, with the numbers involved
};

/// A run of consecutive alarmed rows outside every label window (false positives).
struct Episode {
  TimeMs start = 0;      ///< time of the first row
  TimeMs end = 0;        ///< time of the last row
  size_t first_row = 0;  ///< first row (0-based, in the whole timeline)
  size_t last_row = 0;   ///< last row
};

/// A label window and what the candidate did in it (a missed window is a false negative).
struct WindowOutcome {
  score::Window window;        ///< the label window as given
  size_t first_row = 0;        ///< first covered row
  size_t last_row = 0;         ///< last covered row
  bool detected = false;       ///< some row in it is alarmed
  size_t first_alarm_row = 0;  ///< when detected: the first alarmed row
  int64_t delay_ms = 0;        ///< when detected: time from the window's first row
};

/// Everything validate() found. Render with format_text / format_json.
struct Report {
  std::string candidate;                      ///< the candidate's name
  std::string data;                           ///< data name
  std::string labels;                         ///< label source
  std::string target;                         ///< scored series
  bool passed = false;                        ///< every gate passed or was skipped
  std::vector<GateResult> gates;              ///< one per Gate, in order
  std::vector<omen::Diagnostic> diagnostics;  ///< compiler output of the candidate
  std::vector<std::string> warnings;          ///< data, label and run warnings
  Metric metric = Metric::kEventF1;           ///< gated metric
  double min_metric = 0;                      ///< its threshold
  std::optional<double> value;                ///< the candidate's metric (none if it did not run)
  std::optional<double> current_value;        ///< the current version's metric, when given and run
  Scores scores;                              ///< all metrics of the candidate (when it ran)
  std::optional<Scores> current_scores;       ///< all metrics of the current version
  size_t rows = 0;                            ///< rows scored (the span)
  Span span;                                  ///< the span scored (clamped)
  score::TimeAxis axis = score::TimeAxis::kTimestamp;  ///< label axis
  AlarmMode alarm_mode = AlarmMode::kFiring;           ///< how rows were alarmed
  size_t alarmed_rows = 0;                             ///< alarmed rows in the span
  std::vector<Episode> false_positives;                ///< the max_listed longest, in time order
  size_t false_positive_episodes = 0;                  ///< all of them
  std::vector<WindowOutcome> windows;  ///< every label window covering a row of the span
  std::vector<RuleRun> rules;          ///< per-rule facts (flags cleared)
  uint64_t ticks = 0;                  ///< evaluations of counted rules
  uint64_t nan_ticks = 0;              ///< of which with a NaN input or verdict
  int64_t staleness_ms = 0;            ///< staleness limit used
  size_t max_listed = 25;              ///< listing limit used by the renderings
  double millis = 0;                   ///< wall time of the whole validation
};

/// Runs every gate on `candidate` (in fresh engines, twice when checking determinism) and, when
/// `current` is given, on the current version of the same rules (in its own fresh engine; only
/// its rules that share a name with a candidate rule count, or all when none does). Never
/// throws for bad sources; the Report says what failed and why.
Report validate(const Candidate& candidate, const LabelledData& data, const Options& options = {},
                const std::optional<Candidate>& current = std::nullopt);

/// A human-readable report: gates, metrics, false positives and missed windows.
std::string format_text(const Report& report);

/// The report as one JSON object (pretty-printed, 2-space indent, trailing newline).
std::string format_json(const Report& report);

// ---------------------------------------------------------------------------------------------
// Learning

/// Options of learn().
struct LearnOptions {
  Metric metric = Metric::kEventF1;   ///< selection metric (on the training span)
  double train_fraction = 0.5;        ///< leading share of rows used for selection
  unsigned jobs = 0;                  ///< worker threads; 0: std::thread::hardware_concurrency()
  size_t combine_top = 6;             ///< best distinct singles combined pairwise (and / or)
  size_t rules_per_engine = 24;       ///< template rules evaluated together in one fresh engine
  std::string rule_name = "Learned";  ///< name of the written rule
  AlarmMode alarm_mode = AlarmMode::kFiring;  ///< what makes a row alarmed
  score::NabOptions nab;                ///< NAB probation (the test span is scored without it)
  std::optional<int64_t> staleness_ms;  ///< as Options::staleness_ms
  Tier tier = Tier::Interp;             ///< back end of the engines
  /// Families to search (names as in LearnedRule::family); empty: every family available.
  std::vector<std::string> families;
  /// Called from worker threads, serialized, after each engine: (done, total, phase).
  std::function<void(size_t done, size_t total, std::string_view phase)> progress;
};

/// One searched candidate and its figures.
struct LearnedRule {
  std::string family;  ///< template family, e.g. `robust_z`, `value_above`, `and`
  /// Identity of the template and its parameters in data-relative units (windows in median
  /// intervals `u`, value thresholds as training quantiles), e.g. `robust_z|abs|w=48u|k=5|for=1u`:
  /// the same key names the same detector on every series (benchmarks compare fixed detectors).
  std::string key;
  std::string description;  ///< parameters in words, e.g. `|robust_z(x, 4h)| > 5, for 10m`
  std::string when;         ///< the condition (Omen expression over the series `x`)
  int64_t for_ms = 0;       ///< the `for` duration (0 for `or` combinations: per-rule)
  std::vector<std::pair<std::string, int64_t>> parts;  ///< `or`: each rule's (when, for)
  double train = 0;                                    ///< metric on the training span
  double test = 0;                                     ///< metric on the held-out span
  Scores train_scores;                                 ///< all metrics, training span
  Scores test_scores;                                  ///< all metrics, held-out span
};

/// What learn() found.
struct LearnResult {
  bool ok = false;               ///< false: see error, nothing was learned
  std::string error;             ///< why
  LearnedRule best;              ///< the selected rule; figures from a run of its file alone
  std::vector<LearnedRule> top;  ///< the 10 best in selection order (docs/validate.md), best first
  std::vector<LearnedRule> all;  ///< every candidate, in search order (singles, then combinations)
  std::vector<std::string> warnings;  ///< e.g. a template batch that failed to compile
  size_t candidates = 0;              ///< candidates evaluated (singles + combinations)
  Span train;                         ///< training rows
  Span test;                          ///< held-out rows
  std::string source;                 ///< the rule file, with provenance comments
  double millis = 0;                  ///< wall time
};

/// Template families learn() can search in this build: value_above, value_below, zscore,
/// robust_z, quantile_band, jump, ewma_dev, and the standard library's detector families
/// (spike, iqr_outlier, level_shift, volatility_shift, seasonal, ar, cusum, changepoint) when
/// this build's `std` has them.
std::vector<std::string> learn_families();

/// Searches detector templates x parameter grids (value thresholds, z-score, robust z-score,
/// quantile bands, jumps, EWMA deviation, `for` durations; stdlib detectors when present), then
/// pairwise and/or combinations of the best distinct templates, selects on the training span
/// (the metric smoothed over grid neighbours, then the raw metric, then fewer alarms) and
/// reports the choice on the held-out span. Deterministic for given data and options, whatever
/// `jobs` and `rules_per_engine`.
LearnResult learn(const LabelledData& data, const LearnOptions& options = {});

/// The Omen `series` declaration that selects `target`, as learned rules write it
/// (`series x = metric("cpu", host="a")`).
std::string series_declaration(const SeriesKey& target, const std::string& name = "x");

}  // namespace omen::validate
