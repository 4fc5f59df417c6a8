// Scoring alarms against labelled anomalies: the metric and label layer of `omen validate`.
//
//   labels   NAB's combined_windows.json, a per-point label CSV (Argos: value,label,index),
//            or a CSV of start,end windows  ->  LabelSet (sorted, disjoint windows)
//   alarms   per-point flags (or anomaly scores and a threshold) on the series' timeline
//   metrics  point P/R/F1, event F1 with point adjustment (Argos), detection delay,
//            false alarms per day, and the NAB score (standard, reward_low_FP_rate,
//            reward_low_FN_rate) computed as NAB's scorer and threshold sweeper compute it.
//
// Every function here is a pure function of its arguments and safe to call concurrently.
// User errors in input files come back as data (Diagnostic); a violated precondition of the
// scoring functions (mismatched lengths, NaN scores) throws std::invalid_argument.
// docs/scoring.md gives the exact definitions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "omen/types.h"

namespace omen::score {

// ---------------------------------------------------------------------------------------------
// Diagnostics

/// A problem in a user-supplied file: where it is and what is wrong.
struct Diagnostic {
  std::string file;     ///< the path (or name) as given by the caller
  size_t line = 0;      ///< 1-based line; 0 when the problem is not tied to one line
  std::string message;  ///< one sentence, no trailing period

