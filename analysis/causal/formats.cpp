// Graph formats other than DOT: adjacency-matrix CSV (PetShop graph.csv), Tetrad text
// (causal-learn graph.N.txt), JSON and Omen syntax export; small text helpers.
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/support/csv.h"
#include "core/support/text.h"
#include "internal.h"
#include "omen/causal.h"

namespace omen::causal {

namespace internal {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("io", fmt::format("cannot read '{}'", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      if (start < text.size()) out.push_back(text.substr(start));
      break;
    }
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    start = nl + 1;
  }
  if (!out.empty() && !out.back().empty() && out.back().back() == '\r') out.back().remove_suffix(1);
  return out;
}

std::optional<double> parse_number(std::string_view s) {
  s = support::trim(s);
  if (s.empty() || s == "nan" || s == "NaN" || s == "NA" || s == "null")
    return std::numeric_limits<double>::quiet_NaN();
  return support::parse_double(s);
}

}  // namespace internal

using internal::fail;

Graph parse_adjacency_csv(std::string_view text, const std::string& file, bool reverse) {
  support::CsvTable csv;
  try {
    csv = support::read_csv_table(text);
  } catch (const support::CsvError& e) {
    fail("syntax", e.what(), file, int(e.line), int(e.col));
  }
  const auto& header = csv.header.cells;
  const int head_line = int(csv.header.line);
  if (header.size() < 2)
    fail("syntax", "header needs an empty first cell and node names", file, head_line, 1);
  Graph g("g");
  std::vector<size_t> col_node;
  for (size_t j = 1; j < header.size(); ++j) {
    const std::string& name = header[j].text;
    if (name.empty())
      fail("syntax", fmt::format("empty node name in column {}", j + 1), file, head_line,
           int(header[j].col));
    if (g.find(name))
      fail("syntax", fmt::format("duplicate node name '{}'", name), file, head_line,
           int(header[j].col));
    col_node.push_back(g.add_node(name, SourceLoc{file, head_line, 1}));
  }
  std::vector<std::pair<size_t, size_t>> edges;
  std::vector<double> weights;
  std::vector<SourceLoc> locs;
  for (const auto& row : csv.rows) {
    const auto& cells = row.cells;
    const std::string& name = cells[0].text;
    auto from = g.find(name);
    if (!from)
      fail("syntax", fmt::format("row name '{}' is not a column name", name), file,
           int(cells[0].line), int(cells[0].col));
    for (size_t j = 1; j < cells.size(); ++j) {
      auto v = internal::parse_number(cells[j].text);
      if (!v)
        fail("syntax", fmt::format("not a number: '{}'", cells[j].text), file, int(cells[j].line),
             int(cells[j].col));
      if (std::isnan(*v) || *v == 0) continue;
      size_t to = col_node[j - 1];
      if (to == *from) continue;  // self-loops are dropped
      edges.emplace_back(*from, to);
      weights.push_back(*v);
      locs.push_back(SourceLoc{file, int(cells[j].line), int(cells[j].col)});
    }
  }
  if (csv.rows.size() != col_node.size())
    fail("syntax",
         fmt::format("{} rows for {} columns: the matrix must be square", csv.rows.size(),
                     col_node.size()),
         file, csv.rows.empty() ? head_line : int(csv.rows.back().line), 1);
  for (size_t k = 0; k < edges.size(); ++k) {
    Edge e;
    e.from = reverse ? edges[k].second : edges[k].first;
    e.to = reverse ? edges[k].first : edges[k].second;
    e.provenance = Provenance::Traces;
    if (weights[k] != 1) e.strength = weights[k];
    e.loc = locs[k];
    g.add_edge(e);
  }
  return g;
}

Graph parse_tetrad(std::string_view text, const std::string& file) {
  auto lines = internal::split_lines(text);
  Graph g("g");
  size_t li = 0;
  while (li < lines.size() && support::trim(lines[li]).empty()) ++li;
  if (li == lines.size() || support::trim(lines[li]) != "Graph Nodes:")
    fail("syntax", "expected 'Graph Nodes:'", file, int(li) + 1, 1);
  ++li;
  if (li == lines.size()) fail("syntax", "missing node list", file, int(li) + 1, 1);
  {
    std::string_view names = support::trim(lines[li]);
    size_t start = 0;
    while (start <= names.size()) {
      size_t semi = names.find(';', start);
      std::string_view nm = support::trim(names.substr(
          start, semi == std::string_view::npos ? std::string_view::npos : semi - start));
      if (!nm.empty()) g.add_node(std::string(nm), SourceLoc{file, int(li) + 1, int(start) + 1});
      if (semi == std::string_view::npos) break;
      start = semi + 1;
    }
  }
  ++li;
  while (li < lines.size() && support::trim(lines[li]).empty()) ++li;
  if (li == lines.size()) return g;
  if (support::trim(lines[li]) != "Graph Edges:")
    fail("syntax", "expected 'Graph Edges:'", file, int(li) + 1, 1);
  for (++li; li < lines.size(); ++li) {
    std::string_view l = support::trim(lines[li]);
    int line = int(li) + 1;
    if (l.empty()) continue;
    if (l.find(':') != std::string_view::npos && l.find('.') == std::string_view::npos)
      break;  // next section
    size_t dot = l.find(". ");
    if (dot == std::string_view::npos) fail("syntax", "expected 'N. a --> b'", file, line, 1);
    std::istringstream ss{std::string(l.substr(dot + 2))};
    std::string a, op, b;
    if (!(ss >> a >> op >> b)) fail("syntax", "expected 'N. a --> b'", file, line, int(dot) + 3);
    SourceLoc loc{file, line, int(dot) + 3};
    Edge e;
    e.from = g.index(a, loc);
    e.to = g.index(b, loc);
    e.loc = loc;
    if (op == "-->") {
    } else if (op == "<--") {
      std::swap(e.from, e.to);
    } else if (op == "---" || op == "<->" || op == "o-o") {
      e.undirected = true;
    } else {
      fail("syntax", fmt::format("unknown edge mark '{}'", op), file, line, int(dot) + 3);
    }
    g.add_edge(e);
  }
  return g;
}

