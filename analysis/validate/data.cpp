// Labelled data: samples + the scored timeline (one series, file order) + labels; splitting.
#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "analysis/validate/internal.h"
#include "omen/data.h"
#include "omen/testing.h"
#include "omen/validate.h"

namespace omen::validate {

namespace detail {

std::string number_literal(double v) {
  if (v == 0) return "0";
  std::string s = fmt::format("{:.10g}", std::abs(v));
  if (v < 0) s = "(-" + s + ")";
  return s;
}

std::string duration_literal(int64_t ms) {
  return format_duration(ms);
}

}  // namespace detail

namespace {

// "path:line:col: message" from the data readers -> Diagnostic{path, line, "column C: message"}.
Diagnostic data_diagnostic(const std::string& path, const std::string& error) {
  Diagnostic d{path, 0, error};
  if (error.rfind(path + ":", 0) != 0) return d;
  std::string_view rest = std::string_view(error).substr(path.size() + 1);
  size_t line = 0;
  auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), line);
  if (ec != std::errc() || p == rest.data() || *p != ':') {
    d.message = std::string(rest.substr(
        rest.find_first_not_of(' ') == std::string_view::npos ? 0 : rest.find_first_not_of(' ')));
    return d;
  }
  rest = rest.substr(static_cast<size_t>(p - rest.data()) + 1);
  size_t col = 0;
  auto [q, ec2] = std::from_chars(rest.data(), rest.data() + rest.size(), col);
  if (ec2 == std::errc() && q != rest.data() && *q == ':') {
    rest = rest.substr(static_cast<size_t>(q - rest.data()) + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    d.message = fmt::format("column {}: {}", col, rest);
  } else {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    d.message = std::string(rest);
  }
  d.line = line;
  return d;
}

std::string range_text(const std::vector<TimeMs>& times) {
  auto [lo, hi] = std::minmax_element(times.begin(), times.end());
  return fmt::format("{} .. {}", score::format_time(*lo), score::format_time(*hi));
}

}  // namespace

