// CSV readers, wide and long. The formats are described in dataset.cpp.
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "core/io/reader_util.h"
#include "core/support/csv.h"

namespace omen::io::detail {

namespace {

using support::CsvField;
using support::CsvScanner;
using support::iequals;

constexpr std::string_view kLongHeader[] = {"timestamp", "series", "labels", "value"};

bool is_long_header(const std::vector<CsvField>& fields) {
  if (fields.size() != 4) return false;
  for (size_t i = 0; i < 4; ++i) {
    if (!iequals(trim(fields[i].value), kLongHeader[i])) return false;
  }
  return true;
}

// Reports a row whose field count is wrong: at the first extra field, or where the missing
// one would start.
void wrong_field_count(const CsvScanner& scanner, const std::vector<CsvField>& fields,
                       size_t expected, RowErrors& errors) {
  std::string message = fmt::format("expected {} fields, found {}", expected, fields.size());
  if (fields.size() > expected) {
    errors.bad_row(fields[expected].line, fields[expected].col, message);
  } else {
    errors.bad_row(scanner.end_line(), scanner.end_col(), message);
  }
}

size_t count_lines(std::string_view text) {
  size_t n = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p))))) {
    ++n;
    ++p;
  }
  return n + 1;
}

// Rolls back the samples of a row that turned out to be bad.
void truncate(Dataset& out, size_t n) {
  out.sid.resize(n);
  out.t.resize(n);
  out.v.resize(n);
}

void read_wide(CsvScanner& scanner, std::vector<CsvField>& fields, std::string_view text,
               RowErrors& errors, Dataset& out) {
  const size_t ncols = fields.size();
  if (ncols < 2) {
    errors.fatal(fields[0].line, fields[0].col,
                 "expected a time column and at least one series column in the header");
  }
  // Header: parse every key before interning any, so a bad header leaves `out` untouched.
  std::vector<std::string> names(ncols);
  std::vector<SeriesKey> keys(ncols);
  std::unordered_map<SeriesKey, size_t, SeriesKeyHash> seen;
  for (size_t i = 1; i < ncols; ++i) {
    const CsvField& f = fields[i];
    names[i] = std::string(trim(f.value));
    if (names[i].empty()) {
      errors.fatal(f.line, f.col, fmt::format("empty series name in column {}", i + 1));
    }
    try {
      keys[i] = parse_series_key(names[i]);
    } catch (const std::invalid_argument& e) {
      errors.fatal(f.line, f.col,
                   fmt::format("bad series name {} in column {}: {}", quote_cell(names[i]), i + 1,
                               e.what()));
    }
    auto [it, added] = seen.emplace(keys[i], i);
    if (!added) {
      errors.fatal(f.line, f.col,
                   fmt::format("duplicate series {} in columns {} and {}", format_series(keys[i]),
                               it->second + 1, i + 1));
    }
  }
  std::vector<uint32_t> sids(ncols);
  for (size_t i = 1; i < ncols; ++i) sids[i] = out.intern(keys[i]);

  // Rough reservation: one sample per cell.
  const size_t want = out.size() + count_lines(text) * (ncols - 1);
  out.sid.reserve(want);
  out.t.reserve(want);
  out.v.reserve(want);

  for (;;) {
    auto status = scanner.next(fields);
    if (status == CsvScanner::Status::End) break;
    if (status == CsvScanner::Status::Error) {
      errors.count_row(scanner.error_line());
      errors.bad_row(scanner.error_line(), scanner.error_col(), scanner.error_message());
      continue;
    }
    errors.count_row(scanner.record_line());
    if (fields.size() != ncols) {
      wrong_field_count(scanner, fields, ncols, errors);
      continue;
    }
    std::string_view ts_text = trim(fields[0].value);
    auto ts = parse_timestamp(ts_text);
    if (!ts) {
      errors.bad_row(fields[0].line, fields[0].col,
                     fmt::format("bad timestamp {}", quote_cell(ts_text)));
      continue;
    }
    const size_t mark = out.size();
    for (size_t i = 1; i < ncols; ++i) {
      std::string_view cell = trim(fields[i].value);
      if (cell.empty()) continue;
      double v;
      if (!parse_double(cell, v)) {
        truncate(out, mark);
        errors.bad_row(
            fields[i].line, fields[i].col,
            fmt::format("bad value {} in column {} ({})", quote_cell(cell), i + 1, names[i]));
        break;
      }
      out.sid.push_back(sids[i]);
      out.t.push_back(*ts);
      out.v.push_back(v);
    }
  }
}

