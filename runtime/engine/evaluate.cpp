// Rule evaluation over a batch of ticks, and the alert lifecycle:
//   inactive -> pending (condition true) -> firing (true for `for`) -> resolved (false for
//   `keep`, or the series went stale) -> inactive; pending -> cleared when it goes false.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "compiler/interp/interp.h"
#include "runtime/engine/engine_impl.h"
#ifdef OMEN_HAVE_JIT
#include "compiler/jit/jit.h"
#endif

namespace omen {
using namespace engine;

namespace {
using engine::State;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

Labels engine::alert_labels(const CompiledRule& r, const SeriesKey& key) {
  Labels out;
  if (r.has_by) {
    for (const auto& name : r.by)
      for (const auto& kv : key.labels)
        if (kv.first == name) out.push_back(kv);
  } else {
    out = key.labels;
  }
  for (const auto& kv : r.labels) out.push_back(kv);  // static labels win (normalize keeps last)
  std::reverse(out.begin(), out.end());
  out = normalize_labels(std::move(out));
  return out;
}

namespace {
// Per-instance arrays grow by 1.25x instead of the library's 2x: a large rule set holds
// ~10 % slack instead of up to 100 % (still amortized O(1) moves per element).
template <class T>
void grow_for(std::vector<T>& v, size_t more) {
  if (v.size() + more > v.capacity())
    v.reserve(std::max(v.size() + more, v.capacity() + v.capacity() / 4 + 16));
}
}  // namespace

void Engine::Impl::add_instance(RuleRuntime& rr, uint32_t sid) {
  Instance in;
  in.on_sid = sid;
  // Instances stay sorted by series id (RuleRuntime::instances): sid is always newer.
  assert(rr.instances.empty() || rr.instances.back().on_sid < sid);
  grow_for(rr.instances, 1);
  grow_for(rr.windows, rr.n_windows());
  grow_for(rr.matched, rr.n_joins());
  if (rr.n_joins() > 0) grow_for(rr.match_generation, 1);
  rr.instances.push_back(in);
  for (const auto& spec : rr.rule->program.windows) rr.windows.emplace_back(spec);
  for (size_t j = 0; j < rr.n_joins(); ++j) rr.matched.push_back(-1);
  if (rr.n_joins() > 0) rr.match_generation.push_back(UINT64_MAX);
}

void Engine::Impl::resolve_matches(RuleRuntime& rr, uint32_t inst) {
  Instance& in = rr.instances[inst];
  rr.match_generation[inst] = store.generation();
  const SeriesKey& on = store.at(in.on_sid).key;
  const CompiledRule& r = *rr.rule;
  for (size_t s = 1; s < r.selectors.size(); ++s) {
    int32_t found = -1;
    for (uint32_t cand : store.by_metric(r.selectors[s].metric)) {
      const SeriesKey& key = store.at(cand).key;
      if (!r.selectors[s].matches(key)) continue;
      // Join: every match label the candidate has must agree with the instance's series.
      bool agree = true;
      for (const auto& kv : on.labels) {
        if (r.has_by && std::find(r.by.begin(), r.by.end(), kv.first) == r.by.end()) continue;
        for (const auto& ckv : key.labels)
          if (ckv.first == kv.first && ckv.second != kv.second) agree = false;
      }
      if (!agree) continue;
      if (found == -1)
        found = static_cast<int32_t>(cand);
      else
        found = -2;  // ambiguous: more than one series joins this instance
    }
    rr.matched[inst * rr.n_joins() + (s - 1)] = found;
  }
}

Alert Engine::Impl::make_alert(const RuleRuntime& rr, const Instance& in, AlertEvent ev, TimeMs at,
                               double value, const std::vector<std::vector<double>>* outs,
                               size_t row) const {
  const CompiledRule& r = *rr.rule;
  const SeriesKey& key = store.at(in.on_sid).key;
  Alert a;
  a.rule = r.name;
  a.labels = alert_labels(r, key);
  a.severity = r.severity;
  a.event = ev;
  a.at = at;
  a.active_since = in.active_since;
  a.fired_at = in.fired_at;
  a.value = value;
  for (const auto& part : r.message) {
    switch (part.kind) {
      case MessagePart::Literal:
        a.message += part.text;
        break;
      case MessagePart::Label: {
        std::string v;
        for (const auto& kv : key.labels)
          if (kv.first == part.text) v = kv.second;
        for (const auto& kv : r.labels)
          if (kv.first == part.text) v = kv.second;
        a.message += v;
        break;
      }
      case MessagePart::Value: {
        double x = outs ? (*outs)[part.output][row] : kNaN;
        // NaN sign bits may differ between tiers (operand order of NaN + NaN): print one NaN.
        if (std::isnan(x)) x = kNaN;
        a.message += fmt::format(fmt::runtime("{:" + part.spec + "}"), x);
        break;
      }
    }
  }
  return a;
}

void Engine::Impl::evaluate(RuleRuntime& rr, uint32_t inst, size_t first_new,
                            std::vector<Alert>& alerts) {
  const CompiledRule& r = *rr.rule;
  const ir::Program& p = r.program;
  Instance* in = &rr.instances[inst];
  const SeriesData& on = store.at(in->on_sid);
  size_t n = on.t.size() - first_new;
  if (n == 0) return;
  if (rr.n_joins() > 0 && rr.match_generation[inst] != store.generation())
    resolve_matches(rr, inst);

  // The tick times and the rule's own values are read in place from the store (nothing
  // modifies it while the rule runs); other inputs are built into reused columns, which
  // only grow (rows beyond n are stale and never read).
  const TimeMs* ts = on.t.data() + first_new;
  rr.cols.resize(p.n_inputs);
  rr.col_ptrs.resize(p.n_inputs);
  for (size_t c = 0; c < p.n_inputs; ++c) {
    const InputSpec& spec = r.inputs[c];
    if (spec.selector == 0 && spec.kind == InputSpec::Value) {
      rr.col_ptrs[c] = on.v.data() + first_new;
      continue;
    }
    auto& colv = rr.cols[c];
    if (colv.size() < n) colv.resize(n);
    double* col = colv.data();
    rr.col_ptrs[c] = col;
    int32_t sid = spec.selector == 0 ? static_cast<int32_t>(in->on_sid)
                                     : rr.matched[inst * rr.n_joins() + (spec.selector - 1)];
    if (sid == -2) counters.ambiguous_matches += n;
    if (sid < 0) {
      std::fill(col, col + n,
                spec.kind == InputSpec::Value ? kNaN : std::numeric_limits<double>::infinity());
      continue;
    }
    const SeriesData& d = store.at(static_cast<uint32_t>(sid));
    size_t idx = d.at_or_before(ts[0]);
    for (size_t row = 0; row < n; ++row) {
      TimeMs t = ts[row];
      if (idx == SIZE_MAX) {
        if (d.size() > 0 && d.t[d.head] <= t) idx = d.head;
      }
      if (idx != SIZE_MAX)
        while (idx + 1 < d.t.size() && d.t[idx + 1] <= t) ++idx;
      if (spec.kind == InputSpec::Value) {
        col[row] = (idx == SIZE_MAX || t - d.t[idx] > options.staleness_ms) ? kNaN : d.v[idx];
      } else {
        col[row] = idx == SIZE_MAX ? std::numeric_limits<double>::infinity()
                                   : static_cast<double>(t - d.t[idx]);
      }
    }
  }
  rr.outs.resize(p.outputs.size());
  rr.out_ptrs.resize(p.outputs.size());
  for (size_t o = 0; o < p.outputs.size(); ++o) {
    if (rr.outs[o].size() < n) rr.outs[o].resize(n);
    rr.out_ptrs[o] = rr.outs[o].data();
  }
  const size_t nw = rr.n_windows();
  rr.state_ptrs.resize(nw);
  for (size_t w = 0; w < nw; ++w) rr.state_ptrs[w] = rr.windows[inst * nw + w].get();
  ir::BatchArgs args{ts, rr.col_ptrs.data(), rr.state_ptrs.data(), rr.out_ptrs.data(), n};

  ir::BatchFn fn = rr.native.load(std::memory_order_acquire);
  if (!fn && rr.pending.valid() &&
      rr.pending.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    fn = rr.pending.get();
    rr.native.store(fn, std::memory_order_release);
  }
  if (fn) {
    fn(&args);
  } else {
    rr.interp_scratch.resize(p.code.size());
    interp::run_batch(p, args, rr.interp_scratch.data());
  }
  rr.evaluations += n;
  counters.evaluations += n;
  if (verdicts) {
    nan_scratch.assign(n, 0);
    for (const double* col : rr.col_ptrs)
      for (size_t row = 0; row < n; ++row) nan_scratch[row] |= std::isnan(col[row]) ? 1 : 0;
    verdicts(r.name, on.key, ts, rr.outs[0].data(), nan_scratch.data(), n);
  }

  // Lifecycle, one tick at a time.
  in = &rr.instances[inst];
  const double* cond_col = rr.outs[0].data();
  const double* value_col = rr.outs[1].data();
  for (size_t row = 0; row < n; ++row) {
    if (in->state == State::Inactive) {
      // An inactive instance at a false tick only advances last_tick (which nothing reads
      // before the next true tick sets it again): skip to the next true tick.
      while (row < n && cond_col[row] == 0.0) ++row;
      if (row == n) {
        in->last_tick = ts[n - 1];
        break;
      }
    }
    TimeMs t = ts[row];
    bool cond = cond_col[row] != 0.0;
    double value = std::isnan(value_col[row]) ? kNaN : value_col[row];
    // A gap longer than the staleness limit ends the previous activation first, exactly
    // as flush() would have if time had been announced in between.
    if (in->state != State::Inactive && in->last_tick != INT64_MIN &&
        t - in->last_tick > options.staleness_ms) {
      TimeMs at = in->last_tick + options.staleness_ms + 1;  // first stale instant
      alerts.push_back(make_alert(
          rr, *in, in->state == State::Firing ? AlertEvent::Resolved : AlertEvent::Cleared, at,
          kNaN, nullptr, 0));
      in->state = State::Inactive;
      --rr.active;
    }
    in->last_tick = t;
    switch (in->state) {
      case State::Inactive:
        if (!cond) break;
        ++rr.active;
        activated(rr, t, options.staleness_ms);
        in->active_since = t;
        in->fired_at = 0;
        in->clear_since = INT64_MIN;
        if (r.for_ms == 0) {
          in->state = State::Firing;
          in->fired_at = t;
          alerts.push_back(make_alert(rr, *in, AlertEvent::Firing, t, value, &rr.outs, row));
        } else {
          in->state = State::Pending;
          alerts.push_back(make_alert(rr, *in, AlertEvent::Pending, t, value, &rr.outs, row));
        }
        break;
      case State::Pending:
        if (!cond) {
          in->state = State::Inactive;
          --rr.active;
          alerts.push_back(make_alert(rr, *in, AlertEvent::Cleared, t, value, &rr.outs, row));
        } else if (t - in->active_since >= r.for_ms) {
          in->state = State::Firing;
          in->fired_at = t;
          alerts.push_back(make_alert(rr, *in, AlertEvent::Firing, t, value, &rr.outs, row));
        }
        break;
      case State::Firing:
        if (cond) {
          in->clear_since = INT64_MIN;
          break;
        }
        if (in->clear_since == INT64_MIN) in->clear_since = t;
        if (t - in->clear_since >= r.keep_ms) {
          in->state = State::Inactive;
          --rr.active;
          alerts.push_back(make_alert(rr, *in, AlertEvent::Resolved, t, value, &rr.outs, row));
        }
        break;
    }
  }
}

namespace {
// The first instant at which an instance last evaluated at `last_tick` is stale (saturating).
TimeMs stale_at(TimeMs last_tick, int64_t staleness_ms) {
  TimeMs at;
  if (__builtin_add_overflow(last_tick, staleness_ms + 1, &at)) return INT64_MAX;
  return at;
}
}  // namespace

void Engine::Impl::activated(RuleRuntime& rr, TimeMs last_tick, int64_t staleness_ms) {
  rr.expiry_floor = std::min(rr.expiry_floor, stale_at(last_tick, staleness_ms));
}

void Engine::Impl::expire(TimeMs now, std::vector<Alert>& alerts) {
  for (auto& rr : rules) {
    // Nothing pending or firing, or nothing can be stale yet: an active instance's last_tick
    // only grows, so expiry_floor stays a lower bound until the next scan recomputes it.
    if (rr->active == 0 || now < rr->expiry_floor) continue;
    TimeMs floor = INT64_MAX;
    for (auto& in : rr->instances) {
      if (in.state == State::Inactive) continue;
      if (now - in.last_tick > options.staleness_ms) {
        TimeMs at = in.last_tick + options.staleness_ms + 1;  // first stale instant
        alerts.push_back(make_alert(
            *rr, in, in.state == State::Firing ? AlertEvent::Resolved : AlertEvent::Cleared, at,
            kNaN, nullptr, 0));
        in.state = State::Inactive;
        --rr->active;
      } else {
        floor = std::min(floor, stale_at(in.last_tick, options.staleness_ms));
      }
    }
    rr->expiry_floor = floor;
  }
}

}  // namespace omen
