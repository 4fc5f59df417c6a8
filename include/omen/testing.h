// Running the `test` blocks of rule files (`omen test`), in every tier, and checking that
// all tiers and batchings produce the identical alert log.
#pragma once

#include <string>
#include <vector>

#include "omen/engine.h"

namespace omen {

struct TestOptions {
  /// Each test runs once per tier; the first is the reference. All logs must be identical.
  std::vector<Tier> tiers = {Tier::Interp, Tier::Jit};
  /// Also replay the inputs one timestamp at a time (reference tier): the same log is required.
  bool per_sample_variant = true;
  EngineOptions engine;
  std::string filter;  // run only tests whose name contains this
};

struct TestCaseResult {
  std::string file;
  std::string name;
  bool passed = false;
  std::vector<std::string> failures;  // one message per failed expectation or tier mismatch
  std::string log;                    // the reference alert log, one event a line
  double millis = 0;
};

struct TestReport {
  bool compiled = false;
  std::vector<Diagnostic> diagnostics;  // compiler output (errors and warnings)
  std::string render() const { return format(diagnostics); }
  std::vector<TestCaseResult> cases;
  size_t passed() const;
  size_t failed() const;
};

TestReport run_tests(const std::vector<std::string>& paths, const TestOptions& options = {});

/// JUnit XML for CI systems.
std::string to_junit(const TestReport& report);

/// `12m`, `1h6m`, `1d2h`, `500ms`, `0s`: the canonical text, which the language reads back.
std::string format_duration(int64_t ms);

}  // namespace omen
