#include <catch2/catch.hpp>

#include "omen/engine.h"

namespace {

const char* kV1 = R"(
series x = metric("x")
rule Slow { on x when x > 10 for 5m }
rule Other { on x when x > 100 }
)";

void push_minutes(omen::Engine& e, int from, int to, double v) {
  for (int m = from; m <= to; ++m) e.push({"x", {}}, static_cast<int64_t>(m) * 60'000, v);
}

std::vector<std::string> events(omen::Engine& e, const std::string& rule) {
  std::vector<std::string> out;
  for (const auto& a : e.poll())
    if (a.rule == rule)
      out.push_back(std::string(omen::event_name(a.event)) + "@" + std::to_string(a.at / 60'000));
  return out;
}

}  // namespace

TEST_CASE("a reload with errors changes nothing and says why") {
  auto b = omen::Engine::from_source("v1.omen", kV1, {omen::Tier::Interp});
  REQUIRE(b.ok());
  push_minutes(*b.engine, 0, 2, 50);
  auto r = b.engine->reload_source("v2.omen",
                                   "series x = metric(\"x\")\nrule Slow { on x when x > 5m }\n");
  CHECK_FALSE(r.ok);
  CHECK(r.render().find("v2.omen:2:25: error[E021]") != std::string::npos);
  push_minutes(*b.engine, 3, 6, 50);
  // The old rule kept running with its state: pending since 0m, firing at 5m.
  auto ev = events(*b.engine, "Slow");
  CHECK(ev == std::vector<std::string>{"pending@0", "firing@5"});
  CHECK(b.engine->rule_names() == std::vector<std::string>{"Slow", "Other"});
}

TEST_CASE("unchanged rules keep their state across a reload; changed rules start fresh") {
  auto b = omen::Engine::from_source("v1.omen", kV1, {omen::Tier::Interp});
  REQUIRE(b.ok());
  push_minutes(*b.engine, 0, 2, 50);  // Slow pending since 0m
  auto r = b.engine->reload_source("v2.omen", R"(
series x = metric("x")
rule Slow { on x when x > 10 for 5m }
rule Other { on x when x > 20 }
rule New { on x when x > 30 for 2m }
)");
  REQUIRE(r.ok);
  CHECK(r.kept == std::vector<std::string>{"Slow"});
  CHECK(r.changed == std::vector<std::string>{"Other"});
  CHECK(r.added == std::vector<std::string>{"New"});
  CHECK(r.removed.empty());
  push_minutes(*b.engine, 3, 6, 50);
  auto all = b.engine->poll();
  std::vector<std::string> slow, fresh;
  for (const auto& a : all) {
    std::string s = std::string(omen::event_name(a.event)) + "@" + std::to_string(a.at / 60'000);
    if (a.rule == "Slow") slow.push_back(s);
    if (a.rule == "New") fresh.push_back(s);
  }
  // Slow fires at 5m (its pending from 0m survived); New saw its first tick at 3m.
  CHECK(slow == std::vector<std::string>{"pending@0", "firing@5"});
  CHECK(fresh == std::vector<std::string>{"pending@3", "firing@5"});
}

TEST_CASE("a reload can remove rules") {
  auto b = omen::Engine::from_source("v1.omen", kV1, {omen::Tier::Interp});
  REQUIRE(b.ok());
  auto r = b.engine->reload_source("v2.omen",
                                   "series x = metric(\"x\")\nrule Other { on x when x > 100 }\n");
  REQUIRE(r.ok);
  CHECK(r.removed == std::vector<std::string>{"Slow"});
  CHECK(b.engine->rule_names() == std::vector<std::string>{"Other"});
}

TEST_CASE("a reload ends the active alerts of a removed rule") {
  auto b = omen::Engine::from_source("v1.omen", kV1, {omen::Tier::Interp});
  REQUIRE(b.ok());
  push_minutes(*b.engine, 0, 6, 500);  // Slow firing at 5m; Other firing at 0m
  b.engine->poll();
  auto r = b.engine->reload_source("v2.omen",
                                   "series x = metric(\"x\")\nrule Other { on x when x > 100 }\n");
  REQUIRE(r.ok);
  // Slow was firing: it is resolved at the engine's time (6m), not left open.
  CHECK(events(*b.engine, "Slow") == std::vector<std::string>{"resolved@6"});
  // Other is unchanged: still firing, no event.
  push_minutes(*b.engine, 7, 7, 500);
  CHECK(events(*b.engine, "Other").empty());
  CHECK(b.engine->stats().reloads == 1);
}

TEST_CASE("a reload ends a pending alert of a removed rule as cleared") {
  auto b = omen::Engine::from_source("v1.omen", kV1, {omen::Tier::Interp});
  REQUIRE(b.ok());
  push_minutes(*b.engine, 0, 2, 50);  // Slow pending since 0m
  b.engine->poll();
  REQUIRE(b.engine->reload_source("v2.omen", "series x = metric(\"x\")\n").ok);
  CHECK(events(*b.engine, "Slow") == std::vector<std::string>{"cleared@2"});
}

TEST_CASE("a changed rule keeps an active alert whose labels stay the same") {
  auto b = omen::Engine::from_source("v1.omen", kV1, {omen::Tier::Interp});
  REQUIRE(b.ok());
  push_minutes(*b.engine, 0, 6, 50);  // Slow firing since 5m
  b.engine->poll();
  // Same name, same labels, another condition and `for`: the firing alert carries over.
  auto r = b.engine->reload_source("v2.omen", R"(
series x = metric("x")
rule Slow { on x when x > 20 for 10m }
rule Other { on x when x > 100 }
)");
  REQUIRE(r.ok);
  CHECK(r.changed == std::vector<std::string>{"Slow"});
  CHECK(events(*b.engine, "Slow").empty());  // no event at the reload
  push_minutes(*b.engine, 7, 8, 50);
  CHECK(events(*b.engine, "Slow").empty());  // still firing, not fired again
  push_minutes(*b.engine, 9, 9, 1);          // the new condition is false: resolved
  CHECK(events(*b.engine, "Slow") == std::vector<std::string>{"resolved@9"});
}

TEST_CASE("a changed rule whose labels change ends the old alert") {
  auto b = omen::Engine::from_source("v1.omen", kV1, {omen::Tier::Interp});
  REQUIRE(b.ok());
  push_minutes(*b.engine, 0, 6, 50);  // Slow firing since 5m
  b.engine->poll();
  auto r = b.engine->reload_source("v2.omen", R"(
series x = metric("x")
rule Slow { on x when x > 10 for 5m labels { team = "db" } }
)");
  REQUIRE(r.ok);
  CHECK(events(*b.engine, "Slow") == std::vector<std::string>{"resolved@6"});
}
