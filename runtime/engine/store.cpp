#include <algorithm>

#include "runtime/engine/engine_impl.h"
#ifdef OMEN_HAVE_JIT
#include "compiler/jit/jit.h"
#endif

namespace omen::engine {

size_t SeriesData::at_or_before(TimeMs at) const {
  auto begin = t.begin() + static_cast<std::ptrdiff_t>(head);
  auto it = std::upper_bound(begin, t.end(), at);
  if (it == begin) return SIZE_MAX;
  return static_cast<size_t>(it - t.begin()) - 1;
}

void SeriesData::trim_before(TimeMs cutoff) {
  while (head + 1 < t.size() && t[head] < cutoff) ++head;
  // Compact once the dead prefix dominates, so memory stays proportional to history.
  if (head > 1024 && head * 2 > t.size()) {
    t.erase(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(head));
    v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(head));
    head = 0;
  }
}

uint32_t SeriesStore::intern(const SeriesKey& key, size_t limit, bool* added) {
  std::string k = format_series(key);
  auto it = index_.find(k);
  *added = false;
  if (it != index_.end()) return it->second;
  if (series_.size() >= limit) return UINT32_MAX;
  uint32_t id = static_cast<uint32_t>(series_.size());
  series_.push_back(SeriesData{key});
  index_.emplace(std::move(k), id);
  metric_index_[key.name].push_back(id);
  ++generation_;
  *added = true;
  return id;
}

const std::vector<uint32_t>& SeriesStore::by_metric(const std::string& name) const {
  static const std::vector<uint32_t> none;
  auto it = metric_index_.find(name);
  return it == metric_index_.end() ? none : it->second;
}

}  // namespace omen::engine
