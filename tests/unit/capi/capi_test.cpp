// The C API against the C++ API it wraps: same alerts, ownership across handles, callbacks
// across engines. (tests/unit/capi_c/test_capi.c covers every function from C.)
#include <chrono>
#include <cmath>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "omen/engine.h"
#include "omen/omen.h"

namespace {

const char* kRules = R"(
import std
series x = metric("x")
series y = metric("y")
rule Z { on x by (id) when abs(zscore(x, 30m)) > 2 and x > y for 3m keep 2m severity page
         message "{id}: {x:.2f}" }
rule Hi { on x by (id) when x > 1.5 }
)";

omen_engine* make(omen_tier tier = OMEN_TIER_INTERP) {
  omen_options* o = nullptr;
  REQUIRE(omen_options_create(&o) == OMEN_OK);
  REQUIRE(omen_options_set_tier(o, tier) == OMEN_OK);
  omen_engine* e = nullptr;
  char* diags = nullptr;
  omen_status st = omen_engine_create_from_source("rules.omen", kRules, o, &e, &diags);
  INFO((diags ? diags : ""));
  omen_free_string(diags);
  omen_options_destroy(&o);
  REQUIRE(st == OMEN_OK);
  return e;
}

double sample(int s, int i, bool y) {
  double v = std::sin(i * 0.37 + s) * 0.8 + ((i + 3 * s) % 41 == 0 ? 4 : 0);
  return y ? 0.1 * std::cos(i * 0.11) : v;
}

std::string text(const omen_alert& a) {
  char* s = nullptr;
  REQUIRE(omen_alert_format(&a, OMEN_FORMAT_TEXT, &s) == OMEN_OK);
  std::string out = s;
  omen_free_string(s);
  return out;
}

}  // namespace

