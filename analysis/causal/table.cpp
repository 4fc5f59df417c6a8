// Numeric tables for causal work: CSV with a header row, PetShop's 3-row header, and
// whitespace/tab-separated text (causal-learn); PetShop issue folders.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

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

bool is_time_name(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s == "time" || s == "timestamp" || s == "unix_timestamp" || s == "ts" || s == "t";
}

std::vector<std::string> split_ws(std::string_view line, char delim) {
  std::vector<std::string> out;
  if (delim == '\t') {
    size_t start = 0;
    while (true) {
      size_t tab = line.find('\t', start);
      out.emplace_back(internal::trim(line.substr(
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

Table parse_petshop(const std::vector<std::string_view>& lines, size_t li,
                    const std::string& file) {
  auto comp = internal::split_csv_line(lines[li]);
  if (li + 2 >= lines.size())
    fail("syntax", "PetShop layout needs metric and statistic header rows", file, int(li) + 1, 1);
  auto metric = internal::split_csv_line(lines[li + 1]);
  auto stat = internal::split_csv_line(lines[li + 2]);
  if (metric.size() != comp.size() || stat.size() != comp.size())
    fail("syntax", "the three header rows must have the same number of cells", file, int(li) + 2,
         1);
  Table t;
  size_t p = comp.size() - 1;
  std::vector<std::vector<double>> cols(p);
  size_t r = li + 3;
  if (r < lines.size()) {
    auto first = internal::split_csv_line(lines[r]);
    if (!first.empty() && is_time_name(first[0])) ++r;
  }
  for (; r < lines.size(); ++r) {
    if (internal::trim(lines[r]).empty()) continue;
    auto cells = internal::split_csv_line(lines[r]);
    int line = int(r) + 1;
    if (cells.size() != comp.size())
      fail("syntax", fmt::format("row has {} cells, the header has {}", cells.size(), comp.size()),
           file, line, 1);
    auto ts = internal::parse_number(cells[0]);
    if (!ts || std::isnan(*ts))
      fail("syntax", fmt::format("bad timestamp '{}'", cells[0]), file, line, 1);
    t.time.push_back(*ts);
    for (size_t j = 1; j < cells.size(); ++j) {
      auto v = internal::parse_number(cells[j]);
      if (!v) fail("syntax", fmt::format("not a number: '{}'", cells[j]), file, line, int(j) + 1);
      cols[j - 1].push_back(*v);
    }
  }
  for (size_t j = 0; j < p; ++j) {
    std::string m = metric[j + 1] + "/" + stat[j + 1];
    t.columns.push_back(comp[j + 1] + "/" + m);
    t.components.push_back(comp[j + 1]);
    t.metrics.push_back(m);
    t.data.push_back(std::move(cols[j]));
  }
  return t;
}

}  // namespace

Table parse_table(std::string_view text, const std::string& file) {
  auto lines = internal::split_lines(text);
  size_t li = 0;
  while (li < lines.size() && internal::trim(lines[li]).empty()) ++li;
  if (li == lines.size()) fail("syntax", "empty table", file, 1, 1);
  std::string_view head = lines[li];
  if (head.rfind("microservice,", 0) == 0) return parse_petshop(lines, li, file);
  char delim = head.find(',') != std::string_view::npos    ? ','
               : head.find('\t') != std::string_view::npos ? '\t'
                                                           : ' ';
  auto split = [&](std::string_view l) {
    return delim == ',' ? internal::split_csv_line(l) : split_ws(l, delim);
  };
  auto header = split(head);
  for (auto& h : header) h = std::string(internal::trim(h));
  bool has_time = !header.empty() && is_time_name(header[0]);
  size_t first = has_time ? 1 : 0;
  if (header.size() <= first)
    fail("syntax", "the header names no data column", file, int(li) + 1, 1);
  for (size_t j = first; j < header.size(); ++j)
    if (header[j].empty())
      fail("syntax", fmt::format("empty column name in column {}", j + 1), file, int(li) + 1, 1);
  std::vector<std::vector<double>> cols(header.size() - first);
  Table t;
  for (size_t r = li + 1; r < lines.size(); ++r) {
    if (internal::trim(lines[r]).empty()) continue;
    int line = int(r) + 1;
    auto cells = split(lines[r]);
    if (cells.size() != header.size())
      fail("syntax",
           fmt::format("row has {} cells, the header has {}", cells.size(), header.size()), file,
           line, 1);
    if (has_time) {
      auto ts = internal::parse_number(cells[0]);
      if (!ts || std::isnan(*ts))
        fail("syntax", fmt::format("bad time '{}'", cells[0]), file, line, 1);
      t.time.push_back(*ts);
    }
    for (size_t j = first; j < cells.size(); ++j) {
      auto v = internal::parse_number(cells[j]);
      if (!v)
        fail("syntax", fmt::format("not a number: '{}' (column {})", cells[j], header[j]), file,
             line, int(j) + 1);
      cols[j - first].push_back(*v);
    }
  }
  for (size_t j = first; j < header.size(); ++j) {
    for (size_t k = first; k < j; ++k)
      if (header[k] == header[j])
        fail("syntax", fmt::format("duplicate column name '{}'", header[j]), file, int(li) + 1,
             int(j) + 1);
    t.add_column(header[j], std::move(cols[j - first]));
  }
  return t;
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
