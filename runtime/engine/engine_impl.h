// Internal to runtime/engine: the series store, rule instances and the Engine's state.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "compiler/check/compiled.h"
#include "compiler/jit/jit.h"  // LLVM-free interface
#include "core/kernels/window.h"
#include "omen/engine.h"

namespace omen {
struct CompileOptions;
}

namespace omen::engine {

/// The compiler's options for an engine's limits (shared with runtime/session).
CompileOptions compile_options(const EngineOptions& options);

/// Per-series sample history: newest last, strictly increasing timestamps. The fields
/// ingestion touches for every sample come first (the key is cold).
struct SeriesData {
  std::vector<TimeMs> t;
  std::vector<double> v;
  size_t head = 0;  // first live sample (older ones were trimmed)
  TimeMs last_t = INT64_MIN;
  uint64_t stamp = 0;    // the ingest pass (Impl::batch_stamp) that last appended to it
  size_t first_new = 0;  // with stamp == the current pass: index of its first new sample
  SeriesKey key;

  size_t size() const { return t.size() - head; }
  /// Index of the latest sample with time <= at, or SIZE_MAX.
  size_t at_or_before(TimeMs at) const;
  /// Drops the samples older than cutoff, keeping at least the newest one. Storage is
  /// compacted once the dead prefix outgrows the live part (and shrunk when mostly empty),
  /// so memory stays proportional to the live history, not to everything ever pushed.
  /// Indices into t / v (first_new) are invalidated when it compacts.
  void trim_before(TimeMs cutoff);
};

class SeriesStore {
 public:
  /// Id of the series, adding it if new (*added set); UINT32_MAX if over the limit.
  uint32_t intern(const SeriesKey& key, size_t limit, bool* added);
  SeriesData& at(uint32_t id) { return series_[id]; }
  const SeriesData& at(uint32_t id) const { return series_[id]; }
  size_t size() const { return series_.size(); }
  const std::vector<uint32_t>& by_metric(const std::string& name) const;
  uint64_t generation() const { return generation_; }

 private:
  std::vector<SeriesData> series_;
  std::unordered_map<std::string, uint32_t> index_;  // format_series(key) -> id
  std::unordered_map<std::string, std::vector<uint32_t>> metric_index_;
  uint64_t generation_ = 0;
};

enum class State : uint8_t { Inactive, Pending, Firing };

/// An alert's identity labels on a series: the `by` labels (or all of the series' labels) plus
/// the rule's static labels.
Labels alert_labels(const CompiledRule& r, const SeriesKey& key);

/// The lifecycle state of one (rule, series). Window states and joined series live in
/// flat per-rule arrays indexed by the instance number (see RuleRuntime). 40 bytes.
struct Instance {
  uint32_t on_sid = 0;
  State state = State::Inactive;
  TimeMs active_since = 0;
  TimeMs fired_at = 0;
  TimeMs clear_since = INT64_MIN;  // firing, condition false since (for `keep`)
  TimeMs last_tick = INT64_MIN;
};

/// The running state of one aggregate series (CompiledAggregate): its members, grouped by
/// the `by` labels, each group feeding one output series in the store.
struct AggregateRuntime {
  const CompiledAggregate* agg = nullptr;
  struct Member {
    uint32_t sid = 0;
    uint32_t group = 0;
    double last = 0;  // CounterSum: the latest non-NaN raw value
    bool seen = false;
  };
  struct Group {
    uint32_t out_sid = UINT32_MAX;  // UINT32_MAX: the output series is over the series limit
    std::vector<uint32_t> members;  // indices into `members`
    double total = 0;               // CounterSum: sum of the members' increases
    TimeMs dirty_at = INT64_MIN;    // a member has a sample at this time: the group owes one
  };
  std::vector<Member> members;
  std::unordered_map<uint32_t, uint32_t> member_of;  // store id -> index into `members`
  std::vector<Group> groups;
  std::unordered_map<std::string, uint32_t> group_index;  // format_labels(group) -> group
};

struct RuleRuntime {
  const CompiledRule* rule = nullptr;
  std::atomic<ir::BatchFn> native{nullptr};
  std::shared_future<ir::BatchFn> pending;  // Tier::Auto background compilation
  /// Sorted by on_sid, strictly increasing: instances are only ever added for a series
  /// newer than all others (interning) or over the whole store in id order (install), so
  /// the instance of a series is found by binary search (find_instance); no hash map.
  std::vector<Instance> instances;
  std::vector<kernels::WindowState> windows;  // instances x program.windows
  std::vector<int32_t> matched;               // instances x (selectors - 1): sid, -1, -2
  std::vector<uint64_t> match_generation;     // per instance, only with joins: store
                                              // generation `matched` was resolved at
  size_t active = 0;                          // instances not Inactive (expire() skips 0)
  /// A lower bound of the first instant at which an active instance goes stale
  /// (min over active instances of last_tick + staleness + 1): expire() scans the instances
  /// only once time passes it, so a push does not cost O(instances) while alerts are active.
  TimeMs expiry_floor = INT64_MAX;
  uint64_t evaluations = 0;
  // scratch, reused between batches (columns only grow; rows beyond n are stale)
  std::vector<std::vector<double>> cols, outs;
  std::vector<const double*> col_ptrs;
  std::vector<double*> out_ptrs;
  std::vector<double> interp_scratch;
  std::vector<void*> state_ptrs;

