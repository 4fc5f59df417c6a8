// Reading the rule loop's inputs from files.
#include <filesystem>

#include <fmt/format.h>

#include "llm/loop_util.h"
#include "omen/data.h"
#include "omen/llm.h"

namespace omen::llm {

namespace {

std::string base_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// NAB's key for a data file: its directory and file name, e.g. realKnownCause/nyc_taxi.csv.
std::string nab_key(const std::string& path) {
  std::filesystem::path p(path);
  return (p.parent_path().filename() / p.filename()).generic_string();
}

}  // namespace

bool load_rule_task(const RuleTaskFiles& files, RuleTask* task, std::string* error) {
  *task = RuleTask{};
  for (const auto& path : files.docs) {
    Document d{base_name(path), {}};
    if (!internal::read_text(path, &d.text, error, &d.replaced_bytes)) return false;
    task->docs.push_back(std::move(d));
  }
  if (files.data.empty()) {
    *error = "no data files given";
    return false;
  }
  std::vector<std::string> names;
  for (const auto& path : files.data) {
    DataReadResult r = read_data_file(path, {}, task->data);
    if (!r.ok) {
      *error = r.error;
      return false;
    }
    names.push_back(base_name(path));
  }
  task->data_name = fmt::format("{}", fmt::join(names, ", "));
  if (task->data.t.empty()) {
    *error = fmt::format("the data ({}) holds no samples", task->data_name);
    return false;
  }
  if (!files.labels.empty()) {
    std::string key = files.labels_key.empty() ? nab_key(files.data.front()) : files.labels_key;
    auto labels = score::read_labels(files.labels, key);
    if (!labels.ok()) {
      *error = labels.error().str();
      return false;
    }
    task->labels = labels.value();
    // Named without directories, so that prompts (and cache keys) do not depend on where the
    // files live.
    size_t colon = files.labels.find(':');
    std::string kind = colon == std::string::npos ? "" : files.labels.substr(0, colon + 1);
    task->labels->source =
        kind + base_name(files.labels.substr(colon == std::string::npos ? 0 : colon + 1)) +
        (kind == "nab:" ? "#" + key : "");
  }
  task->target = files.target;
  if (!files.current.empty()) {
    size_t replaced = 0;
    if (!internal::read_text(files.current, &task->current_source, error, &replaced)) return false;
    if (replaced > 0) {
      *error = fmt::format("{} is not valid UTF-8 (rule files must be UTF-8)", files.current);
      return false;
    }
    task->current_name = base_name(files.current);
  }
  return true;
}

}  // namespace omen::llm
