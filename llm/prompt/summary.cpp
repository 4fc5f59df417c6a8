// A compact description of telemetry for a prompt: statistics, seasonality, shape, labels.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "omen/llm.h"
#include "omen/testing.h"

namespace omen::llm {

namespace {

struct Points {
  std::vector<TimeMs> t;
  std::vector<double> v;
};

double quantile_sorted(const std::vector<double>& s, double q) {
  if (s.empty()) return NAN;
  double pos = q * static_cast<double>(s.size() - 1);
  size_t i = static_cast<size_t>(pos);
  double f = pos - static_cast<double>(i);
  return i + 1 < s.size() ? s[i] * (1 - f) + s[i + 1] * f : s[i];
}

std::string num(double x) {
  if (std::isnan(x)) return "NaN";
  return fmt::format("{:.4g}", x);
}

// Ranks of the values (NaN stays NaN), so that a few anomalies cannot hide a seasonality.
std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<size_t> idx;
  for (size_t i = 0; i < v.size(); ++i)
    if (!std::isnan(v[i])) idx.push_back(i);
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size(), NAN);
  for (size_t i = 0; i < idx.size(); ++i) r[idx[i]] = static_cast<double>(i);
  return r;
}

// Rank correlation of the series with itself `k` samples later (regular sampling assumed;
// pairs with a NaN skipped), over the overlapping pairs.
double acf(const std::vector<double>& values, size_t k) {
  std::vector<double> v = ranks(values);
  if (k == 0 || v.size() < 2 * k) return NAN;
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, n = 0;
  for (size_t i = 0; i + k < v.size(); ++i) {
    double x = v[i], y = v[i + k];
    if (std::isnan(x) || std::isnan(y)) continue;
    sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y, n += 1;
  }
  if (n < 3) return NAN;
  double cov = sxy / n - (sx / n) * (sy / n);
  double vx = sxx / n - (sx / n) * (sx / n), vy = syy / n - (sy / n) * (sy / n);
  return vx > 0 && vy > 0 ? cov / std::sqrt(vx * vy) : NAN;
}

// Windows of `labels` as [start, end] times of this series (index axis: its rows).
std::vector<std::pair<TimeMs, TimeMs>> label_spans(const Points& p, const score::LabelSet& labels) {
  std::vector<std::pair<TimeMs, TimeMs>> out;
  for (const auto& w : labels.windows) {
    if (labels.axis == score::TimeAxis::kTimestamp) {
      out.push_back({w.start, w.end});
    } else if (!p.t.empty()) {
      auto clampi = [&](TimeMs i) {
        return p
            .t[static_cast<size_t>(std::clamp<TimeMs>(i, 0, static_cast<TimeMs>(p.t.size()) - 1))];
      };
      if (w.start < static_cast<TimeMs>(p.t.size()))
        out.push_back({clampi(w.start), clampi(w.end)});
    }
  }
  return out;
}

