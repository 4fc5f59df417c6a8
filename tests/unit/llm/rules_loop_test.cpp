// The rule loop end to end against the scripted server (C++ API).
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>

#include "omen/llm.h"
#include "test_server.h"

using namespace omen;
using namespace omen::llm;
using omen::llm::testing::fixture;
using omen::llm::testing::fixture_path;
using omen::llm::testing::Reply;
using omen::llm::testing::Server;

namespace {

RuleTask cpu_task(const std::string& current = "") {
  RuleTaskFiles f;
  f.docs = {fixture_path("docs/cpu_service.md")};
  f.data = {fixture_path("cpu.csv")};
  f.labels = "windows:" + fixture_path("cpu_windows.csv");
  if (!current.empty()) f.current = fixture_path(current);
  RuleTask t;
  std::string error;
  REQUIRE(load_rule_task(f, &t, &error));
  return t;
}

RuleLoopOptions loop_options(const Server& s) {
  RuleLoopOptions o;
  o.client.base_url = s.base_url();
  o.client.model = "test-model";
  o.client.api_key_env = "OMEN_LLM_TEST_KEY_UNSET";
  o.client.timeout_ms = 5000;
  o.client.max_retries = 2;
  o.client.backoff_initial_ms = 20;
  o.client.jitter_seed = 1;
  o.budget.max_iterations = 4;
  o.budget.max_seconds = 60;
  return o;
}

std::string R(const std::string& name) {
  return fixture("replies/" + name);
}

bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

const CandidateReport& candidate(const RuleProposal& p, int iteration, int index) {
  for (const auto& c : p.candidates)
    if (c.iteration == iteration && c.index == index) return c;
  FAIL("no candidate " << iteration << "/" << index);
  return p.candidates.front();
}

const GateResult* failed_gate(const CandidateReport& c) {
  for (const auto& g : c.gates)
    if (!g.passed) return &g;
  return nullptr;
}

}  // namespace

TEST_CASE("a syntax error is repaired on the next turn", "[llm][rules]") {
  Server s({Reply::candidates({R("syntax_error.omen")}), Reply::candidates({R("good.omen")})});
  RuleProposal p = propose_rules(cpu_task(), loop_options(s));
  INFO(p.error);
  REQUIRE(p.accepted);
  CHECK(p.iteration == 2);
  CHECK(p.stop_reason == "accepted");
  CHECK(p.metrics.event_f1 == Approx(1.0));
  const CandidateReport& bad = candidate(p, 1, 1);
  CHECK_FALSE(bad.compiled);
  CHECK(failed_gate(bad)->name == "compiles");
  // The server saw: the model, the schema, and on turn 2 the checker's diagnostics.
  auto reqs = s.requests();
  REQUIRE(reqs.size() == 2);
  for (const auto& r : reqs) {
    CHECK(r.json["model"] == "test-model");
    CHECK(r.json["response_format"]["json_schema"]["name"] == "omen_candidates");
  }
  CHECK(has(reqs[0].text(), "# The Omen language"));
  CHECK(has(reqs[0].text(), "cpu_utilization{instance=\"i-1\"}"));
  CHECK(has(reqs[0].text(), "Runaway jobs push it above 85%"));  // the docs
  std::string fed = reqs[1].last();
  CHECK(has(fed, "gate compiles FAILED"));
  CHECK(has(fed, "candidate-1-1.omen:6:12: error[E001]: unexpected 'page'"));
  CHECK(reqs[1].json["messages"][2]["role"] == "assistant");  // the bad reply is in context
  // The accepted file carries its provenance and compiles on its own.
  CHECK(has(p.source, "# model: test-model; turn 2"));
  CHECK(has(p.source, "# reply cache key: " + p.cache_key));
  CHECK(has(p.source, "event F1 1.000"));
  CHECK(has(p.source, "rule CpuRunaway"));
  Engine::Built e = load_accepted(p);
  CHECK(e.ok());
  CHECK(p.usage.calls == 2);
  CHECK(p.usage.total_tokens() == 2400);
  CHECK(has(p.transcript_json, "\"stop_reason\": \"accepted\""));
}

