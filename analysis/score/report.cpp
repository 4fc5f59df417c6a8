// Human and JSON renderings of a score report (`omen score`, and the validator's metrics).
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "omen/score.h"

namespace omen::score {
namespace {

std::string num(double v) {
  if (std::isnan(v)) return "n/a";
  return fmt::format("{:.4f}", v);
}

std::string duration(double ms) {
  const double s = ms / 1000.0;
  if (s < 120) return fmt::format("{:g}s", s);
  if (s < 7200) return fmt::format("{:.1f}min", s / 60);
  if (s < 172800) return fmt::format("{:.1f}h", s / 3600);
  return fmt::format("{:.1f}d", s / 86400);
}

nlohmann::json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

}  // namespace

std::string format_text(const Report& r) {
  const Metrics& m = r.metrics;
  std::string out;
  out += fmt::format("labels: {} ({} windows", r.labels, m.windows);
  if (m.empty_windows) out += fmt::format(", {} cover no row", m.empty_windows);
  out += ")\n";
  out += fmt::format("alarms: {} ({} rows", r.alarms, m.rows);
  if (r.threshold && (r.include_point || r.include_event)) {
    out += fmt::format(", alarm = score >= {:g}", *r.threshold);
  }
  out += ")\n\n";
  if (r.include_point || r.include_event) {
    out += fmt::format("{:<26}{:>12}\n", "metric", "value");
  }
  if (r.include_point) {
    out += fmt::format("{:<26}{:>12}\n", "point precision", num(m.point.precision));
    out += fmt::format("{:<26}{:>12}\n", "point recall", num(m.point.recall));
    out += fmt::format("{:<26}{:>12}\n", "point F1", num(m.point.f1));
    out += fmt::format("{:<26}{:>12}\n", "point TP/FP/FN/TN",
                       fmt::format("{}/{}/{}/{}", m.point.tp, m.point.fp, m.point.fn, m.point.tn));
  }
  if (r.include_event) {
    out += fmt::format("{:<26}{:>12}\n", "event precision", num(m.event.precision));
    out += fmt::format("{:<26}{:>12}\n", "event recall", num(m.event.recall));
    out += fmt::format("{:<26}{:>12}\n", "event F1 (point-adjusted)", num(m.event.f1));
    out += fmt::format("{:<26}{:>12}\n", "segments detected",
                       fmt::format("{}/{}", m.event.detected, m.event.segments));
    if (m.delay.detected) {
      auto delay = [&](double ms, double rows) {
        return r.axis == TimeAxis::kIndex ? fmt::format("{:g} rows", rows)
                                          : fmt::format("{} ({:g} rows)", duration(ms), rows);
      };
      out += fmt::format("{:<26}{:>12}\n", "delay mean", delay(m.delay.mean_ms, m.delay.mean_rows));
      out += fmt::format("{:<26}{:>12}\n", "delay median",
                         delay(m.delay.median_ms, m.delay.median_rows));
    } else {
      out += fmt::format("{:<26}{:>12}\n", "delay", "n/a");
    }
    out += fmt::format("{:<26}{:>12}\n", "false alarms", m.false_alarms);
    out += fmt::format("{:<26}{:>12}\n", "false alarms per day",
                       m.false_alarms_per_day ? num(*m.false_alarms_per_day) : "n/a");
  }
  if (!r.nab.empty()) {
    if (r.include_point || r.include_event) out += "\n";
    out += fmt::format("{:<20}{:>15}{:>11}{:>9}{:>9}{:>10}{:>10}\n", "NAB profile", "threshold",
                       "raw", "null", "perfect", "detected", "score");
    for (const auto& [profile, res] : r.nab) {
      out +=
          fmt::format("{:<20}{:>15}{:>11.4f}{:>9.2f}{:>9.2f}{:>10}{:>10}\n", profile.name,
                      fmt::format("{:.12g}", res.threshold), res.raw, res.null_score, res.perfect,
                      fmt::format("{}/{}", res.detected, res.windows),
                      std::isnan(res.normalized) ? "n/a" : fmt::format("{:.2f}", res.normalized));
    }
    if (r.nab_swept) out += "(NAB thresholds: best over all distinct scores, as NAB's optimizer)\n";
  }
  return out;
}

std::string format_json(const Report& r) {
  const Metrics& m = r.metrics;
  nlohmann::json j;
  j["labels"] = r.labels;
  j["alarms"] = r.alarms;
  j["axis"] = r.axis == TimeAxis::kIndex ? "index" : "timestamp";
  j["rows"] = m.rows;
  j["windows"] = m.windows;
  j["empty_windows"] = m.empty_windows;
  if (r.threshold) j["threshold"] = *r.threshold;
  if (r.include_point) {
    j["point"] = {{"precision", m.point.precision},
                  {"recall", m.point.recall},
                  {"f1", m.point.f1},
                  {"tp", m.point.tp},
                  {"fp", m.point.fp},
                  {"fn", m.point.fn},
                  {"tn", m.point.tn}};
  }
  if (r.include_event) {
    j["event"] = {{"precision", m.event.precision},
                  {"recall", m.event.recall},
                  {"f1", m.event.f1},
                  {"segments", m.event.segments},
                  {"detected", m.event.detected},
                  {"false_positives", m.event.false_positives}};
    if (m.delay.detected) {
      j["delay"] = {{"detected", m.delay.detected},
                    {"mean_ms", m.delay.mean_ms},
                    {"median_ms", m.delay.median_ms},
                    {"mean_rows", m.delay.mean_rows},
                    {"median_rows", m.delay.median_rows}};
    } else {
      j["delay"] = nullptr;
    }
    j["false_alarms"] = m.false_alarms;
    j["false_alarms_per_day"] =
        m.false_alarms_per_day ? number_or_null(*m.false_alarms_per_day) : nlohmann::json(nullptr);
  }
  if (!r.nab.empty()) {
    nlohmann::json nab = nlohmann::json::object();
    for (const auto& [profile, res] : r.nab) {
      nab[std::string(profile.name)] = {{"threshold", res.threshold},
                                        {"raw", res.raw},
                                        {"null", res.null_score},
                                        {"perfect", res.perfect},
                                        {"score", number_or_null(res.normalized)},
                                        {"windows", res.windows},
                                        {"detected", res.detected},
                                        {"tp", res.counts.tp},
                                        {"fp", res.counts.fp},
                                        {"fn", res.counts.fn},
                                        {"tn", res.counts.tn}};
    }
    j["nab"] = std::move(nab);
    j["nab_threshold"] = r.nab_swept ? "swept" : "fixed";
  }
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace omen::score
