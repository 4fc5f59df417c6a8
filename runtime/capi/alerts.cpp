// Polling alerts and rendering them, for the C API.
#include <cmath>

#include "capi_internal.h"

using omen::capi::guarded;
using omen::capi::in_callback;

void omen_alert_list::build_views() {
  labels.resize(alerts.size());
  items.clear();
  items.reserve(alerts.size());
  for (size_t i = 0; i < alerts.size(); ++i)
    items.push_back(omen::capi::view_of(alerts[i], labels[i]));
}

extern "C" {

omen_status omen_engine_poll(omen_engine* engine, omen_alert_list** out) {
  if (!out) return OMEN_ERROR_INVALID_ARGUMENT;
  *out = nullptr;
  if (!engine) return OMEN_ERROR_INVALID_ARGUMENT;
  if (in_callback(engine)) return OMEN_ERROR_REENTRANT;
  return guarded(nullptr, [&] {
    auto list = std::make_unique<omen_alert_list>();
    list->alerts = engine->engine->poll();
    list->build_views();
    *out = list.release();
    return OMEN_OK;
  });
}

size_t omen_alert_list_size(const omen_alert_list* list) {
  return list ? list->items.size() : 0;
}

const omen_alert* omen_alert_list_items(const omen_alert_list* list) {
  return list && !list->items.empty() ? list->items.data() : nullptr;
}

void omen_alert_list_destroy(omen_alert_list** list) {
  if (!list) return;
  delete *list;
  *list = nullptr;
}

omen_status omen_alert_format(const omen_alert* alert, omen_format format, char** out) {
  if (!out) return OMEN_ERROR_INVALID_ARGUMENT;
  *out = nullptr;
  if (!alert || !alert->rule || (alert->n_labels > 0 && !alert->labels))
    return OMEN_ERROR_INVALID_ARGUMENT;
  const long long fmt = omen::capi::raw_enum(format);
  if (fmt != OMEN_FORMAT_TEXT && fmt != OMEN_FORMAT_JSON) return OMEN_ERROR_INVALID_ARGUMENT;
  const long long event = omen::capi::raw_enum(alert->event);
  if (event < OMEN_EVENT_PENDING || event > OMEN_EVENT_CLEARED) return OMEN_ERROR_INVALID_ARGUMENT;
  for (size_t i = 0; i < alert->n_labels; ++i)
    if (!alert->labels[i].name || !alert->labels[i].value) return OMEN_ERROR_INVALID_ARGUMENT;
  return guarded(nullptr, [&] {
    omen::Alert a;
    a.rule = alert->rule;
    for (size_t i = 0; i < alert->n_labels; ++i)
      a.labels.emplace_back(alert->labels[i].name, alert->labels[i].value);
    a.severity = alert->severity ? alert->severity : "";
    a.event = static_cast<omen::AlertEvent>(event);
    a.at = alert->at_ms;
    a.active_since = alert->active_since_ms;
    a.fired_at = alert->fired_at_ms;
    a.value = alert->value;
    a.message = alert->message ? alert->message : "";
    std::string s = fmt == OMEN_FORMAT_JSON ? omen::to_json(a) : omen::to_text(a);
    *out = omen::capi::dup_string(s);
    return *out ? OMEN_OK : OMEN_ERROR_OUT_OF_MEMORY;
  });
}

}  // extern "C"
