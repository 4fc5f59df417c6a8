// Status strings, version, strings and options of the C API.
#include <cstdlib>
#include <stdexcept>

#include "capi_internal.h"

namespace omen::capi {

namespace {
// The engine whose alert callback runs on this thread, if any (to refuse reentrant calls).
thread_local const omen_engine* tls_callback_engine = nullptr;
}  // namespace

char* dup_string(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (!p) return nullptr;
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

void set_message(char** out, const std::string& message) {
  if (out) *out = message.empty() ? nullptr : dup_string(message);
}

bool make_key(const char* metric, const char* const* names, const char* const* values, size_t n,
              omen::SeriesKey* key) {
  if (!metric || !*metric) return false;
  if (n > 0 && (!names || !values)) return false;
  key->name = metric;
  key->labels.clear();
  key->labels.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (!names[i] || !*names[i] || !values[i]) return false;
    key->labels.emplace_back(names[i], values[i]);
  }
  key->labels = omen::normalize_labels(std::move(key->labels));
  return true;
}

omen_alert view_of(const omen::Alert& a, std::vector<omen_label>& labels) {
  labels.clear();
  labels.reserve(a.labels.size());
  for (const auto& [k, v] : a.labels) labels.push_back({k.c_str(), v.c_str()});
  omen_alert c{};
  c.rule = a.rule.c_str();
  c.labels = labels.empty() ? nullptr : labels.data();
  c.n_labels = labels.size();
  c.severity = a.severity.c_str();
  c.event = static_cast<omen_event>(a.event);
  c.at_ms = a.at;
  c.active_since_ms = a.active_since;
  c.fired_at_ms = a.fired_at;
  c.value = a.value;
  c.message = a.message.c_str();
  return c;
}

bool in_callback(const omen_engine* engine) {
  return engine && tls_callback_engine == engine;
}

CallbackScope::CallbackScope(const omen_engine* engine) : saved_(tls_callback_engine) {
  tls_callback_engine = engine;
}
CallbackScope::~CallbackScope() {
  tls_callback_engine = saved_;
}

omen_status from_exception(char** error) {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    set_message(error, "out of memory");
    return OMEN_ERROR_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    set_message(error, std::string("internal error: ") + e.what());
    return OMEN_ERROR_INTERNAL;
  } catch (...) {
    set_message(error, "internal error: unknown exception");
    return OMEN_ERROR_INTERNAL;
  }
}

}  // namespace omen::capi

using omen::capi::guarded;

extern "C" {

const char* omen_status_string(omen_status status) {
  switch (omen::capi::raw_enum(status)) {
    case OMEN_OK:
      return "ok";
    case OMEN_ERROR_INVALID_ARGUMENT:
      return "invalid argument";
    case OMEN_ERROR_COMPILE:
      return "compile error";
    case OMEN_ERROR_IO:
      return "i/o error";
    case OMEN_ERROR_UNSUPPORTED:
      return "unsupported in this build";
    case OMEN_ERROR_REENTRANT:
      return "call from inside the engine's alert callback";
    case OMEN_ERROR_NOT_FOUND:
      return "not found";
    case OMEN_ERROR_OUT_OF_MEMORY:
      return "out of memory";
    case OMEN_ERROR_INTERNAL:
      return "internal error";
  }
  return "unknown status";
}

const char* omen_version(void) {
  return OMEN_VERSION_STRING;
}

int omen_has_jit(void) {
  return omen::jit_available() ? 1 : 0;
}

void omen_free_string(char* s) {
  std::free(s);
}

const char* omen_event_name(omen_event event) {
  switch (omen::capi::raw_enum(event)) {
    case OMEN_EVENT_PENDING:
      return "pending";
    case OMEN_EVENT_FIRING:
      return "firing";
    case OMEN_EVENT_RESOLVED:
      return "resolved";
    case OMEN_EVENT_CLEARED:
      return "cleared";
  }
  return "?";
}

omen_status omen_options_create(omen_options** out) {
  if (!out) return OMEN_ERROR_INVALID_ARGUMENT;
  *out = nullptr;
  return guarded(nullptr, [&] {
    *out = new omen_options();
    return OMEN_OK;
  });
}

void omen_options_destroy(omen_options** options) {
  if (!options) return;
  delete *options;
  *options = nullptr;
}

omen_status omen_options_set_tier(omen_options* options, omen_tier tier) {
  if (!options) return OMEN_ERROR_INVALID_ARGUMENT;
  switch (omen::capi::raw_enum(tier)) {
    case OMEN_TIER_INTERP:
      options->options.tier = omen::Tier::Interp;
      return OMEN_OK;
    case OMEN_TIER_JIT:
      options->options.tier = omen::Tier::Jit;
      return OMEN_OK;
    case OMEN_TIER_AUTO:
      options->options.tier = omen::Tier::Auto;
      return OMEN_OK;
  }
  return OMEN_ERROR_INVALID_ARGUMENT;
}

omen_status omen_options_set_staleness_ms(omen_options* options, int64_t ms) {
  if (!options || ms < 0) return OMEN_ERROR_INVALID_ARGUMENT;
  options->options.staleness_ms = ms;
  return OMEN_OK;
}

omen_status omen_options_set_history_ms(omen_options* options, int64_t ms) {
  if (!options || ms < 0) return OMEN_ERROR_INVALID_ARGUMENT;
  options->options.history_ms = ms;
  return OMEN_OK;
}

omen_status omen_options_set_max_series(omen_options* options, size_t max_series) {
  if (!options || max_series == 0) return OMEN_ERROR_INVALID_ARGUMENT;
  options->options.limits.max_series = max_series;
  return OMEN_OK;
}

omen_status omen_options_set_warnings_as_errors(omen_options* options, int enabled) {
  if (!options || (enabled != 0 && enabled != 1)) return OMEN_ERROR_INVALID_ARGUMENT;
  options->options.warnings_as_errors = enabled != 0;
  return OMEN_OK;
}

}  // extern "C"