TEST_CASE("C API alerts equal the C++ engine's, through poll and through the callback") {
  auto built = omen::Engine::from_source("rules.omen", kRules, {omen::Tier::Interp});
  REQUIRE(built.ok());
  omen_engine* polled = make();
  omen_engine* called = make();
  std::vector<std::string> via_callback;
  REQUIRE(omen_engine_set_alert_callback(
              called,
              [](const omen_alert* a, void* user) {
                static_cast<std::vector<std::string>*>(user)->push_back(text(*a));
              },
              &via_callback) == OMEN_OK);

  omen_batch* b = nullptr;
  REQUIRE(omen_batch_create(&b) == OMEN_OK);
  omen::Batch cpp;
  const char* names[] = {"id"};
  for (int s = 0; s < 3; ++s) {
    std::string id = "s" + std::to_string(s);
    const char* values[] = {id.c_str()};
    uint32_t ix = 0, iy = 0;
    REQUIRE(omen_batch_add_series(b, "x", names, values, 1, &ix) == OMEN_OK);
    REQUIRE(omen_batch_add_series(b, "y", names, values, 1, &iy) == OMEN_OK);
    cpp.series.push_back({"x", {{"id", id}}});
    cpp.series.push_back({"y", {{"id", id}}});
    for (int i = 0; i < 300; ++i) {
      REQUIRE(omen_batch_add(b, ix, i * 60'000LL, sample(s, i, false)) == OMEN_OK);
      REQUIRE(omen_batch_add(b, iy, i * 60'000LL, sample(s, i, true)) == OMEN_OK);
      cpp.add(uint32_t(2 * s), i * 60'000LL, sample(s, i, false));
      cpp.add(uint32_t(2 * s + 1), i * 60'000LL, sample(s, i, true));
    }
  }
  built.engine->push(cpp);
  REQUIRE(omen_engine_push_batch(polled, b) == OMEN_OK);
  REQUIRE(omen_engine_push_batch(called, b) == OMEN_OK);
  omen_batch_destroy(&b);

  std::vector<std::string> expected;
  for (const auto& a : built.engine->poll()) expected.push_back(omen::to_text(a));
  REQUIRE(expected.size() > 10);

  omen_alert_list* list = nullptr;
  REQUIRE(omen_engine_poll(polled, &list) == OMEN_OK);
  // The list owns its strings: it outlives the engine.
  omen_engine_destroy(&polled);
  std::vector<std::string> via_poll;
  for (size_t i = 0; i < omen_alert_list_size(list); ++i)
    via_poll.push_back(text(omen_alert_list_items(list)[i]));
  omen_alert_list_destroy(&list);
  CHECK(via_poll == expected);
  CHECK(via_callback == expected);
  omen_engine_destroy(&called);
}

TEST_CASE("a callback may push into another engine, not into its own") {
  omen_engine* a = make();
  omen_engine* b = make();
  struct Ctx {
    omen_engine* self;
    omen_engine* other;
    int own = -1, other_status = -1;
  } ctx{a, b};
  REQUIRE(omen_engine_set_alert_callback(
              a,
              [](const omen_alert* al, void* user) {
                auto* c = static_cast<Ctx*>(user);
                const char* names[] = {"id"};
                const char* values[] = {"fwd"};
                c->other_status = omen_engine_push(c->other, "x", names, values, 1, al->at_ms, 9);
                c->own = omen_engine_push(c->self, "x", names, values, 1, al->at_ms, 9);
              },
              &ctx) == OMEN_OK);
  const char* names[] = {"id"};
  const char* values[] = {"a"};
  REQUIRE(omen_engine_push(a, "x", names, values, 1, 0, 5) == OMEN_OK);  // Hi fires
  CHECK(ctx.other_status == OMEN_OK);
  CHECK(ctx.own == OMEN_ERROR_REENTRANT);
  // After the callback, the engine is usable again from this thread.
  omen_engine_stats s;
  CHECK(omen_engine_get_stats(a, &s) == OMEN_OK);
  CHECK(omen_engine_get_stats(b, &s) == OMEN_OK);
  CHECK(s.samples_in == 1);
  omen_alert_list* list = nullptr;
  REQUIRE(omen_engine_poll(b, &list) == OMEN_OK);
  CHECK(omen_alert_list_size(list) == 1);  // Hi fired in b too
  omen_alert_list_destroy(&list);
  omen_engine_destroy(&a);
  omen_engine_destroy(&b);
}

TEST_CASE("rule statistics report the tier each rule runs in") {
  omen_engine* e = make(OMEN_TIER_INTERP);
  omen_rule_stats_list* rs = nullptr;
  REQUIRE(omen_engine_get_rule_stats(e, &rs) == OMEN_OK);
  REQUIRE(omen_rule_stats_list_size(rs) == 2);
  CHECK(std::string(omen_rule_stats_list_items(rs)[0].name) == "Z");
  CHECK(std::string(omen_rule_stats_list_items(rs)[1].name) == "Hi");
  CHECK(omen_rule_stats_list_items(rs)[1].tier == OMEN_TIER_INTERP);
  omen_rule_stats_list_destroy(&rs);
  omen_engine_destroy(&e);
  if (!omen_has_jit()) return;
  // Tier auto: interpreted at first, native once the background compilation is done (the
  // switch happens at a rule's next batch).
  e = make(OMEN_TIER_AUTO);
  bool native = false;
  const char* names[] = {"id"};
  const char* values[] = {"a"};
  for (int i = 0; i < 600 && !native; ++i) {
    REQUIRE(omen_engine_push(e, "x", names, values, 1, i * 1000LL, 0) == OMEN_OK);
    REQUIRE(omen_engine_get_rule_stats(e, &rs) == OMEN_OK);
    native = omen_rule_stats_list_items(rs)[1].tier == OMEN_TIER_JIT;
    omen_rule_stats_list_destroy(&rs);
    if (!native) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(native);
  omen_engine_destroy(&e);
}

TEST_CASE("the max_series limit drops and counts samples of further series") {
  omen_options* o = nullptr;
  REQUIRE(omen_options_create(&o) == OMEN_OK);
  REQUIRE(omen_options_set_max_series(o, 2) == OMEN_OK);
  REQUIRE(omen_options_set_tier(o, OMEN_TIER_INTERP) == OMEN_OK);
  omen_engine* e = nullptr;
  REQUIRE(omen_engine_create_from_source(nullptr, kRules, o, &e, nullptr) == OMEN_OK);
  omen_options_destroy(&o);
  for (const char* id : {"a", "b", "c", "d"}) {
    const char* names[] = {"id"};
    const char* values[] = {id};
    REQUIRE(omen_engine_push(e, "x", names, values, 1, 0, 1) == OMEN_OK);
  }
  omen_engine_stats s;
  REQUIRE(omen_engine_get_stats(e, &s) == OMEN_OK);
  CHECK(s.series == 2);
  CHECK(s.dropped_series_limit == 2);
  omen_engine_destroy(&e);
}

TEST_CASE("hostile input through the C API: a compile error or replacement, never INTERNAL") {
  // A source with a Latin-1 byte is a compile error with its place (E002), not an exception.
  omen_engine* e = nullptr;
  char* diags = nullptr;
  omen_status st = omen_engine_create_from_source(
      "latin1.omen", "# caf\xE9\nseries x = metric(\"x\")\nrule R { on x when x > 1 }\n", nullptr,
      &e, &diags);
  CHECK(st == OMEN_ERROR_COMPILE);
  CHECK(e == nullptr);
  REQUIRE(diags != nullptr);
  CHECK(std::string(diags).find("latin1.omen:1:6: error[E002]") != std::string::npos);
  omen_free_string(diags);

  // A label with an invalid byte pushed directly: the JSON of its alert says U+FFFD.
  REQUIRE(omen_engine_create_from_source("r.omen",
                                         "series x = metric(\"x\")\nrule R { on x when x > 1 }\n",
                                         nullptr, &e, nullptr) == OMEN_OK);
  const char* names[] = {"host"};
  const char* values[] = {"caf\xE9"};
  REQUIRE(omen_engine_push(e, "x", names, values, 1, 1704067200000, 5) == OMEN_OK);
  omen_alert_list* list = nullptr;
  REQUIRE(omen_engine_poll(e, &list) == OMEN_OK);
  REQUIRE(omen_alert_list_size(list) >= 1);
  char* json = nullptr;
  CHECK(omen_alert_format(&omen_alert_list_items(list)[0], OMEN_FORMAT_JSON, &json) == OMEN_OK);
  REQUIRE(json != nullptr);
  CHECK(std::string(json).find("caf\xEF\xBF\xBD") != std::string::npos);
  omen_free_string(json);
  omen_alert_list_destroy(&list);
  omen_engine_destroy(&e);
}
