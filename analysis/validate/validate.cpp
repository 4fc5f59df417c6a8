// The gates: compiles, evaluates, NaN verdicts, determinism, cost, metric, no regression.
#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "analysis/validate/internal.h"
#include "omen/validate.h"

namespace omen::validate {

const char* gate_name(Gate gate) {
  switch (gate) {
    case Gate::kCompiles:
      return "compiles";
    case Gate::kEvaluates:
      return "evaluates";
    case Gate::kNanVerdicts:
      return "nan_verdicts";
    case Gate::kDeterministic:
      return "deterministic";
    case Gate::kCost:
      return "cost";
    case Gate::kMetric:
      return "metric";
    case Gate::kNoRegression:
      return "no_regression";
  }
  return "?";
}

const char* status_name(GateStatus status) {
  switch (status) {
    case GateStatus::kPass:
      return "pass";
    case GateStatus::kFail:
      return "fail";
    case GateStatus::kSkipped:
      return "skipped";
  }
  return "?";
}

namespace {

// The first line of the first error ("file:line:col: error[E010]: ...").
std::string first_error_line(const std::vector<omen::Diagnostic>& diagnostics) {
  const omen::Diagnostic* d = omen::first_error(diagnostics);
  if (!d) return "";
  omen::Diagnostic head = *d;
  head.source_line.clear();
  head.notes.clear();
  std::string line = omen::format(head);
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}

std::string fmt_value(double v) {
  return std::isnan(v) ? "undefined" : fmt::format("{:.4f}", v);
}

std::string percent(double f) {
  return fmt::format("{:.2f}%", 100 * f);
}

}  // namespace

Report validate(const Candidate& candidate, const LabelledData& data, const Options& options,
                const std::optional<Candidate>& current) {
  const auto t0 = std::chrono::steady_clock::now();
  Report rep;
  rep.candidate = candidate.name;
  rep.data = data.name;
  rep.labels = data.labels.source;
  rep.target = format_series(data.target);
  rep.metric = options.metric;
  rep.min_metric = options.min_metric.value_or(default_min(options.metric));
  rep.axis = data.labels.axis;
  rep.alarm_mode = options.alarm_mode;
  rep.max_listed = options.max_listed;
  rep.warnings = data.warnings;
  const size_t n = data.times.size();
  rep.span.end = std::min(options.span.end, n);
  rep.span.begin = std::min(options.span.begin, rep.span.end);
  rep.rows = rep.span.end - rep.span.begin;
  auto gate = [&](Gate g, GateStatus s, std::string reason) {
    rep.gates.push_back({g, s, std::move(reason)});
  };
  auto skip_rest = [&](Gate from, const std::string& why) {
    for (int g = static_cast<int>(from); g <= static_cast<int>(Gate::kNoRegression); ++g)
      gate(static_cast<Gate>(g), GateStatus::kSkipped, why);
  };
  auto finish = [&]() {
    rep.passed = std::none_of(rep.gates.begin(), rep.gates.end(),
                              [](const GateResult& g) { return g.status == GateStatus::kFail; });
    rep.millis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return rep;
  };

  // 1. compiles
  Evaluation ev = evaluate(candidate, data, options);
  rep.diagnostics = ev.diagnostics;
  rep.staleness_ms = ev.staleness_ms;
  if (!ev.compiled) {
    const size_t errors = std::max<size_t>(1, omen::count_errors(ev.diagnostics));
    gate(Gate::kCompiles, GateStatus::kFail,
         fmt::format("{} error{}; first: {}", errors, errors == 1 ? "" : "s",
                     first_error_line(ev.diagnostics)));
    skip_rest(Gate::kEvaluates, "the candidate does not compile");
    return finish();
  }
  {
    const size_t warnings = omen::count_warnings(ev.diagnostics);
    gate(Gate::kCompiles, GateStatus::kPass,
         fmt::format("{} rule{}, {} warning{}", ev.rules.size(), ev.rules.size() == 1 ? "" : "s",
                     warnings, warnings == 1 ? "" : "s"));
  }

  // 2. evaluates
  std::vector<std::string> problems;
  if (!ev.error.empty()) problems.push_back("evaluation threw: " + ev.error);
  for (const auto& name : options.rules)
    if (std::none_of(ev.rules.begin(), ev.rules.end(),
                     [&](const RuleRun& r) { return r.name == name; }))
      problems.push_back(fmt::format("no rule named '{}' in the candidate", name));
  size_t counted_rules = 0;
  for (const auto& r : ev.rules) {
    const bool counted =
        options.rules.empty() ||
        std::find(options.rules.begin(), options.rules.end(), r.name) != options.rules.end();
    counted_rules += counted;
    if (counted && r.ticks == 0)
      problems.push_back(fmt::format(
          "rule {} was never evaluated: its `on` series matches no series of the data (the data "
          "has {})",
          r.name,
          format_series(data.target) +
              (data.batch.series.size() > 1
                   ? fmt::format(" and {} more", data.batch.series.size() - 1)
                   : "")));
  }
  if (ev.rules.empty() || counted_rules == 0) problems.push_back("the candidate has no rule");
  if (ev.stats.ambiguous_matches)
    problems.push_back(fmt::format("{} evaluations read an ambiguous join (two series matched)",
                                   ev.stats.ambiguous_matches));
  if (ev.stats.dropped_series_limit)
    problems.push_back(
        fmt::format("{} samples dropped at the series limit", ev.stats.dropped_series_limit));
  if (ev.stats.dropped_out_of_order || ev.stats.dropped_duplicate)
    rep.warnings.push_back(
        fmt::format("the engine dropped {} out-of-order and {} duplicate sample(s) of the data",
                    ev.stats.dropped_out_of_order, ev.stats.dropped_duplicate));
  if (problems.empty()) {
    gate(Gate::kEvaluates, GateStatus::kPass,
         fmt::format("{} evaluations of {} rule{}", ev.ticks, counted_rules,
                     counted_rules == 1 ? "" : "s"));
  } else {
    std::string reason = problems[0];
    for (size_t i = 1; i < problems.size(); ++i) reason += "; " + problems[i];
    gate(Gate::kEvaluates, GateStatus::kFail, reason);
  }
  rep.ticks = ev.ticks;
  rep.nan_ticks = ev.nan_ticks;
  rep.rules = ev.rules;
  for (auto& r : rep.rules) {
    r.flags.clear();
    if (r.instances == 0)  // W003, as in `omen run`: the rule watched nothing
      rep.warnings.push_back(fmt::format(
          "[W003] rule '{}' matched no series in the data (check its 'on' selector)", r.name));
  }
  if (!ev.error.empty()) {
    skip_rest(Gate::kNanVerdicts, "the evaluation failed");
    return finish();
  }

  // 3. NaN verdicts
  {
    const double frac =
        ev.ticks ? static_cast<double>(ev.nan_ticks) / static_cast<double>(ev.ticks) : 0.0;
    std::string worst;
    double worst_frac = -1;
    for (const auto& r : ev.rules) {
      if (!r.ticks) continue;
      const double f =
          static_cast<double>(r.nan_input_ticks + r.nan_verdicts) / static_cast<double>(r.ticks);
      if (f > worst_frac) {
        worst_frac = f;
        worst = fmt::format(
            "{}: {} of {} ticks with a NaN input{}", r.name, r.nan_input_ticks, r.ticks,
            r.nan_verdicts ? fmt::format(", {} NaN verdicts", r.nan_verdicts) : std::string());
      }
    }
    const bool ok = ev.ticks == 0 || frac <= options.max_nan_fraction;
    gate(Gate::kNanVerdicts, ok ? GateStatus::kPass : GateStatus::kFail,
         fmt::format("{} of ticks with NaN inputs or verdicts (max {}){}", percent(frac),
                     percent(options.max_nan_fraction),
                     ok || worst.empty() ? ""
                                         : "; worst rule " + worst +
                                               " (a missing, stale or misnamed joined series?)"));
  }

  // 4. deterministic
  if (options.check_determinism) {
    Evaluation ev2 = evaluate(candidate, data, options);
    std::string diff;
    if (!ev2.compiled || !ev2.error.empty()) {
      diff = "the second run failed";
    } else if (ev2.trace.size() != ev.trace.size()) {
      diff = fmt::format("the runs produced {} and {} verdict/alert records", ev.trace.size(),
                         ev2.trace.size());
    } else {
      for (size_t i = 0; i < ev.trace.size() && diff.empty(); ++i)
        if (ev.trace[i] != ev2.trace[i]) diff = fmt::format("record {} differs", i);
      for (size_t i = 0; i < n && diff.empty(); ++i)
        if (ev.flags[i] != ev2.flags[i])
          diff = fmt::format("alarm flag of row {} ({}) differs", i,
                             score::format_time(data.times[i]));
    }
    if (diff.empty())
      gate(Gate::kDeterministic, GateStatus::kPass,
           fmt::format("two fresh runs: identical verdicts and alarms ({} records)",
                       ev.trace.size()));
    else
      gate(Gate::kDeterministic, GateStatus::kFail, "two fresh runs differ: " + diff);
  } else {
    gate(Gate::kDeterministic, GateStatus::kSkipped, "disabled");
  }

  // 5. cost
  {
    std::string over;
    double max_cost = 0;
    for (const auto& r : ev.rules) {
      max_cost = std::max(max_cost, r.cost);
      if (r.cost > options.max_cost)
        over += fmt::format("{}{} costs {:g}", over.empty() ? "" : ", ", r.name, r.cost);
    }
    if (over.empty())
      gate(Gate::kCost, GateStatus::kPass,
           fmt::format("highest rule cost {:g} per evaluation (budget {:g})", max_cost,
                       options.max_cost));
    else
      gate(Gate::kCost, GateStatus::kFail,
           fmt::format("over the budget of {:g} per evaluation: {}", options.max_cost, over));
  }

  // 6. metric
  rep.scores = score_flags(data, ev.flags, rep.span, options.nab);
  const double value = rep.scores.value(options.metric);
  rep.value = value;
  for (size_t i = rep.span.begin; i < rep.span.end; ++i) rep.alarmed_rows += ev.flags[i] != 0;
  if (std::isnan(value)) {
    gate(Gate::kMetric, GateStatus::kFail,
         fmt::format("{} is undefined: no label window covers a row of the scored span",
                     metric_name(options.metric)));
  } else {
    const bool ok = value >= rep.min_metric;
    std::string detail;
    if (!is_nab(options.metric)) {
      const auto& e = rep.scores.metrics.event;
      detail = fmt::format("; {} of {} windows detected, {} false-positive rows", e.detected,
                           e.segments, rep.scores.metrics.false_alarms);
    }
    gate(Gate::kMetric, ok ? GateStatus::kPass : GateStatus::kFail,
         fmt::format("{} = {} {} {}{}", metric_name(options.metric), fmt_value(value),
                     ok ? ">=" : "<", fmt_value(rep.min_metric), detail));
  }

  // 7. no regression
  if (!current) {
    gate(Gate::kNoRegression, GateStatus::kSkipped, "no current version given");
  } else {
    Options co = options;
    // The current version of the same rules: its rules named like a candidate rule, or all.
    co.rules.clear();
    Evaluation cur = evaluate(*current, data, co);
    if (cur.compiled) {
      for (const auto& r : cur.rules)
        if (std::any_of(ev.rules.begin(), ev.rules.end(),
                        [&](const RuleRun& c) { return c.name == r.name; }))
          co.rules.push_back(r.name);
      if (!co.rules.empty() && co.rules.size() != cur.rules.size()) {
        cur.flags.assign(n, 0);
        for (const auto& r : cur.rules)
          if (std::find(co.rules.begin(), co.rules.end(), r.name) != co.rules.end())
            for (size_t i = 0; i < n; ++i) cur.flags[i] |= r.flags[i];
      }
    }
    if (!cur.compiled) {
      gate(Gate::kNoRegression, GateStatus::kFail,
           "the current version does not compile: " + first_error_line(cur.diagnostics));
    } else if (!cur.error.empty()) {
      gate(Gate::kNoRegression, GateStatus::kFail,
           "the current version failed to evaluate: " + cur.error);
    } else {
      rep.current_scores = score_flags(data, cur.flags, rep.span, options.nab);
      const double cv = rep.current_scores->value(options.metric);
      rep.current_value = cv;
      const std::string which = co.rules.empty()
                                    ? std::string("all its rules")
                                    : fmt::format("rule{} {}", co.rules.size() == 1 ? "" : "s",
                                                  fmt::join(co.rules, ", "));
      if (std::isnan(cv)) {
        gate(Gate::kNoRegression, GateStatus::kSkipped,
             fmt::format("the current version's {} is undefined", metric_name(options.metric)));
      } else if (std::isnan(value) || value < cv - options.epsilon) {
        gate(Gate::kNoRegression, GateStatus::kFail,
             fmt::format("regression: {} {} < current {} - epsilon {:g} (current: {} of {})",
                         metric_name(options.metric), fmt_value(value), fmt_value(cv),
                         options.epsilon, which, current->name));
      } else {
        gate(Gate::kNoRegression, GateStatus::kPass,
             fmt::format("{} {} >= current {} - epsilon {:g} (current: {} of {})",
                         metric_name(options.metric), fmt_value(value), fmt_value(cv),
                         options.epsilon, which, current->name));
      }
    }
  }

  // False positives and label windows, for the report (and the LLM's next refinement).
  {
    const bool index_axis = data.labels.axis == score::TimeAxis::kIndex;
    std::vector<TimeMs> times(rep.rows);
    for (size_t i = 0; i < rep.rows; ++i)
      times[i] =
          index_axis ? static_cast<TimeMs>(rep.span.begin + i) : data.times[rep.span.begin + i];
    std::vector<score::Window> windows = data.labels.windows;
    if (index_axis)
      for (auto& w : windows) {
        w.start = std::max<TimeMs>(w.start, static_cast<TimeMs>(rep.span.begin));
        w.end = std::min<TimeMs>(w.end, static_cast<TimeMs>(rep.span.end) - 1);
        if (w.end < w.start) w = {INT64_MAX - 1, INT64_MAX - 1};
      }
    const auto resolved = score::resolve_windows(times, windows);
    std::vector<uint8_t> labelled(rep.rows, 0);
    for (size_t w = 0; w < windows.size(); ++w) {
      if (!resolved[w]) continue;
      WindowOutcome wo;
      wo.window = data.labels.windows[w];
      wo.first_row = rep.span.begin + resolved[w]->first;
      wo.last_row = rep.span.begin + resolved[w]->last;
      for (size_t r = resolved[w]->first; r <= resolved[w]->last; ++r) {
        labelled[r] = 1;
        if (!wo.detected && ev.flags[rep.span.begin + r]) {
          wo.detected = true;
          wo.first_alarm_row = rep.span.begin + r;
          wo.delay_ms = data.times[wo.first_alarm_row] - data.times[wo.first_row];
        }
      }
      rep.windows.push_back(wo);
    }
    std::vector<Episode> eps;
    for (size_t r = 0; r < rep.rows; ++r) {
      const size_t row = rep.span.begin + r;
      if (!ev.flags[row] || labelled[r]) continue;
      if (!eps.empty() && eps.back().last_row + 1 == row) {
        eps.back().last_row = row;
        eps.back().end = data.times[row];
      } else {
        eps.push_back({data.times[row], data.times[row], row, row});
      }
    }
    rep.false_positive_episodes = eps.size();
    std::stable_sort(eps.begin(), eps.end(), [](const Episode& a, const Episode& b) {
      return a.last_row - a.first_row > b.last_row - b.first_row;
    });
    if (eps.size() > options.max_listed) eps.resize(options.max_listed);
    std::sort(eps.begin(), eps.end(),
              [](const Episode& a, const Episode& b) { return a.first_row < b.first_row; });
    rep.false_positives = std::move(eps);
  }
  return finish();
}

}  // namespace omen::validate