  /// Clang style: `file:line: error: message` (`file: error: message` when line is 0).
  std::string str() const;
};

/// A value or the diagnostic explaining why there is none. Check ok() before value().
template <class T>
class Result {
 public:
  /// A successful result holding `value`.
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  /// A failed result.
  Result(Diagnostic error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  /// True if a value is held.
  bool ok() const { return value_.has_value(); }
  /// The value; only valid when ok().
  const T& value() const { return *value_; }
  /// The value, movable; only valid when ok().
  T& value() { return *value_; }
  /// The diagnostic; meaningful only when !ok().
  const Diagnostic& error() const { return error_; }

 private:
  std::optional<T> value_;
  Diagnostic error_;
};

// ---------------------------------------------------------------------------------------------
// Labels

/// What the times of labels and alarms mean: wall-clock time, or a 0-based row index.
enum class TimeAxis {
  kTimestamp,  ///< milliseconds since the Unix epoch (UTC)
  kIndex,      ///< row number of the series (Argos' `index` column)
};

/// One labelled anomaly window; both ends are inclusive.
struct Window {
  TimeMs start = 0;  ///< first labelled instant (or row index)
  TimeMs end = 0;    ///< last labelled instant (or row index); end >= start
  /// Field-wise equality.
  bool operator==(const Window&) const = default;
};

/// The labels of one series: windows sorted by start, pairwise disjoint (no shared instant).
struct LabelSet {
  TimeAxis axis = TimeAxis::kTimestamp;  ///< how to read Window::start/end
  std::vector<Window> windows;           ///< sorted, disjoint
  std::string source;                    ///< where they came from, e.g. `file.json#key`
};

/// Parses a date and time as the data readers do: NAB's `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC),
/// RFC 3339 (`T` for the space, `Z` or a `+HH:MM` offset) or a bare date. Fractions beyond
/// milliseconds are truncated. A plain number is not a time here. nullopt if malformed or out
/// of range (years 0000-9999).
std::optional<TimeMs> parse_time(std::string_view text);

/// Formats as `YYYY-MM-DD HH:MM:SS` (with `.mmm` when the milliseconds are non-zero).
std::string format_time(TimeMs t);

/// NAB's combined_windows.json from text: the windows of file key `key`
/// (e.g. `realKnownCause/nyc_taxi.csv`). Errors: invalid JSON, unknown key, bad timestamps,
/// end < start, overlapping windows — each with the line in `name`.
Result<LabelSet> parse_nab_windows(std::string_view text, const std::string& name,
                                   const std::string& key);

/// Same as parse_nab_windows, for every key of the file (NAB's benchmark corpus).
Result<std::map<std::string, LabelSet>> parse_nab_windows_all(std::string_view text,
                                                              const std::string& name);

/// A per-point label CSV: a `label` column of 0/1 and a `timestamp` (or `time`) column, else an
/// `index` column, else the row number. Runs of consecutive label-1 rows become windows.
/// Argos' layout `value,label,index` is read as index-based labels.
Result<LabelSet> parse_point_labels(std::string_view text, const std::string& name);

/// A CSV of windows with a header naming `start,end` columns. Values are timestamps, or
/// integers (row indices) when every value is an integer. Windows may be listed in any order.
Result<LabelSet> parse_window_csv(std::string_view text, const std::string& name);

/// Reads labels named by `spec`: `nab:FILE` (needs `key`), `points:FILE` or `windows:FILE`.
Result<LabelSet> read_labels(std::string_view spec, const std::string& key = "");

/// Reads a whole NAB windows file (every key), for benchmarks over the NAB corpus.
Result<std::map<std::string, LabelSet>> read_nab_windows_all(const std::string& path);

// ---------------------------------------------------------------------------------------------
// Alarms

/// A detector's output on one series, in file order.
struct AlarmSeries {
  TimeAxis axis = TimeAxis::kTimestamp;  ///< meaning of `times`
  std::vector<TimeMs> times;             ///< one per row, file order (may repeat or go back)
  std::vector<double> values;            ///< per row: 0/1 alarm flag, or anomaly score in [0,1]
  bool scores = false;  ///< true if `values` are anomaly scores (a `score` column), else flags
};

/// Parses an alarm CSV: a `timestamp` (or `time`) or `index` column (else the row number), and an
/// `alarm` column of 0/1 or a `score` column in [0,1] (`anomaly_score` is accepted too).
Result<AlarmSeries> parse_alarms(std::string_view text, const std::string& name);

/// Reads an alarm CSV from a file; see parse_alarms.
Result<AlarmSeries> read_alarms(const std::string& path);

/// Flags from scores as NAB converts them: a row alarms iff score >= threshold.
std::vector<uint8_t> flags_from_scores(std::span<const double> scores, double threshold);

/// Flags on the timeline `times` from alarm instants: each alarm marks the first row whose time
/// is >= the alarm time (the first sample at which it is visible). Alarms after the last row
/// are dropped and counted in `*dropped` when given.
std::vector<uint8_t> flags_from_alarm_times(std::span<const TimeMs> times,
                                            std::span<const TimeMs> alarm_times,
                                            size_t* dropped = nullptr);

// ---------------------------------------------------------------------------------------------
// Windows on a timeline

/// Rows [first, last] (inclusive) of a series covered by one window.
struct RowRange {
  size_t first = 0;  ///< first covered row
  size_t last = 0;   ///< last covered row, >= first
};

/// Maps each window to the rows it covers, as NAB's sweeper does: a window is entered at the
/// first row (after the previous window) whose time equals its start and left at the next row
/// whose time equals its end. When a limit is not an exact row time, the window snaps to the
/// rows inside it. nullopt for a window that covers no row.
std::vector<std::optional<RowRange>> resolve_windows(std::span<const TimeMs> times,
                                                     std::span<const Window> windows);

// ---------------------------------------------------------------------------------------------
// Point and event metrics

/// Point-wise confusion counts and scores: every row is one sample.
struct PointMetrics {
  size_t tp = 0;         ///< alarming rows inside a window
  size_t fp = 0;         ///< alarming rows outside every window
  size_t fn = 0;         ///< quiet rows inside a window
  size_t tn = 0;         ///< quiet rows outside every window
  double precision = 0;  ///< tp / (tp + fp); 0 when there is no alarm
  double recall = 0;     ///< tp / (tp + fn); 0 when no row is labelled
  double f1 = 0;         ///< harmonic mean; 0 when precision + recall == 0
};

/// Event-based scores with point adjustment, as Argos defines them: a labelled segment is one
/// true positive if any of its rows alarms; every alarming row outside all segments is one false
/// positive; precision = TP / (TP + FP), recall = TP / segments.
struct EventMetrics {
  size_t segments = 0;         ///< windows covering at least one row
  size_t detected = 0;         ///< segments with at least one alarming row (TP)
  size_t false_positives = 0;  ///< alarming rows outside every segment (FP)
  double precision = 0;        ///< 0 when TP + FP == 0
  double recall = 0;           ///< 0 when there is no segment
  double f1 = 0;               ///< 0 when precision + recall == 0
};

/// Time from a segment's first row to its first alarming row, over detected segments.
struct DelayMetrics {
  size_t detected = 0;     ///< segments the statistics are over
  double mean_ms = 0;      ///< mean delay in time units (ms; rows on an index axis)
  double median_ms = 0;    ///< median delay (mean of the middle two when even)
  double mean_rows = 0;    ///< mean delay in rows
  double median_rows = 0;  ///< median delay in rows
};

/// All non-NAB metrics of one series.
struct Metrics {
  size_t rows = 0;                             ///< rows scored
  size_t windows = 0;                          ///< windows given
  size_t empty_windows = 0;                    ///< windows that cover no row (not scored)
  PointMetrics point;                          ///< point-wise
  EventMetrics event;                          ///< event-based with point adjustment
  DelayMetrics delay;                          ///< detection delay
  size_t false_alarms = 0;                     ///< alarming rows outside every window (= event FP)
  std::optional<double> false_alarms_per_day;  ///< per day of series span; none on an index
                                               ///< axis or a zero span
};

/// Computes point, event, delay and false-alarm metrics of `flags` (non-zero = alarm) on the
/// timeline `times` against `windows` (sorted, disjoint; on the same axis as `times`).
/// Throws std::invalid_argument if the lengths differ.
Metrics evaluate(std::span<const TimeMs> times, std::span<const uint8_t> flags,
                 std::span<const Window> windows, TimeAxis axis = TimeAxis::kTimestamp);

// ---------------------------------------------------------------------------------------------
// NAB

/// A NAB application profile: the weights of its cost matrix (config/profiles.json).
struct NabProfile {
  std::string_view name;  ///< NAB's name, e.g. `standard`
  double tp_weight;       ///< reward of a detected window (at its left edge)
  double fp_weight;       ///< cost of a false positive far from any window
  double fn_weight;       ///< cost of a missed window
};

/// NAB `standard`: tp 1.0, fp 0.11, fn 1.0.
inline constexpr NabProfile kNabStandard{"standard", 1.0, 0.11, 1.0};
/// NAB `reward_low_FP_rate`: tp 1.0, fp 0.22, fn 1.0.
inline constexpr NabProfile kNabLowFp{"reward_low_FP_rate", 1.0, 0.22, 1.0};
/// NAB `reward_low_FN_rate`: tp 1.0, fp 0.11, fn 2.0.
inline constexpr NabProfile kNabLowFn{"reward_low_FN_rate", 1.0, 0.11, 2.0};

/// The three NAB profiles in the order standard, reward_low_FP_rate, reward_low_FN_rate.
std::span<const NabProfile> nab_profiles();

/// NAB's scaled sigmoid of a relative position: -1 above 3.0, else 2 / (1 + e^(5x)) - 1.
double nab_scaled_sigmoid(double relative_position);

/// Options of the NAB scorer.
struct NabOptions {
  /// Leading share of each series not scored: the first min(floor(p * n), p * 5000) rows.
  double probation_percent = 0.15;
};

/// One series of a NAB corpus: its timeline, per-row anomaly scores and label windows.
/// The spans must outlive the call they are passed to.
struct NabSeries {
  std::string name;                 ///< e.g. `realKnownCause/nyc_taxi.csv`, for reports
  std::span<const TimeMs> times;    ///< one per row, file order
  std::span<const double> scores;   ///< one per row, finite (NAB expects [0, 1])
  std::span<const Window> windows;  ///< sorted, disjoint
};

/// NAB's per-row counts over scored (non-probationary) rows.
struct NabCounts {
  size_t tp = 0;  ///< detections inside windows
  size_t tn = 0;  ///< quiet rows outside windows
  size_t fp = 0;  ///< detections outside windows
  size_t fn = 0;  ///< quiet rows inside windows
};

/// The NAB score of a series or corpus under one profile.
struct NabResult {
  double threshold = 0;            ///< detections are rows with score >= threshold
  double raw = 0;                  ///< NAB's raw score: the sum over series
  double null_score = 0;           ///< raw score of the null detector (no detection)
  double perfect = 0;              ///< tp_weight * number of windows (NAB's "perfect" detector)
  double normalized = 0;           ///< 100 * (raw - null) / (perfect - null); NaN without windows
  NabCounts counts;                ///< per-row counts
  size_t windows = 0;              ///< windows given
  size_t detected = 0;             ///< windows with at least one detection
  std::vector<double> per_series;  ///< raw score of each series, in input order
};

/// Scores `corpus` at a fixed threshold (NAB's score step).
/// Throws std::invalid_argument on length mismatches or non-finite scores.
NabResult nab_score(std::span<const NabSeries> corpus, const NabProfile& profile, double threshold,
                    const NabOptions& options = {});

/// Sweeps every threshold (each distinct score, plus 1.1 for "no detection") over the whole
/// corpus as NAB's optimizer does, and scores the corpus at the best one (ties: the higher
/// threshold). Throws like nab_score.
NabResult nab_optimize(std::span<const NabSeries> corpus, const NabProfile& profile,
                       const NabOptions& options = {});

/// Scores fixed boolean alarms of one series (flags as scores 1/0 at threshold 1).
NabResult nab_score_flags(std::span<const TimeMs> times, std::span<const uint8_t> flags,
                          std::span<const Window> windows, const NabProfile& profile,
                          const NabOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Reports

/// Everything `omen score` prints for one series.
struct Report {
  std::string labels;                    ///< label source
  std::string alarms;                    ///< alarm source
  TimeAxis axis = TimeAxis::kTimestamp;  ///< timeline axis
  std::optional<double> threshold;       ///< threshold applied to scores for the flag metrics
  Metrics metrics;                       ///< point, event, delay, false alarms
  bool include_point = true;             ///< print point metrics
  bool include_event = true;             ///< print event metrics, delay and false alarms
  std::vector<std::pair<NabProfile, NabResult>> nab;  ///< NAB results to print
  bool nab_swept = false;                             ///< NAB thresholds came from the sweep
};

/// A human-readable table of `report`.
std::string format_text(const Report& report);

/// The report as a JSON object (pretty-printed, 2-space indent, trailing newline).
std::string format_json(const Report& report);

}  // namespace omen::score