Result<LabelledData> make_data(Batch batch, score::LabelSet labels, const DataOptions& options,
                               std::string name) {
  LabelledData d;
  d.name = std::move(name);
  if (batch.t.empty()) return Diagnostic{d.name, 0, "the data holds no sample"};
  // The scored series.
  int64_t target = -1;
  if (options.target.empty()) {
    if (batch.series.size() != 1) {
      std::string names;
      for (size_t i = 0; i < batch.series.size() && i < 5; ++i)
        names += (i ? ", " : "") + format_series(batch.series[i]);
      if (batch.series.size() > 5) names += ", ...";
      return Diagnostic{d.name, 0,
                        fmt::format("the data holds {} series ({}): name the scored one "
                                    "(--target)",
                                    batch.series.size(), names)};
    }
    target = 0;
  } else {
    // An exact key, else a metric name that names exactly one series.
    for (size_t i = 0; i < batch.series.size(); ++i)
      if (format_series(batch.series[i]) == options.target) target = static_cast<int64_t>(i);
    if (target < 0) {
      size_t hits = 0;
      for (size_t i = 0; i < batch.series.size(); ++i)
        if (batch.series[i].name == options.target) {
          ++hits;
          target = static_cast<int64_t>(i);
        }
      if (hits > 1)
        return Diagnostic{
            d.name, 0,
            fmt::format("target '{}' names {} series: give its labels too, e.g. {}", options.target,
                        hits, format_series(batch.series[static_cast<size_t>(target)]))};
      if (hits == 0) {
        std::string names;
        for (size_t i = 0; i < batch.series.size() && i < 5; ++i)
          names += (i ? ", " : "") + format_series(batch.series[i]);
        return Diagnostic{
            d.name, 0,
            fmt::format("no series '{}' in the data (it has: {})", options.target, names)};
      }
    }
  }
  d.target = batch.series[static_cast<size_t>(target)];
  for (size_t i = 0; i < batch.sid.size(); ++i) {
    if (batch.sid[i] != static_cast<uint32_t>(target)) continue;
    d.times.push_back(batch.t[i]);
    d.values.push_back(batch.v[i]);
  }
  if (d.times.empty())
    return Diagnostic{d.name, 0,
                      fmt::format("the scored series {} has no sample", format_series(d.target))};
  std::vector<TimeMs> steps;
  for (size_t i = 1; i < d.times.size(); ++i)
    if (d.times[i] > d.times[i - 1]) steps.push_back(d.times[i] - d.times[i - 1]);
  if (!steps.empty()) {
    std::nth_element(steps.begin(), steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 2),
                     steps.end());
    d.median_interval = steps[steps.size() / 2];
  }
  size_t backwards = 0, repeats = 0;
  for (size_t i = 1; i < d.times.size(); ++i) {
    backwards += d.times[i] < d.times[i - 1];
    repeats += d.times[i] == d.times[i - 1];
  }
  if (backwards || repeats)
    d.warnings.push_back(fmt::format(
        "{}: the scored series has {} timestamp(s) going backwards and {} repeated; the engine "
        "evaluates samples in time order and drops a repeated time, but every row is scored "
        "(alarmed iff an alert is firing at its time)",
        d.name, backwards, repeats));

  // Labels against the timeline.
  const size_t n = d.times.size();
  if (labels.axis == score::TimeAxis::kIndex) {
    size_t outside = 0;
    for (const auto& w : labels.windows) outside += w.start >= static_cast<TimeMs>(n) || w.end < 0;
    if (outside == labels.windows.size() && outside > 0)
      return Diagnostic{labels.source, 0,
                        fmt::format("none of the {} label windows covers a row of {} (rows 0..{})",
                                    labels.windows.size(), d.name, n - 1)};
    if (outside)
      d.warnings.push_back(fmt::format("{}: {} of {} label windows are past the last row ({})",
                                       labels.source, outside, labels.windows.size(), n - 1));
  } else {
    auto resolved = score::resolve_windows(d.times, labels.windows);
    size_t empty = static_cast<size_t>(std::count(resolved.begin(), resolved.end(), std::nullopt));
    if (empty == labels.windows.size() && empty > 0)
      return Diagnostic{labels.source, 0,
                        fmt::format("none of the {} label windows covers a row of {} ({}): "
                                    "wrong labels file or key?",
                                    labels.windows.size(), d.name, range_text(d.times))};
    if (empty)
      d.warnings.push_back(
          fmt::format("{}: {} of {} label windows cover no row of {} ({}); they are not scored",
                      labels.source, empty, labels.windows.size(), d.name, range_text(d.times)));
  }
  d.labels = std::move(labels);
  d.batch = std::move(batch);
  return d;
}

Result<LabelledData> load_data(const std::string& data_path, const std::string& label_spec,
                               const std::string& key, const DataOptions& options) {
  auto labels = score::read_labels(label_spec, key);
  if (!labels.ok()) return labels.error();
  Batch batch;
  DataReadOptions ro;
  ro.skip_bad_rows = options.skip_bad_rows;
  DataReadResult r = read_data_file(data_path, ro, batch);
  if (!r.ok) return data_diagnostic(data_path, r.error);
  auto d = make_data(std::move(batch), std::move(labels.value()), options, data_path);
  if (d.ok() && r.skipped_rows)
    d.value().warnings.push_back(
        fmt::format("{}: skipped {} bad row(s)", data_path, r.skipped_rows));
  return d;
}

std::pair<Span, Span> split(const LabelledData& data, double fraction) {
  const size_t n = data.times.size();
  double f = std::clamp(fraction, 0.0, 1.0);
  size_t cut = static_cast<size_t>(std::llround(f * static_cast<double>(n)));
  cut = std::min(cut, n);
  return {Span{0, cut}, Span{cut, n}};
}

}  // namespace omen::validate
