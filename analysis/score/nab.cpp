// The NAB score, as NAB v1.1 computes it (numenta/NAB: nab/sweeper.py, nab/optimizer.py,
// nab/scorer.py, nab/runner.py normalize()). docs/scoring.md walks through the formulas.
//
// Per row i of a series (file order), NAB's sweeper precomputes the score the row would earn if
// it were a detection:
//   inside window [a, b] (rows):  S = scaledSigmoid(-(b - i + 1) / (b - a + 1)) * tp /
//   scaledSigmoid(-1) after window [a, b]:          S = scaledSigmoid(|b - i| / (b - a)) * fp
//   (nearest preceding) before every window:          S = -1 * fp
// The first min(floor(0.15 n), 0.15 * 5000) rows (probation) are dropped. At a threshold, a row
// detects iff its anomaly score >= threshold; a window is worth max(-fn, best S of its
// detections) (so only its earliest detection counts), and every detection outside windows adds
// its S. A series' raw score is the sum; a corpus' raw score is the sum over series.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "omen/score.h"

namespace omen::score {
namespace {

// NAB's sweep starts above every score so that its first row is "no detection".
constexpr double kNoDetection = 1.1;

constexpr NabProfile kProfiles[] = {kNabStandard, kNabLowFp, kNabLowFn};

struct Prepared {
  std::vector<int32_t> window;         // per row: window index (into NabSeries::windows) or -1
  std::vector<double> sweep;           // per row: NAB's weighted score if the row detects
  std::vector<uint8_t> scored;         // per row: 1 after the probationary period
  std::vector<uint8_t> window_scored;  // per window: it has at least one scored row
};

Prepared prepare(const NabSeries& s, const NabProfile& profile, const NabOptions& options) {
  const size_t n = s.times.size();
  if (s.scores.size() != n) {
    throw std::invalid_argument(
        fmt::format("NAB series '{}': {} times but {} scores", s.name, n, s.scores.size()));
  }
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(s.scores[i])) {
      throw std::invalid_argument(
          fmt::format("NAB series '{}': score of row {} is not finite", s.name, i));
    }
  }
  const auto ranges = resolve_windows(s.times, s.windows);
  struct Span {
    size_t first, last;
    int32_t id;
  };
  std::vector<Span> spans;
  for (size_t w = 0; w < ranges.size(); ++w) {
    if (ranges[w])
      spans.push_back(Span{ranges[w]->first, ranges[w]->last, static_cast<int32_t>(w)});
  }

  Prepared p;
  p.window.assign(n, -1);
  p.sweep.assign(n, 0.0);
  p.scored.assign(n, 0);
  p.window_scored.assign(s.windows.size(), 0);
  // nab/util.py getProbationPeriod: min(floor(p * n), p * 5000); row i is scored iff i >= it.
  const double probation = std::min(std::floor(options.probation_percent * static_cast<double>(n)),
                                    options.probation_percent * 5000.0);
  const double max_tp = nab_scaled_sigmoid(-1.0);
  size_t cur = 0;
  bool have_prev = false;
  size_t prev_last = 0;
  double prev_width = 0;
  for (size_t i = 0; i < n; ++i) {
    const bool inside = cur < spans.size() && spans[cur].first <= i && i <= spans[cur].last;
    double weighted;
    if (inside) {
      const double width = static_cast<double>(spans[cur].last - spans[cur].first + 1);
      const double position =
          -(static_cast<double>(spans[cur].last) - static_cast<double>(i) + 1) / width;
      weighted = nab_scaled_sigmoid(position) * profile.tp_weight / max_tp;
      p.window[i] = spans[cur].id;
    } else {
      double unweighted = -1.0;
      // A one-row window would make NAB divide by zero; treat rows after it as far away.
      if (have_prev && prev_width > 1) {
        const double distance = std::fabs(static_cast<double>(prev_last) - static_cast<double>(i));
        unweighted = nab_scaled_sigmoid(distance / (prev_width - 1));
      }
      weighted = unweighted * profile.fp_weight;
    }
    p.sweep[i] = weighted;
    p.scored[i] = static_cast<double>(i) >= probation ? 1 : 0;
    if (inside && p.scored[i]) p.window_scored[static_cast<size_t>(spans[cur].id)] = 1;
    if (inside && i == spans[cur].last) {
      have_prev = true;
      prev_last = i;
      prev_width = static_cast<double>(spans[cur].last - spans[cur].first + 1);
      ++cur;
    }
  }
  return p;
}

struct SeriesScore {
  double raw = 0;
  double null_score = 0;
  NabCounts counts;
  size_t detected = 0;
};

