// Basic value types shared by Omen's public API.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace omen {

/// Time in milliseconds since the Unix epoch (UTC).
using TimeMs = int64_t;

/// A label set: (name, value) pairs sorted by name, names unique.
using Labels = std::vector<std::pair<std::string, std::string>>;

/// Sorts by name; later duplicates of a name are dropped. Returns the normalized set.
Labels normalize_labels(Labels labels);

/// Prometheus-style rendering: `{a="x",b="y"}`; an empty set renders as `{}`.
std::string format_labels(const Labels& labels);

/// Identity of one time series: metric name plus label set.
struct SeriesKey {
  std::string name;
  Labels labels;
  bool operator==(const SeriesKey&) const = default;
};

/// `name{a="x"}` (just `name` when there are no labels).
std::string format_series(const SeriesKey& key);

}  // namespace omen
