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
  if (head + 1 < t.size() && t[head] < cutoff) {
    // The first sample at or after cutoff, keeping at least the newest one.
    auto last = t.end() - 1;
    head = static_cast<size_t>(
        std::lower_bound(t.begin() + static_cast<std::ptrdiff_t>(head), last, cutoff) - t.begin());
  }
  // Compact once the dead prefix outgrows the live part: moving the live samples costs at
  // most one move per trimmed sample, and storage stays within ~2x the live history.
  constexpr size_t kMinDead = 16;
  if (head >= kMinDead && head > t.size() - head) {
    t.erase(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(head));
    v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(head));
    head = 0;
    // A burst (one big batch) may have grown the buffers far beyond the history: give the
    // memory back when they are mostly empty.
    if (t.capacity() > 64 && t.capacity() > 4 * t.size()) {
      t.shrink_to_fit();
      v.shrink_to_fit();
    }
  }
}

uint32_t SeriesStore::intern(const SeriesKey& key, size_t limit, bool* added) {
  std::string k = format_series(key);
  auto it = index_.find(k);
  *added = false;
  if (it != index_.end()) return it->second;
  if (series_.size() >= limit) return UINT32_MAX;
  uint32_t id = static_cast<uint32_t>(series_.size());
  series_.emplace_back();
  series_.back().key = key;
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
