#include <algorithm>
#include <limits>
#include <numeric>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "compiler/driver/compile.h"
#include "runtime/engine/engine_impl.h"
#ifdef OMEN_HAVE_JIT
#include "compiler/jit/jit.h"
#endif

namespace omen {

const char* tier_name(Tier t) {
  switch (t) {
    case Tier::Interp:
      return "interp";
    case Tier::Jit:
      return "jit";
    case Tier::Auto:
      return "auto";
  }
  return "?";
}

bool jit_available(std::string* why) {
#ifdef OMEN_HAVE_JIT
  return jit::available(why);
#else
  if (why) *why = "this build of Omen has no JIT (OMEN_WITH_JIT=OFF)";
  return false;
#endif
}

const char* event_name(AlertEvent e) {
  switch (e) {
    case AlertEvent::Pending:
      return "pending";
    case AlertEvent::Firing:
      return "firing";
    case AlertEvent::Resolved:
      return "resolved";
    case AlertEvent::Cleared:
      return "cleared";
  }
  return "?";
}

using engine::SeriesData;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

Engine::Impl::~Impl() {
  // The compile thread uses the JIT: stop it (jobs not started are abandoned) and join it.
  {
    std::lock_guard<std::mutex> lock(compile_mu);
    compile_stop = true;
  }
  compile_cv.notify_all();
  if (compile_thread.joinable()) compile_thread.join();
}

void Engine::Impl::enqueue_compile(CompileJob job) {
  {
    std::lock_guard<std::mutex> lock(compile_mu);
    compile_queue.push_back(std::move(job));
  }
  if (!compile_thread.joinable()) compile_thread = std::thread([this] { compile_loop(); });
  compile_cv.notify_one();
}

void Engine::Impl::compile_loop() {
  for (;;) {
    CompileJob job;
    {
      std::unique_lock<std::mutex> lock(compile_mu);
      compile_cv.wait(lock, [&] { return compile_stop || !compile_queue.empty(); });
      if (compile_stop) return;  // unfinished futures stay unready: their rules interpret
      job = std::move(compile_queue.front());
      compile_queue.pop_front();
    }
    // In source order, up to 16 rules per compile_batch; each rule switches to native code
    // at its next batch after its chunk is done. A failure leaves the rule interpreted.
    auto& programs = job.programs;
    for (size_t i = 0; i < programs.size(); i += 16) {
      size_t end = std::min(programs.size(), i + 16);
      std::vector<std::string> e;
      std::vector<ir::BatchFn> fns;
      bool stop;
      {
        std::lock_guard<std::mutex> lock(compile_mu);
        stop = compile_stop;
      }
      if (!stop) fns = jit->compile_batch({programs.begin() + i, programs.begin() + end}, &e);
      for (size_t k = i; k < end; ++k)
        (*job.promises)[k].set_value(fns.empty() ? nullptr : fns[k - i]);
    }
  }
}

void Engine::Impl::map_series(const Batch& batch) {
  // Clients usually send the same series list batch after batch: a position whose store id
  // from the previous batch still names an equal key needs no interning (no format_series,
  // no hash). Store ids are never reused, so an equal key means the same series.
  // Names starting with '@' are reserved for aggregates' outputs (UINT32_MAX - 1 below).
  const size_t ns = batch.series.size();
  batch_ids.resize(ns, UINT32_MAX);
  for (size_t i = 0; i < ns; ++i) {
    const SeriesKey& key = batch.series[i];
    if (!key.name.empty() && key.name[0] == '@') {
      batch_ids[i] = UINT32_MAX - 1;
      continue;
    }
    uint32_t cached = batch_ids[i];
    if (!(cached < store.size() && store.at(cached).key == key)) {
      bool added = false;
      batch_ids[i] = intern_series(key, &added);
    }
  }
  // Does any series appear at two positions? SeriesData::stamp marks the ids seen (a fresh
  // stamp value; ingest takes another one before appending, so first_new is unaffected).
  ++batch_stamp;
  batch_ids_distinct = true;
  for (uint32_t id : batch_ids) {
    if (id >= UINT32_MAX - 1) continue;
    SeriesData& d = store.at(id);
    if (d.stamp == batch_stamp) batch_ids_distinct = false;
    d.stamp = batch_stamp;
  }
}

void Engine::Impl::append_by_series(const Batch& batch, TimeMs& newest, uint64_t& accepted) {
  const size_t n = batch.t.size(), ns = batch_ids.size();
  const bool sorted = order.empty();
  // Count the samples of each batch series (and drop those naming no usable series).
  cursors.assign(ns, Cursor{});
  for (size_t k = 0; k < n; ++k) {
    uint32_t b = batch.sid[sorted ? k : order[k]];
    if (usable(b < ns ? batch_ids[b] : UINT32_MAX)) ++cursors[b].count;
  }
  // Make room at the end of each series (geometric growth, as push_back would).
  for (size_t b = 0; b < ns; ++b) {
    Cursor& c = cursors[b];
    if (c.count == 0) continue;
    SeriesData& d = store.at(batch_ids[b]);
    size_t first = d.t.size(), need = first + c.count;
    if (need > d.t.capacity()) {
      d.t.reserve(std::max(need, 2 * d.t.capacity()));
      d.v.reserve(std::max(need, 2 * d.v.capacity()));
    }
    d.t.resize(need);
    d.v.resize(need);
    c.t = d.t.data() + first;
    c.v = d.v.data() + first;
    c.last = d.last_t;
  }
  // One pass in time order; all per-series state is in the small dense cursor array.
  for (size_t k = 0; k < n; ++k) {
    uint32_t i = sorted ? static_cast<uint32_t>(k) : order[k];
    uint32_t b = batch.sid[i];
    if (b >= ns) continue;
    Cursor& c = cursors[b];
    if (!c.t) continue;
    TimeMs t = batch.t[i];
    if (t <= c.last) [[unlikely]] {
      ++(t == c.last ? counters.dropped_duplicate : counters.dropped_out_of_order);
      continue;
    }
    *c.t++ = t;
    *c.v++ = batch.v[i];
    c.last = t;
  }
  // Give back the room of dropped samples; record the pass's new samples.
  for (size_t b = 0; b < ns; ++b) {
    Cursor& c = cursors[b];
    if (!c.t) continue;
    uint32_t id = batch_ids[b];
    SeriesData& d = store.at(id);
    size_t first = d.t.size() - c.count;
    size_t kept = static_cast<size_t>(c.t - d.t.data()) - first;
    d.t.resize(first + kept);
    d.v.resize(first + kept);
    if (kept == 0) continue;
    d.stamp = batch_stamp;
    d.first_new = first;
    touched.push_back(id);
    d.last_t = c.last;
    accepted += kept;
    newest = std::max(newest, c.last);
  }
}

void Engine::Impl::ingest(const Batch& batch, std::vector<Alert>& alerts) {
  const size_t n = batch.t.size();
  counters.samples_in += n;
  // Map the batch's series to store ids; new series may start rule instances.
  map_series(batch);
  ++batch_stamp;
  touched.clear();
  dirty.clear();
  const uint32_t* ids = batch_ids.data();
  const size_t n_ids = batch_ids.size();
  const bool aggregating = !memberships.empty();  // some series is a member
  TimeMs dirty_t = INT64_MIN;
  TimeMs newest = watermark;
  uint64_t accepted = 0;
  auto one = [&](size_t i) {
    uint32_t b = batch.sid[i];
    uint32_t id = b < n_ids ? ids[b] : UINT32_MAX;
    if (!usable(id)) return;
    TimeMs t = batch.t[i];
    if (aggregating && !dirty.empty() && t != dirty_t) flush_aggregates(dirty_t, dirty);
    SeriesData& d = store.at(id);
    if (!admit(d, t)) return;
    append(d, id, t, batch.v[i]);
    ++accepted;
    newest = std::max(newest, t);
    if (aggregating) {
      aggregate_sample(id, t, batch.v[i], dirty);
      dirty_t = t;
    }
  };
  // Time order (stable): a batch behaves like its samples pushed one by one.
  order.clear();
  if (!std::is_sorted(batch.t.begin(), batch.t.end())) {
    order.resize(n);
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return batch.t[a] < batch.t[b]; });
  }
  if (!aggregating && batch_ids_distinct && n >= n_ids) {
    // Series do not interact while samples are appended: append series by series.
    append_by_series(batch, newest, accepted);
  } else if (order.empty()) {
    for (size_t i = 0; i < n; ++i) one(i);
  } else {
    for (uint32_t i : order) one(i);
  }
  if (!dirty.empty()) flush_aggregates(dirty_t, dirty);
  counters.samples_accepted += accepted;
  watermark = newest;
  // Each rule evaluates its instances on the touched series, in store-id order (instances
  // are sorted by series id: a merge walk with binary search, no per-rule hash lookups).
  if (!std::is_sorted(touched.begin(), touched.end())) std::sort(touched.begin(), touched.end());
  for (auto& rr : rules) {
    const size_t n_inst = rr->instances.size();
    size_t pos = 0;
    for (uint32_t id : touched) {
      if (pos == n_inst) break;
      if (rr->instances[pos].on_sid < id) {
        pos = rr->lower_bound(id, pos);
        if (pos == n_inst) break;
      }
      if (rr->instances[pos].on_sid == id) {
        evaluate(*rr, static_cast<uint32_t>(pos), store.at(id).first_new, alerts);
        ++pos;
      }
    }
  }
  expire(watermark, alerts);
  if (watermark != INT64_MIN) {
    TimeMs keep = std::max(options.history_ms, options.staleness_ms);
    for (uint32_t id : touched) store.at(id).trim_before(watermark - keep);
  }
}

