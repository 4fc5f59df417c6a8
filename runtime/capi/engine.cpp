// Engines, pushes, batches and the alert callback of the C API.
#include <fstream>

#include "capi_internal.h"
#include "omen/data.h"

using omen::capi::clear_message;
using omen::capi::guarded;
using omen::capi::in_callback;
using omen::capi::set_message;

namespace {

const omen::EngineOptions kDefaults{};

omen_status finish_build(omen::Engine::Built built, bool unreadable, omen_engine** out,
                         char** diagnostics) {
  set_message(diagnostics, built.render());
  if (!built.ok()) return unreadable ? OMEN_ERROR_IO : OMEN_ERROR_COMPILE;
  auto* e = new omen_engine();
  e->engine = std::move(built.engine);
  *out = e;
  return OMEN_OK;
}

bool jit_requested_but_missing(const omen::EngineOptions& o, char** diagnostics) {
  std::string why;
  if (o.tier != omen::Tier::Jit || omen::jit_available(&why)) return false;
  set_message(diagnostics, omen::format(omen::make_diagnostic(
                               omen::DiagCode::E900,
                               "tier jit requested, but the JIT is not available: " + why)));
  return true;
}

}  // namespace

extern "C" {

omen_status omen_engine_create_from_files(const char* const* paths, size_t n_paths,
                                          const omen_options* options, omen_engine** out,
                                          char** diagnostics) {
  clear_message(diagnostics);
  if (!out) return OMEN_ERROR_INVALID_ARGUMENT;
  *out = nullptr;
  if (n_paths == 0 || !paths) return OMEN_ERROR_INVALID_ARGUMENT;
  for (size_t i = 0; i < n_paths; ++i)
    if (!paths[i]) return OMEN_ERROR_INVALID_ARGUMENT;
  return guarded(diagnostics, [&] {
    const omen::EngineOptions& o = options ? options->options : kDefaults;
    if (jit_requested_but_missing(o, diagnostics)) return OMEN_ERROR_UNSUPPORTED;
    std::vector<std::string> files(paths, paths + n_paths);
    bool unreadable = false;
    for (const auto& f : files) unreadable = unreadable || !std::ifstream(f).good();
    return finish_build(omen::Engine::from_files(files, o), unreadable, out, diagnostics);
  });
}

omen_status omen_engine_create_from_source(const char* name, const char* source,
                                           const omen_options* options, omen_engine** out,
                                           char** diagnostics) {
  clear_message(diagnostics);
  if (!out) return OMEN_ERROR_INVALID_ARGUMENT;
  *out = nullptr;
  if (!source) return OMEN_ERROR_INVALID_ARGUMENT;
  return guarded(diagnostics, [&] {
    const omen::EngineOptions& o = options ? options->options : kDefaults;
    if (jit_requested_but_missing(o, diagnostics)) return OMEN_ERROR_UNSUPPORTED;
    return finish_build(omen::Engine::from_source(name ? name : "<source>", source, o), false, out,
                        diagnostics);
  });
}

omen_status omen_engine_reload_files(omen_engine* engine, const char* const* paths, size_t n_paths,
                                     char** diagnostics) {
  clear_message(diagnostics);
  if (!engine || n_paths == 0 || !paths) return OMEN_ERROR_INVALID_ARGUMENT;
  for (size_t i = 0; i < n_paths; ++i)
    if (!paths[i]) return OMEN_ERROR_INVALID_ARGUMENT;
  if (in_callback(engine)) return OMEN_ERROR_REENTRANT;
  return guarded(diagnostics, [&] {
    std::vector<std::string> files(paths, paths + n_paths);
    bool unreadable = false;
    for (const auto& f : files) unreadable = unreadable || !std::ifstream(f).good();
    omen::Engine::Reloaded r = engine->engine->reload(files);
    set_message(diagnostics, r.render());
    if (!r.ok) return unreadable ? OMEN_ERROR_IO : OMEN_ERROR_COMPILE;
    return OMEN_OK;
  });
}

omen_status omen_engine_reload_source(omen_engine* engine, const char* name, const char* source,
                                      char** diagnostics) {
  clear_message(diagnostics);
  if (!engine || !source) return OMEN_ERROR_INVALID_ARGUMENT;
  if (in_callback(engine)) return OMEN_ERROR_REENTRANT;
  return guarded(diagnostics, [&] {
    omen::Engine::Reloaded r = engine->engine->reload_source(name ? name : "<source>", source);
    set_message(diagnostics, r.render());
    return r.ok ? OMEN_OK : OMEN_ERROR_COMPILE;
  });
}

void omen_engine_destroy(omen_engine** engine) {
  if (!engine) return;
  delete *engine;
  *engine = nullptr;
}

omen_status omen_engine_push(omen_engine* engine, const char* metric,
                             const char* const* label_names, const char* const* label_values,
                             size_t n_labels, int64_t t_ms, double value) {
  if (!engine) return OMEN_ERROR_INVALID_ARGUMENT;
  if (in_callback(engine)) return OMEN_ERROR_REENTRANT;
  return guarded(nullptr, [&] {
    omen::SeriesKey key;
    if (!omen::capi::make_key(metric, label_names, label_values, n_labels, &key))
      return OMEN_ERROR_INVALID_ARGUMENT;
    engine->engine->push(key, t_ms, value);
    return OMEN_OK;
  });
}

omen_status omen_engine_flush(omen_engine* engine, int64_t now_ms) {
  if (!engine) return OMEN_ERROR_INVALID_ARGUMENT;
  if (in_callback(engine)) return OMEN_ERROR_REENTRANT;
  return guarded(nullptr, [&] {
    engine->engine->flush(now_ms);
    return OMEN_OK;
  });
}

omen_status omen_batch_create(omen_batch** out) {
  if (!out) return OMEN_ERROR_INVALID_ARGUMENT;
  *out = nullptr;
  return guarded(nullptr, [&] {
    *out = new omen_batch();
    return OMEN_OK;
  });
}

void omen_batch_destroy(omen_batch** batch) {
  if (!batch) return;
  delete *batch;
  *batch = nullptr;
}

omen_status omen_batch_add_series(omen_batch* batch, const char* metric,
                                  const char* const* label_names, const char* const* label_values,
                                  size_t n_labels, uint32_t* out_series) {
  if (!batch || !out_series) return OMEN_ERROR_INVALID_ARGUMENT;
  return guarded(nullptr, [&] {
    omen::SeriesKey key;
    if (!omen::capi::make_key(metric, label_names, label_values, n_labels, &key))
      return OMEN_ERROR_INVALID_ARGUMENT;
    if (batch->batch.series.size() >= UINT32_MAX) return OMEN_ERROR_INVALID_ARGUMENT;
    auto [it, added] = batch->index.try_emplace(omen::format_series(key),
                                                static_cast<uint32_t>(batch->batch.series.size()));
    if (added) batch->batch.series.push_back(std::move(key));
    *out_series = it->second;
    return OMEN_OK;
  });
}

omen_status omen_batch_add(omen_batch* batch, uint32_t series, int64_t t_ms, double value) {
  if (!batch || series >= batch->batch.series.size()) return OMEN_ERROR_INVALID_ARGUMENT;
  return guarded(nullptr, [&] {
    batch->batch.add(series, t_ms, value);
    return OMEN_OK;
  });
}

omen_status omen_batch_add_many(omen_batch* batch, const uint32_t* series, const int64_t* t_ms,
                                const double* values, size_t n) {
  if (!batch) return OMEN_ERROR_INVALID_ARGUMENT;
  if (n == 0) return OMEN_OK;
  if (!series || !t_ms || !values) return OMEN_ERROR_INVALID_ARGUMENT;
  const size_t n_series = batch->batch.series.size();
  for (size_t i = 0; i < n; ++i)
    if (series[i] >= n_series) return OMEN_ERROR_INVALID_ARGUMENT;
  return guarded(nullptr, [&] {
    omen::Batch& b = batch->batch;
    b.sid.insert(b.sid.end(), series, series + n);
    b.t.insert(b.t.end(), t_ms, t_ms + n);
    b.v.insert(b.v.end(), values, values + n);
    return OMEN_OK;
  });
}

size_t omen_batch_size(const omen_batch* batch) {
  return batch ? batch->batch.t.size() : 0;
}

omen_status omen_batch_clear(omen_batch* batch) {
  if (!batch) return OMEN_ERROR_INVALID_ARGUMENT;
  batch->batch.sid.clear();
  batch->batch.t.clear();
  batch->batch.v.clear();
  return OMEN_OK;
}

omen_status omen_engine_push_batch(omen_engine* engine, const omen_batch* batch) {
  if (!engine || !batch) return OMEN_ERROR_INVALID_ARGUMENT;
  if (in_callback(engine)) return OMEN_ERROR_REENTRANT;
  return guarded(nullptr, [&] {
    engine->engine->push(batch->batch);
    return OMEN_OK;
  });
}

omen_status omen_engine_push_file(omen_engine* engine, const char* path, int skip_bad_rows,
                                  size_t* out_rows, char** error) {
  clear_message(error);
  if (!engine || !path) return OMEN_ERROR_INVALID_ARGUMENT;
  if (in_callback(engine)) return OMEN_ERROR_REENTRANT;
  return guarded(error, [&] {
    omen::Batch batch;
    omen::DataReadOptions ro;
    ro.skip_bad_rows = skip_bad_rows != 0;
    omen::DataReadResult r = omen::read_data_file(path, ro, batch);
    if (!r.ok) {
      set_message(error, r.error);
      return OMEN_ERROR_IO;
    }
    engine->engine->push(batch);
    if (out_rows) *out_rows = r.rows;
    return OMEN_OK;
  });
}

omen_status omen_engine_set_alert_callback(omen_engine* engine, omen_alert_callback callback,
                                           void* user_data) {
  if (!engine) return OMEN_ERROR_INVALID_ARGUMENT;
  if (in_callback(engine)) return OMEN_ERROR_REENTRANT;
  return guarded(nullptr, [&] {
    if (!callback) {
      engine->engine->on_alert(nullptr);
      return OMEN_OK;
    }
    engine->engine->on_alert([engine, callback, user_data](const omen::Alert& a) {
      std::vector<omen_label> labels;
      omen_alert view = omen::capi::view_of(a, labels);
      omen::capi::CallbackScope scope(engine);
      callback(&view, user_data);
    });
    return OMEN_OK;
  });
}

omen_status omen_engine_get_stats(omen_engine* engine, omen_engine_stats* out) {
  if (!engine || !out) return OMEN_ERROR_INVALID_ARGUMENT;
  if (in_callback(engine)) return OMEN_ERROR_REENTRANT;
  return guarded(nullptr, [&] {
    omen::EngineStats s = engine->engine->stats();
    omen_engine_stats c{};
    c.rules = s.rules;
    c.series = s.series;
    c.instances = s.instances;
    c.samples_in = s.samples_in;
    c.samples_accepted = s.samples_accepted;
    c.dropped_out_of_order = s.dropped_out_of_order;
    c.dropped_duplicate = s.dropped_duplicate;
    c.dropped_series_limit = s.dropped_series_limit;
    c.dropped_reserved = s.dropped_reserved;
    c.aggregate_samples = s.aggregate_samples;
    c.aggregate_dropped = s.aggregate_dropped;
    c.reloads = s.reloads;
    c.ambiguous_matches = s.ambiguous_matches;
    c.evaluations = s.evaluations;
    c.alerts = s.alerts;
    c.state_bytes = s.state_bytes;
    c.window_bytes = s.window_bytes;
    c.uptime_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - engine->created).count();
    *out = c;
    return OMEN_OK;
  });
}

