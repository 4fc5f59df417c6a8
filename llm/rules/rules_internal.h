// Shared by the rule loop's files (llm/rules/).
#pragma once

#include <string>
#include <vector>

#include "omen/llm.h"
#include "omen/validate.h"

namespace omen::llm::internal {

/// Distinct sample times of the data, ascending: the rows that labels and alarms refer to.
std::vector<TimeMs> timeline(const Batch& data);

/// Alarm rows (some alert firing) scored against the labels (nullptr: counts only).
RuleMetrics score_alerts(const std::vector<Alert>& alerts, const std::vector<TimeMs>& times,
                         const score::LabelSet* labels);

/// What the model is told about one evaluated candidate.
std::string candidate_feedback(const CandidateReport& r);

/// The training data prepared once per loop for every candidate.
struct Training {
  const RuleTask* task = nullptr;
  std::vector<TimeMs> times;                       // timeline (built-in scoring)
  std::vector<std::string> metrics;                // metric names of the data, sorted
  std::optional<validate::LabelledData> labelled;  // with labels: the validator's view
};

/// Prepares `task` (the validator's labelled data when there are labels); false with *error
/// when the data and labels do not fit together (no target series, labels outside the data).
bool prepare(const RuleTask& task, Training* training, std::string* error);

/// evaluate_candidate with the file name used in diagnostics.
CandidateReport evaluate(const std::string& source, const std::string& name,
                         const Training& training, const RuleGates& gates,
                         const EngineOptions& engine, const RuleMetrics* baseline);

/// The prompts of the rule loop (llm/rules/prompt.cpp).
std::string rules_system_prompt(size_t top_k);
std::string rules_task_prompt(const RuleTask& task, const RuleLoopOptions& options,
                              const RuleMetrics* current);
std::string rules_feedback_prompt(const std::vector<CandidateReport>& reports, int iteration,
                                  size_t top_k);

}  // namespace omen::llm::internal
