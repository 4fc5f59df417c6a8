// Omen's embedding API: build an Engine from rule files, push samples, receive alerts.
//
// Thread safety: an Engine is internally synchronized; every member function may be called
// from any thread, concurrently with any other, except where a comment says otherwise (the
// destructor). Calls that touch the engine's state (push, flush, poll, reload, stats,
// rule_names, on_alert, on_verdicts) are serialized by one internal mutex; samples pushed
// concurrently are applied in the order the calls acquire it. The alert callback runs on
// the thread whose call produced the alerts (push, flush, or reload: alerts that a reload
// ends), after the engine's state is updated, outside the lock; callbacks of different threads
// may therefore run at the same time and out of order with each other, while the events of
// one (rule, labels) from one thread arrive in order. A callback must not call back into the
// same Engine. See docs/embedding.md, "Concurrency" and "Reload".
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "omen/diagnostics.h"
#include "omen/types.h"

namespace omen {

struct CompiledModule;  // compiler output (internal)
struct Compilation;     // compiler output with diagnostics (internal)

/// Which back end evaluates rules.
enum class Tier {
  Interp,  // tier 0: the IR interpreter (instant start, the reference)
  Jit,     // tier 1: LLVM ORC native code, compiled when the engine is built
  Auto     // start interpreted; each rule switches to native code once its background
           // compilation finishes (docs/architecture.md, "Tiers")
};

const char* tier_name(Tier t);

/// Whether tier jit can run in this process: Omen was built with the JIT and its plugin,
/// libomen_jit.so, loads (this call loads it; docs/embedding.md says where it is looked
/// for). Otherwise false and *why says what is missing. Tier auto without the JIT runs
/// every rule in the interpreter (same results) and says so once in the diagnostics.
bool jit_available(std::string* why = nullptr);

/// Safe defaults for untrusted rule sources (LLM output) and for data.
struct Limits {
  size_t max_source_bytes = 1 << 20;  // per file
  size_t max_depth = 256;             // expression depth: brackets and operator chains (E041)
  double max_cost = 5000;             // per-evaluation cost estimate of one rule
  int64_t max_window_ms = 90LL * 86'400'000;
  size_t max_instructions = 10'000;   // per rule after inlining
  size_t max_inlined_nodes = 10'000;  // expression nodes a rule's calls expand to (E040)
  size_t max_format_width = 64;       // width / precision of a message placeholder (E034)
  size_t max_errors = 20;             // diagnostics stop after this many errors
  size_t max_series = 1'000'000;      // distinct series; more are dropped and counted
};

struct EngineOptions {
  Tier tier = Tier::Auto;
  int64_t staleness_ms =
      5 * 60'000;                    // a sample older than this is not read as-of (like Prometheus)
  int64_t history_ms = 60 * 60'000;  // how far behind the newest sample cross-series reads can look
  Limits limits;
  bool warnings_as_errors = false;
};

/// What happened to an alert.
enum class AlertEvent {
  Pending,   // the condition became true; waiting for `for`
  Firing,    // true for at least `for`
  Resolved,  // was firing; the condition cleared (after `keep`) or the series went stale
  Cleared    // was pending; the condition cleared before `for` (never fired)
};

const char* event_name(AlertEvent e);

struct Alert {
  std::string rule;
  Labels labels;  // identity labels (the `by` labels, or all labels of the series) + static labels
  std::string severity;
  AlertEvent event = AlertEvent::Pending;
  TimeMs at = 0;            // the tick at which this transition happened
  TimeMs active_since = 0;  // first tick of the current activation (pending start)
  TimeMs fired_at = 0;      // when it started firing (0 if it has not)
  double value = 0;         // the rule's `value` at `at`
  std::string message;      // rendered message template ("" if none)
};

/// One JSON object (a line of JSON lines output).
std::string to_json(const Alert& a);
/// One human-readable line.
std::string to_text(const Alert& a);

/// Samples for many series at once. sid[i] indexes `series`; t and v are parallel.
struct Batch {
  std::vector<SeriesKey> series;
  std::vector<uint32_t> sid;
  std::vector<TimeMs> t;
  std::vector<double> v;
  void add(uint32_t series_index, TimeMs time, double value) {
    sid.push_back(series_index);
    t.push_back(time);
    v.push_back(value);
  }
};

struct RuleStats {
  std::string name;
  std::string tier;  // "interp" or "jit" (now)
  size_t instances = 0;
  uint64_t evaluations = 0;
  double cost = 0;
};

struct EngineStats {
  size_t rules = 0;
  size_t series = 0;
  size_t instances = 0;
  uint64_t samples_in = 0;
  uint64_t samples_accepted = 0;
  uint64_t dropped_out_of_order = 0;  // older than the series' newest sample
  uint64_t dropped_duplicate = 0;     // same timestamp as the series' newest sample
  uint64_t dropped_series_limit = 0;
  uint64_t dropped_reserved = 0;   // pushed to a series named '@...' (aggregates' outputs)
  uint64_t aggregate_samples = 0;  // samples computed by aggregate series (not in samples_in)
  uint64_t aggregate_dropped = 0;  // aggregate values not appended (not in samples_in): a
                                   // member sample older than its group's newest value,
                                   // or the group's output over max_series
  uint64_t ambiguous_matches = 0;  // evaluations where a joined series matched >1 series
  uint64_t evaluations = 0;
  uint64_t alerts = 0;
  uint64_t reloads = 0;     // successful reloads
  size_t state_bytes = 0;   // rule-instance state excluding window buffers
  size_t window_bytes = 0;  // window buffers
  std::vector<RuleStats> per_rule;
};

class Engine {
 public:
  struct Built;