void Engine::Impl::deliver(std::vector<Alert>& alerts) {
  counters.alerts += alerts.size();
  if (alerts.size() < 2) return;
  // Deterministic order whatever the batching: by time, then rule order, then labels.
  auto pos = [&](const std::string& rule) {
    auto it = rule_pos.find(rule);
    return it == rule_pos.end() ? SIZE_MAX : it->second;
  };
  std::stable_sort(alerts.begin(), alerts.end(), [&](const Alert& a, const Alert& b) {
    if (a.at != b.at) return a.at < b.at;
    if (a.rule != b.rule) return pos(a.rule) < pos(b.rule);
    return a.labels < b.labels;
  });
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

CompileOptions engine::compile_options(const EngineOptions& options) {
  CompileOptions co;
  co.parse.max_source_bytes = options.limits.max_source_bytes;
  co.parse.max_depth = options.limits.max_depth;
  co.limits.max_cost = options.limits.max_cost;
  co.limits.max_window_ms = options.limits.max_window_ms;
  co.limits.max_instructions = options.limits.max_instructions;
  co.limits.max_inlined_nodes = options.limits.max_inlined_nodes;
  co.limits.max_format_width = options.limits.max_format_width;
  co.max_errors = options.limits.max_errors;
  co.warnings_as_errors = options.warnings_as_errors;
  return co;
}

namespace {

// Two rules with equal fingerprints compute the same thing: state carries over on reload.
std::string fingerprint(const CompiledRule& r) {
  std::string f = ir::to_string(r.program);
  for (const auto& s : r.selectors) f += "|" + s.to_string();
  for (const auto& in : r.inputs)
    f += fmt::format("|{}:{}", static_cast<int>(in.kind), in.selector);
  f += fmt::format("|by{}:", r.has_by);
  for (const auto& b : r.by) f += b + ",";
  f += fmt::format("|for{}|keep{}|{}|{}", r.for_ms, r.keep_ms, r.severity, format_labels(r.labels));
  for (const auto& m : r.message)
    f += fmt::format("|m{}:{}:{}:{}", static_cast<int>(m.kind), m.text, m.output, m.spec);
  return f;
}

}  // namespace

std::string Engine::Impl::install(std::shared_ptr<const CompiledModule> m,
                                  std::vector<Alert>& ended) {
  std::map<std::string, engine::RuleRuntime*> old;
  for (auto& rr : rules) old[rr->rule->name] = rr.get();
  // Build the new set without touching the running one; commit only if everything worked.
  std::vector<std::unique_ptr<engine::RuleRuntime>> fresh;
  std::vector<std::pair<const CompiledRule*, engine::RuleRuntime*>> plan;
  for (const auto& r : m->rules) {
    auto it = old.find(r.name);
    if (it != old.end() && fingerprint(*it->second->rule) == fingerprint(r)) {
      plan.emplace_back(&r, it->second);
    } else {
      fresh.push_back(std::make_unique<engine::RuleRuntime>());
      fresh.back()->rule = &r;
      plan.emplace_back(&r, fresh.back().get());
    }
  }
  if (options.tier != Tier::Interp && !jit) {
#ifdef OMEN_HAVE_JIT
    // Loads the JIT plugin (and with it LLVM) on the first engine that needs it.
    std::string err;
    jit = jit::Jit::create({}, &err);
    if (!jit && options.tier == Tier::Jit) return "the JIT is not available: " + err;
    if (!jit && !jit_warned) {
      jit_warned = true;
      jit_warnings.push_back(make_diagnostic(
          DiagCode::W900,
          "the JIT is not available, tier auto runs every rule in the interpreter (same "
          "results, slower): " +
              err));
    }
#else
    if (options.tier == Tier::Jit) return "this build of Omen has no JIT (OMEN_WITH_JIT=OFF)";
#endif
  }
  if (jit && options.tier == Tier::Jit) {
    // One compile_batch: several rules per LLVM module, identical programs compiled once.
    std::vector<const ir::Program*> programs;
    for (auto& rr : fresh) programs.push_back(&rr->rule->program);
    std::vector<std::string> errs;
    std::vector<ir::BatchFn> fns = jit->compile_batch(programs, &errs);
    for (size_t i = 0; i < fresh.size(); ++i) {
      if (!fns[i])
        return fmt::format("JIT compilation of rule '{}' failed: {}", fresh[i]->rule->name,
                           errs[i]);
      fresh[i]->native.store(fns[i]);
    }
  } else if (jit && !fresh.empty()) {
    // Tier::Auto: the engine's compile thread compiles the new rules in the background.
    CompileJob job;
    job.module = m;
    job.promises = std::make_shared<std::vector<std::promise<ir::BatchFn>>>(fresh.size());
    for (size_t i = 0; i < fresh.size(); ++i) {
      fresh[i]->pending = (*job.promises)[i].get_future().share();
      job.programs.push_back(&fresh[i]->rule->program);
    }
    enqueue_compile(std::move(job));
  }
  // Commit. Aggregates first: their new output series must exist before rule instances are
  // matched against the store.
  install_aggregates(*m);
  std::vector<std::unique_ptr<engine::RuleRuntime>> next;
  size_t f = 0;
  for (auto& [rule, rr] : plan) {
    if (f < fresh.size() && rr == fresh[f].get()) {
      next.push_back(std::move(fresh[f++]));
      for (uint32_t sid = 0; sid < store.size(); ++sid)
        if (rule->selectors[0].matches(store.at(sid).key)) add_instance(*next.back(), sid);
    } else {
      for (auto& o : rules)
        if (o.get() == rr) next.push_back(std::move(o));
      next.back()->rule = rule;
      for (auto& g : next.back()->match_generation) g = UINT64_MAX;
    }
  }
  // Alerts the old set leaves behind: a changed rule keeps the lifecycle of each alert whose
  // identity (rule name + labels) it keeps; every other active alert of a changed or removed
  // rule ends now, so that a consumer tracking open alerts sees each one close.
  std::map<std::string, engine::RuleRuntime*> now_by_name;
  for (auto& rr : next) now_by_name[rr->rule->name] = rr.get();
  for (auto& o : rules) {
    if (!o) continue;  // kept: moved into next
    auto it = now_by_name.find(o->rule->name);
    if (it != now_by_name.end())
      carry_over(*o, *it->second, watermark, ended);
    else
      end_all(*o, watermark, ended);
  }
  // The old rule runtimes go now: a compile job still running holds its own module and
  // promises, not the runtimes.
  rules = std::move(next);
  rule_pos.clear();
  for (size_t i = 0; i < rules.size(); ++i) rule_pos.emplace(rules[i]->rule->name, i);
  module = std::move(m);
  return "";
}

void Engine::Impl::end_all(RuleRuntime& rr, TimeMs now, std::vector<Alert>& ended) {
  if (rr.active == 0) return;
  for (auto& in : rr.instances) {
    if (in.state == engine::State::Inactive) continue;
    ended.push_back(make_alert(
        rr, in, in.state == engine::State::Firing ? AlertEvent::Resolved : AlertEvent::Cleared, now,
        kNaN, nullptr, 0));
    in.state = engine::State::Inactive;
  }
  rr.active = 0;
}

void Engine::Impl::carry_over(RuleRuntime& from, RuleRuntime& to, TimeMs now,
                              std::vector<Alert>& ended) {
  if (from.active == 0) return;
  for (auto& in : from.instances) {
    if (in.state == engine::State::Inactive) continue;
    size_t pos = to.lower_bound(in.on_sid, 0);
    const SeriesKey& key = store.at(in.on_sid).key;
    if (pos < to.instances.size() && to.instances[pos].on_sid == in.on_sid &&
        engine::alert_labels(*from.rule, key) == engine::alert_labels(*to.rule, key)) {
      Instance& target = to.instances[pos];
      if (target.state == engine::State::Inactive) ++to.active;
      target.state = in.state;
      target.active_since = in.active_since;
      target.fired_at = in.fired_at;
      target.clear_since = in.clear_since;
      target.last_tick = in.last_tick;
      activated(to, in.last_tick, options.staleness_ms);
      in.state = engine::State::Inactive;
      continue;
    }
    ended.push_back(make_alert(
        from, in, in.state == engine::State::Firing ? AlertEvent::Resolved : AlertEvent::Cleared,
        now, kNaN, nullptr, 0));
    in.state = engine::State::Inactive;
  }
  from.active = 0;
}

Engine::Built Engine::build(Compilation c, const EngineOptions& options) {
  Built out;
  out.diagnostics = c.diags->all();
  if (!c.ok()) return out;
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  std::vector<Alert> none;  // a new engine has no alerts to end
  std::string err = impl->install(c.module, none);
  impl->take_jit_warnings(out.diagnostics);
  if (!err.empty()) {
    out.diagnostics.push_back(make_diagnostic(DiagCode::E900, err));
    return out;
  }
  out.engine.reset(new Engine(std::move(impl)));
  return out;
}

Engine::Reloaded Engine::reload(const std::vector<std::string>& paths) {
  return reload_compiled(compile_files(paths, engine::compile_options(impl_->options)));
}

Engine::Reloaded Engine::reload_source(const std::string& name, const std::string& text) {
  return reload_compiled(compile({{name, text}}, engine::compile_options(impl_->options)));
}

Engine::Reloaded Engine::reload_compiled(Compilation c) {
  Reloaded out;
  out.diagnostics = c.diags->all();
  if (!c.ok()) return out;  // the old rules keep running
  std::vector<Alert> ended;
  std::function<void(const Alert&)> cb;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    std::set<std::string> before;
    for (const auto& rr : impl_->rules) before.insert(rr->rule->name);
    std::vector<const void*> kept_ptrs;
    for (const auto& rr : impl_->rules) kept_ptrs.push_back(rr.get());
    std::string err = impl_->install(c.module, ended);
    impl_->take_jit_warnings(out.diagnostics);
    if (!err.empty()) {
      out.diagnostics.push_back(make_diagnostic(DiagCode::E900, err));
      return out;
    }
    for (const auto& rr : impl_->rules) {
      bool same = std::find(kept_ptrs.begin(), kept_ptrs.end(), rr.get()) != kept_ptrs.end();
      (same                           ? out.kept
       : before.count(rr->rule->name) ? out.changed
                                      : out.added)
          .push_back(rr->rule->name);
    }
    std::set<std::string> now;
    for (const auto& rr : impl_->rules) now.insert(rr->rule->name);
    for (const auto& n : before)
      if (!now.count(n)) out.removed.push_back(n);
    out.ok = true;
    ++impl_->counters.reloads;
    impl_->deliver(ended);
    cb = impl_->callback;
    if (!cb) {
      for (auto& a : ended) impl_->queue.push_back(std::move(a));
      ended.clear();
    }
  }
  for (const auto& a : ended) cb(a);
  return out;
}

