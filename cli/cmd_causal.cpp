// `omen graph check|query|export`, `omen discover`, `omen rca`: the CLI face of
// analysis/causal (include/omen/causal.h). Exit status: 0 ok, 1 failure or findings, 2 usage.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/support/text.h"
#include "omen/causal.h"
#include "omen/graphs.h"

namespace omen::cli {

namespace {

namespace oc = omen::causal;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// cli/args.h with this command's options; a bad command line is a usage error (exit 2).
Args parse_args(int argc, char** argv, const std::vector<std::string>& values,
                const std::vector<std::string>& flags) {
  Args a(argc, argv, values, flags);
  if (!a.ok()) throw UsageError(a.error());
  return a;
}

std::string need(const Args& a, const std::string& k) {
  if (!a.has(k)) throw UsageError("missing --" + k);
  return a.get(k);
}

double num(const Args& a, const std::string& k, double def) {
  if (!a.has(k)) return def;
  double v;
  if (!support::parse_double(a.get(k), v))
    throw UsageError("--" + k + " needs a number, got '" + a.get(k) + "'");
  return v;
}

// --graph FILE.dot|.gv|.csv|.txt, or FILE.omen[:NAME] for a `graph` block of a rule file
// (compiled with the rules: a cycle or a bad constraint is a compile error).
oc::Graph load_graph(const Args& a) {
  std::string spec = need(a, "graph");
  size_t ext = spec.find(".omen");
  if (ext == std::string::npos) return oc::read_graph_file(spec, a.flag("reverse"));
  std::string path = spec.substr(0, ext + 5);
  std::string name = ext + 5 < spec.size() && spec[ext + 5] == ':' ? spec.substr(ext + 6) : "";
  omen::GraphsResult r = omen::load_graphs({path});
  if (!r.ok) throw oc::CausalError("syntax", "the rule file has errors:\n" + r.render());
  std::fputs(r.render().c_str(), stderr);
  if (r.graphs.empty()) throw oc::CausalError("data", path + " declares no graph");
  if (name.empty()) {
    if (r.graphs.size() > 1)
      throw UsageError(path + " declares several graphs: name one as " + path + ":NAME");
    return r.graphs[0];
  }
  for (auto& g : r.graphs)
    if (g.name() == name) return g;
  throw oc::CausalError("unknown-node", path + " declares no graph named '" + name + "'");
}

std::string format_of(const Args& a, const std::vector<std::string>& allowed) {
  std::string f = a.get("format", allowed.front());
  if (std::find(allowed.begin(), allowed.end(), f) == allowed.end())
    throw UsageError(fmt::format("--format must be one of {}", fmt::join(allowed, ", ")));
  return f;
}

std::pair<std::string, std::string> edge_arg(const std::string& s) {
  for (const char* sep : {"->", ":"}) {
    size_t p = s.find(sep);
    if (p != std::string::npos) return {s.substr(0, p), s.substr(p + std::string(sep).size())};
  }
  throw UsageError("an edge is written A->B or A:B, got '" + s + "'");
}

int fail(const std::exception& e) {
  std::fprintf(stderr, "%s\n", e.what());
  return 1;
}

const char* kGraphUsage =
    "usage: omen graph check  --graph G.dot|G.csv|G.txt --data D.csv [--alpha 0.05] [--lag 0]\n"
    "                         [--permutations 100] [--seed 1] [--metric PREFIX] [--reverse] "
    "[--format text|json]\n"
    "       omen graph query  --graph G [--reverse] [--format text|json] ancestors X | descendants "
    "X |\n"
    "                         paths A B [--max-paths 1000] | dsep A B [Z...] | blanket X | topo | "
    "cycle\n"
    "       omen graph export --graph G [--reverse] --to dot|json|omen\n"
    "  --reverse flips the edges of an adjacency-matrix CSV (caller->callee call graph -> causal "
    "graph)\n";

int graph_check(const Args& a) {
  std::string format = format_of(a, {"text", "json"});
  oc::CheckOptions o;
  o.alpha = num(a, "alpha", 0.05);
  o.lag = int(num(a, "lag", 0));
  o.permutations = size_t(num(a, "permutations", 100));
  o.seed = uint64_t(num(a, "seed", 1));
  o.metric = a.get("metric");
  o.max_tests = size_t(num(a, "max-tests", 10000));
  oc::Graph g = load_graph(a);
  oc::Table data = oc::read_table(need(a, "data"));
  oc::CheckReport r = oc::check_graph(g, data, o);
  std::fputs((format == "json" ? oc::to_json(r, g) : oc::to_text(r, g)).c_str(), stdout);
  return r.ok() ? 0 : 1;
}

std::string names(const oc::Graph& g, const std::vector<size_t>& v) {
  std::vector<std::string> out;
  for (size_t i : v) out.push_back(g.node(i).name);
  return fmt::format("{}", fmt::join(out, " "));
}

int graph_query(const Args& a) {
  std::string format = format_of(a, {"text", "json"});
  if (a.positional().size() < 2) throw UsageError("graph query needs a query");
  oc::Graph g = load_graph(a);
  const std::string& q = a.positional()[1];
  auto node = [&](size_t k) {
    if (a.positional().size() <= k) throw UsageError("query '" + q + "' needs more node names");
    return g.index(a.positional()[k]);
  };
  nlohmann::ordered_json j;
  j["query"] = q;
  std::string text;
  auto list = [&](const std::vector<size_t>& v) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (size_t i : v) arr.push_back(g.node(i).name);
    j["result"] = arr;
    text = names(g, v) + "\n";
  };
  if (q == "ancestors" || q == "descendants" || q == "blanket") {
    if (a.positional().size() != 3) throw UsageError(q + " takes one node");
    size_t x = node(2);
    list(q == "ancestors"     ? oc::ancestors(g, x)
         : q == "descendants" ? oc::descendants(g, x)
                              : oc::markov_blanket(g, x));
  } else if (q == "topo") {
    list(oc::topological_order(g));
  } else if (q == "cycle") {
    auto c = oc::find_cycle(g);
    j["result"] =
        c ? nlohmann::ordered_json(oc::format_cycle(g, *c)) : nlohmann::ordered_json(nullptr);
    text = c ? oc::format_cycle(g, *c) + "\n" : "no cycle\n";
  } else if (q == "paths") {
    if (a.positional().size() != 4) throw UsageError("paths takes two nodes");
    bool truncated = false;
    auto ps =
        oc::directed_paths(g, node(2), node(3), size_t(num(a, "max-paths", 1000)), &truncated);
    j["result"] = nlohmann::ordered_json::array();
    for (const auto& p : ps) {
      std::vector<std::string> ns;
      for (size_t i : p) ns.push_back(g.node(i).name);
      j["result"].push_back(ns);
      text += fmt::format("{}\n", fmt::join(ns, " -> "));
    }
    j["truncated"] = truncated;
    if (truncated) text += "... (truncated at --max-paths)\n";
    if (ps.empty()) text = "no path\n";
  } else if (q == "dsep") {
    if (a.positional().size() < 4) throw UsageError("dsep takes A B [Z...]");
    std::vector<size_t> z;
    for (size_t k = 4; k < a.positional().size(); ++k) z.push_back(node(k));
    bool sep = oc::d_separated(g, {node(2)}, {node(3)}, z);
    j["result"] = sep;
    text = fmt::format("{} {} {}{}{}\n", a.positional()[2], sep ? "_||_" : "not _||_",
                       a.positional()[3], z.empty() ? "" : " | ", names(g, z));
  } else {
    throw UsageError("unknown query '" + q + "'");
  }
  std::fputs(format == "json"
                 ? (j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n").c_str()
                 : text.c_str(),
             stdout);
  return 0;
}

int graph_export(const Args& a) {
  std::string to = a.get("to", "dot");
  oc::Graph g = load_graph(a);
  if (to == "dot")
    std::fputs(oc::to_dot(g).c_str(), stdout);
  else if (to == "json")
    std::fputs(oc::to_json(g).c_str(), stdout);
  else if (to == "omen")
    std::fputs(oc::to_omen(g).c_str(), stdout);
  else
    throw UsageError("--to must be dot, json or omen");
  return 0;
}

// Row windows: "A:B" (rows, 0-based, end exclusive) or "@T1:T2" (timestamps in seconds,
// inclusive, against the table's time column).
std::pair<size_t, size_t> window(const oc::Table& t, const std::string& spec, const char* what) {
  bool by_time = !spec.empty() && spec[0] == '@';
  std::string s = by_time ? spec.substr(1) : spec;
  size_t colon = s.find(':');
  if (colon == std::string::npos)
    throw UsageError(fmt::format("--{} is A:B (rows) or @T1:T2 (timestamps)", what));
  double lo, hi;
  try {
    lo = colon == 0 ? 0 : std::stod(s.substr(0, colon));
    hi = colon + 1 == s.size() ? (by_time ? INFINITY : double(t.rows()))
                               : std::stod(s.substr(colon + 1));
  } catch (const std::exception&) {
    throw UsageError(fmt::format("--{}: cannot read '{}'", what, spec));
  }
  if (!by_time) {
    if (lo < 0 || hi > double(t.rows()) || lo >= hi)
      throw oc::CausalError("window", fmt::format("--{} {}: rows must satisfy 0 <= A < B <= {}",
                                                  what, spec, t.rows()));
    return {size_t(lo), size_t(hi)};
  }
  if (t.time.empty())
    throw oc::CausalError("window",
                          fmt::format("--{} {}: the data has no time column", what, spec));
  size_t b = t.rows(), e = 0;
  for (size_t r = 0; r < t.rows(); ++r)
    if (t.time[r] >= lo && t.time[r] <= hi) b = std::min(b, r), e = r + 1;
  if (b >= e)
    throw oc::CausalError("window", fmt::format("--{} {}: no row in that time range", what, spec));
  return {b, e};
}

}  // namespace

int run_graph(int argc, char** argv) {
  try {
    if (argc < 2) throw UsageError("graph needs a subcommand");
    std::string sub = argv[1];
    if (sub == "check")
      return graph_check(parse_args(argc, argv,
                                    {"graph", "data", "alpha", "lag", "permutations", "seed",
                                     "metric", "format", "max-tests"},
                                    {"reverse"}));
    if (sub == "query")
      return graph_query(parse_args(argc, argv, {"graph", "format", "max-paths"}, {"reverse"}));
    if (sub == "export") return graph_export(parse_args(argc, argv, {"graph", "to"}, {"reverse"}));
    throw UsageError("unknown graph subcommand '" + sub + "'");
  } catch (const UsageError& e) {
    std::fprintf(stderr, "omen graph: %s\n%s", e.what(), kGraphUsage);
    return 2;
  } catch (const std::exception& e) {
    return fail(e);
  }
}

int run_discover(int argc, char** argv) {
  const char* usage =
      "usage: omen discover --data D [--alpha 0.05] [--depth -1] [--lagged K] [--granger K]\n"
      "                     [--columns a,b,...] [--forbid A->B]... [--require A->B]... [--root "
      "X]... [--leaf X]...\n"
      "                     [--unstable] [--name G] [--format omen|json|dot]\n";
  try {
    Args a = parse_args(argc, argv,
                        {"data", "alpha", "depth", "lagged", "granger", "columns", "forbid",
                         "require", "root", "leaf", "name", "format"},
                        {"unstable"});
    if (!a.positional().empty())
      throw UsageError("unexpected argument '" + a.positional()[0] + "'");
    std::string format = format_of(a, {"omen", "json", "dot"});
    oc::Table data = oc::read_table(need(a, "data"));
    if (a.has("columns")) {
      std::vector<std::string> cols;
      std::string s = a.get("columns");
      for (size_t start = 0; start <= s.size();) {
        size_t c = s.find(',', start);
        cols.push_back(s.substr(start, c == std::string::npos ? std::string::npos : c - start));
        if (c == std::string::npos) break;
        start = c + 1;
      }
      data = oc::select_columns(data, cols);
    }
    oc::PcOptions o;
    o.alpha = num(a, "alpha", 0.05);
    o.depth = int(num(a, "depth", -1));
    o.stable = !a.flag("unstable");
    if (a.has("forbid"))
      for (const auto& e : a.all("forbid")) o.forbid.push_back(edge_arg(e));
    if (a.has("require"))
      for (const auto& e : a.all("require")) o.require.push_back(edge_arg(e));
    if (a.has("root")) o.roots = a.all("root");
    if (a.has("leaf")) o.leaves = a.all("leaf");
    oc::Graph g;
    std::string extra;
    if (a.has("granger")) {
      int k = int(num(a, "granger", 1));
      g = oc::granger_graph(data, k, o.alpha);
      extra = fmt::format("pairwise Granger F-tests, {} lags, alpha {}", k, o.alpha);
    } else {
      auto t0 = std::chrono::steady_clock::now();
      oc::PcResult r =
          a.has("lagged") ? oc::lagged_pc(data, int(num(a, "lagged", 1)), o) : oc::pc(data, o);
      double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      g = std::move(r.cpdag);
      extra = fmt::format("PC{} Fisher-z, alpha {}, {} tests, depth {}, {:.2f} ms",
                          o.stable ? "-stable" : "", o.alpha, r.tests, r.max_depth, ms);
    }
    g.set_name(a.get("name", "discovered"));
    if (format == "json")
      std::fputs(oc::to_json(g).c_str(), stdout);
    else if (format == "dot")
      std::fputs(oc::to_dot(g).c_str(), stdout);
    else
      std::fputs(("# " + extra + "\n" + oc::to_omen(g, /*with_provenance=*/false)).c_str(), stdout);
    return 0;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "omen discover: %s\n%s", e.what(), usage);
    return 2;
  } catch (const std::exception& e) {
    return fail(e);
  }
}

