// Numeric tables for causal work: CSV with a header row, PetShop's 3-row header, and
// whitespace/tab-separated text (causal-learn); PetShop issue folders.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/support/csv.h"
#include "core/support/text.h"
#include "core/support/time.h"
#include "internal.h"
#include "omen/causal.h"

namespace omen::causal {

using internal::fail;

std::optional<size_t> Table::column(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return i;
  return std::nullopt;
}

void Table::add_column(std::string name, std::vector<double> values, std::string component,
                       std::string metric) {
  if (!data.empty() && values.size() != rows())
    fail("data",
         fmt::format("column '{}' has {} rows, the table has {}", name, values.size(), rows()));
  if (component.empty()) {
    size_t slash = name.find('/');
    component = name.substr(0, slash);
    if (slash != std::string::npos && metric.empty()) metric = name.substr(slash + 1);
  }
  columns.push_back(std::move(name));
  components.push_back(std::move(component));
  metrics.push_back(std::move(metric));
  data.push_back(std::move(values));
}

namespace {

bool is_time_name(std::string_view name) {
  const std::string s = support::to_lower(name);
  return s == "time" || s == "timestamp" || s == "unix_timestamp" || s == "ts" || s == "t";
}

std::vector<std::string> split_ws(std::string_view line, char delim) {
  std::vector<std::string> out;
  if (delim == '\t') {
    size_t start = 0;
    while (true) {
      size_t tab = line.find('\t', start);
      out.emplace_back(support::trim(line.substr(
          start, tab == std::string_view::npos ? std::string_view::npos : tab - start)));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    return out;
  }
  std::istringstream ss{std::string(line)};
  std::string w;
  while (ss >> w) out.push_back(w);
  return out;
}

// A time cell: every timestamp format `omen run` reads (core/support/time.h), in seconds.
double time_cell(const support::CsvCell& c, const std::string& file, const char* what) {
  auto ms = support::parse_timestamp(c.text);
  if (!ms) fail("syntax", fmt::format("bad {} '{}'", what, c.text), file, int(c.line), int(c.col));
  return double(*ms) / 1000.0;
}

double value_cell(const support::CsvCell& c, const std::string& file, const std::string& column) {
  auto v = internal::parse_number(c.text);
  if (!v)
    fail("syntax",
         column.empty() ? fmt::format("not a number: '{}'", c.text)
                        : fmt::format("not a number: '{}' (column {})", c.text, column),
         file, int(c.line), int(c.col));
  return *v;
}

support::CsvTable read_csv(std::string_view text, const std::string& file) {
  try {
    return support::read_csv_table(text);
  } catch (const support::CsvError& e) {
    fail("syntax", e.what(), file, int(e.line), int(e.col));
  }
}

// PetShop: three header rows (component, metric, statistic), then an optional row naming the
// time column, then timestamp + values.
Table parse_petshop(const support::CsvTable& csv, const std::string& file) {
  const auto& comp = csv.header.cells;
  if (csv.rows.size() < 2)
    fail("syntax", "PetShop layout needs metric and statistic header rows", file,
         int(csv.header.line), 1);
  const auto& metric = csv.rows[0].cells;
  const auto& stat = csv.rows[1].cells;
  Table t;
  size_t p = comp.size() - 1;
  std::vector<std::vector<double>> cols(p);
  size_t r = 2;
  if (r < csv.rows.size() && is_time_name(csv.rows[r].cells[0].text)) ++r;
  for (; r < csv.rows.size(); ++r) {
    const auto& cells = csv.rows[r].cells;
    t.time.push_back(time_cell(cells[0], file, "timestamp"));
    for (size_t j = 1; j < cells.size(); ++j) cols[j - 1].push_back(value_cell(cells[j], file, ""));
  }
  for (size_t j = 0; j < p; ++j) {
    std::string m = metric[j + 1].text + "/" + stat[j + 1].text;
    t.columns.push_back(comp[j + 1].text + "/" + m);
    t.components.push_back(comp[j + 1].text);
    t.metrics.push_back(m);
    t.data.push_back(std::move(cols[j]));
  }
  return t;
}

// One table from a header and rows of cells (CSV, or whitespace-separated text).
Table make_table(const support::CsvRow& head, const std::vector<support::CsvRow>& rows,
                 const std::string& file) {
  const auto& header = head.cells;
  bool has_time = !header.empty() && is_time_name(header[0].text);
  size_t first = has_time ? 1 : 0;
  if (header.size() <= first)
    fail("syntax", "the header names no data column", file, int(head.line), 1);
  for (size_t j = first; j < header.size(); ++j)
    if (header[j].text.empty())
      fail("syntax", fmt::format("empty column name in column {}", j + 1), file, int(head.line),
           int(header[j].col));
  std::vector<std::vector<double>> cols(header.size() - first);
  Table t;
  for (const auto& row : rows) {
    if (has_time) t.time.push_back(time_cell(row.cells[0], file, "time"));
    for (size_t j = first; j < row.cells.size(); ++j)
      cols[j - first].push_back(value_cell(row.cells[j], file, header[j].text));
  }
  for (size_t j = first; j < header.size(); ++j) {
    for (size_t k = first; k < j; ++k)
      if (header[k].text == header[j].text)
        fail("syntax", fmt::format("duplicate column name '{}'", header[j].text), file,
             int(head.line), int(header[j].col));
    t.add_column(header[j].text, std::move(cols[j - first]));
  }
  return t;
}

// Whitespace- or tab-separated text (causal-learn): one record a line.
Table parse_separated(std::string_view text, char delim, const std::string& file) {
  auto lines = internal::split_lines(text);
  std::vector<support::CsvRow> records;
  for (size_t r = 0; r < lines.size(); ++r) {
    if (support::trim(lines[r]).empty()) continue;
    support::CsvRow row;
    row.line = r + 1;
    for (auto& cell : split_ws(lines[r], delim))
      row.cells.push_back(support::CsvCell{std::move(cell), r + 1, 1, false});
    if (!records.empty() && row.cells.size() != records.front().cells.size())
      fail("syntax",
           fmt::format("expected {} fields (as in the header), found {}",
                       records.front().cells.size(), row.cells.size()),
           file, int(row.line), 1);
    records.push_back(std::move(row));
  }
  if (records.empty()) fail("syntax", "empty table", file, 1, 1);
  std::vector<support::CsvRow> rows(std::make_move_iterator(records.begin() + 1),
                                    std::make_move_iterator(records.end()));
  return make_table(records.front(), rows, file);
}

}  // namespace

Table parse_table(std::string_view text, const std::string& file) {
  text = support::strip_bom(text);
  auto lines = internal::split_lines(text);
  size_t li = 0;
  while (li < lines.size() && support::trim(lines[li]).empty()) ++li;
  if (li == lines.size()) fail("syntax", "empty table", file, 1, 1);
  std::string_view head = lines[li];
  if (head.find(',') == std::string_view::npos)
    return parse_separated(text, head.find('\t') != std::string_view::npos ? '\t' : ' ', file);
  support::CsvTable csv = read_csv(text, file);
  if (head.rfind("microservice,", 0) == 0) return parse_petshop(csv, file);
  return make_table(csv.header, csv.rows, file);
}

Table read_table(const std::string& path) {
  return parse_table(internal::read_file(path), path);
}

Table slice_rows(const Table& t, size_t begin, size_t end) {
  if (begin > end || end > t.rows())
    fail("window", fmt::format("rows {}:{} are outside the table (0:{})", begin, end, t.rows()));
  Table out;
  out.columns = t.columns;
  out.components = t.components;
  out.metrics = t.metrics;
  if (!t.time.empty()) out.time.assign(t.time.begin() + long(begin), t.time.begin() + long(end));
  for (const auto& c : t.data)
    out.data.emplace_back(c.begin() + long(begin), c.begin() + long(end));
  return out;
}

Table select_columns(const Table& t, const std::vector<std::string>& names) {
  Table out;
  out.time = t.time;
  for (const auto& n : names) {
    auto i = t.column(n);
    if (!i) fail("unknown-node", fmt::format("no column named '{}'", n));
    out.columns.push_back(t.columns[*i]);
    out.components.push_back(t.components[*i]);
    out.metrics.push_back(t.metrics[*i]);
    out.data.push_back(t.data[*i]);
  }
  return out;
}

PetShopCase read_petshop_case(const std::string& dir) {
  PetShopCase c;
  c.metrics = read_table(dir + "/metrics.csv");
  std::string path = dir + "/target.json";
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(internal::read_file(path));
    const auto& t = j.at("target");
    c.target_node = t.at("node").get<std::string>();
    c.target_metric = t.value("metric", "");
    c.target_agg = t.value("agg", "");
    c.target_time = t.at("timestamp").get<double>();
    c.root_cause = j.at("root_cause").at("node").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    fail("syntax", e.what(), path);
  }
  return c;
}

}  // namespace omen::causal
