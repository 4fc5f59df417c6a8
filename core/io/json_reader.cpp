// JSON lines reader. The format is described in dataset.cpp.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/io/reader_util.h"

namespace omen::io::detail {

namespace {

// ordered_json keeps the keys in file order, so wide columns are interned in that order.
using Json = nlohmann::ordered_json;

constexpr const char* kTimeKeys[] = {"timestamp", "ts", "time"};

// 1-based column of the value of `key` in the raw line (for messages), or 1.
size_t value_col(std::string_view line, std::string_view key) {
  std::string quoted = fmt::format("\"{}\"", key);
  for (size_t at = line.find(quoted); at != std::string_view::npos;
       at = line.find(quoted, at + 1)) {
    size_t i = at + quoted.size();
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size() || line[i] != ':') continue;
    ++i;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    return i + 1;
  }
  return 1;
}

// "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." ->
// "syntax error ...".
std::string parse_error_text(const char* what) {
  std::string_view w(what);
  size_t at = w.find("column ");
  if (at != std::string_view::npos) {
    size_t colon = w.find(": ", at);
    if (colon != std::string_view::npos) return std::string(w.substr(colon + 2));
  }
  return std::string(w);
}

class LineReader {
 public:
  LineReader(RowErrors& errors, Dataset& out) : errors_(errors), out_(out) {}

  // One non-blank line. Returns false if the row was bad (already reported).
  bool read(std::string_view line, size_t line_no) {
    line_ = line;
    line_no_ = line_no;
    Json row;
    try {
      row = Json::parse(line.begin(), line.end());
    } catch (const Json::parse_error& e) {
      size_t col = e.byte == 0 ? 1 : std::min(e.byte, line.size() + 1);
      std::string message = fmt::format("bad JSON: {}", parse_error_text(e.what()));
      if (e.byte > line.size()) message += " (JSON lines need one whole object per line)";
      return bad(col, message);
    } catch (const Json::exception& e) {  // e.g. out_of_range for 1e999
      std::string_view what = e.what();
      return bad(1, fmt::format("bad JSON: {}", what.substr(what.find(']') + 2)));
    }
    if (!row.is_object()) {
      return bad(line.find_first_not_of(" \t") + 1, "expected a JSON object");
    }
    const char* time_key = nullptr;
    for (const char* k : kTimeKeys) {
      if (row.contains(k)) {
        time_key = k;
        break;
      }
    }
    if (time_key == nullptr)
      return bad(1, "missing time field (\"timestamp\", \"ts\" or \"time\")");
    std::optional<TimeMs> ts;
    const Json& tv = row[time_key];
    if (tv.is_number_integer()) {
      ts = tv.is_number_unsigned() && tv.get<uint64_t>() > INT64_MAX
               ? std::nullopt
               : timestamp_from_integer(tv.get<int64_t>());
    } else if (tv.is_number_float()) {
      ts = timestamp_from_number(tv.get<double>());
    } else if (tv.is_string()) {
      ts = parse_timestamp(tv.get_ref<const std::string&>());
    }
    if (!ts) {
      std::string shown = tv.is_string()
                              ? tv.get<std::string>()
                              : tv.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return bad(value_col(line, time_key), fmt::format("bad timestamp {}", quote_cell(shown)));
    }

    const char* series_key = row.contains("series")                          ? "series"
                             : row.contains("name") && row.contains("value") ? "name"
                                                                             : nullptr;
    if (series_key != nullptr) return read_long(row, series_key, *ts);
    return read_wide(row, time_key, *ts);
  }

 private:
  bool bad(size_t col, const std::string& message) {
    errors_.bad_row(line_no_, col, message);
    return false;
  }

