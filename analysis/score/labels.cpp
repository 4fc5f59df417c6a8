// Label readers: NAB's combined_windows.json, per-point label CSVs, and window CSVs.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/score/csv.h"
#include "omen/score.h"

namespace omen::score {

std::string Diagnostic::str() const {
  if (line == 0) return fmt::format("{}: error: {}", file, message);
  return fmt::format("{}:{}: error: {}", file, line, message);
}

namespace {

using internal::CsvTable;
using internal::find_column;
using internal::line_of;
using internal::parse_csv;

struct PendingWindow {
  Window window;
  size_t line = 0;
};

std::string show(TimeMs t, TimeAxis axis) {
  return axis == TimeAxis::kIndex ? std::to_string(t) : format_time(t);
}

// Sorts and checks windows: end >= start, no two windows share an instant.
Result<std::vector<Window>> finish_windows(std::vector<PendingWindow> pending,
                                           const std::string& name, TimeAxis axis) {
  for (const auto& p : pending) {
    if (p.window.end < p.window.start) {
      return Diagnostic{name, p.line,
                        fmt::format("window ends before it starts: [{}, {}]",
                                    show(p.window.start, axis), show(p.window.end, axis))};
    }
  }
  std::stable_sort(pending.begin(), pending.end(),
                   [](const auto& a, const auto& b) { return a.window.start < b.window.start; });
  std::vector<Window> out;
  out.reserve(pending.size());
  for (size_t i = 0; i < pending.size(); ++i) {
    if (i > 0 && pending[i].window.start <= pending[i - 1].window.end) {
      const auto& a = pending[i - 1];
      const auto& b = pending[i];
      const auto& later = a.line > b.line ? a : b;
      const auto& earlier = a.line > b.line ? b : a;
      return Diagnostic{
          name, later.line,
          fmt::format("window [{}, {}] overlaps window [{}, {}]{}", show(later.window.start, axis),
                      show(later.window.end, axis), show(earlier.window.start, axis),
                      show(earlier.window.end, axis),
                      earlier.line ? fmt::format(" at line {}", earlier.line) : "")};
    }
    out.push_back(pending[i].window);
  }
  return out;
}

// Line of the first occurrence of `"needle"` at or after `from`, else the line of `from`.
size_t line_of_string(std::string_view text, std::string_view needle, size_t from) {
  const std::string quoted = fmt::format("\"{}\"", needle);
  const size_t at = text.find(quoted, from);
  return line_of(text, at == std::string_view::npos ? from : at);
}

Result<nlohmann::json> parse_json_object(std::string_view text, const std::string& name) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: ".
    const size_t colon = what.find(": ");
    if (colon != std::string::npos) what = what.substr(colon + 2);
    const size_t line = e.byte == 0 ? 0 : line_of(text, e.byte - 1);
    return Diagnostic{name, line, fmt::format("invalid JSON: {}", what)};
  }
  if (!root.is_object()) {
    return Diagnostic{name, 1,
                      "expected a JSON object mapping file keys to lists of [start, end] windows"};
  }
  return root;
}