omen_status omen_engine_get_rule_stats(omen_engine* engine, omen_rule_stats_list** out) {
  if (!out) return OMEN_ERROR_INVALID_ARGUMENT;
  *out = nullptr;
  if (!engine) return OMEN_ERROR_INVALID_ARGUMENT;
  if (in_callback(engine)) return OMEN_ERROR_REENTRANT;
  return guarded(nullptr, [&] {
    auto list = std::make_unique<omen_rule_stats_list>();
    list->rules = engine->engine->stats().per_rule;
    for (const auto& r : list->rules) {
      omen_rule_stats c{};
      c.name = r.name.c_str();
      c.tier = r.tier == "jit" ? OMEN_TIER_JIT : OMEN_TIER_INTERP;
      c.instances = r.instances;
      c.evaluations = r.evaluations;
      c.cost = r.cost;
      list->items.push_back(c);
    }
    *out = list.release();
    return OMEN_OK;
  });
}

size_t omen_rule_stats_list_size(const omen_rule_stats_list* list) {
  return list ? list->items.size() : 0;
}

const omen_rule_stats* omen_rule_stats_list_items(const omen_rule_stats_list* list) {
  return list && !list->items.empty() ? list->items.data() : nullptr;
}

void omen_rule_stats_list_destroy(omen_rule_stats_list** list) {
  if (!list) return;
  delete *list;
  *list = nullptr;
}

}  // extern "C"
