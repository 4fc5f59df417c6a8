// Import/export: DOT (with errors located), adjacency CSV (PetShop), Tetrad text, JSON and
// Omen syntax, round trips; numeric tables and the PetShop layout.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "omen/causal.h"

using namespace omen::causal;

namespace {
std::string edges_of(const Graph& g) {
  std::string s;
  for (const Edge& e : g.edges())
    s += g.node(e.from).name + (e.undirected ? "--" : "->") + g.node(e.to).name + ";";
  return s;
}
template <class F>
CausalError error_of(F f) {
  try {
    f();
  } catch (const CausalError& e) {
    return e;
  }
  FAIL("no CausalError");
  return CausalError("", "");
}
}  // namespace

TEST_CASE("DOT: the subset real tools write", "[causal][io]") {
  const char* text = R"(/* exported by some tool */
strict digraph "shop graph" {
  // defaults
  graph [rankdir=LR];
  node [shape=box];
  rankdir = LR
  "front end" [label="Front", root=true, bind_latency="lat{service=\"frontend\"}"];
  checkout;
  "front end" -> checkout -> payment [source=traces, weight=0.5];
  # a preprocessor-style comment line
  payment -> db [lag=2]
  edge [source=llm]
  db -> cache;
  subgraph cluster_x { cache; queue }
  checkout -> { queue mail }
  a:port1 -> b:port2:n
  x -> y [dir=none]
}
)";
  Graph g = parse_dot(text, "shop.dot");
  CHECK(g.name() == "shop graph");
  CHECK(edges_of(g) ==
        "front "
        "end->checkout;checkout->payment;payment->db;db->cache;checkout->queue;checkout->mail;a->b;"
        "x--y;");
  size_t fe = g.index("front end");
  CHECK(g.node(fe).root);
  REQUIRE(g.node(fe).bindings.size() == 1);
  CHECK(g.node(fe).bindings[0].second == "lat{service=\"frontend\"}");
  CHECK(g.edges()[0].provenance == Provenance::Traces);
  CHECK(*g.edges()[1].strength == Approx(0.5));
  CHECK(g.edges()[2].lag == 2);
  CHECK(g.edges()[3].provenance == Provenance::Llm);
  CHECK(g.edges()[0].loc.line == 9);
  CHECK_FALSE(g.find("rankdir"));
}

TEST_CASE("DOT: undirected graphs and constraints", "[causal][io]") {
  Graph g = parse_dot("graph { a -- b; b -- c }");
  CHECK(edges_of(g) == "a--b;b--c;");
  Graph h = parse_dot("digraph { a -> b; b -> a [kind=forbid]; c -> a [kind=require] }");
  CHECK(h.edges().size() == 1);
  REQUIRE(h.constraints().size() == 2);
  CHECK_FALSE(h.constraints()[0].required);
  CHECK(h.constraints()[1].required);
}

TEST_CASE("DOT: malformed input is located", "[causal][io]") {
  auto e = error_of([] { parse_dot("digraph g {\n  a -> b\n  c -> [x=1]\n}", "bad.dot"); });
  CHECK(e.code() == "syntax");
  CHECK(e.loc().line == 3);
  CHECK(e.loc().col == 8);
  CHECK(std::string(e.what()).rfind("bad.dot:3:8: error[syntax]: expected a node id", 0) == 0);
  CHECK(error_of([] { parse_dot("digraph {\n a -> b\n", "x.dot"); }).loc().line == 3);
  CHECK(error_of([] { parse_dot("graph { a -> b }"); })
            .message()
            .find("'->' in an undirected graph") != std::string::npos);
  CHECK(error_of([] { parse_dot("digraph { a -> b [source=rumour] }"); })
            .message()
            .find("unknown edge source") != std::string::npos);
  CHECK(error_of([] { parse_dot("digraph { \"open }"); }).message() == "unterminated string");
  CHECK(error_of([] { parse_dot("tree { }"); }).loc().line == 1);
  CHECK(error_of([] { parse_dot("digraph {\n/* never closed\n a -> b }"); }).loc().line == 2);
}

TEST_CASE("DOT and JSON round trips", "[causal][io]") {
  Graph g("rt");
  size_t a = g.add_node("a node");
  g.bind(a, "latency", "lat{job=\"x\"}");
  g.set_root(a);
  g.add_edge("a node", "b", Provenance::Traces, 0.25);
  g.add_edge("b", "c");
  Edge e;
  e.from = g.index("c");
  e.to = g.add_node("d");
  e.undirected = true;
  e.lag = 1;
  g.add_edge(e);
  g.forbid(g.index("c"), g.index("a node"));
  std::string dot = to_dot(g);
  Graph back = parse_dot(dot, "rt.dot");
  CHECK(to_dot(back) == dot);
  CHECK(to_json(back) == to_json(g));
  auto j = nlohmann::json::parse(to_json(g));
  CHECK(j["edges"][0]["provenance"] == "traces");
  CHECK(j["edges"][0]["strength"] == 0.25);
  CHECK(j["edges"][2]["undirected"] == true);
  CHECK(j["constraints"][0]["kind"] == "forbid");
  CHECK(j["nodes"][0]["bindings"]["latency"] == "lat{job=\"x\"}");
  std::string omen = to_omen(g);
  CHECK(omen.find("graph rt {\n") == 0);
  CHECK(omen.find("  \"a node\" -> b  [source = \"traces\", strength = 0.25]\n") !=
        std::string::npos);
  CHECK(omen.find("  c -- d  [lag = 1]   # undirected in the CPDAG\n") != std::string::npos);
  CHECK(omen.find("  forbid c -> \"a node\"\n") != std::string::npos);
  CHECK(omen.find("  root \"a node\"\n") != std::string::npos);
}

