// Intents: exact error budgets, the printer, window scaling and lowering (docs/intents.md).
#include <string>

#include <catch2/catch.hpp>

#include "compiler/ast/ast.h"
#include "compiler/check/intents.h"
#include "compiler/driver/compile.h"
#include "compiler/parse/parser.h"
#include "core/support/time.h"

namespace {

using omen::check::exact_budget;

omen::Compilation compile_one(const std::string& text) {
  return omen::compile({{"t.omen", text}});
}

const std::string kSeries =
    "series requests_total = metric(\"requests_total\")\n"
    "series requests_ok = metric(\"requests_ok\")\n";

}  // namespace

TEST_CASE("targets are exact decimals: the budget is 1 - target rounded once", "[budget]") {
  auto b = exact_budget("99.9", true);
  REQUIRE(b.well_formed);
  REQUIRE(b.in_range);
  CHECK(b.budget == 0.001);      // the double nearest 0.001
  CHECK(b.budget != 1 - 0.999);  // 0.0010000000000000009
  CHECK(b.budget_text == "0.001");
  CHECK(exact_budget("99.99", true).budget == 0.0001);
  CHECK(1 - 0.9999 != 0.0001);
  CHECK(exact_budget("99.95", true).budget == 0.0005);
  CHECK(exact_budget("95", true).budget == 0.05);
  CHECK(exact_budget("0.999", false).budget == 0.001);
  CHECK(exact_budget("9.99e1", true).budget == 0.001);
  CHECK(exact_budget("999e-1", true).budget == 0.001);
  CHECK(exact_budget("99.900", true).budget == 0.001);
  CHECK(exact_budget("0099.9", true).budget == 0.001);
  CHECK(exact_budget("99.999", true).budget_text == "0.00001");
  CHECK(exact_budget("99.999", true).budget == 1e-5);
  CHECK(exact_budget("0.0001", true).budget == 0.999999);
  CHECK(exact_budget("33.3333333333333333333333333", true).budget_text ==
        "0.666666666666666666666666667");
  CHECK(exact_budget("33.3333333333333333333333333", true).budget == 0.666666666666666666666666667);
}

TEST_CASE("impossible and malformed targets", "[budget]") {
  CHECK_FALSE(exact_budget("100", true).in_range);
  CHECK_FALSE(exact_budget("100.0", true).in_range);
  CHECK_FALSE(exact_budget("1e2", true).in_range);
  CHECK_FALSE(exact_budget("0", true).in_range);
  CHECK_FALSE(exact_budget("0.000", true).in_range);
  CHECK_FALSE(exact_budget("1", false).in_range);
  CHECK_FALSE(exact_budget("99.9", false).in_range);
  CHECK(exact_budget("100", true).well_formed);
  CHECK_FALSE(exact_budget("", true).well_formed);
  CHECK_FALSE(exact_budget(".", true).well_formed);
  CHECK_FALSE(exact_budget("1.2.3", true).well_formed);
  CHECK_FALSE(exact_budget("9e", true).well_formed);
  // 1 - 1e-400 is in range, but the budget underflows nowhere: it is ~1.
  CHECK(exact_budget("1e-400", false).budget == 1.0);
  // A budget below the smallest double: in range, budget 0 (the checker reports E083).
  auto tiny = exact_budget("0." + std::string(400, '9'), false);
  CHECK(tiny.in_range);
  CHECK(tiny.budget == 0);
}

