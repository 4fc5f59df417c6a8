// The rule loop's prompts. Deterministic text (no clock, no paths beyond names given), so that
// identical inputs make identical requests and the cache replays them.
#include <fmt/format.h>

#include "llm/loop_util.h"
#include "llm/rules/rules_internal.h"

namespace omen::llm::internal {

std::string rules_system_prompt(size_t top_k) {
  return fmt::format(
      "You write alerting rules in Omen, a small typed language for rules over time series.\n"
      "Your output is untrusted: it is parsed and type-checked, run over the training data in a "
      "fresh engine, and scored against the labelled anomalies. A candidate is accepted only if "
      "it passes every gate listed in the task. Checker diagnostics, metrics, false alarms and "
      "missed anomalies come back to you so that you can repair and refine.\n\n"
      "Rules:\n"
      "- Use only the metric names listed in the data summary; never invent metrics or labels.\n"
      "- Each candidate is a complete Omen file: `import std` if you use the standard library, "
      "the series declarations, then the rules. No test blocks.\n"
      "- Prefer simple, robust conditions (thresholds, robust z-scores over a trailing window, "
      "`for` to suppress blips) and give each rule a severity and a message.\n\n"
      "Reply with JSON: {{\"candidates\": [{{\"source\": \"<complete Omen file>\", "
      "\"rationale\": \"<one sentence>\"}}]}} with 1 to {} candidates, best first. If you "
      "cannot produce JSON, put each candidate in its own ```omen fenced block.\n\n{}",
      top_k, language_reference(false));
}

std::string rules_task_prompt(const RuleTask& task, const RuleLoopOptions& options,
                              const RuleMetrics* current) {
  const RuleGates& g = options.gates;
  std::string out = "# Task\n\n";
  out += task.labels ? "Write rules that detect the labelled anomalies of the data below with "
                       "as few false alarms as possible."
                     : "Write rules that alert on anomalies of the data below (it has no labels: "
                       "aim for rare, meaningful alerts).";
  if (!task.current_source.empty())
    out +=
        " Improve on the current rules shown below; a candidate that scores worse than them "
        "is rejected.";
  out +=
      "\n\nGates (every one must pass):\n- it compiles under the limits of the language "
      "reference\n- every metric it names exists in the data; every rule matches some series\n";
  out += fmt::format("- at most {} rules; highest cost per evaluation within {:g}\n", g.max_rules,
                     g.max_cost > 0 ? g.max_cost : options.engine.limits.max_cost);
  out += fmt::format(
      "- inputs missing (NaN) at most {:.0f}% of evaluations; alerts firing at "
      "most {:.0f}% of the time\n",
      100 * g.max_nan_fraction, 100 * g.max_alarm_fraction);
  if (g.check_determinism) out += "- deterministic (two runs give the same alerts)\n";
  if (task.labels) {
    out += fmt::format(
        "- event F1 >= {:.2f}: a labelled window counts as detected if an alert fires inside it "
        "(point adjustment); every alarming tick outside all windows is a false positive\n",
        g.min_event_f1);
    if (!task.current_source.empty() && g.no_regression)
      out += "- event F1 not lower than the current rules'\n";
  }
  out += "A tick alarms while one of the file's alerts is firing (after `for`, until resolved).\n";
  if (!task.docs.empty()) {
    out += "\n# Documentation\n";
    for (const auto& d : task.docs)
      out += fmt::format("\n## {}\n\n{}\n", d.name, clip(d.text, options.max_doc_bytes));
  }
  out += fmt::format(
      "\n# Data: {}\n\n{}", task.data_name,
      summarize_data(task.data, task.labels ? &*task.labels : nullptr, options.max_series));
  if (!task.current_source.empty()) {
    out += fmt::format("\n# Current rules ({})\n\n```omen\n{}\n```\n", task.current_name,
                       task.current_source);
    if (current) out += "On the training data: " + current->summary + "\n";
  }
  return out;
}

std::string rules_feedback_prompt(const std::vector<CandidateReport>& reports, int iteration,
                                  size_t top_k) {
  std::string out = fmt::format("# Results of turn {}\n\n", iteration);
  for (const auto& r : reports) out += r.feedback + "\n";
  out += fmt::format(
      "Repair the candidates that do not compile (the checker's messages above give the line "
      "and column) and refine the others using the metrics, false alarms and missed windows. "
      "Reply with 1 to {} complete candidates in the same format.",
      top_k);
  return out;
}

}  // namespace omen::llm::internal