TEST_CASE("adjacency CSV: PetShop's graph.csv", "[causal][io]") {
  Graph g = read_graph_file(OMEN_TEST_DIR "/causal/petshop/low_traffic/graph.csv");
  CHECK(g.node_count() == 42);
  CHECK(g.edges().size() == 44);
  CHECK(g.name() == "graph");
  // PetSite calls the search service: caller -> callee; reversed it is the causal direction.
  size_t site = g.index("PetSite");
  CHECK_FALSE(g.children(site).empty());
  Graph r = read_graph_file(OMEN_TEST_DIR "/causal/petshop/low_traffic/graph.csv", true);
  CHECK(r.parents(r.index("PetSite")) == g.children(site));
  CHECK_FALSE(find_cycle(r));
  Graph small = parse_adjacency_csv(",a,b\na,0,1\nb,0.0,0\n");
  CHECK(edges_of(small) == "a->b;");
  auto e = error_of([] { parse_adjacency_csv(",a,b\na,0,1\nb,0,x\n", "m.csv"); });
  CHECK(e.loc().line == 3);
  CHECK(e.loc().col == 5);  // the byte column of the cell, as in every CSV error
  CHECK(error_of([] { parse_adjacency_csv(",a,b\na,0,1\nb,0\n", "m.csv"); }).message() ==
        "expected 3 fields (as in the header), found 2");
  CHECK(error_of([] { parse_adjacency_csv(",a,b\na,0,1\n", "m.csv"); }).message().find("square") !=
        std::string::npos);
  CHECK(error_of([] { parse_adjacency_csv(",a,b\nq,0,1\nb,0,0\n", "m.csv"); }).message() ==
        "row name 'q' is not a column name");
}

TEST_CASE("Tetrad text: causal-learn's graph.N.txt", "[causal][io]") {
  Graph g = read_graph_file(OMEN_TEST_DIR "/causal/graph1.txt");
  CHECK(g.node_count() == 20);
  CHECK(g.edges().size() == 30);
  CHECK(g.node(g.edges()[0].from).name == "X1");
  CHECK(g.node(g.edges()[0].to).name == "X11");
  CHECK_FALSE(find_cycle(g));
  auto e =
      error_of([] { parse_tetrad("Graph Nodes:\nA;B\n\nGraph Edges:\n1. A --> C\n", "t.txt"); });
  CHECK(e.code() == "unknown-node");
  CHECK(e.loc().line == 5);
  CHECK(error_of([] { parse_tetrad("Graph Nodes:\nA;B\n\nGraph Edges:\n1. A ==> B\n"); })
            .loc()
            .line == 5);
}

TEST_CASE("tables: CSV, whitespace, PetShop; errors with line numbers", "[causal][io]") {
  Table t = parse_table("time,a,b\n1,1.5,2\n2,,3\n");
  CHECK(t.cols() == 2);
  CHECK(t.rows() == 2);
  CHECK(t.time == std::vector<double>{1, 2});
  CHECK(std::isnan(t.data[0][1]));
  Table w = read_table(OMEN_TEST_DIR "/causal/linear2_300.txt");
  CHECK(w.cols() == 20);
  CHECK(w.rows() == 300);
  CHECK(w.columns[19] == "X20");
  auto e = error_of([] { parse_table("a,b\n1,2\n3,oops\n", "d.csv"); });
  CHECK(e.loc().line == 3);
  CHECK(e.loc().col == 3);
  CHECK(error_of([] { parse_table("a,b\n1,2,3\n", "d.csv"); }).loc().line == 2);
  PetShopCase c = read_petshop_case(OMEN_TEST_DIR "/causal/petshop/low_traffic/test/issue_0");
  CHECK(c.root_cause == "petInfo_AWS::DynamoDB::Table");
  CHECK(c.target_node == "PetSite");
  CHECK(c.metrics.rows() == 5);
  CHECK(c.metrics.cols() == 294);
  CHECK(c.metrics.columns[0] == "169.254.170.2_remote/latency/Average");
  CHECK(c.metrics.components[0] == "169.254.170.2_remote");
  CHECK(c.metrics.metrics[0] == "latency/Average");
  CHECK(c.metrics.time[0] == 1681857120.0);
  Table cols = select_columns(w, {"X3", "X1"});
  CHECK(cols.columns == std::vector<std::string>{"X3", "X1"});
  CHECK_THROWS_AS(select_columns(w, {"nope"}), CausalError);
  CHECK(slice_rows(w, 10, 20).rows() == 10);
  CHECK(error_of([&] { slice_rows(w, 10, 400); }).code() == "window");
}