Engine::Built Engine::from_files(const std::vector<std::string>& paths,
                                 const EngineOptions& options) {
  return build(compile_files(paths, engine::compile_options(options)), options);
}

Engine::Built Engine::from_source(const std::string& name, const std::string& text,
                                  const EngineOptions& options) {
  return build(compile({{name, text}}, engine::compile_options(options)), options);
}

Engine::Built Engine::from_compiled(std::shared_ptr<const CompiledModule> module,
                                    const EngineOptions& options) {
  Compilation c;
  c.sources = module->sources;
  c.diags = std::make_shared<Diagnostics>(c.sources.get());
  c.module = std::move(module);
  return build(std::move(c), options);
}

void Engine::on_alert(std::function<void(const Alert&)> callback) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->callback = std::move(callback);
}

void Engine::on_verdicts(VerdictObserver observer) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->verdicts = std::move(observer);
}

std::vector<Alert> Engine::poll() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  std::vector<Alert> out;
  out.swap(impl_->queue);
  return out;
}

void Engine::push(const SeriesKey& key, TimeMs t, double v) {
  Batch b;
  b.series.push_back(key);
  b.add(0, t, v);
  push(b);
}

void Engine::push(const Batch& batch) {
  std::vector<Alert> alerts;
  std::function<void(const Alert&)> cb;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->ingest(batch, alerts);
    impl_->deliver(alerts);
    cb = impl_->callback;
    if (!cb) {
      for (auto& a : alerts) impl_->queue.push_back(std::move(a));
      return;
    }
  }
  for (const auto& a : alerts) cb(a);
}

