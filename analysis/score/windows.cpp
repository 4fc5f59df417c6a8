// Windows -> row ranges, following NAB's sweeper (nab/sweeper.py, calcSweepScore): it walks the
// rows in file order, enters the next window at the row whose timestamp equals the window's
// start and leaves it at the row whose timestamp equals its end. Rows are never reordered, so a
// timestamp that goes backwards (NAB's machine_temperature_system_failure.csv) is just a row.
#include <algorithm>

#include "omen/score.h"

namespace omen::score {
namespace {

bool is_sorted_times(std::span<const TimeMs> times) {
  return std::is_sorted(times.begin(), times.end());
}

}  // namespace

std::vector<std::optional<RowRange>> resolve_windows(std::span<const TimeMs> times,
                                                     std::span<const Window> windows) {
  std::vector<std::optional<RowRange>> out(windows.size());
  const size_t n = times.size();
  const bool sorted = is_sorted_times(times);
  size_t pos = 0;  // rows before pos belong to earlier windows (or precede them)
  for (size_t w = 0; w < windows.size(); ++w) {
    const Window win = windows[w];
    size_t first = n;
    size_t last = n;
    if (sorted) {
      // First row >= start: the exact start row if there is one, else the first row inside.
      first = static_cast<size_t>(
          std::lower_bound(times.begin() + static_cast<ptrdiff_t>(pos), times.end(), win.start) -
          times.begin());
      if (first < n && times[first] <= win.end) {
        const auto lo =
            std::lower_bound(times.begin() + static_cast<ptrdiff_t>(first), times.end(), win.end);
        // NAB leaves at the first row equal to the end; else the last row inside.
        last = (lo != times.end() && *lo == win.end) ? static_cast<size_t>(lo - times.begin())
                                                     : static_cast<size_t>(lo - times.begin()) - 1;
      } else {
        first = n;
      }
    } else {
      for (size_t i = pos; i < n; ++i) {
        if (times[i] == win.start) {
          first = i;
          break;
        }
      }
      if (first == n) {  // inexact start: the first row inside the window
        for (size_t i = pos; i < n; ++i) {
          if (times[i] >= win.start && times[i] <= win.end) {
            first = i;
            break;
          }
        }
      }
      if (first < n) {
        for (size_t j = first; j < n; ++j) {
          if (times[j] == win.end) {
            last = j;
            break;
          }
        }
        if (last == n) {  // inexact end: extend over the following rows inside the window
          last = first;
          while (last + 1 < n && times[last + 1] >= win.start && times[last + 1] <= win.end) {
            ++last;
          }
        }
      }
    }
    if (first < n && last < n && last >= first) {
      out[w] = RowRange{first, last};
      pos = last + 1;
    }
  }
  return out;
}

}  // namespace omen::score
