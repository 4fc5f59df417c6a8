// One run of a rule source over labelled data in a fresh engine, and scoring of alarm flags.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "analysis/validate/internal.h"
#include "omen/validate.h"

namespace omen::validate {

const char* metric_name(Metric metric) {
  switch (metric) {
    case Metric::kEventF1:
      return "event_f1";
    case Metric::kPointF1:
      return "point_f1";
    case Metric::kNabStandard:
      return "nab_standard";
    case Metric::kNabLowFp:
      return "nab_low_fp";
    case Metric::kNabLowFn:
      return "nab_low_fn";
  }
  return "?";
}

std::optional<Metric> parse_metric(std::string_view name) {
  for (Metric m : {Metric::kEventF1, Metric::kPointF1, Metric::kNabStandard, Metric::kNabLowFp,
                   Metric::kNabLowFn})
    if (name == metric_name(m)) return m;
  return std::nullopt;
}

bool is_nab(Metric metric) {
  return metric != Metric::kEventF1 && metric != Metric::kPointF1;
}

double default_min(Metric metric) {
  return is_nab(metric) ? 0.0 : 0.5;
}

int64_t staleness_for(const LabelledData& data, const Options& options) {
  if (options.staleness_ms) return *options.staleness_ms;
  return std::max<int64_t>(5 * 60'000, 4 * data.median_interval);
}

namespace {

struct Interval {
  TimeMs start;
  TimeMs end;  // exclusive; INT64_MAX while still firing at the end of the data
};

// Rows of `times` inside the union of `intervals` (any order, may overlap).
void mark_intervals(std::vector<Interval> intervals, const std::vector<TimeMs>& times,
                    std::vector<uint8_t>& flags) {
  if (intervals.empty()) return;
  std::sort(intervals.begin(), intervals.end(),
            [](const Interval& a, const Interval& b) { return a.start < b.start; });
  std::vector<Interval> merged;
  for (const auto& iv : intervals) {
    if (iv.end <= iv.start) continue;
    if (!merged.empty() && iv.start <= merged.back().end)
      merged.back().end = std::max(merged.back().end, iv.end);
    else
      merged.push_back(iv);
  }
  for (size_t i = 0; i < times.size(); ++i) {
    const TimeMs t = times[i];
    auto it = std::upper_bound(merged.begin(), merged.end(), t,
                               [](TimeMs v, const Interval& iv) { return v < iv.start; });
    if (it != merged.begin() && t < std::prev(it)->end) flags[i] = 1;
  }
}

}  // namespace

Evaluation evaluate(const Candidate& candidate, const LabelledData& data, const Options& options) {
  const auto t0 = std::chrono::steady_clock::now();
  Evaluation ev;
  ev.staleness_ms = staleness_for(data, options);
  EngineOptions eo;
  eo.tier = options.tier;
  eo.staleness_ms = ev.staleness_ms;
  eo.history_ms = std::max(eo.history_ms, ev.staleness_ms);
  eo.limits = options.limits;
  // A fresh engine: nothing is shared with any other candidate or run.
  Engine::Built built = Engine::from_source(candidate.name, candidate.source, eo);
  ev.diagnostics = built.diagnostics;
  if (!built.ok()) {
    ev.millis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return ev;
  }
  ev.compiled = true;
  Engine& engine = *built.engine;
  const std::vector<std::string> names = engine.rule_names();
  std::unordered_map<std::string, size_t> index;
  ev.rules.resize(names.size());
  std::vector<uint8_t> counted(names.size(), 0);
  for (size_t i = 0; i < names.size(); ++i) {
    index.emplace(names[i], i);
    ev.rules[i].name = names[i];
    ev.rules[i].flags.assign(data.times.size(), 0);
    counted[i] = options.rules.empty() || std::find(options.rules.begin(), options.rules.end(),
                                                    names[i]) != options.rules.end();
  }

  engine.on_verdicts([&](const std::string& rule, const SeriesKey& series, const TimeMs* t,
                         const double* cond, const uint8_t* nan_input, size_t n) {
    auto it = index.find(rule);
    if (it == index.end()) return;
    RuleRun& rr = ev.rules[it->second];
    uint64_t h = detail::mix(detail::kFnvBasis, it->second);
    h = detail::mix(h, detail::hash_string(format_series(series)));
    uint64_t nan_ticks = 0, nan_verdicts = 0;
    for (size_t i = 0; i < n; ++i) {
      uint64_t bits;
      std::memcpy(&bits, &cond[i], sizeof bits);
      h = detail::mix(detail::mix(h, static_cast<uint64_t>(t[i])), bits ^ nan_input[i]);
      const bool bad_verdict = !(cond[i] == 0.0 || cond[i] == 1.0);
      nan_verdicts += bad_verdict;
      nan_ticks += (nan_input[i] != 0) || bad_verdict;
    }
    rr.ticks += n;
    rr.nan_input_ticks += [&] {
      uint64_t c = 0;
      for (size_t i = 0; i < n; ++i) c += nan_input[i] != 0;
      return c;
    }();
    rr.nan_verdicts += nan_verdicts;
    if (counted[it->second]) {
      ev.ticks += n;
      ev.nan_ticks += nan_ticks;
    }
    ev.trace.push_back(h);
  });

  try {
    if (options.on_engine) options.on_engine(engine);
    engine.push(data.batch);
  } catch (const std::exception& e) {
    ev.error = e.what();
  } catch (...) {
    ev.error = "unknown exception";
  }

  // Replay the alert events as firing intervals per (rule, labels).
  std::vector<std::vector<Interval>> intervals(names.size());
  std::vector<std::vector<TimeMs>> onsets(names.size());
  std::vector<std::map<std::string, TimeMs>> open(names.size());
  for (const Alert& a : engine.poll()) {
    auto it = index.find(a.rule);
    if (it == index.end()) continue;
    const size_t r = it->second;
    const std::string id = format_labels(a.labels);
    uint64_t h = detail::mix(detail::hash_string(a.rule), detail::hash_string(id));
    uint64_t vbits;
    std::memcpy(&vbits, &a.value, sizeof vbits);
    h = detail::mix(
        detail::mix(detail::mix(h, static_cast<uint64_t>(a.event)), static_cast<uint64_t>(a.at)),
        vbits ^ detail::hash_string(a.message));
    ev.trace.push_back(h);
    if (a.event == AlertEvent::Firing) {
      if (ev.rules[r].firing_events == 0) ev.rules[r].alert_labels = a.labels;
      open[r][id] = a.at;
      onsets[r].push_back(a.at);
      ++ev.rules[r].firing_events;
    } else if (a.event == AlertEvent::Resolved) {
      auto o = open[r].find(id);
      if (o != open[r].end()) {
        intervals[r].push_back({o->second, a.at});
        open[r].erase(o);
      }
    }
  }
  ev.flags.assign(data.times.size(), 0);
  for (size_t r = 0; r < names.size(); ++r) {
    for (const auto& [id, start] : open[r]) intervals[r].push_back({start, INT64_MAX});
    auto& f = ev.rules[r].flags;
    if (options.alarm_mode == AlarmMode::kFiring) {
      mark_intervals(std::move(intervals[r]), data.times, f);
    } else {
      f = score::flags_from_alarm_times(data.times, onsets[r]);
    }
    if (counted[r])
      for (size_t i = 0; i < f.size(); ++i) ev.flags[i] |= f[i];
  }
  ev.stats = engine.stats();
  for (const auto& rs : ev.stats.per_rule) {
    auto it = index.find(rs.name);
    if (it == index.end()) continue;
    ev.rules[it->second].cost = rs.cost;
    ev.rules[it->second].instances = rs.instances;
  }
  ev.millis =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return ev;
}

double Scores::value(Metric metric) const {
  switch (metric) {
    case Metric::kEventF1:
      return metrics.event.f1;
    case Metric::kPointF1:
      return metrics.point.f1;
    case Metric::kNabStandard:
      return nab[0].normalized;
    case Metric::kNabLowFp:
      return nab[1].normalized;
    case Metric::kNabLowFn:
      return nab[2].normalized;
  }
  return std::nan("");
}

Scores score_flags(const LabelledData& data, std::span<const uint8_t> flags, Span span,
                   const score::NabOptions& nab) {
  if (flags.size() != data.times.size())
    throw std::invalid_argument(
        fmt::format("score_flags: {} flags for {} rows", flags.size(), data.times.size()));
  const size_t n = data.times.size();
  const size_t end = std::min(span.end, n);
  const size_t begin = std::min(span.begin, end);
  const bool index_axis = data.labels.axis == score::TimeAxis::kIndex;
  std::vector<TimeMs> times(end - begin);
  for (size_t i = begin; i < end; ++i)
    times[i - begin] = index_axis ? static_cast<TimeMs>(i) : data.times[i];
  const std::span<const uint8_t> f = flags.subspan(begin, end - begin);
  // Only windows that cover a row of the span are scored (NAB counts every window it is given
  // in its "perfect" score, so the others must not be passed).
  std::vector<score::Window> windows;
  std::vector<score::Window> clipped = data.labels.windows;
  if (index_axis) {
    clipped.clear();
    for (auto w : data.labels.windows) {
      if (w.end < static_cast<TimeMs>(begin) || w.start >= static_cast<TimeMs>(end)) continue;
      w.start = std::max<TimeMs>(w.start, static_cast<TimeMs>(begin));
      w.end = std::min<TimeMs>(w.end, static_cast<TimeMs>(end) - 1);
      clipped.push_back(w);
    }
  }
  const auto resolved = score::resolve_windows(times, clipped);
  for (size_t i = 0; i < clipped.size(); ++i)
    if (resolved[i]) windows.push_back(clipped[i]);
  Scores s;
  const auto axis = index_axis ? score::TimeAxis::kIndex : score::TimeAxis::kTimestamp;
  s.metrics = score::evaluate(times, f, windows, axis);
  s.metrics.windows = windows.size();
  const auto profiles = score::nab_profiles();
  for (size_t p = 0; p < 3; ++p)
    s.nab[p] = score::nab_score_flags(times, f, windows, profiles[p], nab);
  return s;
}

}  // namespace omen::validate
