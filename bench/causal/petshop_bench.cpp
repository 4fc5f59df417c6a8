// PetShop RCA benchmark: AC@1, AC@3, Avg@5 per method and scenario, and scoring time per
// case (data loading excluded).
//   causal_petshop_bench [DATA_DIR] [--methods baro,nsigma,...] [--temporal-baseline low|none]
//                        [--repeat N] [--verbose]
// DATA_DIR defaults to ../shared/data (relative to the working directory, i.e. the repo).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "omen/causal.h"

namespace fs = std::filesystem;
using namespace omen::causal;

namespace {

struct Case {
  std::string scenario, name;
  PetShopCase data;
  const RcaBaseline* baseline;
  const Graph* graph;
};

struct Tally {
  size_t n = 0;
  size_t hits[5] = {0, 0, 0, 0, 0};
  double seconds = 0;
  void add(size_t rank) {
    ++n;
    for (size_t k = 0; k < 5; ++k) hits[k] += rank <= k + 1;
  }
  double ac(size_t k) const { return n ? double(hits[k - 1]) / double(n) : 0; }
  double avg5() const { return (ac(1) + ac(2) + ac(3) + ac(4) + ac(5)) / 5; }
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t c = s.find(',', start);
    out.push_back(s.substr(start, c == std::string::npos ? std::string::npos : c - start));
    if (c == std::string::npos) break;
    start = c + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string root = "../shared/data";
  std::vector<std::string> methods{"baro",        "nsigma", "traversal",
                                   "random_walk", "circa",  "ensemble"};
  std::string temporal_baseline = "low";
  int repeat = 20;
  bool verbose = false;
  std::string pre = "alert";  // rows before the alert row are pre-incident; "0": none
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--methods" && i + 1 < argc)
      methods = split(argv[++i]);
    else if (a == "--temporal-baseline" && i + 1 < argc)
      temporal_baseline = argv[++i];
    else if (a == "--repeat" && i + 1 < argc)
      repeat = std::stoi(argv[++i]);
    else if (a == "--verbose")
      verbose = true;
    else if (a == "--pre" && i + 1 < argc)
      pre = argv[++i];
    else if (!a.empty() && a[0] != '-')
      root = a;
    else {
      fmt::print(stderr,
                 "usage: {} [DATA_DIR] [--methods m1,m2] [--temporal-baseline low|none] [--repeat "
                 "N] [--verbose]\n",
                 argv[0]);
      return 2;
    }
  }
  fs::path base = fs::path(root) / "petshop" / "dataset";
  if (!fs::exists(base)) {
    fmt::print(stderr, "no PetShop data at {}\n", base.string());
    return 1;
  }
  const std::vector<std::string> scenarios{"low_traffic", "high_traffic", "temporal_traffic1",
                                           "temporal_traffic2"};
  std::map<std::string, Table> baselines;
  std::map<std::string, RcaBaseline> fitted;
  std::map<std::string, Graph> graphs;
  std::vector<Case> cases;
  double fit_seconds = 0;
  try {
    for (const auto& sc : scenarios) {
      fs::path dir = base / sc;
      // The call graph is caller -> callee; latency and errors propagate callee -> caller.
      graphs[sc] = read_graph_file((dir / "graph.csv").string(), /*reverse_csv=*/true);
      if (fs::exists(dir / "noissue" / "metrics.csv"))
        baselines[sc] = read_table((dir / "noissue" / "metrics.csv").string());
    }
    auto t0 = std::chrono::steady_clock::now();
    for (auto& [sc, t] : baselines) fitted.emplace(sc, RcaBaseline(t));
    fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() /
                  double(baselines.size());
    for (const auto& sc : scenarios) {
      const RcaBaseline* b = nullptr;
      if (fitted.count(sc))
        b = &fitted.at(sc);
      else if (temporal_baseline == "low")
        b = &fitted.at("low_traffic");
      for (const char* split_name : {"train", "test"}) {
        fs::path dir = base / sc / split_name;
        if (!fs::exists(dir)) continue;
        std::vector<fs::path> issues;
        for (const auto& e : fs::directory_iterator(dir)) issues.push_back(e.path());
        std::sort(issues.begin(), issues.end());
        for (const auto& d : issues)
          cases.push_back({sc, std::string(split_name) + "/" + d.filename().string(),
                           read_petshop_case(d.string()), b, &graphs[sc]});
      }
    }
  } catch (const CausalError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 1;
  }