std::string describe_series(const SeriesKey& key, const Points& p, const score::LabelSet* labels) {
  std::string out = fmt::format("- {}\n", format_series(key));
  size_t n = p.t.size();
  std::vector<double> ok;
  for (double x : p.v)
    if (!std::isnan(x)) ok.push_back(x);
  std::vector<int64_t> deltas;
  for (size_t i = 1; i < n; ++i) deltas.push_back(p.t[i] - p.t[i - 1]);
  int64_t step = 0;
  if (!deltas.empty()) {
    std::nth_element(deltas.begin(), deltas.begin() + deltas.size() / 2, deltas.end());
    step = deltas[deltas.size() / 2];
  }
  out += fmt::format("  {} samples from {} to {}, step {}", n, score::format_time(p.t.front()),
                     score::format_time(p.t.back()), step > 0 ? format_duration(step) : "-");
  if (ok.size() < n) out += fmt::format(", {:.1f}% NaN", 100.0 * double(n - ok.size()) / double(n));
  out += "\n";
  if (ok.empty()) return out + "  (no numeric values)\n";
  std::vector<double> s = ok;
  std::sort(s.begin(), s.end());
  double mean = std::accumulate(ok.begin(), ok.end(), 0.0) / double(ok.size());
  double var = 0;
  for (double x : ok) var += (x - mean) * (x - mean);
  double sd = std::sqrt(var / double(ok.size()));
  out += fmt::format("  min {} p1 {} p25 {} median {} p75 {} p99 {} max {}; mean {} sd {}\n",
                     num(s.front()), num(quantile_sorted(s, 0.01)), num(quantile_sorted(s, 0.25)),
                     num(quantile_sorted(s, 0.5)), num(quantile_sorted(s, 0.75)),
                     num(quantile_sorted(s, 0.99)), num(s.back()), num(mean), num(sd));
  // Seasonality hint: autocorrelation one hour, day and week apart.
  if (step > 0) {
    std::string parts, best;
    double best_r = 0.3;
    for (auto [name, period] : {std::pair<const char*, int64_t>{"1h", 3'600'000},
                                {"1d", 86'400'000},
                                {"1w", 7 * 86'400'000LL}}) {
      size_t k = static_cast<size_t>(std::llround(double(period) / double(step)));
      if (k < 2) continue;
      double r = acf(p.v, k);
      if (std::isnan(r)) continue;
      parts += fmt::format("{}{} {:.2f}", parts.empty() ? "" : ", ", name, r);
      if (r > best_r) best_r = r, best = name;
    }
    if (!parts.empty())
      out += fmt::format("  seasonality: {} (autocorrelation at lag {})\n",
                         best.empty() ? "none clear" : "period " + best, parts);
  }
  // Shape: bucket means as digits 0 (lowest) .. 9 (highest); ^ marks labelled buckets.
  size_t buckets = std::min<size_t>(48, n);
  TimeMs t0 = p.t.front(), t1 = p.t.back() + std::max<int64_t>(step, 1);
  std::vector<double> sum(buckets, 0), cnt(buckets, 0);
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(p.v[i])) continue;
    size_t b =
        static_cast<size_t>((static_cast<double>(p.t[i] - t0) / double(t1 - t0)) * double(buckets));
    b = std::min(b, buckets - 1);
    sum[b] += p.v[i];
    cnt[b] += 1;
  }
  double lo = INFINITY, hi = -INFINITY;
  for (size_t b = 0; b < buckets; ++b)
    if (cnt[b] > 0) lo = std::min(lo, sum[b] / cnt[b]), hi = std::max(hi, sum[b] / cnt[b]);
  std::string shape, marks;
  bool any_mark = false;
  auto spans = labels ? label_spans(p, *labels) : std::vector<std::pair<TimeMs, TimeMs>>{};
  for (size_t b = 0; b < buckets; ++b) {
    if (cnt[b] == 0) {
      shape += '_';
    } else {
      double m = sum[b] / cnt[b];
      int d = hi > lo ? static_cast<int>(std::floor((m - lo) / (hi - lo) * 9.999)) : 5;
      shape += static_cast<char>('0' + std::clamp(d, 0, 9));
    }
    TimeMs bs = t0 + static_cast<TimeMs>(double(t1 - t0) * double(b) / double(buckets));
    TimeMs be = t0 + static_cast<TimeMs>(double(t1 - t0) * double(b + 1) / double(buckets)) - 1;
    bool mark = false;
    for (const auto& [s0, s1] : spans) mark |= s0 <= be && s1 >= bs;
    marks += mark ? '^' : ' ';
    any_mark |= mark;
  }
  std::string prefix =
      fmt::format("  shape ({} buckets of ~{}; bucket means, 0=low 9=high, _ empty): ", buckets,
                  format_duration((t1 - t0) / static_cast<TimeMs>(buckets)));
  out += prefix + shape + "\n";
  if (any_mark) {
    while (!marks.empty() && marks.back() == ' ') marks.pop_back();
    std::string head = "  labelled anomalies (^):";
    head.resize(std::max(head.size(), prefix.size()), ' ');
    out += head + marks + "\n";
  }
  // Labelled examples: values inside each window against the span before it.
  if (labels) {
    size_t shown = 0;
    for (const auto& [s0, s1] : spans) {
      if (shown == 5) break;
      std::vector<double> in, before;
      TimeMs len = std::max<TimeMs>(s1 - s0, step * 12);
      for (size_t i = 0; i < n; ++i) {
        if (std::isnan(p.v[i])) continue;
        if (p.t[i] >= s0 && p.t[i] <= s1)
          in.push_back(p.v[i]);
        else if (p.t[i] < s0 && p.t[i] >= s0 - len)
          before.push_back(p.v[i]);
      }
      if (in.empty()) continue;
      ++shown;
      std::sort(in.begin(), in.end());
      std::sort(before.begin(), before.end());
      out += fmt::format("  anomaly {}: {} .. {} ({} samples): min {} median {} max {}", shown,
                         score::format_time(s0), score::format_time(s1), in.size(), num(in.front()),
                         num(quantile_sorted(in, 0.5)), num(in.back()));
      if (!before.empty()) {
        double med = quantile_sorted(before, 0.5);
        std::vector<double> dev;
        for (double x : before) dev.push_back(std::abs(x - med));
        std::sort(dev.begin(), dev.end());
        out += fmt::format("; the {} before: median {} MAD {} min {} max {}", format_duration(len),
                           num(med), num(quantile_sorted(dev, 0.5)), num(before.front()),
                           num(before.back()));
      }
      out += "\n";
    }
    if (spans.size() > shown && shown == 5)
      out += fmt::format("  ... and {} more labelled windows\n", spans.size() - shown);
  }
  return out;
}

}  // namespace

