// Internal to runtime/capi: the structs behind the C API's opaque handles, and the helpers
// that keep C++ exceptions from crossing the C boundary.
#pragma once

#include <chrono>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "omen/engine.h"
#include "omen/omen.h"
#include "omen/testing.h"

namespace omen::capi {
/// The integer a C caller stored in an enum-typed argument or field. C lets any int through
/// an enum type, but loading an out-of-range value as the enum type is undefined in C++, so
/// range checks must look at the raw bytes.
template <class E>
inline long long raw_enum(const E& e) {
  static_assert(std::is_enum_v<E>);
  std::underlying_type_t<E> v;
  std::memcpy(&v, &e, sizeof v);
  return static_cast<long long>(v);
}
}  // namespace omen::capi

struct omen_options {
  omen::EngineOptions options;
};

struct omen_engine {
  std::unique_ptr<omen::Engine> engine;
  std::chrono::steady_clock::time_point created = std::chrono::steady_clock::now();
};

struct omen_batch {
  omen::Batch batch;
  std::unordered_map<std::string, uint32_t> index;  // format_series(key) -> series index
};

/// Alerts with the storage their C views point into. `alerts` is filled completely before
/// the views are built, so the pointers stay valid.
struct omen_alert_list {
  std::vector<omen::Alert> alerts;
  std::vector<std::vector<omen_label>> labels;
  std::vector<omen_alert> items;
  void build_views();
};

struct omen_rule_stats_list {
  std::vector<omen::RuleStats> rules;
  std::vector<omen_rule_stats> items;
};

struct omen_test_report {
  omen::TestReport report;
  std::vector<std::string> failures;  // per case: failures joined by newlines
  std::vector<omen_test_case> items;
};

namespace omen::capi {

/// A malloc'ed copy (the C side frees it with omen_free_string); nullptr on allocation failure.
char* dup_string(const std::string& s);

/// Stores a copy of `message` in *out if out is not null (nullptr when message is empty).
void set_message(char** out, const std::string& message);

/// Clears an optional message out-parameter at the start of a call.
inline void clear_message(char** out) {
  if (out) *out = nullptr;
}

/// Builds a normalized SeriesKey; false (with `error`) if an argument is invalid.
bool make_key(const char* metric, const char* const* names, const char* const* values, size_t n,
              omen::SeriesKey* key);

/// A C view of one alert: `labels` must outlive the view.
omen_alert view_of(const omen::Alert& a, std::vector<omen_label>& labels);

/// Whether `engine`'s alert callback is running on this thread (calls on it are refused).
bool in_callback(const omen_engine* engine);

/// Marks the current thread as running `engine`'s callback for the scope's lifetime
/// (nesting across engines restores the outer mark).
class CallbackScope {
 public:
  explicit CallbackScope(const omen_engine* engine);
  ~CallbackScope();
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;

 private:
  const omen_engine* saved_;
};

/// Translates the exception in flight into a status (and a message, if wanted).
omen_status from_exception(char** error);

}  // namespace omen::capi

namespace omen::capi {

/// Runs `body` (returning omen_status) with every exception translated into a status.
template <class F>
omen_status guarded(char** error, F&& body) noexcept {
  try {
    return body();
  } catch (...) {
    return from_exception(error);
  }
}

}  // namespace omen::capi
