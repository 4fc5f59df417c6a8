// One candidate rule file, validated alone: size, compile, metrics, a run over the training
// data in a fresh Engine (nothing is shared between candidates), then the gates.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "llm/rules/rules_internal.h"
#include "omen/llm.h"
#include "omen/validate.h"

namespace omen::llm {

namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest(const std::string& name, const std::vector<std::string>& known) {
  std::string best;
  size_t best_d = std::max<size_t>(2, name.size() / 3) + 1;
  for (const auto& k : known) {
    size_t d = edit_distance(name, k);
    if (d < best_d) best_d = d, best = k;
  }
  return best;
}

// One run of the rules over the data in a fresh engine.
struct Run {
  std::vector<Alert> alerts;
  EngineStats stats;
  std::map<std::string, std::pair<uint64_t, uint64_t>> nan_evals;  // rule -> (nan, total)
};

Run run_once(const Engine::Built& built_or_null, const std::string& name, const std::string& source,
             const Batch& data, const EngineOptions& options) {
  Run run;
  Engine::Built fresh;
  const Engine::Built* b = &built_or_null;
  if (!built_or_null.ok()) {
    fresh = Engine::from_source(name, source, options);
    b = &fresh;
  }
  if (!b->ok()) return run;
  Engine& e = *b->engine;
  e.on_verdicts([&](const std::string& rule, const SeriesKey&, const TimeMs*, const double*,
                    const uint8_t* nan_input, size_t n) {
    auto& c = run.nan_evals[rule];
    for (size_t i = 0; i < n; ++i) c.first += nan_input[i] != 0;
    c.second += n;
  });
  e.push(data);
  run.alerts = e.poll();
  run.stats = e.stats();
  return run;
}

std::string alert_log(const std::vector<Alert>& alerts) {
  std::string out;
  for (const auto& a : alerts) out += to_json(a) + "\n";
  return out;
}

std::string time_text(TimeMs t, score::TimeAxis axis) {
  return axis == score::TimeAxis::kIndex ? fmt::format("row {}", t) : score::format_time(t);
}

void describe(RuleMetrics& m) {
  double share = m.ticks ? 100.0 * double(m.alarm_ticks) / double(m.ticks) : 0.0;
  if (!m.labelled) {
    m.summary = fmt::format("no labels; {} firing alert{}, alarms at {:.1f}% of {} ticks", m.alerts,
                            m.alerts == 1 ? "" : "s", share, m.ticks);
    return;
  }
  m.summary = fmt::format(
      "event F1 {:.3f} (precision {:.3f}, recall {:.3f}: {} of {} labelled windows detected, {} "
      "false-positive tick{}), point F1 {:.3f}, NAB standard {:.1f}, alarms at {:.1f}% of {} "
      "ticks, {} firing alert{}",
      m.event_f1, m.event_precision, m.event_recall, m.detected, m.windows, m.false_positives,
      m.false_positives == 1 ? "" : "s", m.point_f1, m.nab_standard, share, m.ticks, m.alerts,
      m.alerts == 1 ? "" : "s");
}

RuleMetrics from_report(const validate::Report& rep) {
  RuleMetrics m;
  m.labelled = true;
  m.ticks = rep.rows;
  m.alarm_ticks = rep.alarmed_rows;
  for (const auto& rr : rep.rules) {
    m.alerts += rr.firing_events;
    m.max_cost = std::max(m.max_cost, rr.cost);
  }
  const score::Metrics& sm = rep.scores.metrics;
  m.windows = sm.event.segments;
  m.detected = sm.event.detected;
  m.false_positives = sm.event.false_positives;
  m.event_precision = sm.event.precision;
  m.event_recall = sm.event.recall;
  m.event_f1 = sm.event.f1;
  m.point_f1 = sm.point.f1;
  m.nab_standard = std::isnan(rep.scores.nab[0].normalized) ? 0 : rep.scores.nab[0].normalized;
  m.nan_fraction = rep.ticks ? double(rep.nan_ticks) / double(rep.ticks) : 0;
  // The validator lists the longest episodes (in time order); the model gets the first few.
  for (size_t i = 0; i < rep.false_positives.size() && i < 5; ++i) {
    const auto& e = rep.false_positives[i];
    size_t rows = e.last_row - e.first_row + 1;
    m.false_positive_examples.push_back(
        fmt::format("{} .. {} ({} tick{})", score::format_time(e.start), score::format_time(e.end),
                    rows, rows == 1 ? "" : "s"));
  }
  if (rep.false_positive_episodes > m.false_positive_examples.size())
    m.false_positive_examples.push_back(
        fmt::format("... {} runs in all", rep.false_positive_episodes));
  for (size_t w = 0; w < rep.windows.size(); ++w)
    if (!rep.windows[w].detected && m.missed_examples.size() < 5)
      m.missed_examples.push_back(fmt::format("window {} of {}: {} .. {}", w + 1,
                                              rep.windows.size(),
                                              time_text(rep.windows[w].window.start, rep.axis),
                                              time_text(rep.windows[w].window.end, rep.axis)));
  describe(m);
  return m;
}

}  // namespace