// The windows of one key of a NAB windows file.
Result<LabelSet> nab_windows_of(const nlohmann::json& list, std::string_view text,
                                const std::string& name, const std::string& key) {
  const size_t key_at = std::min(text.find(fmt::format("\"{}\"", key)), text.size());
  const size_t key_line = line_of(text, key_at);
  if (!list.is_array()) {
    return Diagnostic{name, key_line,
                      fmt::format("windows of '{}' must be a list of [start, end] pairs", key)};
  }
  std::vector<PendingWindow> pending;
  size_t search_from = key_at;
  for (const auto& item : list) {
    if (!item.is_array() || item.size() != 2 || !item[0].is_string() || !item[1].is_string()) {
      return Diagnostic{
          name, line_of(text, search_from),
          fmt::format("in '{}': each window must be a pair of timestamp strings "
                      "[\"YYYY-MM-DD HH:MM:SS.ffffff\", ...], found {}",
                      key, item.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))};
    }
    PendingWindow p;
    for (int k = 0; k < 2; ++k) {
      const std::string s = item[k].get<std::string>();
      const size_t at = text.find(fmt::format("\"{}\"", s), search_from);
      if (at != std::string_view::npos) search_from = at + s.size() + 2;
      const size_t line = line_of_string(text, s, at == std::string_view::npos ? key_at : at);
      if (k == 0) p.line = line;
      const auto t = parse_time(s);
      if (!t) {
        return Diagnostic{name, line,
                          fmt::format("in '{}': bad timestamp '{}' (expected YYYY-MM-DD "
                                      "HH:MM:SS[.ffffff])",
                                      key, s)};
      }
      (k == 0 ? p.window.start : p.window.end) = *t;
    }
    pending.push_back(p);
  }
  auto windows = finish_windows(std::move(pending), name, TimeAxis::kTimestamp);
  if (!windows.ok()) return windows.error();
  return LabelSet{TimeAxis::kTimestamp, std::move(windows.value()),
                  fmt::format("{}#{}", name, key)};
}

std::string basename(std::string_view path) {
  const size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace

Result<LabelSet> parse_nab_windows(std::string_view text, const std::string& name,
                                   const std::string& key) {
  auto root = parse_json_object(text, name);
  if (!root.ok()) return root.error();
  const auto& obj = root.value();
  const auto it = obj.find(key);
  if (it == obj.end()) {
    std::string hint;
    for (const auto& [k, v] : obj.items()) {
      if (basename(k) == basename(key)) {
        hint = fmt::format(" (did you mean '{}'?)", k);
        break;
      }
    }
    return Diagnostic{name, 0,
                      fmt::format("unknown file key '{}'{}; the file has {} keys such as '{}'", key,
                                  hint, obj.size(), obj.empty() ? "" : obj.begin().key())};
  }
  return nab_windows_of(*it, text, name, key);
}

Result<std::map<std::string, LabelSet>> parse_nab_windows_all(std::string_view text,
                                                              const std::string& name) {
  auto root = parse_json_object(text, name);
  if (!root.ok()) return root.error();
  std::map<std::string, LabelSet> out;
  for (const auto& [key, list] : root.value().items()) {
    auto labels = nab_windows_of(list, text, name, key);
    if (!labels.ok()) return labels.error();
    out.emplace(key, std::move(labels.value()));
  }
  return out;
}

Result<LabelSet> parse_point_labels(std::string_view text, const std::string& name) {
  auto parsed = parse_csv(text, name);
  if (!parsed.ok()) return parsed.error();
  const CsvTable& table = parsed.value();
  const int label_col = find_column(table, {"label"});
  if (label_col < 0) {
    return Diagnostic{name, table.header_line,
                      "no 'label' column (expected e.g. 'timestamp,value,label' or Argos' "
                      "'value,label,index')"};
  }
  const int time_col = find_column(table, {"timestamp", "time"});
  const int index_col = time_col < 0 ? find_column(table, {"index"}) : -1;
  LabelSet out;
  out.axis = time_col >= 0 ? TimeAxis::kTimestamp : TimeAxis::kIndex;
  out.source = name;
  std::vector<PendingWindow> pending;
  bool in_run = false;
  std::optional<TimeMs> prev;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    TimeMs t = static_cast<TimeMs>(r);
    if (time_col >= 0) {
      const auto parsed_time = parse_time(row.fields[time_col]);
      if (!parsed_time) {
        return Diagnostic{
            name, row.line,
            fmt::format("bad timestamp '{}' (expected YYYY-MM-DD HH:MM:SS)", row.fields[time_col])};
      }
      t = *parsed_time;
    } else if (index_col >= 0) {
      const auto parsed_index = internal::parse_int(row.fields[index_col]);
      if (!parsed_index) {
        return Diagnostic{
            name, row.line,
            fmt::format("bad index '{}' (expected an integer)", row.fields[index_col])};
      }
      t = *parsed_index;
    }
    if (prev && t < *prev) {
      return Diagnostic{name, row.line,
                        fmt::format("{} goes backwards ({} after {})",
                                    out.axis == TimeAxis::kIndex ? "index" : "time",
                                    show(t, out.axis), show(*prev, out.axis))};
    }
    prev = t;
    const auto flag = internal::parse_flag(row.fields[label_col]);
    if (!flag) {
      return Diagnostic{name, row.line,
                        fmt::format("label must be 0 or 1, found '{}'", row.fields[label_col])};
    }
    if (*flag) {
      if (in_run) {
        pending.back().window.end = t;
      } else {
        pending.push_back(PendingWindow{Window{t, t}, row.line});
        in_run = true;
      }
    } else {
      in_run = false;
    }
  }
  // Runs separated by a 0 row but with equal times would share an instant.
  auto windows = finish_windows(std::move(pending), name, out.axis);
  if (!windows.ok()) return windows.error();
  out.windows = std::move(windows.value());
  return out;
}