  size_t n_windows() const { return rule->program.windows.size(); }
  size_t n_joins() const { return rule->selectors.size() - 1; }
  /// Index of the instance on series sid at or after instance `from`, or instances.size().
  size_t lower_bound(uint32_t sid, size_t from) const {
    auto it =
        std::lower_bound(instances.begin() + static_cast<std::ptrdiff_t>(from), instances.end(),
                         sid, [](const Instance& in, uint32_t s) { return in.on_sid < s; });
    return static_cast<size_t>(it - instances.begin());
  }
};

}  // namespace omen::engine

namespace omen {

struct Engine::Impl {
  using RuleRuntime = engine::RuleRuntime;
  using Instance = engine::Instance;
  using SeriesStore = engine::SeriesStore;
  EngineOptions options;
  std::shared_ptr<const CompiledModule> module;
  std::unique_ptr<jit::Jit> jit;
  /// Tier auto without a JIT (its plugin missing): the warning for the caller's
  /// diagnostics, given once per engine (jit_warned).
  std::vector<Diagnostic> jit_warnings;
  bool jit_warned = false;
  void take_jit_warnings(std::vector<Diagnostic>& out) {
    for (auto& d : jit_warnings) out.push_back(std::move(d));
    jit_warnings.clear();
  }
  std::vector<std::unique_ptr<RuleRuntime>> rules;
  std::vector<std::unique_ptr<engine::AggregateRuntime>> aggregates;
  /// store id -> (aggregate, member) pairs it feeds (indexed by id: no hash per sample;
  /// ids past the end feed nothing)
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> memberships;
  void add_membership(uint32_t sid, uint32_t ai, uint32_t mi) {
    if (memberships.size() <= sid) memberships.resize(sid + 1);
    memberships[sid].emplace_back(ai, mi);
  }
  SeriesStore store;
  TimeMs watermark = INT64_MIN;
  EngineStats counters;
  std::function<void(const Alert&)> callback;
  Engine::VerdictObserver verdicts;
  std::vector<uint8_t> nan_scratch;
  std::vector<Alert> queue;
  // Ingestion state and scratch, reused between batches.
  uint64_t batch_stamp = 0;         // one per ingest pass (SeriesData::stamp)
  std::vector<uint32_t> touched;    // store ids that got samples in this pass
  std::vector<uint32_t> batch_ids;  // the previous batch's series -> store ids (a cache)
  std::vector<uint32_t> order;      // time order of an unsorted batch
  /// append_by_series: per batch series, its write cursors and newest accepted time.
  struct Cursor {
    TimeMs* t = nullptr;  // null: the position names no usable series
    double* v = nullptr;
    TimeMs last = INT64_MIN;
    uint32_t count = 0;
  };
  std::vector<Cursor> cursors;
  bool batch_ids_distinct = false;  // no two positions of the batch name one series
  std::vector<std::pair<uint32_t, uint32_t>> dirty;  // aggregate groups owing a value
  std::unordered_map<std::string, size_t> rule_pos;  // rule name -> position (deliver)
  mutable std::mutex mu;

  /// Tier::Auto: one background thread per engine compiles the rules of each install, in
  /// order. A job holds its module, so the programs it compiles outlive any reload.
  struct CompileJob {
    std::shared_ptr<const CompiledModule> module;
    std::vector<const ir::Program*> programs;
    std::shared_ptr<std::vector<std::promise<ir::BatchFn>>> promises;
  };
  std::mutex compile_mu;  // guards the queue and compile_stop (never held with mu's work)
  std::condition_variable compile_cv;
  std::deque<CompileJob> compile_queue;
  bool compile_stop = false;
  std::thread compile_thread;
  void enqueue_compile(CompileJob job);
  void compile_loop();