namespace internal {

std::vector<TimeMs> timeline(const Batch& data) {
  std::vector<TimeMs> t = data.t;
  std::sort(t.begin(), t.end());
  t.erase(std::unique(t.begin(), t.end()), t.end());
  return t;
}

RuleMetrics score_alerts(const std::vector<Alert>& alerts, const std::vector<TimeMs>& times,
                         const score::LabelSet* labels) {
  RuleMetrics m;
  m.ticks = times.size();
  std::vector<uint8_t> flags(times.size(), 0);
  // A row alarms while some alert is firing: from its Firing event to its Resolved event.
  std::map<std::string, TimeMs> open;
  auto mark = [&](TimeMs from, TimeMs to) {  // [from, to)
    auto b = std::lower_bound(times.begin(), times.end(), from);
    auto e = std::lower_bound(times.begin(), times.end(), to);
    for (auto it = b; it < e; ++it) flags[static_cast<size_t>(it - times.begin())] = 1;
  };
  for (const auto& a : alerts) {
    std::string key = a.rule + format_labels(a.labels);
    if (a.event == AlertEvent::Firing) {
      ++m.alerts;
      open[key] = a.at;
    } else if (a.event == AlertEvent::Resolved) {
      auto it = open.find(key);
      if (it != open.end()) {
        mark(it->second, a.at);
        open.erase(it);
      }
    }
  }
  for (const auto& [key, from] : open) mark(from, INT64_MAX);
  for (uint8_t f : flags) m.alarm_ticks += f;
  if (!labels) {
    describe(m);
    return m;
  }
  m.labelled = true;
  std::vector<TimeMs> axis_times = times;
  if (labels->axis == score::TimeAxis::kIndex)
    for (size_t i = 0; i < axis_times.size(); ++i) axis_times[i] = static_cast<TimeMs>(i);
  score::Metrics sm = score::evaluate(axis_times, flags, labels->windows, labels->axis);
  m.windows = sm.event.segments;
  m.detected = sm.event.detected;
  m.false_positives = sm.event.false_positives;
  m.event_precision = sm.event.precision;
  m.event_recall = sm.event.recall;
  m.event_f1 = sm.event.f1;
  m.point_f1 = sm.point.f1;
  if (!labels->windows.empty()) {
    score::NabResult nab =
        score::nab_score_flags(axis_times, flags, labels->windows, score::kNabStandard);
    m.nab_standard = std::isnan(nab.normalized) ? 0 : nab.normalized;
  }
  // Examples for the model: runs of false alarms, and windows without any alarm.
  auto ranges = score::resolve_windows(axis_times, labels->windows);
  std::vector<uint8_t> inside(times.size(), 0);
  for (const auto& r : ranges)
    if (r)
      for (size_t i = r->first; i <= r->last; ++i) inside[i] = 1;
  size_t runs = 0;
  for (size_t i = 0; i < flags.size();) {
    if (!flags[i] || inside[i]) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < flags.size() && flags[j] && !inside[j]) ++j;
    if (++runs <= 5)
      m.false_positive_examples.push_back(
          fmt::format("{} .. {} ({} tick{})", time_text(axis_times[i], labels->axis),
                      time_text(axis_times[j - 1], labels->axis), j - i, j - i == 1 ? "" : "s"));
    i = j;
  }
  if (runs > 5) m.false_positive_examples.push_back(fmt::format("... {} runs in all", runs));
  for (size_t w = 0; w < ranges.size(); ++w) {
    if (!ranges[w]) continue;
    bool hit = false;
    for (size_t i = ranges[w]->first; i <= ranges[w]->last; ++i) hit |= flags[i] != 0;
    if (!hit && m.missed_examples.size() < 5)
      m.missed_examples.push_back(fmt::format("window {} of {}: {} .. {}", w + 1, ranges.size(),
                                              time_text(labels->windows[w].start, labels->axis),
                                              time_text(labels->windows[w].end, labels->axis)));
  }
  describe(m);
  return m;
}

