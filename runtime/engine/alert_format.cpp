#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/io/dataset.h"
#include "omen/engine.h"

namespace omen {

std::string to_json(const Alert& a) {
  nlohmann::ordered_json j;
  j["rule"] = a.rule;
  nlohmann::ordered_json labels = nlohmann::ordered_json::object();
  for (const auto& [k, v] : a.labels) labels[k] = v;
  j["labels"] = labels;
  j["event"] = event_name(a.event);
  j["at"] = io::format_timestamp(a.at);
  j["active_since"] = io::format_timestamp(a.active_since);
  if (a.fired_at != 0 || a.event == AlertEvent::Firing)
    j["fired_at"] = io::format_timestamp(a.fired_at);
  if (std::isfinite(a.value))
    j["value"] = a.value;
  else
    j["value"] = nullptr;
  if (!a.severity.empty()) j["severity"] = a.severity;
  if (!a.message.empty()) j["message"] = a.message;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string to_text(const Alert& a) {
  std::string out = fmt::format("{} {:<8} {}{}", io::format_timestamp(a.at), event_name(a.event),
                                a.rule, format_labels(a.labels));
  if (std::isfinite(a.value)) out += fmt::format(" value={:g}", a.value);
  if (!a.severity.empty()) out += " severity=" + a.severity;
  if (!a.message.empty()) out += " \"" + a.message + "\"";
  return out;
}

}  // namespace omen