TEST_CASE("a rule that scores low is refined into a better one", "[llm][rules]") {
  Server s({Reply::candidates({R("low.omen")}), Reply::candidates({R("good.omen")})});
  RuleLoopOptions o = loop_options(s);
  o.gates.min_event_f1 = 0.8;
  RuleProposal p = propose_rules(cpu_task(), o);
  REQUIRE(p.accepted);
  CHECK(p.iteration == 2);
  const CandidateReport& low = candidate(p, 1, 1);
  REQUIRE(low.metrics);
  CHECK(low.metrics->event_f1 == Approx(2.0 / 3.0));
  CHECK(failed_gate(low)->name == "metric");
  std::string fed = s.requests()[1].last();
  CHECK(has(fed, "gate metric FAILED: event_f1 = 0.6667 < 0.8000"));
  CHECK(has(fed, "1 of 2 labelled windows detected"));
  CHECK(has(fed, "missed labelled windows (no alarm inside): window 2 of 2"));
  CHECK(p.metrics.event_f1 == Approx(1.0));
}

TEST_CASE("a candidate that regresses the current rules is rejected", "[llm][rules]") {
  Server s({Reply::candidates({R("noisy.omen")}), Reply::candidates({R("good.omen")})});
  RuleLoopOptions o = loop_options(s);
  o.gates.min_event_f1 = 0;  // only the regression gate can reject
  RuleProposal p = propose_rules(cpu_task("replies/low.omen"), o);
  INFO(p.error);
  REQUIRE(p.accepted);
  REQUIRE(p.current_metrics);
  CHECK(p.current_metrics->event_f1 == Approx(2.0 / 3.0));
  const CandidateReport& noisy = candidate(p, 1, 1);
  CHECK_FALSE(noisy.passed);
  CHECK(failed_gate(noisy)->name == "no_regression");
  CHECK(has(failed_gate(noisy)->detail, "regresses the current rules"));
  auto reqs = s.requests();
  CHECK(has(reqs[0].text(), "# Current rules (low.omen)"));
  CHECK(has(reqs[1].last(), "gate no_regression FAILED"));
  CHECK(has(reqs[1].last(), "false alarms (alarming outside every labelled window)"));
  CHECK(p.iteration == 2);
  CHECK(has(p.source, "# current rules (low.omen): event F1 0.667"));
}

TEST_CASE("a hallucinated metric is caught before the candidate runs", "[llm][rules]") {
  Server s({Reply::candidates({R("hallucinated.omen")}), Reply::candidates({R("good.omen")})});
  RuleProposal p = propose_rules(cpu_task(), loop_options(s));
  REQUIRE(p.accepted);
  const CandidateReport& h = candidate(p, 1, 1);
  CHECK(h.compiled);  // it compiles: only the data check can tell
  CHECK(failed_gate(h)->name == "known_metrics");
  CHECK_FALSE(h.metrics);
  std::string fed = s.requests()[1].last();
  CHECK(has(fed,
            "metric 'cpu_utilisation' does not exist in the data (did you mean "
            "'cpu_utilization'?)"));
}

TEST_CASE("replies with malformed JSON or no code are fed back, a bad body is asked again",
          "[llm][rules]") {
  Server s({Reply{200, "<html>gateway hiccup</html>", {}, 0},
            Reply::completion(R"({"candidates": [{"source": "rule A {)"),
            Reply::completion("I would alert when the CPU is high."),
            Reply::fenced({R("good.omen")})});
  RuleLoopOptions o = loop_options(s);
  o.budget.max_iterations = 5;
  RuleProposal p = propose_rules(cpu_task(), o);
  INFO(p.error);
  REQUIRE(p.accepted);
  CHECK(p.iteration == 4);
  CHECK(p.usage.failures == 1);
  auto reqs = s.requests();
  REQUIRE(reqs.size() == 4);
  // The bad body never reached the model: turn 2 asks the same thing again.
  CHECK(reqs[1].body == reqs[0].body);
  CHECK(has(reqs[2].last(), "not valid JSON"));
  CHECK(has(reqs[3].last(), "contains no Omen code"));
}

TEST_CASE("budget exhausted: a clear error and nothing accepted", "[llm][rules]") {
  SECTION("iterations") {
    Server s(
        {Reply::candidates({R("syntax_error.omen")}), Reply::candidates({R("hallucinated.omen")})});
    RuleLoopOptions o = loop_options(s);
    o.budget.max_iterations = 2;
    RuleProposal p = propose_rules(cpu_task(), o);
    CHECK_FALSE(p.accepted);
    CHECK(p.source.empty());
    CHECK(p.stop_reason == "iterations");
    CHECK(has(p.error, "the iteration budget ran out (2 of 2 turns used)"));
    CHECK(has(p.error, "known_metrics"));  // the last turn's failure is named
    CHECK(has(p.error, "Nothing was written"));
    Engine::Built e = load_accepted(p);
    CHECK_FALSE(e.ok());
    CHECK(has(e.render(), "refused"));
  }
  SECTION("tokens") {
    Server s({Reply::candidates({R("syntax_error.omen")}), Reply::candidates({R("good.omen")})});
    RuleLoopOptions o = loop_options(s);
    o.budget.max_tokens = 1000;  // each scripted reply reports 1200
    RuleProposal p = propose_rules(cpu_task(), o);
    CHECK_FALSE(p.accepted);
    CHECK(p.stop_reason == "tokens");
    CHECK(has(p.error, "the token budget ran out (1200 of 1000 tokens used)"));
    CHECK(s.requests().size() == 1);
  }
  SECTION("time") {
    Reply slow = Reply::candidates({R("good.omen")});
    slow.delay_ms = 6000;
    Server s({slow, slow});
    RuleLoopOptions o = loop_options(s);
    o.budget.max_seconds = 0.5;
    auto t0 = std::chrono::steady_clock::now();
    RuleProposal p = propose_rules(cpu_task(), o);
    CHECK_FALSE(p.accepted);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(4));
  }
}