std::vector<std::string> metric_names(const Batch& data) {
  std::set<std::string> names;
  for (const auto& k : data.series) names.insert(k.name);
  return {names.begin(), names.end()};
}

std::string summarize_data(const Batch& data, const score::LabelSet* labels, size_t max_series) {
  std::vector<Points> pts(data.series.size());
  for (size_t i = 0; i < data.sid.size(); ++i) {
    if (data.sid[i] >= pts.size()) continue;
    pts[data.sid[i]].t.push_back(data.t[i]);
    pts[data.sid[i]].v.push_back(data.v[i]);
  }
  for (auto& p : pts) {
    std::vector<size_t> order(p.t.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return p.t[a] < p.t[b]; });
    Points s;
    for (size_t i : order) {
      if (!s.t.empty() && s.t.back() == p.t[i]) continue;  // the engine keeps the first
      s.t.push_back(p.t[i]);
      s.v.push_back(p.v[i]);
    }
    p = std::move(s);
  }
  std::vector<size_t> order(pts.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return format_series(data.series[a]) < format_series(data.series[b]);
  });
  auto metrics = metric_names(data);
  std::string out = fmt::format("{} series, {} samples; metrics: {}\n", data.series.size(),
                                data.t.size(), fmt::join(metrics, ", "));
  if (labels)
    out += fmt::format("{} labelled anomaly window{} ({} axis, from {})\n", labels->windows.size(),
                       labels->windows.size() == 1 ? "" : "s",
                       labels->axis == score::TimeAxis::kIndex ? "row index" : "timestamp",
                       labels->source);
  size_t shown = 0;
  for (size_t i : order) {
    if (pts[i].t.empty()) continue;
    if (shown == max_series) {
      out += fmt::format("... and {} more series\n", order.size() - shown);
      break;
    }
    out += describe_series(data.series[i], pts[i], labels);
    ++shown;
  }
  return out;
}

}  // namespace omen::llm