  /// Compiles rule files. On any error nothing is built: `engine` is null and
  /// `diagnostics` says why (render() gives clang-style text). Warnings are in `diagnostics` either
  /// way.
  static Built from_files(const std::vector<std::string>& paths, const EngineOptions& options = {});
  /// Same, from source text (`name` is used in diagnostics).
  static Built from_source(const std::string& name, const std::string& text,
                           const EngineOptions& options = {});

  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Alerts go to the callback if set, else they are queued for poll().
  void on_alert(std::function<void(const Alert&)> callback);
  /// Queued alerts, oldest first; empties the queue.
  std::vector<Alert> poll();

  /// Every evaluation, not only transitions: called once per (rule, instance, batch) with
  /// the tick times, the condition (0/1) at each tick, and whether any input of the rule was
  /// NaN (missing or stale) at that tick. For validators and scorers; runs under the lock.
  using VerdictObserver =
      std::function<void(const std::string& rule, const SeriesKey& series, const TimeMs* t,
                         const double* cond, const uint8_t* nan_input, size_t n)>;
  void on_verdicts(VerdictObserver observer);

  /// One sample.
  void push(const SeriesKey& key, TimeMs t, double v);
  /// Many samples; processed in timestamp order (stable), so a batch gives the same alerts
  /// as pushing its samples one by one in that order.
  void push(const Batch& batch);
  /// Declares that time has reached `now`: alerts of series silent for longer than the
  /// staleness limit are resolved. push() does this with the newest timestamp it has seen.
  void flush(TimeMs now);

  /// The outcome of a reload.
  struct Reloaded {
    bool ok = false;  // false: the new files had errors; the old rules keep running
    std::vector<Diagnostic> diagnostics;  // as from from_files
    std::string render() const { return format(diagnostics); }
    std::vector<std::string> kept, changed, added, removed;  // rule names
  };
  /// Atomic hot reload, like Prometheus: the new rule set is compiled and checked completely
  /// first (outside the lock: pushes go on meanwhile); if anything fails, nothing changes and
  /// the error is returned. On success the new set replaces the old one between two pushes:
  /// - a rule whose compiled form is unchanged keeps its state (windows, pending/firing
  ///   alerts);
  /// - a changed rule (same name) starts with fresh windows over the series already known,
  ///   but keeps the lifecycle (pending/firing, since when) of each active alert whose
  ///   identity, the rule name and the alert's labels, stays the same;
  /// - every other active alert of a changed or removed rule is ended at the engine's current
  ///   time (the newest sample time): `resolved` if it was firing, `cleared` if pending,
  ///   delivered like any alert (to the callback on the reloading thread, or the queue);
  /// - new rules start fresh over the series already known.
  /// Everything the old rule set owned is released when the reload returns (a background
  /// compilation still running keeps only its own module until it finishes).
  Reloaded reload(const std::vector<std::string>& paths);
  Reloaded reload_source(const std::string& name, const std::string& text);

  EngineStats stats() const;
  /// Names of the loaded rules, in source order.
  std::vector<std::string> rule_names() const;

  struct Impl;
  /// For Omen's own tools (test runner, REPL): an engine over an already compiled module.
  static Built from_compiled(std::shared_ptr<const CompiledModule> module,
                             const EngineOptions& options);

 private:
  explicit Engine(std::unique_ptr<Impl> impl);
  static Built build(Compilation c, const EngineOptions& options);
  Reloaded reload_compiled(Compilation c);
  std::unique_ptr<Impl> impl_;
};

struct Engine::Built {
  std::unique_ptr<Engine> engine;
  std::vector<Diagnostic> diagnostics;  // errors and warnings
  /// The diagnostics as clang-style text (omen::format).
  std::string render() const { return format(diagnostics); }
  bool ok() const { return engine != nullptr; }
};

}  // namespace omen
