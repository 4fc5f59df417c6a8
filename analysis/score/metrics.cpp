// Point metrics, event metrics with point adjustment (Argos), detection delay, false alarms.
#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "omen/score.h"

namespace omen::score {
namespace {

constexpr double kMsPerDay = 86'400'000.0;

double ratio(size_t num, size_t den) {
  return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den);
}

double harmonic(double p, double r) {
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

double mean(const std::vector<double>& v) {
  if (v.empty()) return 0;
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

}  // namespace

Metrics evaluate(std::span<const TimeMs> times, std::span<const uint8_t> flags,
                 std::span<const Window> windows, TimeAxis axis) {
  if (times.size() != flags.size()) {
    throw std::invalid_argument(
        fmt::format("evaluate: {} times but {} alarm flags", times.size(), flags.size()));
  }
  Metrics m;
  m.rows = times.size();
  m.windows = windows.size();
  const auto ranges = resolve_windows(times, windows);
  std::vector<uint8_t> labelled(times.size(), 0);
  std::vector<double> delay_ms, delay_rows;
  for (const auto& range : ranges) {
    if (!range) {
      ++m.empty_windows;
      continue;
    }
    ++m.event.segments;
    bool hit = false;
    for (size_t i = range->first; i <= range->last; ++i) {
      labelled[i] = 1;
      if (flags[i] && !hit) {
        hit = true;
        delay_ms.push_back(static_cast<double>(times[i] - times[range->first]));
        delay_rows.push_back(static_cast<double>(i - range->first));
      }
    }
    if (hit) ++m.event.detected;
  }
  for (size_t i = 0; i < times.size(); ++i) {
    const bool alarm = flags[i] != 0;
    if (labelled[i]) {
      alarm ? ++m.point.tp : ++m.point.fn;
    } else {
      alarm ? ++m.point.fp : ++m.point.tn;
    }
  }
  m.point.precision = ratio(m.point.tp, m.point.tp + m.point.fp);
  m.point.recall = ratio(m.point.tp, m.point.tp + m.point.fn);
  m.point.f1 = harmonic(m.point.precision, m.point.recall);

  m.event.false_positives = m.point.fp;
  m.event.precision = ratio(m.event.detected, m.event.detected + m.event.false_positives);
  m.event.recall = ratio(m.event.detected, m.event.segments);
  m.event.f1 = harmonic(m.event.precision, m.event.recall);

  m.delay.detected = delay_ms.size();
  m.delay.mean_ms = mean(delay_ms);
  m.delay.median_ms = median(delay_ms);
  m.delay.mean_rows = mean(delay_rows);
  m.delay.median_rows = median(delay_rows);

  m.false_alarms = m.point.fp;
  if (axis == TimeAxis::kTimestamp && !times.empty()) {
    const auto [lo, hi] = std::minmax_element(times.begin(), times.end());
    if (*hi > *lo) {
      m.false_alarms_per_day =
          static_cast<double>(m.false_alarms) / (static_cast<double>(*hi - *lo) / kMsPerDay);
    }
  }
  return m;
}

}  // namespace omen::score