  ~Impl();
  /// Installs a compiled rule set, keeping the state of unchanged rules; "" or an error
  /// (then nothing changed). Alerts that the old set leaves behind (active alerts of removed
  /// rules, or of changed rules whose alert identity is not kept) are ended into `ended`.
  std::string install(std::shared_ptr<const CompiledModule> m, std::vector<Alert>& ended);
  /// Moves the lifecycle state of the old rule's active instances to the new rule's
  /// instance on the same series when the alert's labels are the same; ends the others.
  void carry_over(RuleRuntime& from, RuleRuntime& to, TimeMs now, std::vector<Alert>& ended);
  /// Ends every active alert of a rule (removed by a reload) at `now`.
  void end_all(RuleRuntime& rr, TimeMs now, std::vector<Alert>& ended);
  /// Marks an instance active from tick t on (for expiry_floor).
  static void activated(RuleRuntime& rr, TimeMs last_tick, int64_t staleness_ms);
  /// Processes the samples (indices into the batch, sorted by time) and appends alerts.
  void ingest(const Batch& batch, std::vector<Alert>& alerts);
  void evaluate(RuleRuntime& rr, uint32_t inst, size_t first_new, std::vector<Alert>& alerts);
  void expire(TimeMs now, std::vector<Alert>& alerts);
  void add_instance(RuleRuntime& rr, uint32_t sid);
  /// Interns a series, starting the rule instances and aggregate memberships it brings.
  uint32_t intern_series(const SeriesKey& key, bool* added);
  /// Makes series `sid` a member of aggregate `ai` if its selector matches.
  void join_aggregate(uint32_t ai, uint32_t sid);
  /// Installs the aggregates of `m`, keeping the state of unchanged ones.
  void install_aggregates(const CompiledModule& m);
  /// Records a sample of an aggregate member (counter state, the group owes a value).
  void aggregate_sample(uint32_t sid, TimeMs t, double v,
                        std::vector<std::pair<uint32_t, uint32_t>>& dirty);
  /// Appends the value at time t of every dirty group to its output series.
  void flush_aggregates(TimeMs t, std::vector<std::pair<uint32_t, uint32_t>>& dirty);
  /// Maps the batch's series to store ids (batch_ids), reusing the previous batch's ids
  /// where the batch names the same series at the same position.
  void map_series(const Batch& batch);
  /// Appends the batch's samples with their series' space reserved first (a count per
  /// batch series, then one pass writing through dense per-series cursors). Only without
  /// aggregates and with distinct batch series, where the order across series does not
  /// matter.
  void append_by_series(const Batch& batch, TimeMs& newest, uint64_t& accepted);
  /// Whether a sample at t may be appended to d; if not, counts it as a duplicate or out of
  /// order (docs/language.md, "Evaluation").
  bool admit(const engine::SeriesData& d, TimeMs t) {
    if (t > d.last_t) [[likely]]
      return true;
    ++(t == d.last_t ? counters.dropped_duplicate : counters.dropped_out_of_order);
    return false;
  }
  /// Whether a batch's store id names a usable series; if not, counts the dropped sample.
  bool usable(uint32_t id) {
    if (id < UINT32_MAX - 1) [[likely]]
      return true;
    ++(id == UINT32_MAX ? counters.dropped_series_limit : counters.dropped_reserved);
    return false;
  }
  /// Appends a sample to series d (store id `id`), recording the pass's first new index.
  void append(engine::SeriesData& d, uint32_t id, TimeMs t, double v) {
    if (d.stamp != batch_stamp) {
      d.stamp = batch_stamp;
      d.first_new = d.t.size();
      touched.push_back(id);
    }
    d.t.push_back(t);
    d.v.push_back(v);
    d.last_t = t;
  }
  void resolve_matches(RuleRuntime& rr, uint32_t inst);
  Alert make_alert(const RuleRuntime& rr, const Instance& in, AlertEvent ev, TimeMs at,
                   double value, const std::vector<std::vector<double>>* outs, size_t row) const;
  void deliver(std::vector<Alert>& alerts);
};

}  // namespace omen