// Series and labels cells of a long row into a key; throws DataError-like info via `errors`.
bool long_key(const std::vector<CsvField>& fields, RowErrors& errors, SeriesKey& key) {
  std::string_view name = trim(fields[1].value);
  try {
    key = parse_series_key(name);
  } catch (const std::invalid_argument& e) {
    errors.bad_row(fields[1].line, fields[1].col,
                   fmt::format("bad series {} in column 2: {}", quote_cell(name), e.what()));
    return false;
  }
  std::string_view labels = trim(fields[2].value);
  try {
    merge_labels(key, parse_labels_cell(labels));
  } catch (const std::invalid_argument& e) {
    errors.bad_row(fields[2].line, fields[2].col,
                   fmt::format("bad labels {} in column 3: {}", quote_cell(labels), e.what()));
    return false;
  }
  return true;
}

void read_long(CsvScanner& scanner, std::vector<CsvField>& fields, std::string_view text,
               RowErrors& errors, Dataset& out) {
  const size_t want = out.size() + count_lines(text);
  out.sid.reserve(want);
  out.t.reserve(want);
  out.v.reserve(want);

  // Series by the raw text of their (series, labels) cells, quotes included: the text
  // outlives this call, so the keys are views into it.
  std::unordered_map<std::string_view, uint32_t> by_raw;
  std::string_view last_raw;
  uint32_t last_sid = 0;
  SeriesKey key;
  for (;;) {
    auto status = scanner.next(fields);
    if (status == CsvScanner::Status::End) break;
    if (status == CsvScanner::Status::Error) {
      errors.count_row(scanner.error_line());
      errors.bad_row(scanner.error_line(), scanner.error_col(), scanner.error_message());
      continue;
    }
    errors.count_row(scanner.record_line());
    if (fields.size() != 4) {
      wrong_field_count(scanner, fields, 4, errors);
      continue;
    }
    std::string_view ts_text = trim(fields[0].value);
    auto ts = parse_timestamp(ts_text);
    if (!ts) {
      errors.bad_row(fields[0].line, fields[0].col,
                     fmt::format("bad timestamp {}", quote_cell(ts_text)));
      continue;
    }
    std::string_view cell = trim(fields[3].value);
    double v = 0;
    const bool has_value = !cell.empty();
    if (has_value && !parse_double(cell, v)) {
      errors.bad_row(fields[3].line, fields[3].col,
                     fmt::format("bad value {} in column 4 (value)", quote_cell(cell)));
      continue;
    }
    std::string_view raw(fields[1].begin, static_cast<size_t>(fields[2].end - fields[1].begin));
    uint32_t sid;
    if (raw == last_raw && !last_raw.empty()) {
      sid = last_sid;
    } else if (auto it = by_raw.find(raw); it != by_raw.end()) {
      sid = it->second;
    } else {
      if (!long_key(fields, errors, key)) continue;
      sid = out.intern(key);
      by_raw.emplace(raw, sid);
    }
    last_raw = raw;
    last_sid = sid;
    if (!has_value) continue;  // empty value: the series exists, without a sample here
    out.sid.push_back(sid);
    out.t.push_back(*ts);
    out.v.push_back(v);
  }
}

}  // namespace

void read_csv(std::string_view text, Format format, RowErrors& errors, Dataset& out) {
  CsvScanner scanner(text);
  std::vector<CsvField> fields;
  auto status = scanner.next(fields);
  if (status == CsvScanner::Status::End) errors.fatal(1, 1, "empty file");
  if (status == CsvScanner::Status::Error) {
    errors.fatal(scanner.error_line(), scanner.error_col(),
                 fmt::format("bad header: {}", scanner.error_message()));
  }
  const bool is_long = is_long_header(fields);
  if (format == Format::CsvLong && !is_long) {
    errors.fatal(scanner.record_line(), 1,
                 "expected the long CSV header \"timestamp,series,labels,value\"");
  }
  if (is_long && format != Format::CsvWide) {
    read_long(scanner, fields, text, errors, out);
  } else {
    read_wide(scanner, fields, text, errors, out);
  }
}

}  // namespace omen::io::detail