Graph read_graph_file(const std::string& path, bool reverse_csv) {
  std::string text = internal::read_file(path);
  auto ends = [&](const char* ext) {
    std::string e(ext);
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  Graph g;
  if (ends(".csv")) {
    g = parse_adjacency_csv(text, path, reverse_csv);
  } else if (ends(".txt")) {
    g = parse_tetrad(text, path);
  } else {
    g = parse_dot(text, path);
    return g;
  }
  // Name the graph after the file (without directories and extension).
  std::string base =
      path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  base = base.substr(0, base.find('.'));
  g.set_name(base.empty() ? "g" : base);
  return g;
}

std::string to_json(const Graph& g) {
  nlohmann::ordered_json j;
  j["name"] = g.name();
  j["nodes"] = nlohmann::ordered_json::array();
  for (const Node& n : g.nodes()) {
    nlohmann::ordered_json jn;
    jn["name"] = n.name;
    nlohmann::ordered_json b = nlohmann::ordered_json::object();
    for (const auto& [k, v] : n.bindings) b[k] = v;
    jn["bindings"] = b;
    jn["root"] = n.root;
    jn["leaf"] = n.leaf;
    j["nodes"].push_back(jn);
  }
  j["edges"] = nlohmann::ordered_json::array();
  for (const Edge& e : g.edges()) {
    nlohmann::ordered_json je;
    je["from"] = g.node(e.from).name;
    je["to"] = g.node(e.to).name;
    je["provenance"] = to_string(e.provenance);
    if (e.strength) je["strength"] = *e.strength;
    je["undirected"] = e.undirected;
    je["lag"] = e.lag;
    j["edges"].push_back(je);
  }
  j["constraints"] = nlohmann::ordered_json::array();
  for (const EdgeConstraint& c : g.constraints())
    j["constraints"].push_back({{"kind", c.required ? "require" : "forbid"},
                                {"from", g.node(c.from).name},
                                {"to", g.node(c.to).name}});
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

namespace {
// Omen identifiers: quote names that are not plain identifiers.
std::string omen_id(const std::string& s) {
  bool plain = !s.empty() && !std::isdigit(static_cast<unsigned char>(s[0]));
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) plain = false;
  if (plain) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}
}  // namespace

std::string to_omen(const Graph& g, bool with_provenance) {
  std::string out = fmt::format("graph {} {{\n", omen_id(g.name()));
  for (const Node& n : g.nodes()) {
    if (n.bindings.empty()) continue;
    std::vector<std::string> bs;
    for (const auto& [k, v] : n.bindings) bs.push_back(k + " = " + v);
    out += fmt::format("  node {} {{ {} }}\n", omen_id(n.name), fmt::join(bs, ", "));
  }
  for (const Edge& e : g.edges()) {
    std::vector<std::string> attrs;
    if (with_provenance && e.provenance != Provenance::Declared)
      attrs.push_back(fmt::format("source = \"{}\"", to_string(e.provenance)));
    if (e.strength) attrs.push_back(fmt::format("strength = {:.4g}", *e.strength));
    if (e.lag) attrs.push_back(fmt::format("lag = {}", e.lag));
    out += fmt::format("  {} {} {}", omen_id(g.node(e.from).name), e.undirected ? "--" : "->",
                       omen_id(g.node(e.to).name));
    if (!attrs.empty()) out += fmt::format("  [{}]", fmt::join(attrs, ", "));
    if (e.undirected) out += "   # undirected in the CPDAG";
    out += "\n";
  }
  for (const EdgeConstraint& c : g.constraints())
    out += fmt::format("  {} {} -> {}\n", c.required ? "require" : "forbid",
                       omen_id(g.node(c.from).name), omen_id(g.node(c.to).name));
  for (const Node& n : g.nodes()) {
    if (n.root) out += fmt::format("  root {}\n", omen_id(n.name));
    if (n.leaf) out += fmt::format("  leaf {}\n", omen_id(n.name));
  }
  out += "}\n";
  return out;
}

}  // namespace omen::causal
