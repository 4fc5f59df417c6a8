// Discovery benchmark on causal-learn's linear-Gaussian SEM data (10,000 x 20) with the
// true DAGs graph.1 / graph.2: SHD, adjacency and arrowhead precision/recall, agreement with
// the reference CPDAG of causal-learn's procedure (bench/causal/reference_linear_N.txt, made
// by tests/causal/pc_reference.py), and wall time (data loading excluded).
//   causal_discovery_bench [DATA_DIR] [--repeat N] [--alpha 0.05] [--reference-dir DIR]
// DATA_DIR defaults to ../shared/data; the reference dir to bench/causal next to the source.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "omen/causal.h"

using namespace omen::causal;

namespace {

std::vector<std::string> edge_lines(const Graph& g) {
  std::vector<std::string> out;
  for (const Edge& e : g.edges()) {
    size_t a = e.from, b = e.to;
    if (e.undirected && a > b) std::swap(a, b);
    out.push_back(g.node(a).name + (e.undirected ? " -- " : " -> ") + g.node(b).name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Scores {
  int shd = 0;
  double adj_p = 0, adj_r = 0, arrow_p = 0, arrow_r = 0;
};

// Against a true DAG. SHD counts a missing or extra adjacency as 1 and an adjacency with
// other marks (reversed, or undirected where the truth is directed) as 1. Arrowheads: a -> b
// puts one at b; undirected edges have none.
Scores score(const Graph& est, const Graph& truth) {
  std::set<std::pair<std::string, std::string>> adj_t, adj_e, arr_t, arr_e;
  auto key = [](std::string a, std::string b) {
    return a < b ? std::make_pair(a, b) : std::make_pair(b, a);
  };
  for (const Edge& e : truth.edges()) {
    adj_t.insert(key(truth.node(e.from).name, truth.node(e.to).name));
    arr_t.insert({truth.node(e.from).name, truth.node(e.to).name});
  }
  for (const Edge& e : est.edges()) {
    adj_e.insert(key(est.node(e.from).name, est.node(e.to).name));
    if (!e.undirected) arr_e.insert({est.node(e.from).name, est.node(e.to).name});
  }
  Scores s;
  size_t adj_tp = 0, arr_tp = 0;
  for (const auto& a : adj_e) adj_tp += adj_t.count(a);
  for (const auto& a : arr_e) arr_tp += arr_t.count(a);
  s.adj_p = adj_e.empty() ? 0 : double(adj_tp) / double(adj_e.size());
  s.adj_r = double(adj_tp) / double(adj_t.size());
  s.arrow_p = arr_e.empty() ? 0 : double(arr_tp) / double(arr_e.size());
  s.arrow_r = double(arr_tp) / double(arr_t.size());
  s.shd = int(adj_e.size() - adj_tp) + int(adj_t.size() - adj_tp);
  for (const auto& a : adj_e) {
    if (!adj_t.count(a)) continue;
    bool t_fwd = arr_t.count(a) > 0, e_fwd = arr_e.count(a) > 0;
    bool e_bwd = arr_e.count({a.second, a.first}) > 0;
    if (!(t_fwd ? e_fwd && !e_bwd : e_bwd && !e_fwd)) ++s.shd;
  }
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::string root = "../shared/data";
  std::string refdir = std::string(__FILE__).substr(0, std::string(__FILE__).find_last_of('/'));
  int repeat = 21;
  double alpha = 0.05;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--repeat" && i + 1 < argc)
      repeat = std::stoi(argv[++i]);
    else if (a == "--alpha" && i + 1 < argc)
      alpha = std::stod(argv[++i]);
    else if (a == "--reference-dir" && i + 1 < argc)
      refdir = argv[++i];
    else if (!a.empty() && a[0] != '-')
      root = a;
    else {
      fmt::print(stderr, "usage: {} [DATA_DIR] [--repeat N] [--alpha A] [--reference-dir DIR]\n",
                 argv[0]);
      return 2;
    }
  }
  fmt::print(
      "| data | n x p | edges | SHD | adj. precision | adj. recall | arrow precision | arrow "
      "recall | "
      "same as reference | tests | corr ms | PC ms | total ms "
      "|\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  int status = 0;
  for (int i : {1, 2}) {
    Table data;
    Graph truth;
    try {
      data = read_table(fmt::format("{}/causal-learn/data_linear_{}.txt", root, i));
      truth = read_graph_file(fmt::format("{}/causal-learn/graph.{}.txt", root, i));
    } catch (const CausalError& e) {
      fmt::print(stderr, "{}\n", e.what());
      return 1;
    }
    PcOptions o;
    o.alpha = alpha;
    std::vector<double> corr_ms, pc_ms;
    PcResult r;
    for (int k = 0; k < repeat; ++k) {
      auto t0 = std::chrono::steady_clock::now();
      FisherZ fz(data);
      auto t1 = std::chrono::steady_clock::now();
      r = pc(fz, data.columns, o);
      auto t2 = std::chrono::steady_clock::now();
      corr_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      pc_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    Scores s = score(r.cpdag, truth);
    std::string same = "n/a";
    std::ifstream ref(fmt::format("{}/reference_linear_{}.txt", refdir, i));
    if (ref && alpha == 0.05) {
      std::vector<std::string> want;
      for (std::string line; std::getline(ref, line);)
        if (!line.empty()) want.push_back(line);
      bool eq = want == edge_lines(r.cpdag);
      same = eq ? "yes" : "NO";
      if (!eq) status = 1;
    }
    fmt::print(
        "| data_linear_{} | {} x {} | {} | {} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {} | {} | "
        "{:.2f} | {:.2f} | {:.2f} |\n",
        i, data.rows(), data.cols(), r.cpdag.edges().size(), s.shd, s.adj_p, s.adj_r, s.arrow_p,
        s.arrow_r, same, r.tests, median(corr_ms), median(pc_ms), median(corr_ms) + median(pc_ms));
  }
  return status;
}
