// Human and JSON renderings of a validation report.
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "omen/testing.h"
#include "omen/validate.h"

namespace omen::validate {
namespace {

score::Report score_report(const Report& r, const Scores& s, const std::string& alarms) {
  score::Report sr;
  sr.labels = r.labels;
  sr.alarms = alarms;
  sr.axis = r.axis;
  sr.metrics = s.metrics;
  const auto profiles = score::nab_profiles();
  for (size_t p = 0; p < 3; ++p) sr.nab.emplace_back(profiles[p], s.nab[p]);
  return sr;
}

nlohmann::json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

std::string when(const Report& r, size_t row, TimeMs t) {
  if (r.axis == score::TimeAxis::kIndex) return fmt::format("row {}", row);
  return score::format_time(t);
}

std::string rows_text(size_t first, size_t last) {
  return first == last ? fmt::format("row {}", first)
                       : fmt::format("rows {}-{} ({} rows)", first, last, last - first + 1);
}

std::string value_text(std::optional<double> v) {
  if (!v) return "n/a";
  return std::isnan(*v) ? "undefined" : fmt::format("{:.4f}", *v);
}

}  // namespace

std::string format_text(const Report& r) {
  std::string out;
  size_t failed = 0;
  for (const auto& g : r.gates) failed += g.status == GateStatus::kFail;
  out += fmt::format(
      "validate {}: {}\n", r.candidate,
      r.passed ? "PASS" : fmt::format("FAIL ({} of {} gates failed)", failed, r.gates.size()));
  out += fmt::format("data: {} (series {}, {} rows scored: {}..{}), labels: {}\n", r.data, r.target,
                     r.rows, r.span.begin, r.span.end == 0 ? 0 : r.span.end - 1, r.labels);
  out += fmt::format("alarm: a row is alarmed {}; staleness {}\n",
                     r.alarm_mode == AlarmMode::kFiring
                         ? "while an alert of the rule is firing at its time"
                         : "at the first row at or after each firing event",
                     format_duration(r.staleness_ms));
  for (const auto& w : r.warnings) out += "warning: " + w + "\n";
  out += "\ngates\n";
  for (const auto& g : r.gates)
    out += fmt::format("  {:<15}{:<9}{}\n", gate_name(g.gate), status_name(g.status), g.reason);
  if (r.value) {
    out += fmt::format("\n{} = {} (min {:g})", metric_name(r.metric), value_text(r.value),
                       r.min_metric);
    if (r.current_value) out += fmt::format("; current version {}", value_text(r.current_value));
    out += "\n\n";
    out += score::format_text(score_report(r, r.scores, r.candidate));
    out += fmt::format("alarmed rows: {} of {}\n", r.alarmed_rows, r.rows);
  }
  if (!r.windows.empty()) {
    size_t detected = 0;
    for (const auto& w : r.windows) detected += w.detected;
    out += fmt::format("\nlabel windows: {} ({} detected, {} missed = false negatives)\n",
                       r.windows.size(), detected, r.windows.size() - detected);
    size_t shown = 0;
    for (const auto& w : r.windows) {
      if (shown++ == r.max_listed) {
        out += fmt::format("  ... {} more\n", r.windows.size() - r.max_listed);
        break;
      }
      std::string span =
          r.axis == score::TimeAxis::kIndex
              ? rows_text(w.first_row, w.last_row)
              : fmt::format("{} .. {}  {}", score::format_time(w.window.start),
                            score::format_time(w.window.end), rows_text(w.first_row, w.last_row));
      if (w.detected)
        out += fmt::format("  detected  {}; first alarm at row {} (delay {}, {} rows)\n", span,
                           w.first_alarm_row, format_duration(w.delay_ms),
                           w.first_alarm_row - w.first_row);
      else
        out += fmt::format("  MISSED    {}\n", span);
    }
  }
  if (r.value) {
    out += fmt::format("\nfalse positives: {} episode{} outside every label window",
                       r.false_positive_episodes, r.false_positive_episodes == 1 ? "" : "s");
    if (r.false_positive_episodes > r.false_positives.size())
      out += fmt::format(" (the {} longest listed)", r.false_positives.size());
    out += "\n";
    for (const auto& e : r.false_positives)
      out += fmt::format("  {}{}  {}\n", when(r, e.first_row, e.start),
                         e.first_row == e.last_row ? "" : " .. " + when(r, e.last_row, e.end),
                         rows_text(e.first_row, e.last_row));
  }
  if (!r.rules.empty()) {
    out += "\nrules\n";
    for (const auto& rr : r.rules)
      out += fmt::format(
          "  {:<24} cost {:<6g} instances {:<4} ticks {:<8} NaN-input ticks {:<6} "
          "firing events {}\n",
          rr.name, rr.cost, rr.instances, rr.ticks, rr.nan_input_ticks, rr.firing_events);
  }
  if (!r.diagnostics.empty()) out += "\ndiagnostics\n" + omen::format(r.diagnostics);
  return out;
}

std::string format_json(const Report& r) {
  nlohmann::json j;
  j["candidate"] = r.candidate;
  j["passed"] = r.passed;
  j["data"] = r.data;
  j["labels"] = r.labels;
  j["target"] = r.target;
  j["axis"] = r.axis == score::TimeAxis::kIndex ? "index" : "timestamp";
  j["span"] = {{"begin", r.span.begin}, {"end", r.span.end}, {"rows", r.rows}};
  j["alarm_mode"] = r.alarm_mode == AlarmMode::kFiring ? "firing" : "onset";
  j["staleness_ms"] = r.staleness_ms;
  j["warnings"] = r.warnings;
  nlohmann::json gates = nlohmann::json::array();
  for (const auto& g : r.gates)
    gates.push_back(
        {{"gate", gate_name(g.gate)}, {"status", status_name(g.status)}, {"reason", g.reason}});
  j["gates"] = std::move(gates);
  j["metric"] = metric_name(r.metric);
  j["min"] = r.min_metric;
  j["value"] = r.value ? number_or_null(*r.value) : nlohmann::json(nullptr);
  j["current_value"] = r.current_value ? number_or_null(*r.current_value) : nlohmann::json(nullptr);
  if (r.value) {
    j["scores"] = nlohmann::json::parse(score::format_json(score_report(r, r.scores, r.candidate)));
    j["alarmed_rows"] = r.alarmed_rows;
  }
  if (r.current_scores)
    j["current_scores"] =
        nlohmann::json::parse(score::format_json(score_report(r, *r.current_scores, "current")));
  nlohmann::json fps = nlohmann::json::array();
  for (const auto& e : r.false_positives) {
    nlohmann::json x = {{"first_row", e.first_row},
                        {"last_row", e.last_row},
                        {"rows", e.last_row - e.first_row + 1}};
    if (r.axis == score::TimeAxis::kTimestamp) {
      x["start"] = score::format_time(e.start);
      x["end"] = score::format_time(e.end);
    }
    fps.push_back(std::move(x));
  }
  j["false_positives"] = {{"episodes", r.false_positive_episodes}, {"listed", std::move(fps)}};
  nlohmann::json wins = nlohmann::json::array();
  nlohmann::json missed = nlohmann::json::array();
  for (const auto& w : r.windows) {
    nlohmann::json x = {
        {"first_row", w.first_row}, {"last_row", w.last_row}, {"detected", w.detected}};
    if (r.axis == score::TimeAxis::kTimestamp) {
      x["start"] = score::format_time(w.window.start);
      x["end"] = score::format_time(w.window.end);
    }
    if (w.detected) {
      x["first_alarm_row"] = w.first_alarm_row;
      x["delay_ms"] = w.delay_ms;
    }
    wins.push_back(x);
    if (!w.detected) missed.push_back(std::move(x));
  }
  j["windows"] = std::move(wins);
  j["false_negatives"] = std::move(missed);
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& rr : r.rules)
    rules.push_back({{"name", rr.name},
                     {"cost", rr.cost},
                     {"instances", rr.instances},
                     {"ticks", rr.ticks},
                     {"nan_input_ticks", rr.nan_input_ticks},
                     {"nan_verdicts", rr.nan_verdicts},
                     {"firing_events", rr.firing_events}});
  j["rules"] = std::move(rules);
  j["ticks"] = r.ticks;
  j["nan_ticks"] = r.nan_ticks;
  j["diagnostics"] = omen::format(r.diagnostics);
  j["millis"] = r.millis;
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace omen::validate