std::string candidate_feedback(const CandidateReport& r) {
  std::string out =
      fmt::format("Candidate {} ({}):\n", r.index, r.passed ? "passed every gate" : "rejected");
  for (const auto& g : r.gates)
    if (!g.passed) out += fmt::format("- gate {} FAILED: {}\n", g.name, g.detail);
  if (!r.compiled && !r.diagnostics.empty()) out += "Checker output:\n" + format(r.diagnostics);
  if (r.metrics) {
    const RuleMetrics& m = *r.metrics;
    out += "- on the training data: " + m.summary + "\n";
    if (!m.false_positive_examples.empty())
      out += fmt::format("- false alarms (alarming outside every labelled window): {}\n",
                         fmt::join(m.false_positive_examples, "; "));
    if (!m.missed_examples.empty())
      out += fmt::format("- missed labelled windows (no alarm inside): {}\n",
                         fmt::join(m.missed_examples, "; "));
  }
  return out;
}

}  // namespace internal

bool internal::prepare(const RuleTask& task, Training* t, std::string* error) {
  t->task = &task;
  t->times = timeline(task.data);
  t->metrics = metric_names(task.data);
  if (task.labels) {
    validate::DataOptions o;
    o.target = task.target;
    auto d = validate::make_data(task.data, *task.labels, o, task.data_name);
    if (!d.ok()) {
      *error = d.error().str();
      return false;
    }
    t->labelled = std::move(d.value());
  }
  return true;
}