int run_rca(int argc, char** argv) {
  const char* usage =
      "usage: omen rca --data D --baseline A:B --incident C:D [--baseline-data B.csv] [--graph G "
      "[--reverse]]\n"
      "                [--method baro|nsigma|traversal|random_walk|circa|ensemble] [--top 5] "
      "[--target X]\n"
      "                [--pre-incident N] [--threshold 3] [--format text|json]\n"
      "  windows: A:B rows (0-based, end exclusive) or @T1:T2 timestamps (seconds, inclusive);\n"
      "  with --baseline-data the baseline window is taken from that file (default: all of it)\n";
  try {
    Args a = parse_args(argc, argv,
                        {"data", "baseline", "incident", "baseline-data", "graph", "method", "top",
                         "target", "pre-incident", "threshold", "format"},
                        {"reverse"});
    if (!a.positional().empty())
      throw UsageError("unexpected argument '" + a.positional()[0] + "'");
    std::string format = format_of(a, {"text", "json"});
    oc::RcaOptions o;
    auto m = oc::parse_rca_method(a.get("method", "baro"));
    if (!m) throw UsageError("unknown --method '" + a.get("method") + "'");
    o.method = *m;
    o.top = size_t(num(a, "top", 5));
    o.target = a.get("target");
    o.pre_incident_rows = size_t(num(a, "pre-incident", 0));
    o.threshold = num(a, "threshold", 3.0);
    if (!a.has("incident")) throw UsageError("missing --incident window");
    if (!a.has("baseline") && !a.has("baseline-data"))
      throw UsageError("missing --baseline window");
    oc::Table data = oc::read_table(need(a, "data"));
    oc::Table base_src = a.has("baseline-data") ? oc::read_table(a.get("baseline-data")) : data;
    auto [b0, b1] = a.has("baseline") ? window(base_src, a.get("baseline"), "baseline")
                                      : std::pair<size_t, size_t>{0, base_src.rows()};
    auto [i0, i1] = window(data, a.get("incident"), "incident");
    if (!a.has("baseline-data") && b0 < i1 && i0 < b1)
      throw oc::CausalError("window", "the baseline and incident windows overlap");
    std::optional<oc::Graph> g;
    if (a.has("graph")) g = load_graph(a);
    oc::RcaResult r = oc::rca(oc::slice_rows(base_src, b0, b1), oc::slice_rows(data, i0, i1),
                              g ? &*g : nullptr, o);
    std::fputs((format == "json" ? oc::to_json(r, o.top) : oc::to_text(r, o.top)).c_str(), stdout);
    return 0;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "omen rca: %s\n%s", e.what(), usage);
    return 2;
  } catch (const std::exception& e) {
    return fail(e);
  }
}

}  // namespace omen::cli
