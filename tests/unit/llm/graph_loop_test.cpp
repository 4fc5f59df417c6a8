// The graph loop end to end against the scripted server (C++ API).
#include <catch2/catch.hpp>

#include "omen/graphs.h"
#include "omen/llm.h"
#include "test_server.h"

using namespace omen;
using namespace omen::llm;
using omen::llm::testing::fixture;
using omen::llm::testing::fixture_path;
using omen::llm::testing::Reply;
using omen::llm::testing::Server;

namespace {

GraphTask shop_task() {
  GraphTask t;
  std::string error;
  REQUIRE(load_graph_task({fixture_path("docs/shop.md")}, fixture_path("shop.csv"), &t, &error));
  t.graph_name = "shop";
  return t;
}

GraphLoopOptions graph_options(const Server& s) {
  GraphLoopOptions o;
  o.client.base_url = s.base_url();
  o.client.model = "test-model";
  o.client.api_key_env = "OMEN_LLM_TEST_KEY_UNSET";
  o.client.timeout_ms = 5000;
  o.client.max_retries = 1;
  o.client.backoff_initial_ms = 20;
  o.budget.max_iterations = 3;
  o.budget.max_seconds = 60;
  return o;
}

std::string G(const std::string& name) {
  return fixture("replies/graph_" + name + ".omen");
}

bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// The four local proposals, in component order (db, checkout, frontend, cache); together
// they make the cycle db -> checkout -> frontend -> db.
std::vector<Reply> local_round() {
  return {Reply::candidates({G("local_db")}), Reply::candidates({G("local_checkout")}),
          Reply::fenced({G("local_frontend")}), Reply::candidates({G("local_cache")})};
}

}  // namespace

TEST_CASE("a graph proposal with a cycle is named, fed back, and fixed", "[llm][graph]") {
  std::vector<Reply> script = local_round();
  script.push_back(Reply::candidates({G("fixed")}));
  Server s(script);
  GraphProposal p = propose_graph(shop_task(), graph_options(s));
  INFO(p.error << p.transcript_json.substr(0, 4000));
  REQUIRE(p.accepted);
  CHECK(p.passed);
  CHECK(p.iterations == 2);
  CHECK(p.stop_reason == "passed");
  auto reqs = s.requests();
  REQUIRE(reqs.size() == 5);
  // Local prompts: one per component, with its documentation and metric names.
  CHECK(has(reqs[0].last(), "# Component db"));
  CHECK(has(reqs[0].last(), "Metrics: db/latency"));
  CHECK(has(reqs[0].last(), "a slow db slows checkout"));
  CHECK(has(reqs[3].last(), "# Component cache"));
  for (const auto& r : reqs) CHECK(r.json["model"] == "test-model");
  // The repair prompt names the cycle.
  std::string fed = reqs[4].last();
  CHECK(has(fed, "structure: graph 'shop' has a cycle:"));
  CHECK(has(fed, "db -> checkout"));
  CHECK(has(fed, "frontend -> db"));
  // Edges keep provenance llm with the turn that proposed them.
  REQUIRE(p.edges.size() == 2);
  for (const auto& e : p.edges) CHECK(e.iteration == 1);
  CHECK(
      has(p.source, "db -> checkout [source = \"llm\"]  # llm iteration 1, proposed for checkout"));
  CHECK(has(p.source, "checkout -> frontend [source = \"llm\"]  # llm iteration 1"));
  CHECK_FALSE(has(p.source, "frontend -> db"));
  // The written graph is valid Omen and loads as a causal graph.
  GraphsResult g = load_graphs_from_source("shop.omen", p.source);
  INFO(g.render());
  REQUIRE(g.ok);
  REQUIRE(g.graphs.size() == 1);
  CHECK(g.graphs[0].edges().size() == 2);
  CHECK(g.graphs[0].edges()[0].provenance == causal::Provenance::Llm);
}

TEST_CASE("unsupported edges go back to the model, and edges added in repair keep their turn",
          "[llm][graph]") {
  std::vector<Reply> script = local_round();
  script.push_back(Reply::candidates({G("unsupported")}));  // turn 2: cache -> frontend added
  script.push_back(Reply::candidates({G("fixed")}));        // turn 3: removed again
  Server s(script);
  GraphLoopOptions o = graph_options(s);
  o.budget.max_iterations = 4;
  GraphProposal p = propose_graph(shop_task(), o);
  REQUIRE(p.accepted);
  CHECK(p.passed);
  CHECK(p.iterations == 3);
  auto reqs = s.requests();
  REQUIRE(reqs.size() == 6);
  CHECK(has(reqs[5].last(), "unsupported edge cache -> frontend"));
  CHECK(has(reqs[5].last(),
            "cache -> frontend [source = \"llm\"]  # llm iteration 2, proposed in repair"));
}

TEST_CASE(
    "budget exhausted on a graph: non-strict accepts the best valid one, strict writes "
    "nothing",
    "[llm][graph]") {
  SECTION("non-strict") {
    std::vector<Reply> script = local_round();
    script.push_back(Reply::candidates({G("unsupported")}));
    Server s(script);
    GraphLoopOptions o = graph_options(s);
    o.budget.max_iterations = 2;
    GraphProposal p = propose_graph(shop_task(), o);
    REQUIRE(p.accepted);
    CHECK_FALSE(p.passed);
    CHECK(p.stop_reason == "iterations");
    REQUIRE(p.findings.size() == 1);
    CHECK(has(p.findings[0], "unsupported edge cache -> frontend"));
    CHECK(has(p.source, "# Accepted when the budget ran out"));
    CHECK(load_graphs_from_source("g.omen", p.source).ok);
  }
  SECTION("strict") {
    std::vector<Reply> script = local_round();
    script.push_back(Reply::candidates({G("unsupported")}));
    Server s(script);
    GraphLoopOptions o = graph_options(s);
    o.budget.max_iterations = 2;
    o.strict = true;
    GraphProposal p = propose_graph(shop_task(), o);
    CHECK_FALSE(p.accepted);
    CHECK(p.source.empty());
    CHECK(has(p.error, "the iteration budget ran out"));
    CHECK(has(p.error, "unsupported edge cache -> frontend"));
    CHECK(has(p.error, "Nothing was written"));
  }
  SECTION("only cycles: nothing is accepted") {
    std::vector<Reply> script = local_round();
    Server s(script);
    GraphLoopOptions o = graph_options(s);
    o.budget.max_iterations = 1;
    GraphProposal p = propose_graph(shop_task(), o);
    CHECK_FALSE(p.accepted);
    CHECK(has(p.error, "No proposal was structurally valid"));
    CHECK(has(p.error, "cycle"));
  }
}

TEST_CASE("invented components and unusable replies are reported to the model", "[llm][graph]") {
  std::vector<Reply> script = {Reply::candidates({"graph local_db { db -> payments }"}),
                               Reply::completion("checkout depends on db"),  // no code
                               Reply::candidates({G("local_frontend")}),
                               Reply::candidates({G("local_cache")}),
                               Reply::candidates({G("fixed")})};
  Server s(script);
  GraphProposal p = propose_graph(shop_task(), graph_options(s));
  REQUIRE(p.accepted);
  std::string fed = s.requests()[4].last();
  CHECK(has(fed, "'payments' is not a component of the data"));
  CHECK(has(fed, "local proposal for checkout: The reply contains no Omen code"));
}
