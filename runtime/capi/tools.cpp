// Checking and testing rule files, for the C API.
#include "omen/tools.h"
#include "capi_internal.h"

using omen::capi::clear_message;
using omen::capi::guarded;
using omen::capi::set_message;

namespace {

bool read_paths(const char* const* paths, size_t n, std::vector<std::string>* out) {
  if (n == 0 || !paths) return false;
  for (size_t i = 0; i < n; ++i) {
    if (!paths[i]) return false;
    out->emplace_back(paths[i]);
  }
  return true;
}

}  // namespace

extern "C" {

omen_status omen_check_files(const char* const* paths, size_t n_paths, int warnings_as_errors,
                             omen_check_result* out, char** diagnostics) {
  clear_message(diagnostics);
  std::vector<std::string> files;
  if (!out || !read_paths(paths, n_paths, &files)) return OMEN_ERROR_INVALID_ARGUMENT;
  return guarded(diagnostics, [&] {
    omen::CheckResult r = omen::check_files(files, {}, warnings_as_errors != 0);
    omen_check_result c{};
    c.ok = r.ok ? 1 : 0;
    c.errors = r.errors;
    c.warnings = r.warnings;
    c.rules = r.rules;
    c.tests = r.tests;
    *out = c;
    set_message(diagnostics, r.render());
    return OMEN_OK;
  });
}

omen_status omen_run_tests(const char* const* paths, size_t n_paths, int tiers, const char* filter,
                           omen_test_report** out, char** error) {
  clear_message(error);
  if (!out) return OMEN_ERROR_INVALID_ARGUMENT;
  *out = nullptr;
  std::vector<std::string> files;
  if (!read_paths(paths, n_paths, &files)) return OMEN_ERROR_INVALID_ARGUMENT;
  if (tiers & ~(OMEN_TEST_INTERP | OMEN_TEST_JIT)) return OMEN_ERROR_INVALID_ARGUMENT;
  std::string why;
  if ((tiers & OMEN_TEST_JIT) && !omen::jit_available(&why)) {
    set_message(error, omen::format(omen::make_diagnostic(
                           omen::DiagCode::E900,
                           "the JIT tier was requested, but the JIT is not available: " + why)));
    return OMEN_ERROR_UNSUPPORTED;
  }
  return guarded(error, [&] {
    omen::TestOptions o;
    o.tiers.clear();
    if (tiers == OMEN_TEST_AVAILABLE || (tiers & OMEN_TEST_INTERP))
      o.tiers.push_back(omen::Tier::Interp);
    if ((tiers == OMEN_TEST_AVAILABLE && omen_has_jit()) || (tiers & OMEN_TEST_JIT))
      o.tiers.push_back(omen::Tier::Jit);
    if (filter) o.filter = filter;
    auto report = std::make_unique<omen_test_report>();
    report->report = omen::run_tests(files, o);
    if (!report->report.compiled) {
      set_message(error, report->report.render());
      return OMEN_ERROR_COMPILE;
    }
    const auto& cases = report->report.cases;
    report->failures.resize(cases.size());
    for (size_t i = 0; i < cases.size(); ++i)
      for (const auto& f : cases[i].failures) report->failures[i] += f + "\n";
    for (size_t i = 0; i < cases.size(); ++i) {
      omen_test_case c{};
      c.file = cases[i].file.c_str();
      c.name = cases[i].name.c_str();
      c.passed = cases[i].passed ? 1 : 0;
      c.failures = report->failures[i].c_str();
      c.log = cases[i].log.c_str();
      c.millis = cases[i].millis;
      report->items.push_back(c);
    }
    *out = report.release();
    return OMEN_OK;
  });
}

size_t omen_test_report_size(const omen_test_report* report) {
  return report ? report->items.size() : 0;
}

const omen_test_case* omen_test_report_items(const omen_test_report* report) {
  return report && !report->items.empty() ? report->items.data() : nullptr;
}

size_t omen_test_report_passed(const omen_test_report* report) {
  return report ? report->report.passed() : 0;
}

size_t omen_test_report_failed(const omen_test_report* report) {
  return report ? report->report.failed() : 0;
}

omen_status omen_test_report_junit(const omen_test_report* report, char** out) {
  if (!out) return OMEN_ERROR_INVALID_ARGUMENT;
  *out = nullptr;
  if (!report) return OMEN_ERROR_INVALID_ARGUMENT;
  return guarded(nullptr, [&] {
    *out = omen::capi::dup_string(omen::to_junit(report->report));
    return *out ? OMEN_OK : OMEN_ERROR_OUT_OF_MEMORY;
  });
}

void omen_test_report_destroy(omen_test_report** report) {
  if (!report) return;
  delete *report;
  *report = nullptr;
}

}  // extern "C"