TEST_CASE("HTTP 429 then success inside the loop", "[llm][rules]") {
  Server s(
      {Reply::error(429, "rate limited", {"Retry-After: 1"}), Reply::candidates({R("good.omen")})});
  RuleProposal p = propose_rules(cpu_task(), loop_options(s));
  REQUIRE(p.accepted);
  CHECK(p.iteration == 1);
  CHECK(p.usage.retries == 1);
  CHECK(p.usage.http_requests == 2);
}

TEST_CASE("a server that never answers stops the loop with a clear error", "[llm][rules]") {
  Reply slow = Reply::candidates({R("good.omen")});
  slow.delay_ms = 6000;
  Server s({slow, slow});
  RuleLoopOptions o = loop_options(s);
  o.client.timeout_ms = 200;
  o.client.max_retries = 1;
  RuleProposal p = propose_rules(cpu_task(), o);
  CHECK_FALSE(p.accepted);
  CHECK(p.stop_reason == "error");
  CHECK(has(p.error, "the model server failed on turn 1: no reply from"));
}

TEST_CASE("every candidate runs in a fresh engine: no state leaks between them", "[llm][rules]") {
  // Top-k: the first candidate counts every sample; the second would fire only if it saw the
  // first one's windows.
  Server s({Reply::candidates({R("counter.omen"), R("leftover.omen"), R("good.omen")})});
  RuleLoopOptions o = loop_options(s);
  o.top_k = 3;
  RuleProposal p = propose_rules(cpu_task(), o);
  REQUIRE(p.accepted);
  REQUIRE(p.candidates.size() == 3);
  const CandidateReport& leftover = candidate(p, 1, 2);
  REQUIRE(leftover.metrics);
  CHECK(leftover.metrics->alerts == 0);
  CHECK(leftover.metrics->alarm_ticks == 0);
  // Directly, in either order.
  RuleTask t = cpu_task();
  RuleGates g;
  EngineOptions e;
  e.tier = Tier::Interp;
  CandidateReport a = evaluate_candidate(R("counter.omen"), t, g, e);
  CandidateReport b = evaluate_candidate(R("leftover.omen"), t, g, e);
  CandidateReport a2 = evaluate_candidate(R("counter.omen"), t, g, e);
  REQUIRE(a.metrics);
  REQUIRE(b.metrics);
  CHECK(a.metrics->alerts > 0);
  CHECK(b.metrics->alerts == 0);
  CHECK(a2.metrics->summary == a.metrics->summary);
  // Both equally good candidates pass; the loop keeps the better one (fewer false alarms,
  // then fewer alarming ticks) — either way the accepted file is one of them, not a mix.
  CHECK((has(p.source, "rule Counter") != has(p.source, "rule CpuRunaway")));
}

