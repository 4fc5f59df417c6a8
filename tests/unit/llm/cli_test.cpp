// `omen propose rules|graph` end to end against the scripted server. The CLI is not a
// library, so its two source files are compiled into this test and run_propose is called
// with an argv as main() would.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/args.cpp"         // NOLINT: the CLI under test
#include "cli/cmd_propose.cpp"  // NOLINT
#include "omen/graphs.h"
#include "omen/tools.h"
#include "test_server.h"

using omen::llm::testing::fixture;
using omen::llm::testing::fixture_path;
using omen::llm::testing::Reply;
using omen::llm::testing::Server;

namespace {

int run(std::vector<std::string> args) {
  args.insert(args.begin(), "propose");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return omen::cli::run_propose(static_cast<int>(args.size()), argv.data());
}

std::string read(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() /
             ("omen_llm_cli_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string operator/(const std::string& f) const { return (path / f).string(); }
};

std::string R(const std::string& name) {
  return fixture("replies/" + name);
}

std::vector<std::string> rules_args(const std::string& url, const TempDir& d) {
  return {"rules",
          "--docs",
          fixture_path("docs/cpu_service.md"),
          "--data",
          fixture_path("cpu.csv"),
          "--labels",
          "windows:" + fixture_path("cpu_windows.csv"),
          "--out",
          d / "new.omen",
          "--model",
          "test-model",
          "--base-url",
          url,
          "--api-key-env",
          "OMEN_LLM_CLI_TEST_KEY",
          "--retries",
          "1",
          "--max-iterations",
          "3",
          "--transcript",
          d / "transcript.json",
          "--cache",
          d / "cache",
          "--quiet"};
}

}  // namespace

TEST_CASE("omen propose rules: repair, accept, write, then replay offline", "[llm][cli]") {
  ::setenv("OMEN_LLM_CLI_TEST_KEY", "cli-sekrit-456", 1);
  TempDir d("rules");
  {
    Server s({Reply::candidates({R("syntax_error.omen")}), Reply::candidates({R("good.omen")})});
    REQUIRE(run(rules_args(s.base_url(), d)) == 0);
    CHECK(s.requests().at(0).headers.at("authorization") == "Bearer cli-sekrit-456");
  }
  std::string out = read(d / "new.omen");
  CHECK(out.find("# Proposed by an LLM") == 0);
  CHECK(out.find("rule CpuRunaway") != std::string::npos);
  omen::CheckResult check = omen::check_files({d / "new.omen"});
  INFO(check.render());
  CHECK(check.ok);
  std::string transcript = read(d / "transcript.json");
  CHECK(transcript.find("\"kind\": \"rules\"") != std::string::npos);
  CHECK(transcript.find("cli-sekrit") == std::string::npos);  // the key is never written
  // Offline replay from the cache, no server: the same file.
  std::filesystem::remove(d / "new.omen");
  auto args = rules_args("http://127.0.0.1:9/v1", d);
  args.push_back("--offline");
  REQUIRE(run(args) == 0);
  CHECK(read(d / "new.omen") == out);
  ::unsetenv("OMEN_LLM_CLI_TEST_KEY");
}

TEST_CASE("omen propose rules: budget exhausted writes nothing and exits 1", "[llm][cli]") {
  TempDir d("budget");
  Server s({Reply::candidates({R("syntax_error.omen")}), Reply::candidates({R("low.omen")})});
  auto args = rules_args(s.base_url(), d);
  args.insert(args.end(), {"--max-iterations", "2", "--min-f1", "0.9"});
  CHECK(run(args) == 1);
  CHECK_FALSE(std::filesystem::exists(d / "new.omen"));
  CHECK(std::filesystem::exists(d / "transcript.json"));  // the report is still written
  CHECK(read(d / "transcript.json").find("the iteration budget ran out") != std::string::npos);
}

TEST_CASE("omen propose rules: usage errors exit 2", "[llm][cli]") {
  TempDir d("usage");
  CHECK(run({"rules", "--data", fixture_path("cpu.csv"), "--model", "m"}) == 2);  // no --out
  CHECK(run({"rules", "--out", d / "x.omen", "--model", "m"}) == 2);              // no --data
  CHECK(run({"rules", "--data", fixture_path("cpu.csv"), "--out", d / "x.omen", "--model", "m",
             "--offline"}) == 2);  // --offline needs --cache
  CHECK(run({"rules", "--bogus"}) == 2);
  CHECK(run({"sideways"}) == 2);
  CHECK(run({"--help"}) == 0);
  // An unreadable input is a failure (1), reported before any call.
  CHECK(run({"rules", "--data", d / "missing.csv", "--out", d / "x.omen", "--model", "m"}) == 1);
}

TEST_CASE("omen propose graph: a cycle, then a fix", "[llm][cli]") {
  TempDir d("graph");
  Server s({Reply::candidates({fixture("replies/graph_local_db.omen")}),
            Reply::candidates({fixture("replies/graph_local_checkout.omen")}),
            Reply::candidates({fixture("replies/graph_local_frontend.omen")}),
            Reply::candidates({fixture("replies/graph_local_cache.omen")}),
            Reply::candidates({fixture("replies/graph_fixed.omen")})});
  REQUIRE(run({"graph", "--docs", fixture_path("docs/shop.md"), "--data", fixture_path("shop.csv"),
               "--out", d / "graph.omen", "--name", "shop", "--model", "test-model", "--base-url",
               s.base_url(), "--max-iterations", "3", "--quiet"}) == 0);
  std::string out = read(d / "graph.omen");
  CHECK(out.find("data check passed") != std::string::npos);
  omen::GraphsResult g = omen::load_graphs({d / "graph.omen"});
  INFO(g.render());
  REQUIRE(g.ok);
  REQUIRE(g.graphs.size() == 1);
  CHECK(g.graphs[0].name() == "shop");
  CHECK(g.graphs[0].edges().size() == 2);
}