Result<LabelSet> parse_window_csv(std::string_view text, const std::string& name) {
  auto parsed = parse_csv(text, name);
  if (!parsed.ok()) return parsed.error();
  const CsvTable& table = parsed.value();
  const int start_col = find_column(table, {"start"});
  const int end_col = find_column(table, {"end"});
  if (start_col < 0 || end_col < 0) {
    return Diagnostic{name, table.header_line, "expected a header with 'start' and 'end' columns"};
  }
  bool all_int = !table.rows.empty();
  for (const auto& row : table.rows) {
    if (!internal::parse_int(row.fields[start_col]) || !internal::parse_int(row.fields[end_col])) {
      all_int = false;
      break;
    }
  }
  LabelSet out;
  out.axis = all_int ? TimeAxis::kIndex : TimeAxis::kTimestamp;
  out.source = name;
  std::vector<PendingWindow> pending;
  for (const auto& row : table.rows) {
    PendingWindow p;
    p.line = row.line;
    for (int k = 0; k < 2; ++k) {
      const std::string& s = row.fields[k == 0 ? start_col : end_col];
      const auto t = all_int ? internal::parse_int(s) : parse_time(s);
      if (!t) {
        return Diagnostic{name, row.line,
                          fmt::format("bad {} timestamp '{}' (expected YYYY-MM-DD HH:MM:SS, or "
                                      "integer row indices throughout)",
                                      k == 0 ? "start" : "end", s)};
      }
      (k == 0 ? p.window.start : p.window.end) = *t;
    }
    pending.push_back(p);
  }
  auto windows = finish_windows(std::move(pending), name, out.axis);
  if (!windows.ok()) return windows.error();
  out.windows = std::move(windows.value());
  return out;
}

Result<LabelSet> read_labels(std::string_view spec, const std::string& key) {
  const size_t colon = spec.find(':');
  const std::string kind(colon == std::string_view::npos ? "" : spec.substr(0, colon));
  const std::string path(colon == std::string_view::npos ? spec : spec.substr(colon + 1));
  if (kind != "nab" && kind != "points" && kind != "windows") {
    return Diagnostic{std::string(spec), 0,
                      "labels must be given as nab:FILE, points:FILE or windows:FILE"};
  }
  if (kind == "nab" && key.empty()) {
    return Diagnostic{path, 0,
                      "NAB labels need the series' file key (--key), e.g. "
                      "realKnownCause/nyc_taxi.csv"};
  }
  std::string error;
  const auto text = internal::read_text_file(path, &error);
  if (!text) return Diagnostic{path, 0, fmt::format("cannot read: {}", error)};
  if (kind == "nab") return parse_nab_windows(*text, path, key);
  if (kind == "points") return parse_point_labels(*text, path);
  return parse_window_csv(*text, path);
}

Result<std::map<std::string, LabelSet>> read_nab_windows_all(const std::string& path) {
  std::string error;
  const auto text = internal::read_text_file(path, &error);
  if (!text) return Diagnostic{path, 0, fmt::format("cannot read: {}", error)};
  return parse_nab_windows_all(*text, path);
}

}  // namespace omen::score