TEST_CASE("a recorded run replays offline from the cache, identically", "[llm][rules]") {
  auto dir =
      std::filesystem::temp_directory_path() / ("omen_llm_replay_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  RuleProposal first;
  {
    Server s({Reply::candidates({R("syntax_error.omen")}), Reply::candidates({R("good.omen")})});
    RuleLoopOptions o = loop_options(s);
    o.client.cache_dir = dir.string();
    first = propose_rules(cpu_task(), o);
    REQUIRE(first.accepted);
  }
  RuleLoopOptions o;
  o.client.model = "test-model";
  o.client.base_url = "http://127.0.0.1:9/v1";
  o.client.cache_dir = dir.string();
  o.client.offline = true;
  o.budget.max_iterations = 4;
  RuleProposal again = propose_rules(cpu_task(), o);
  REQUIRE(again.accepted);
  CHECK(again.source == first.source);
  CHECK(again.usage.cache_hits == 2);
  CHECK(again.usage.http_requests == 0);
  CHECK(again.usage.total_tokens() == first.usage.total_tokens());
  // A different task is a different request: offline, that is a clear error.
  RuleLoopOptions o2 = o;
  o2.top_k = 2;
  RuleProposal miss = propose_rules(cpu_task(), o2);
  CHECK_FALSE(miss.accepted);
  CHECK(has(miss.error, "offline: no cached reply"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("an accepted proposal loads into an engine and alerts", "[llm][rules]") {
  Server s({Reply::candidates({R("good.omen")})});
  RuleProposal p = propose_rules(cpu_task(), loop_options(s));
  REQUIRE(p.accepted);
  Engine::Built built = load_accepted(p);
  REQUIRE(built.ok());
  RuleTask t = cpu_task();
  built.engine->push(t.data);
  size_t firing = 0;
  for (const auto& a : built.engine->poll()) firing += a.event == AlertEvent::Firing;
  CHECK(firing == 2);
}

TEST_CASE("inputs that do not fit are reported before any call", "[llm][rules]") {
  Server s({});
  RuleTask t = cpu_task();
  t.target = "no_such_series";
  RuleProposal p = propose_rules(t, loop_options(s));
  CHECK_FALSE(p.accepted);
  CHECK(has(p.error, "the training data cannot be used"));
  CHECK(s.requests().empty());
}

TEST_CASE("requests do not depend on where the input files live", "[llm][rules]") {
  auto dir =
      std::filesystem::temp_directory_path() / ("omen_llm_moved_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "docs");
  for (const char* f : {"cpu.csv", "cpu_windows.csv", "docs/cpu_service.md"})
    std::filesystem::copy_file(fixture_path(f), dir / f);
  auto task_from = [](const std::string& root) {
    RuleTaskFiles f;
    f.docs = {root + "/docs/cpu_service.md"};
    f.data = {root + "/cpu.csv"};
    f.labels = "windows:" + root + "/cpu_windows.csv";
    RuleTask t;
    std::string error;
    REQUIRE(load_rule_task(f, &t, &error));
    return t;
  };
  Server s({Reply::candidates({R("good.omen")}), Reply::candidates({R("good.omen")})});
  RuleProposal a = propose_rules(task_from(fixture_path("")), loop_options(s));
  RuleProposal b = propose_rules(task_from(dir.string()), loop_options(s));
  REQUIRE(a.accepted);
  REQUIRE(b.accepted);
  auto reqs = s.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].body == reqs[1].body);
  CHECK(a.cache_key == b.cache_key);
  CHECK(has(reqs[0].text(), "from windows:cpu_windows.csv"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("without labels the other gates still apply: an always-firing rule is rejected",
          "[llm][rules]") {
  std::string always =
      "series cpu = metric(\"cpu_utilization\")\n"
      "rule Always { on cpu when cpu > 0 severity info }\n";
  Server s({Reply::candidates({always}), Reply::candidates({R("good.omen")})});
  RuleTask t = cpu_task();
  t.labels.reset();
  RuleProposal p = propose_rules(t, loop_options(s));
  REQUIRE(p.accepted);
  CHECK(p.iteration == 2);
  const CandidateReport& a = candidate(p, 1, 1);
  CHECK(failed_gate(a)->name == "alarm_share");
  CHECK(has(s.requests()[1].last(), "alerts firing at 100.0% of the ticks"));
  CHECK_FALSE(p.metrics.labelled);
  CHECK(has(p.source, "# metrics: no labels; 2 firing alerts"));
  for (const auto& g : candidate(p, 2, 1).gates) CHECK(g.name != "metric");
}