CandidateReport internal::evaluate(const std::string& source, const std::string& name,
                                   const Training& training, const RuleGates& gates,
                                   const EngineOptions& engine, const RuleMetrics* baseline) {
  const RuleTask& task = *training.task;
  CandidateReport r;
  r.source = source;
  auto gate = [&](const std::string& gname, bool passed, std::string detail) {
    r.gates.push_back({gname, passed, std::move(detail)});
    return passed;
  };
  auto done = [&]() -> CandidateReport {
    r.passed = !r.gates.empty() && std::all_of(r.gates.begin(), r.gates.end(),
                                               [](const GateResult& g) { return g.passed; });
    r.feedback = internal::candidate_feedback(r);
    return r;
  };
  if (!gate("size", source.size() <= engine.limits.max_source_bytes,
            fmt::format("{} bytes (limit {})", source.size(), engine.limits.max_source_bytes)))
    return done();

  // Hard gates: compile, count the rules, check every metric name against the data.
  Engine::Built built = Engine::from_source(name, source, engine);
  r.diagnostics = built.diagnostics;
  r.compiled = built.ok();
  if (!gate("compiles", r.compiled,
            r.compiled ? "parsed and type-checked" : "the checker reported errors (below)"))
    return done();
  size_t rules = built.engine->rule_names().size();
  if (!gate("rules", rules >= 1 && rules <= gates.max_rules,
            rules == 0 ? "the file declares no rule"
                       : fmt::format("{} rule{} (limit {})", rules, rules == 1 ? "" : "s",
                                     gates.max_rules)))
    return done();
  std::string scan_error;
  std::vector<std::string> used = referenced_metrics(source, &scan_error);
  const std::vector<std::string>& known = training.metrics;
  std::vector<std::string> unknown;
  for (const auto& m : used)
    if (!std::binary_search(known.begin(), known.end(), m)) unknown.push_back(m);
  if (!scan_error.empty()) {
    gate("known_metrics", false, scan_error);
    return done();
  }
  if (!unknown.empty()) {
    std::string detail;
    for (const auto& u : unknown) {
      std::string near = closest(u, known);
      detail +=
          fmt::format("{}metric '{}' does not exist in the data{}", detail.empty() ? "" : "; ", u,
                      near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near));
    }
    detail += fmt::format("; the data has: {}", fmt::join(known, ", "));
    gate("known_metrics", false, detail);
    return done();
  }
  gate("known_metrics", true, fmt::format("uses {}", fmt::join(used, ", ")));

  RuleMetrics m;
  if (training.labelled) {
    // The validator's gates (omen validate): evaluates, nan_verdicts, deterministic, cost, metric.
    validate::Options vo;
    vo.metric = validate::Metric::kEventF1;
    vo.min_metric = gates.min_event_f1;
    vo.max_nan_fraction = gates.max_nan_fraction;
    vo.max_cost = gates.max_cost > 0 ? gates.max_cost : engine.limits.max_cost;
    vo.check_determinism = gates.check_determinism;
    vo.tier = engine.tier;
    vo.limits = engine.limits;
    vo.max_listed = 25;
    validate::Report rep = validate::validate({name, source}, *training.labelled, vo);
    for (const auto& g : rep.gates) {
      if (g.gate == validate::Gate::kCompiles || g.status == validate::GateStatus::kSkipped)
        continue;
      gate(validate::gate_name(g.gate), g.status == validate::GateStatus::kPass, g.reason);
    }
    if (!rep.value) return done();
    m = from_report(rep);
  } else {
    Run run = run_once(built, name, source, task.data, engine);
    std::vector<std::string> idle;
    for (const auto& pr : run.stats.per_rule)
      if (pr.instances == 0) idle.push_back(pr.name);
    if (!gate("evaluates", idle.empty(),
              idle.empty() ? "every rule is evaluated on the data"
                           : fmt::format("rule{} {} match{} no series in the data (check the "
                                         "`on` series and its label matchers)",
                                         idle.size() == 1 ? "" : "s", fmt::join(idle, ", "),
                                         idle.size() == 1 ? "es" : "")))
      return done();
    uint64_t nan = 0, total = 0;
    std::string worst_rule;
    double worst = 0;
    for (const auto& [rule, c] : run.nan_evals) {
      nan += c.first;
      total += c.second;
      double f = c.second ? double(c.first) / double(c.second) : 0;
      if (f > worst) worst = f, worst_rule = rule;
    }
    double nan_fraction = total ? double(nan) / double(total) : 0;
    gate("nan_verdicts", nan_fraction <= gates.max_nan_fraction,
         worst_rule.empty()
             ? "no evaluation read a missing input"
             : fmt::format("{:.2f}% of evaluations read a missing or stale input (NaN; limit "
                           "{:.2f}%); worst rule {} at {:.2f}% (a joined series that matches "
                           "nothing, or gaps in the data?)",
                           100 * nan_fraction, 100 * gates.max_nan_fraction, worst_rule,
                           100 * worst));
    if (gates.check_determinism) {
      Run again = run_once(Engine::Built{}, name, source, task.data, engine);
      bool same = alert_log(again.alerts) == alert_log(run.alerts);
      gate("deterministic", same,
           same ? "two runs in fresh engines gave identical alerts"
                : "two runs in fresh engines gave different alerts");
    }
    double max_cost = gates.max_cost > 0 ? gates.max_cost : engine.limits.max_cost;
    double cost = 0;
    std::string costly;
    for (const auto& pr : run.stats.per_rule)
      if (pr.cost > cost) cost = pr.cost, costly = pr.name;
    gate("cost", cost <= max_cost,
         fmt::format("highest cost per evaluation {:g} (rule {}; limit {:g})", cost, costly,
                     max_cost));
    m = internal::score_alerts(run.alerts, training.times, task.labels ? &*task.labels : nullptr);
    m.nan_fraction = nan_fraction;
    m.max_cost = cost;
    if (m.labelled)
      gate("metric", m.event_f1 >= gates.min_event_f1,
           fmt::format("event_f1 = {:.4f} {} {:.4f}", m.event_f1,
                       m.event_f1 >= gates.min_event_f1 ? ">=" : "<", gates.min_event_f1));
  }
  double alarm_fraction = m.ticks ? double(m.alarm_ticks) / double(m.ticks) : 0;
  gate("alarm_share", alarm_fraction <= gates.max_alarm_fraction,
       fmt::format("alerts firing at {:.1f}% of the ticks (limit {:.1f}%)", 100 * alarm_fraction,
                   100 * gates.max_alarm_fraction));
  if (m.labelled && baseline && gates.no_regression && baseline->labelled) {
    bool ok = m.event_f1 + 1e-12 >= baseline->event_f1;
    gate("no_regression", ok,
         ok ? fmt::format("event F1 {:.3f} >= the current rules' {:.3f}", m.event_f1,
                          baseline->event_f1)
            : fmt::format("event F1 {:.3f} is worse than the current rules' {:.3f}: the "
                          "candidate regresses the current rules",
                          m.event_f1, baseline->event_f1));
  }
  r.metrics = std::move(m);
  return done();
}

CandidateReport evaluate_candidate(const std::string& source, const RuleTask& task,
                                   const RuleGates& gates, const EngineOptions& engine,
                                   const RuleMetrics* baseline) {
  internal::Training training;
  std::string error;
  if (!internal::prepare(task, &training, &error)) {
    CandidateReport r;
    r.source = source;
    r.gates.push_back({"data", false, error});
    r.feedback = internal::candidate_feedback(r);
    return r;
  }
  return internal::evaluate(source, "candidate.omen", training, gates, engine, baseline);
}

}  // namespace omen::llm
