// `omen validate` and `omen learn` exit codes and messages. The CLI sources are compiled into
// this test (they use only the public API), and run in-process with stdout/stderr captured.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "cli/args.cpp"          // NOLINT: the CLI's option parser
#include "cli/cmd_validate.cpp"  // NOLINT: run_validate, run_learn
#include "util.h"

using omen::validate::test::fixture;

namespace {

struct Run {
  int code = -1;
  std::string out;  // stdout and stderr, in order
};

Run run(int (*fn)(int, char**), std::vector<std::string> args) {
  args.insert(args.begin(), "cmd");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  char path[] = "/tmp/omen_validate_cli_XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  std::fflush(stdout);
  std::fflush(stderr);
  const int saved_out = dup(1), saved_err = dup(2);
  dup2(fd, 1);
  dup2(fd, 2);
  Run r;
  r.code = fn(static_cast<int>(args.size()), argv.data());
  std::fflush(stdout);
  std::fflush(stderr);
  dup2(saved_out, 1);
  dup2(saved_err, 2);
  close(saved_out);
  close(saved_err);
  close(fd);
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  r.out = ss.str();
  std::remove(path);
  return r;
}

const std::string kData = fixture("speed_7578.csv");
const std::string kNab = "nab:" + fixture("nab_windows.json");
const std::string kKey = "realTraffic/speed_7578.csv";

}  // namespace

TEST_CASE("omen validate: 0 when every gate passes, 1 when one fails", "[cli]") {
  using omen::cli::run_validate;
  Run pass = run(run_validate, {fixture("spike.omen"), "--data", kData, "--labels", kNab, "--key",
                                kKey, "--min", "0.3"});
  INFO(pass.out);
  CHECK(pass.code == 0);
  CHECK_THAT(pass.out, Catch::Contains("validate ") && Catch::Contains(": PASS"));
  Run fail =
      run(run_validate, {fixture("spike.omen"), "--data", kData, "--labels", kNab, "--key", kKey});
  CHECK(fail.code == 1);
  CHECK_THAT(fail.out, Catch::Contains("metric         fail     event_f1 = 0.3158 < 0.5000"));
  Run json = run(run_validate, {fixture("spike.omen"), "--data", kData, "--labels",
                                "windows:" + fixture("speed_7578_windows.csv"), "--format", "json",
                                "--metric", "nab_standard", "--min", "-100"});
  CHECK(json.code == 0);
  CHECK_THAT(json.out, Catch::Contains("\"metric\": \"nab_standard\""));
  // A regression against the current version fails.
  Run reg = run(run_validate, {fixture("spike.omen"), "--data", kData, "--labels",
                               "points:" + fixture("speed_7578_points.csv"), "--min", "0",
                               "--current", fixture("spike.omen"), "--epsilon", "0"});
  CHECK(reg.code == 0);
  CHECK_THAT(reg.out, Catch::Contains("no_regression  pass"));
  Run broken =
      run(run_validate, {fixture("broken.omen"), "--data", kData, "--labels", kNab, "--key", kKey});
  CHECK(broken.code == 1);
  CHECK_THAT(broken.out, Catch::Contains("compiles       fail") && Catch::Contains("E001"));
}

TEST_CASE("omen validate: bad inputs exit 1 with the file and line", "[cli]") {
  using omen::cli::run_validate;
  Run labels = run(run_validate, {fixture("spike.omen"), "--data", kData, "--labels",
                                  "nab:" + fixture("bad_syntax.json"), "--key", kKey});
  CHECK(labels.code == 1);
  CHECK_THAT(labels.out, Catch::Contains("bad_syntax.json:4: error: invalid JSON"));
  Run data = run(run_validate, {fixture("spike.omen"), "--data", fixture("bad_data.csv"),
                                "--labels", "windows:" + fixture("speed_7578_windows.csv")});
  CHECK(data.code == 1);
  CHECK_THAT(data.out, Catch::Contains("bad_data.csv:5: error: column 21: bad value \"fast\""));
  Run rules =
      run(run_validate, {fixture("nope.omen"), "--data", kData, "--labels", kNab, "--key", kKey});
  CHECK(rules.code == 1);
  CHECK_THAT(rules.out, Catch::Contains("nope.omen: error: cannot read"));
}

TEST_CASE("omen validate: usage errors exit 2", "[cli]") {
  using omen::cli::run_validate;
  CHECK(run(run_validate, {fixture("spike.omen"), "--labels", kNab, "--key", kKey}).code == 2);
  CHECK(run(run_validate, {fixture("spike.omen"), "--data", kData}).code == 2);
  Run nokey = run(run_validate, {fixture("spike.omen"), "--data", kData, "--labels", kNab});
  CHECK(nokey.code == 2);
  CHECK_THAT(nokey.out, Catch::Contains("needs --key"));
  Run metric = run(run_validate, {fixture("spike.omen"), "--data", kData, "--labels", kNab, "--key",
                                  kKey, "--metric", "f2"});
  CHECK(metric.code == 2);
  CHECK_THAT(metric.out, Catch::Contains("unknown metric 'f2'"));
  CHECK(run(run_validate, {"--data", kData, "--labels", kNab, "--key", kKey}).code == 2);
  CHECK(run(run_validate, {fixture("spike.omen"), "--data", kData, "--labels", kNab, "--key", kKey,
                           "--min", "high"})
            .code == 2);
  CHECK(run(run_validate, {fixture("spike.omen"), "--bogus"}).code == 2);
  CHECK(run(run_validate, {"--help"}).code == 0);
}

TEST_CASE("omen learn: writes a rule that compiles; exit codes", "[cli]") {
  using omen::cli::run_learn;
  char path[] = "/tmp/omen_learn_out_XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  Run ok = run(run_learn, {"--data", kData, "--labels", kNab, "--key", kKey, "--out", path,
                           "--jobs", "2", "--families", "robust_z,value_below", "--quiet"});
  INFO(ok.out);
  CHECK(ok.code == 0);
  CHECK_THAT(ok.out, Catch::Contains("learned: ") && Catch::Contains("wrote "));
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string rule = ss.str();
  CHECK_THAT(rule, Catch::Contains("# choice: ") && Catch::Contains("rule Learned"));
  // The written file is a valid candidate.
  Run v = run(omen::cli::run_validate,
              {path, "--data", kData, "--labels", kNab, "--key", kKey, "--min", "0"});
  CHECK(v.code == 0);
  std::remove(path);
  CHECK(
      run(run_learn, {"--data", kData, "--labels", kNab, "--key", kKey, "--train-fraction", "1.5"})
          .code == 2);
  CHECK(run(run_learn, {"--data", kData, "--labels", kNab, "--key", kKey, "--families", "magic"})
            .code == 2);
  Run nowin = run(run_learn, {"--data", kData, "--labels", kNab, "--key", kKey, "--train-fraction",
                              "0.1", "--quiet"});
  CHECK(nowin.code == 1);
  CHECK_THAT(nowin.out, Catch::Contains("no label window covers a row of the training span"));
}