SeriesScore score_prepared(const NabSeries& s, const Prepared& p, const NabProfile& profile,
                           double threshold) {
  SeriesScore out;
  std::vector<double> parts(s.windows.size(), 0.0);
  std::vector<uint8_t> hit(s.windows.size(), 0);
  for (size_t w = 0; w < parts.size(); ++w) {
    if (p.window_scored[w]) {
      parts[w] = -profile.fn_weight;
      out.null_score -= profile.fn_weight;
    }
  }
  double fp_sum = 0;
  for (size_t i = 0; i < p.sweep.size(); ++i) {
    if (!p.scored[i]) continue;
    const bool detect = s.scores[i] >= threshold;
    if (p.window[i] >= 0) {
      const auto w = static_cast<size_t>(p.window[i]);
      if (detect) {
        ++out.counts.tp;
        parts[w] = std::max(parts[w], p.sweep[i]);
        hit[w] = 1;
      } else {
        ++out.counts.fn;
      }
    } else if (detect) {
      ++out.counts.fp;
      fp_sum += p.sweep[i];
    } else {
      ++out.counts.tn;
    }
  }
  out.raw = fp_sum;
  for (size_t w = 0; w < parts.size(); ++w) {
    out.raw += parts[w];
    out.detected += hit[w];
  }
  return out;
}

void normalize(NabResult& r, const NabProfile& profile) {
  r.perfect = profile.tp_weight * static_cast<double>(r.windows);
  r.normalized = r.perfect == r.null_score
                     ? std::numeric_limits<double>::quiet_NaN()
                     : 100.0 * (r.raw - r.null_score) / (r.perfect - r.null_score);
}

}  // namespace

std::span<const NabProfile> nab_profiles() {
  return kProfiles;
}

double nab_scaled_sigmoid(double x) {
  if (x > 3.0) return -1.0;
  return 2.0 * (1.0 / (1.0 + std::exp(5.0 * x))) - 1.0;
}

NabResult nab_score(std::span<const NabSeries> corpus, const NabProfile& profile, double threshold,
                    const NabOptions& options) {
  NabResult r;
  r.threshold = threshold;
  for (const NabSeries& s : corpus) {
    const Prepared p = prepare(s, profile, options);
    const SeriesScore ss = score_prepared(s, p, profile, threshold);
    r.raw += ss.raw;
    r.null_score += ss.null_score;
    r.counts.tp += ss.counts.tp;
    r.counts.tn += ss.counts.tn;
    r.counts.fp += ss.counts.fp;
    r.counts.fn += ss.counts.fn;
    r.windows += s.windows.size();
    r.detected += ss.detected;
    r.per_series.push_back(ss.raw);
  }
  normalize(r, profile);
  return r;
}

NabResult nab_optimize(std::span<const NabSeries> corpus, const NabProfile& profile,
                       const NabOptions& options) {
  // nab/optimizer.py: the scored rows of every series in one list, sorted by anomaly score
  // (descending, stable); each distinct score is a threshold candidate.
  struct Entry {
    double score;
    int64_t window;  // global window id, -1 outside windows
    double sweep;
  };
  std::vector<Entry> entries;
  std::vector<double> parts;
  double max_score = -std::numeric_limits<double>::infinity();
  for (const NabSeries& s : corpus) {
    const Prepared p = prepare(s, profile, options);
    const int64_t base = static_cast<int64_t>(parts.size());
    for (size_t w = 0; w < s.windows.size(); ++w) {
      parts.push_back(p.window_scored[w] ? -profile.fn_weight : 0.0);
    }
    for (size_t i = 0; i < p.sweep.size(); ++i) {
      if (!p.scored[i]) continue;
      entries.push_back(Entry{s.scores[i], p.window[i] < 0 ? -1 : base + p.window[i], p.sweep[i]});
      max_score = std::max(max_score, s.scores[i]);
    }
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.score > b.score; });

  double window_total = 0;
  for (double v : parts) window_total += v;
  double fp_total = 0;
  double cur = max_score < kNoDetection
                   ? kNoDetection
                   : std::nextafter(max_score, std::numeric_limits<double>::infinity());
  double best_threshold = cur;
  double best_score = window_total;  // the "no detection" row
  for (const Entry& e : entries) {
    if (e.score != cur) {
      const double score = fp_total + window_total;
      // Ties keep the earlier row, i.e. the higher threshold (Python's sort is stable).
      if (score > best_score) {
        best_score = score;
        best_threshold = cur;
      }
      cur = e.score;
    }
    if (e.window < 0) {
      fp_total += e.sweep;
    } else {
      double& part = parts[static_cast<size_t>(e.window)];
      if (e.sweep > part) {
        window_total += e.sweep - part;
        part = e.sweep;
      }
    }
  }
  if (fp_total + window_total > best_score) best_threshold = cur;
  return nab_score(corpus, profile, best_threshold, options);
}

NabResult nab_score_flags(std::span<const TimeMs> times, std::span<const uint8_t> flags,
                          std::span<const Window> windows, const NabProfile& profile,
                          const NabOptions& options) {
  std::vector<double> scores(flags.size());
  for (size_t i = 0; i < flags.size(); ++i) scores[i] = flags[i] ? 1.0 : 0.0;
  const NabSeries series{"", times, scores, windows};
  return nab_score(std::span<const NabSeries>(&series, 1), profile, 1.0, options);
}

}  // namespace omen::score