  fmt::print("PetShop RCA: {} cases; baseline = noissue/metrics.csv (temporal scenarios: {})\n\n",
             cases.size(),
             temporal_baseline == "low" ? "low_traffic noissue" : "first incident row");
  fmt::print(
      "Baseline fit (median/IQR/mean/sd of {} columns): {:.0f} µs per scenario, once; not in "
      "µs/case.\n\n",
      baselines.empty() ? 0 : baselines.begin()->second.cols(), 1e6 * fit_seconds);
  fmt::print(
      "| method | scenario | cases | AC@1 | AC@3 | Avg@5 | µs/case "
      "|\n|---|---|---|---|---|---|---|\n");
  for (const auto& mname : methods) {
    auto m = parse_rca_method(mname);
    if (!m) {
      fmt::print(stderr, "unknown method {}\n", mname);
      return 2;
    }
    std::map<std::string, Tally> by;
    for (const Case& c : cases) {
      RcaOptions o;
      o.method = *m;
      o.target = c.data.target_node;
      // Rows are 5-minute aggregates stamped at their start: the alert falls in the last row
      // stamped at or before it; the rows before that one precede the incident.
      size_t alert_row = 0;
      for (size_t r = 0; r < c.data.metrics.time.size(); ++r)
        if (c.data.metrics.time[r] <= c.data.target_time) alert_row = r;
      if (pre == "alert")
        o.pre_incident_rows = alert_row;
      else if (pre == "alert+1")
        o.pre_incident_rows = alert_row + 1;
      else
        o.pre_incident_rows = std::stoul(pre);
      std::optional<RcaBaseline> first_row;
      const RcaBaseline* b = c.baseline;
      const Table* inc = &c.data.metrics;
      Table rest;
      if (!b) {  // no baseline: the first incident row stands in
        first_row.emplace(slice_rows(c.data.metrics, 0, 1));
        rest = slice_rows(c.data.metrics, 1, c.data.metrics.rows());
        o.pre_incident_rows = o.pre_incident_rows > 0 ? o.pre_incident_rows - 1 : 0;
        b = &*first_row;
        inc = &rest;
      }
      RcaResult r;
      auto t0 = std::chrono::steady_clock::now();
      for (int k = 0; k < repeat; ++k) r = rca(*b, *inc, c.graph, o);
      double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / repeat;
      size_t rank = r.ranking.size() + 1;
      for (size_t i = 0; i < r.ranking.size(); ++i)
        if (r.ranking[i].component == c.data.root_cause) rank = i + 1;
      for (const std::string& key : {c.scenario, std::string("all")}) {
        by[key].add(rank);
        by[key].seconds += secs;
      }
      if (verbose)
        fmt::print(stderr, "{} {}/{} {} rank {} (top: {})\n", mname, c.scenario, c.name,
                   c.data.root_cause, rank, r.ranking.empty() ? "" : r.ranking[0].component);
    }
    for (const char* key :
         {"low_traffic", "high_traffic", "temporal_traffic1", "temporal_traffic2", "all"}) {
      const Tally& t = by[key];
      fmt::print("| {} | {} | {} | {:.2f} | {:.2f} | {:.2f} | {:.0f} |\n", mname, key, t.n, t.ac(1),
                 t.ac(3), t.avg5(), 1e6 * t.seconds / double(std::max<size_t>(1, t.n)));
    }
  }
  return 0;
}
