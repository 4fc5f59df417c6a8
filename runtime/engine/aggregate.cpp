// Aggregate series (docs/language.md, "Aggregations"): series the engine computes from other
// series. Every member sample at time t makes its group owe a value at t; once all samples at
// t are in, the group's value (the aggregate of its members as of t) is appended to the
// group's output series like any sample, so rules read aggregates exactly as measured series.
#include <cmath>
#include <limits>

#include "runtime/engine/engine_impl.h"

namespace omen {
using engine::AggregateRuntime;
using engine::SeriesData;

uint32_t Engine::Impl::intern_series(const SeriesKey& key, bool* added) {
  uint32_t id = store.intern(key, options.limits.max_series, added);
  if (!*added) return id;
  for (auto& rr : rules)
    if (rr->rule->selectors[0].matches(key)) add_instance(*rr, id);
  if (key.name.empty() || key.name[0] != '@')
    for (uint32_t ai = 0; ai < aggregates.size(); ++ai) join_aggregate(ai, id);
  return id;
}

void Engine::Impl::join_aggregate(uint32_t ai, uint32_t sid) {
  AggregateRuntime& ar = *aggregates[ai];
  const CompiledAggregate& a = *ar.agg;
  SeriesKey out;  // a copy: interning the output below may move the store's keys
  {
    const SeriesKey& key = store.at(sid).key;
    if (!a.members.matches(key) || ar.member_of.count(sid)) return;
    out.name = a.metric;
    for (const auto& b : a.by)
      for (const auto& kv : key.labels)
        if (kv.first == b) out.labels.push_back(kv);
    out.labels = normalize_labels(std::move(out.labels));
  }
  std::string gk = format_labels(out.labels);
  auto it = ar.group_index.find(gk);
  uint32_t g;
  if (it == ar.group_index.end()) {
    g = static_cast<uint32_t>(ar.groups.size());
    ar.groups.emplace_back();
    ar.group_index.emplace(gk, g);
    bool added = false;
    uint32_t out_sid = intern_series(out, &added);
    aggregates[ai]->groups[g].out_sid = out_sid;
  } else {
    g = it->second;
  }
  uint32_t m = static_cast<uint32_t>(ar.members.size());
  ar.members.push_back({sid, g, 0, false});
  ar.member_of.emplace(sid, m);
  ar.groups[g].members.push_back(m);
  add_membership(sid, ai, m);
}

void Engine::Impl::install_aggregates(const CompiledModule& m) {
  std::unordered_map<std::string, std::unique_ptr<AggregateRuntime>> old;
  for (auto& ar : aggregates) old[ar->agg->metric] = std::move(ar);
  aggregates.clear();
  memberships.clear();
  std::vector<uint32_t> fresh;
  for (const auto& a : m.aggregates) {
    auto it = old.find(a.metric);  // the metric names the definition: same name, same state
    if (it != old.end()) {
      aggregates.push_back(std::move(it->second));
    } else {
      aggregates.push_back(std::make_unique<AggregateRuntime>());
      fresh.push_back(static_cast<uint32_t>(aggregates.size() - 1));
    }
    aggregates.back()->agg = &a;
  }
  for (uint32_t ai = 0; ai < aggregates.size(); ++ai)
    for (uint32_t mi = 0; mi < aggregates[ai]->members.size(); ++mi)
      add_membership(aggregates[ai]->members[mi].sid, ai, mi);
  // New aggregates take the series already known as members; counters start from their next
  // sample. (Series added here are outputs: their names start with '@' and are not members.)
  for (uint32_t ai : fresh)
    for (uint32_t sid = 0, n = static_cast<uint32_t>(store.size()); sid < n; ++sid)
      if (store.at(sid).key.name.empty() || store.at(sid).key.name[0] != '@')
        join_aggregate(ai, sid);
}

void Engine::Impl::aggregate_sample(uint32_t sid, TimeMs t, double v,
                                    std::vector<std::pair<uint32_t, uint32_t>>& dirty) {
  if (sid >= memberships.size()) return;
  for (auto [ai, mi] : memberships[sid]) {
    AggregateRuntime& ar = *aggregates[ai];
    AggregateRuntime::Member& m = ar.members[mi];
    AggregateRuntime::Group& g = ar.groups[m.group];
    if (ar.agg->op == CompiledAggregate::CounterSum && !std::isnan(v)) {
      // The member's increase, resets handled as rate() does: a drop restarts from 0. A
      // member's first sample is its baseline, so a series appearing adds nothing.
      if (m.seen) g.total += v >= m.last ? v - m.last : v;
      m.last = v;
      m.seen = true;
    }
    if (g.dirty_at != t) {
      g.dirty_at = t;
      dirty.emplace_back(ai, m.group);
    }
  }
}

void Engine::Impl::flush_aggregates(TimeMs t, std::vector<std::pair<uint32_t, uint32_t>>& dirty) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  for (auto [ai, gi] : dirty) {
    AggregateRuntime& ar = *aggregates[ai];
    AggregateRuntime::Group& g = ar.groups[gi];
    if (g.out_sid == UINT32_MAX) {
      ++counters.aggregate_dropped;
      continue;
    }
    double value;
    if (ar.agg->op == CompiledAggregate::CounterSum) {
      value = g.total;
    } else {
      // The fresh members' values as of t (like a join: at most `staleness` old, NaN skipped).
      double sum = 0, lo = kNaN, hi = kNaN;
      size_t n = 0;
      for (uint32_t mi : g.members) {
        const SeriesData& d = store.at(ar.members[mi].sid);
        size_t idx = d.size() > 0 && d.last_t <= t ? d.t.size() - 1 : d.at_or_before(t);
        if (idx == SIZE_MAX || t - d.t[idx] > options.staleness_ms) continue;
        double x = d.v[idx];
        if (std::isnan(x)) continue;
        sum += x;
        lo = n == 0 ? x : std::min(lo, x);
        hi = n == 0 ? x : std::max(hi, x);
        ++n;
      }
      switch (ar.agg->op) {
        case CompiledAggregate::Sum:
          value = n ? sum : kNaN;
          break;
        case CompiledAggregate::Avg:
          value = n ? sum / static_cast<double>(n) : kNaN;
          break;
        case CompiledAggregate::Min:
          value = lo;
          break;
        case CompiledAggregate::Max:
          value = hi;
          break;
        case CompiledAggregate::Count:
          value = static_cast<double>(n);
          break;
        default:
          value = kNaN;
          break;
      }
    }
    SeriesData& o = store.at(g.out_sid);
    if (t <= o.last_t) {
      // A late member sample (older than the group's latest value): the value is not revised.
      ++counters.aggregate_dropped;
      continue;
    }
    append(o, g.out_sid, t, value);
    ++counters.aggregate_samples;
  }
  dirty.clear();
}

}  // namespace omen