  // {"timestamp": ..., "series": "cpu", "labels": {"a": "x"}, "value": 1.5}
  bool read_long(const Json& row, const char* series_key, TimeMs ts) {
    const Json& name = row[series_key];
    if (!name.is_string()) {
      return bad(value_col(line_, series_key), fmt::format("\"{}\" must be a string", series_key));
    }
    auto it = row.find("value");
    if (it == row.end()) return bad(1, "missing \"value\"");
    double v = 0;
    bool has_value = true;
    if (it->is_number()) {
      v = it->get<double>();
    } else if (it->is_null()) {
      has_value = false;
    } else if (!it->is_string() || !parse_double(it->get_ref<const std::string&>(), v)) {
      return bad(value_col(line_, "value"), fmt::format("bad value {}", it->dump()));
    }
    SeriesKey key;
    try {
      key = parse_series_key(name.get_ref<const std::string&>());
    } catch (const std::invalid_argument& e) {
      return bad(value_col(line_, series_key),
                 fmt::format("bad series {}: {}", quote_cell(name.get<std::string>()), e.what()));
    }
    if (auto labels = row.find("labels"); labels != row.end() && !labels->is_null()) {
      if (!labels->is_object()) {
        return bad(value_col(line_, "labels"), "\"labels\" must be an object of strings");
      }
      Labels extra;
      for (const auto& [k, lv] : labels->items()) {
        if (!lv.is_string()) {
          return bad(
              value_col(line_, "labels"),
              fmt::format("label \"{}\" must be a string, found {}", k,
                          lv.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
        }
        if (!is_label_name(k)) {
          return bad(value_col(line_, "labels"), fmt::format("bad label name \"{}\"", k));
        }
        if (!lv.get_ref<const std::string&>().empty()) extra.emplace_back(k, lv.get<std::string>());
      }
      try {
        merge_labels(key, std::move(extra));
      } catch (const std::invalid_argument& e) {
        return bad(value_col(line_, "labels"), e.what());
      }
    }
    const uint32_t sid = out_.intern(key);
    if (has_value) push(sid, ts, v);
    return true;
  }

  // {"timestamp": ..., "cpu": 1.5, "mem{host=\"a\"}": 2, "note": "ignored"}
  bool read_wide(const Json& row, const char* time_key, TimeMs ts) {
    const size_t mark = out_.size();
    for (const auto& [k, val] : row.items()) {
      if (k == time_key || !(val.is_number() || val.is_null())) continue;
      uint32_t sid;
      if (auto it = columns_.find(k); it != columns_.end()) {
        sid = it->second;
      } else {
        SeriesKey key;
        try {
          key = parse_series_key(k);
        } catch (const std::invalid_argument& e) {
          truncate(mark);
          size_t at = line_.find(fmt::format("\"{}\"", k));
          return bad(at == std::string_view::npos ? 1 : at + 1,
                     fmt::format("bad series name {}: {}", quote_cell(k), e.what()));
        }
        sid = out_.intern(key);
        columns_.emplace(k, sid);
      }
      if (!val.is_null()) push(sid, ts, val.get<double>());
    }
    return true;
  }

  void push(uint32_t sid, TimeMs t, double v) {
    out_.sid.push_back(sid);
    out_.t.push_back(t);
    out_.v.push_back(v);
  }

  void truncate(size_t n) {
    out_.sid.resize(n);
    out_.t.resize(n);
    out_.v.resize(n);
  }

  RowErrors& errors_;
  Dataset& out_;
  std::unordered_map<std::string, uint32_t> columns_;  // wide column key -> series
  std::string_view line_;
  size_t line_no_ = 0;
};

}  // namespace

void read_json_lines(std::string_view text, RowErrors& errors, Dataset& out) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) errors.fatal(1, 1, "empty file");
  if (text[first] == '[') {
    size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + first, '\n'));
    errors.fatal(line, 1,
                 "a JSON array is not supported: expected JSON lines (one object per line)");
  }
  LineReader reader(errors, out);
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;
    errors.count_row(line_no);
    reader.read(line, line_no);
  }
}

}  // namespace omen::io::detail
