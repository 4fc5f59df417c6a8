// omen/types.h: label sets and series keys.
#include "omen/types.h"

#include <algorithm>

namespace omen {

Labels normalize_labels(Labels labels) {
  std::stable_sort(labels.begin(), labels.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  // stable_sort keeps the first of equal names in front; unique keeps that one.
  labels.erase(std::unique(labels.begin(), labels.end(),
                           [](const auto& a, const auto& b) { return a.first == b.first; }),
               labels.end());
  return labels;
}

std::string format_labels(const Labels& labels) {
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += labels[i].first;
    out += "=\"";
    for (char c : labels[i].second) {
      switch (c) {
        case '\\':
          out += "\\\\";
          break;
        case '"':
          out += "\\\"";
          break;
        case '\n':
          out += "\\n";
          break;
        default:
          out += c;
      }
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::string format_series(const SeriesKey& key) {
  if (key.labels.empty()) return key.name;
  return key.name + format_labels(key.labels);
}

}  // namespace omen
