// What the model is shown: the generated language reference, data summaries, metric scans.
#include <catch2/catch.hpp>

#include "core/kernels/window.h"
#include "omen/data.h"
#include "omen/llm.h"
#include "test_server.h"

using namespace omen;
using namespace omen::llm;
using omen::llm::testing::fixture_path;

TEST_CASE("the language reference is generated from the docs, kernels and stdlib",
          "[llm][prompt]") {
  std::string ref = language_reference(false);
  CHECK(ref.find("section missing") == std::string::npos);  // every heading still exists
  for (const char* h : {"## Types and units", "## Declarations", "## Expressions", "## Rules",
                        "## Evaluation", "## Limits"})
    CHECK(ref.find(h) != std::string::npos);
  CHECK(ref.find("## Tests") == std::string::npos);
  // Every window kernel the compiler knows is listed with its cost.
  for (size_t i = 0; i < kernels::kNumWindowKinds; ++i) {
    const auto& k = kernels::kernel_info(static_cast<kernels::WindowKind>(i));
    CHECK(ref.find(std::string("`") + k.name + "(") != std::string::npos);
  }
  // Standard-library signatures come from the embedded stdlib sources.
  CHECK(ref.find("`fn robust_z(x: series, w: duration) -> series`") != std::string::npos);
  CHECK(ref.find("`fn zscore(x: series, w: duration) -> series`") != std::string::npos);

  std::string g = language_reference(true);
  CHECK(g.find("## Graphs") != std::string::npos);
  CHECK(g.find("section missing") == std::string::npos);
  CHECK(g.find("## Rules") == std::string::npos);
}

TEST_CASE("referenced_metrics reads series declarations conservatively", "[llm][prompt]") {
  std::string err;
  auto m = referenced_metrics(R"OMEN(
    import std
    # series fake = metric("in_a_comment")
    series cpu = metric("node_cpu", mode = "idle")
    series lat = http_latency{quantile="0.99"}
    series lat_eu = lat{region="eu"}
    fn f(x: series, w: duration) -> series = mean(x, w)
    rule A { on cpu when cpu > 1 message "series x = metric(\"in_a_string\")" }
  )OMEN",
                              &err);
  CHECK(err.empty());
  CHECK(m == std::vector<std::string>{"http_latency", "node_cpu"});

  std::string err2;
  referenced_metrics("series s = (cpu)", &err2);
  CHECK(err2.find("cannot tell which metric series 's' selects") != std::string::npos);
}

TEST_CASE("summarize_data describes statistics, seasonality, shape and labels", "[llm][prompt]") {
  Batch b;
  REQUIRE(read_data_file(fixture_path("cpu.csv"), {}, b).ok);
  auto labels = score::read_labels("windows:" + fixture_path("cpu_windows.csv"));
  REQUIRE(labels.ok());
  CHECK(metric_names(b) == std::vector<std::string>{"cpu_utilization"});
  std::string s = summarize_data(b, &labels.value());
  INFO(s);
  CHECK(s.find("1 series, 576 samples; metrics: cpu_utilization") != std::string::npos);
  CHECK(s.find("cpu_utilization{instance=\"i-1\"}") != std::string::npos);
  CHECK(s.find("step 5m") != std::string::npos);
  CHECK(s.find("seasonality: period 1d") != std::string::npos);
  CHECK(s.find("shape (48 buckets") != std::string::npos);
  CHECK(s.find("labelled anomalies (^):") != std::string::npos);
  CHECK(s.find("anomaly 1: 2024-01-01 16:20:00 .. 2024-01-01 17:30:00") != std::string::npos);
  CHECK(s.find("anomaly 2:") != std::string::npos);
  // Without labels there is no label line.
  CHECK(summarize_data(b, nullptr).find("labelled") == std::string::npos);
}