void Engine::flush(TimeMs now) {
  std::vector<Alert> alerts;
  std::function<void(const Alert&)> cb;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->watermark = std::max(impl_->watermark, now);
    impl_->expire(now, alerts);
    impl_->deliver(alerts);
    cb = impl_->callback;
    if (!cb) {
      for (auto& a : alerts) impl_->queue.push_back(std::move(a));
      return;
    }
  }
  for (const auto& a : alerts) cb(a);
}

namespace {
constexpr size_t kMallocOverhead = 16;       // per heap block (glibc: 8-23 B, 16 on average)
constexpr size_t kBlocksPerWindowState = 2;  // the kernel's state object and its buffer
}  // namespace

EngineStats Engine::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  EngineStats s = impl_->counters;
  s.rules = impl_->rules.size();
  s.series = impl_->store.size();
  s.instances = 0;
  s.state_bytes = 0;
  s.window_bytes = 0;
  for (const auto& rr : impl_->rules) {
    RuleStats r;
    r.name = rr->rule->name;
    r.tier = rr->native.load() ? "jit" : "interp";
    r.instances = rr->instances.size();
    r.evaluations = rr->evaluations;
    r.cost = rr->rule->cost;
    s.instances += r.instances;
    // Everything the rule allocates per instance, by capacity: the Instance records, the
    // join slots (and their generations), the WindowState handles, and per window state
    // the allocator's overhead for its heap blocks (the state object and its buffer, at
    // least two: glibc adds 8-23 B to each, 16 on average). The bytes the kernels report
    // for the states themselves (struct and buffers) are window_bytes.
    s.state_bytes += rr->instances.capacity() * sizeof(engine::Instance) +
                     rr->matched.capacity() * sizeof(int32_t) +
                     rr->match_generation.capacity() * sizeof(uint64_t) +
                     rr->windows.capacity() * sizeof(kernels::WindowState);
    for (const auto& w : rr->windows) {
      s.state_bytes += kMallocOverhead * kBlocksPerWindowState;
      s.window_bytes += w.bytes();
    }
    s.per_rule.push_back(std::move(r));
  }
  return s;
}

std::vector<std::string> Engine::rule_names() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  std::vector<std::string> out;
  for (const auto& rr : impl_->rules) out.push_back(rr->rule->name);
  return out;
}

}  // namespace omen