TEST_CASE("durations print canonically", "[budget]") {
  using omen::support::format_duration;
  CHECK(format_duration(3'600'000) == "1h");
  CHECK(format_duration(280'000) == "4m40s");
  CHECK(format_duration(90'061'001) == "1d1h1m1s1ms");
  CHECK(format_duration(0) == "0s");
}

TEST_CASE("the intent syntax round-trips through the printer", "[printer]") {
  std::string src =
      "intent a {\n"
      "  service \"checkout\"\n"
      "  objective ratio(good = ok{code!~\"5..\"}, total = requests)\n"
      "  target 99.9% over 30d\n"
      "  alert page burn 14.4 over 1h and 5m for 2m\n"
      "  alert ticket burn (x) over w * 2 and (w)\n"
      "  labels { team = \"shop\" }\n"
      "}\n"
      "intent b {\n"
      "  objective lat < 300ms\n"
      "  target 0.99 over 7d\n"
      "  alert page burn (if c then 1 else 2) over 1h\n"
      "}\n";
  omen::SourceManager sm;
  omen::Diagnostics diags(&sm);
  auto m = omen::parse::parse_module(sm, sm.add("a", src), diags);
  REQUIRE(diags.render().empty());
  REQUIRE(m.intents.size() == 2);
  CHECK(m.intents[0].alerts[0].for_ != nullptr);
  CHECK(m.intents[0].alerts[0].short_window != nullptr);
  CHECK(m.intents[1].alerts[0].short_window == nullptr);
  std::string once = omen::ast::print(m);
  CHECK(once.find("alert ticket burn x over w * 2 and w\n") != std::string::npos);
  CHECK(once.find("alert page burn (if c then 1 else 2) over 1h\n") != std::string::npos);
  omen::SourceManager sm2;
  omen::Diagnostics d2(&sm2);
  auto m2 = omen::parse::parse_module(sm2, sm2.add("b", once), d2);
  REQUIRE(d2.render().empty());
  CHECK(omen::ast::print(m2) == once);
}

TEST_CASE("new keywords stay usable as names", "[printer]") {
  auto c = compile_one(
      "series target = metric(\"t\", service = \"a\")\n"
      "series over = target{alert=\"x\", burn=\"y\", objective=\"z\", intent=\"i\"}\n"
      "rule service { on over by (service) when over > 1 labels { target = \"1\" } }\n");
  INFO(c.diags->render());
  CHECK(c.ok());
}

TEST_CASE("an intent lowers to ordinary rules with the exact budget", "[lowering]") {
  auto c = compile_one(kSeries +
                       "intent shop {\n"
                       "  objective ratio(good = requests_ok, total = requests_total)\n"
                       "  target 99.9% over 30d\n"
                       "}\n");
  INFO(c.diags->render());
  REQUIRE(c.ok());
  REQUIRE(c.module->intents.size() == 1);
  const auto& in = c.module->intents[0];
  CHECK(in.budget == 0.001);
  CHECK(in.period_ms == 30LL * 86'400'000);
  CHECK(in.source.find("/ 0.001\n") != std::string::npos);
  CHECK(in.source.find("0.0010000000000000009") == std::string::npos);
  REQUIRE(in.rules == std::vector<std::string>{"shop_page_1h", "shop_page_6h", "shop_ticket_1d",
                                               "shop_ticket_3d"});
  size_t found = 0;
  for (const auto& r : c.module->rules) {
    if (r.name == "shop_page_1h") {
      ++found;
      CHECK(r.severity == "page");
      // `on` the generated aggregate of requests_total (an '@' series computed by the engine).
      CHECK(r.selectors[0].metric.rfind("@shop_total:", 0) == 0);
      CHECK(r.program.windows.size() == 4);  // rate of good and total over 1h and 5m
    }
  }
  CHECK(found == 1);
  // No W001 for the generated functions nobody calls.
  CHECK(c.diags->warning_count() == 0);
}

TEST_CASE("default windows scale with the SLO period", "[lowering]") {
  auto c = compile_one(kSeries +
                       "intent week {\n"
                       "  objective ratio(bad = requests_ok, total = requests_total)\n"
                       "  target 99% over 7d\n"
                       "}\n");
  INFO(c.diags->render());
  REQUIRE(c.ok());
  const auto& in = c.module->intents[0];
  // 1h * 7/30 = 14m, 5m -> 70s, 6h -> 1h24m, 30m -> 7m, 1d -> 5h36m, 2h -> 28m, 3d -> 16h48m.
  CHECK(in.rules == std::vector<std::string>{"week_page_14m", "week_page_1h24m",
                                             "week_ticket_5h36m", "week_ticket_16h48m"});
  CHECK(in.source.find("week_burn_rate(14m) > 14.4 and week_burn_rate(1m10s) > 14.4") !=
        std::string::npos);
  CHECK(in.source.find("week_burn_rate(16h48m) > 1 and week_burn_rate(1h24m) > 1") !=
        std::string::npos);
  CHECK(in.source.find("series week_total = counter_sum(requests_total) by ()") !=
        std::string::npos);
  CHECK(in.source.find("rate(week_bad, w) / rate(week_total, w)") != std::string::npos);
}

TEST_CASE("selectors in objectives become generated series", "[lowering]") {
  auto c = compile_one(
      "series requests = metric(\"http_requests_total\")\n"
      "intent api {\n"
      "  objective ratio(good = requests{code!~\"5..\"}, total = requests)\n"
      "  target 99.5% over 30d\n"
      "  alert page burn 10 over 1h\n"
      "  alert page burn 10 over 1h for 5m\n"
      "}\n");
  INFO(c.diags->render());
  REQUIRE(c.ok());
  const auto& in = c.module->intents[0];
  CHECK(in.source.find("series api_good = counter_sum(requests{code!~\"5..\"}) by ()") !=
        std::string::npos);
  CHECK(in.rules == std::vector<std::string>{"api_page_1h", "api_page_1h_2"});
  for (const auto& r : c.module->rules)
    if (r.name == "api_page_1h_2") CHECK(r.for_ms == 300'000);
  REQUIRE(c.module->aggregates.size() == 2);
  for (const auto& a : c.module->aggregates) {
    CHECK(a.op == omen::CompiledAggregate::CounterSum);
    CHECK(a.by.empty());
    CHECK(a.members.metric == "http_requests_total");
  }
}

TEST_CASE("by groups the counters of an intent and user-declared aggregates are used as they are",
          "[lowering]") {
  auto c = compile_one(
      "series requests = metric(\"http_requests_total\")\n"
      "intent api {\n"
      "  objective ratio(bad = requests{code=~\"5..\"}, total = requests)\n"
      "  target 99.5% over 30d\n"
      "  by (service, region)\n"
      "}\n");
  INFO(c.diags->render());
  REQUIRE(c.ok());
  CHECK(c.module->intents[0].source.find(
            "series api_bad = counter_sum(requests{code=~\"5..\"}) by (service, region)") !=
        std::string::npos);
  for (const auto& a : c.module->aggregates)
    CHECK(a.by == std::vector<std::string>{"service", "region"});

  auto d = compile_one(
      "series ok = counter_sum(metric(\"req\", code = \"200\")) by (job)\n"
      "series all = counter_sum(req) by (job)\n"
      "intent api {\n"
      "  objective ratio(good = ok, total = all)\n"
      "  target 99.5% over 30d\n"
      "}\n");
  INFO(d.diags->render());
  REQUIRE(d.ok());
  CHECK(d.module->intents[0].source.find("counter_sum") == std::string::npos);
  CHECK(d.module->aggregates.size() == 2);
}

TEST_CASE("by on an intent: misuse is an error", "[check]") {
  auto mixed = compile_one(
      "series ok = counter_sum(req{code=\"200\"}) by (job)\n"
      "series all = metric(\"req\")\n"
      "intent api {\n"
      "  objective ratio(good = ok, total = all)\n"
      "  target 99.5% over 30d\n"
      "}\n");
  CHECK_FALSE(mixed.ok());
  CHECK(mixed.diags->render().find("declare both as aggregates") != std::string::npos);
  auto threshold = compile_one(
      "series lat = metric(\"latency\")\n"
      "intent api {\n"
      "  objective lat < 300ms\n"
      "  target 99% over 30d\n"
      "  by (job)\n"
      "}\n");
  CHECK_FALSE(threshold.ok());
  CHECK(threshold.diags->render().find("threshold objective") != std::string::npos);
  auto twice = compile_one(
      "series r = metric(\"req\")\n"
      "intent api {\n"
      "  objective ratio(good = r{code=\"200\"}, total = r)\n"
      "  target 99% over 30d\n"
      "  by (job, job)\n"
      "  by (x)\n"
      "}\n");
  CHECK_FALSE(twice.ok());
  std::string r = twice.diags->render();
  CHECK(r.find("label 'job' is given twice") != std::string::npos);
  CHECK(r.find("more than one 'by' clause") != std::string::npos);
}

TEST_CASE("a generated rule name that collides with a user rule is an error", "[lowering]") {
  auto c = compile_one(kSeries +
                       "intent a {\n"
                       "  objective ratio(good = requests_ok, total = requests_total)\n"
                       "  target 99.9% over 30d\n"
                       "}\n"
                       "rule a_page_1h { on requests_total when requests_total > 0 }\n");
  // The generated rule name collides with the user's: E011 on the generated rule.
  CHECK_FALSE(c.ok());
  CHECK(c.diags->render().find("E011") != std::string::npos);
}
