// The rule loop: propose -> check -> validate -> gate, until a candidate passes or the budget
// runs out. Every candidate is validated in a fresh engine; nothing is accepted otherwise.
#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "llm/loop_util.h"
#include "llm/rules/rules_internal.h"

namespace omen::llm {

namespace {

using json = nlohmann::json;

// A model's earlier reply is sent back as context; a huge one is cut (prompts stay bounded).
constexpr size_t kMaxEcho = 32'000;

json metrics_json(const RuleMetrics& m) {
  json j = {{"labelled", m.labelled},
            {"ticks", m.ticks},
            {"alarm_ticks", m.alarm_ticks},
            {"alerts", m.alerts},
            {"nan_fraction", m.nan_fraction},
            {"max_cost", m.max_cost},
            {"summary", m.summary}};
  if (m.labelled) {
    j["windows"] = m.windows;
    j["detected"] = m.detected;
    j["false_positives"] = m.false_positives;
    j["event_precision"] = m.event_precision;
    j["event_recall"] = m.event_recall;
    j["event_f1"] = m.event_f1;
    j["point_f1"] = m.point_f1;
    j["nab_standard"] = m.nab_standard;
    j["false_positive_examples"] = m.false_positive_examples;
    j["missed_examples"] = m.missed_examples;
  }
  return j;
}

json candidate_json(const CandidateReport& c) {
  json gates = json::array();
  for (const auto& g : c.gates)
    gates.push_back({{"gate", g.name}, {"passed", g.passed}, {"detail", g.detail}});
  json j = {{"iteration", c.iteration}, {"index", c.index},
            {"source", c.source},       {"rationale", c.rationale},
            {"compiled", c.compiled},   {"diagnostics", format(c.diagnostics)},
            {"gates", gates},           {"passed", c.passed}};
  if (c.metrics) j["metrics"] = metrics_json(*c.metrics);
  return j;
}

// Better first: event F1, then NAB, then fewer false alarms, then fewer alarming ticks.
bool better(const CandidateReport& a, const CandidateReport& b) {
  const RuleMetrics& x = *a.metrics;
  const RuleMetrics& y = *b.metrics;
  if (x.event_f1 != y.event_f1) return x.event_f1 > y.event_f1;
  if (x.nab_standard != y.nab_standard) return x.nab_standard > y.nab_standard;
  if (x.false_positives != y.false_positives) return x.false_positives < y.false_positives;
  return x.alarm_ticks < y.alarm_ticks;
}

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

std::string provenance(const RuleProposal& p, const CandidateReport& c, const RuleTask& task,
                       const RuleLoopOptions& o) {
  std::string out =
      "# Proposed by an LLM (`omen propose rules`) and accepted: every gate passed.\n";
  out += fmt::format("# model: {}; turn {} (budget {} turns); candidate {}\n", p.model, c.iteration,
                     o.budget.max_iterations, c.index);
  out += fmt::format("# validated on: {}{}\n", task.data_name,
                     task.labels ? fmt::format(" with labels {}", task.labels->source) : "");
  out += "# metrics: " + c.metrics->summary + "\n";
  if (p.current_metrics)
    out += fmt::format("# current rules ({}): {}\n", task.current_name, p.current_metrics->summary);
  std::vector<std::string> gates;
  for (const auto& g : c.gates) gates.push_back(g.name);
  out += fmt::format("# gates passed: {}\n", fmt::join(gates, ", "));
  out += fmt::format("# reply cache key: {}\n", p.cache_key);
  if (!c.rationale.empty()) out += "# rationale: " + one_line(c.rationale) + "\n";
  out += "\n";
  return out + c.source + (c.source.empty() || c.source.back() == '\n' ? "" : "\n");
}

}  // namespace

RuleProposal propose_rules(const RuleTask& task, const RuleLoopOptions& options) {
  Client client(options.client);
  return propose_rules(task, options, client);
}

RuleProposal propose_rules(const RuleTask& task, const RuleLoopOptions& options, Client& client) {
  RuleProposal p;
  p.model = client.options().model;
  internal::BudgetClock clock(options.budget, client);
  auto log = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  const size_t top_k = std::max<size_t>(1, options.top_k);
  json transcript = {{"kind", "rules"},
                     {"model", p.model},
                     {"base_url", redact_url(client.options().base_url)},
                     {"budget",
                      {{"max_iterations", options.budget.max_iterations},
                       {"max_tokens", options.budget.max_tokens},
                       {"max_seconds", options.budget.max_seconds}}},
                     {"top_k", top_k},
                     {"data", task.data_name}};
  json turns = json::array();
  Usage before = client.usage();
  auto finish = [&](std::string stop) -> RuleProposal {
    p.stop_reason = std::move(stop);
    p.seconds = clock.seconds();
    p.usage = internal::usage_since(before, client.usage());
    transcript["turns"] = turns;
    transcript["usage"] = internal::usage_json(p.usage);
    transcript["result"] = {{"accepted", p.accepted},
                            {"stop_reason", p.stop_reason},
                            {"iterations", p.iterations},
                            {"seconds", p.seconds}};
    if (p.accepted) {
      transcript["result"]["iteration"] = p.iteration;
      transcript["result"]["cache_key"] = p.cache_key;
      transcript["result"]["metrics"] = metrics_json(p.metrics);
      transcript["result"]["source"] = p.source;
    } else {
      transcript["result"]["error"] = p.error;
    }
    p.transcript_json = transcript.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    log(p.accepted
            ? fmt::format("accepted a candidate of turn {}: {}", p.iteration, p.metrics.summary)
            : "nothing accepted: " + p.error);
    return std::move(p);
  };

  internal::Training training;
  {
    std::string error;
    if (!internal::prepare(task, &training, &error)) {
      p.error = "the training data cannot be used: " + error + ". Nothing was written.";
      return finish("error");
    }
  }
  // The current rules: their metrics are the bar a candidate must not fall below.
  if (!task.current_source.empty()) {
    RuleGates lenient = options.gates;
    lenient.min_event_f1 = 0;
    lenient.max_alarm_fraction = 1;
    lenient.max_nan_fraction = 1;
    lenient.max_cost = 1e300;
    lenient.check_determinism = false;
    CandidateReport cur = internal::evaluate(task.current_source, task.current_name, training,
                                             lenient, options.engine, nullptr);
    if (!cur.metrics) {
      std::string why;
      for (const auto& g : cur.gates)
        if (!g.passed) why = g.detail;
      p.error = fmt::format("the current rules ({}) cannot be evaluated: {}\n{}", task.current_name,
                            why, format(cur.diagnostics));
      return finish("error");
    }
    p.current_metrics = cur.metrics;
    transcript["current"] = metrics_json(*cur.metrics);
    log("current rules: " + cur.metrics->summary);
  }

  const std::string system = internal::rules_system_prompt(top_k);
  const std::string task_prompt =
      internal::rules_task_prompt(task, options, p.current_metrics ? &*p.current_metrics : nullptr);
  transcript["system_prompt"] = system;
  transcript["task_prompt"] = task_prompt;
  std::vector<std::pair<std::string, std::string>> exchanges;
  std::map<std::string, CandidateReport> seen;  // same source, same verdict (deterministic)
  std::string last_failures;

  while (true) {
    std::string reason = clock.exhausted(p.iterations);
    if (!reason.empty()) {
      p.error =
          fmt::format("no candidate passed the gates: {}.", clock.describe(reason, p.iterations));
      if (!last_failures.empty()) p.error += " Last turn: " + last_failures;
      p.error += " Nothing was written.";
      return finish(reason);
    }
    int iteration = ++p.iterations;
    ChatRequest req;
    req.messages = internal::conversation(system, task_prompt, exchanges, options.history_turns);
    req.schema_name = "omen_candidates";
    req.json_schema = candidates_schema();
    log(fmt::format("turn {}: asking {} for up to {} candidates", iteration, p.model, top_k));
    ChatResponse resp = client.chat(req, clock.remaining_ms());
    json turn = {{"iteration", iteration},
                 {"sent", exchanges.empty() ? "task" : exchanges.back().second},
                 {"response", internal::response_json(resp)}};
    if (!resp.ok) {
      turns.push_back(turn);
      log(fmt::format("turn {}: {}", iteration, resp.error));
      if (resp.error_kind == "malformed" || resp.error_kind == "too-large") {
        last_failures = "the server's reply was unusable: " + resp.error;
        continue;  // the model never saw it: ask again (bounded by the budget)
      }
      p.error = fmt::format("the model server failed on turn {}: {}. Nothing was written.",
                            iteration, resp.error);
      return finish(resp.error_kind == "budget" ? "time" : "error");
    }
    ParsedReply reply = parse_reply(resp.content);
    if (!reply.ok) {
      turn["reply_error"] = reply.error;
      turns.push_back(turn);
      log(fmt::format("turn {}: unusable reply: {}", iteration, reply.error));
      last_failures = "the reply had no usable candidate: " + reply.error;
      exchanges.push_back({internal::clip(resp.content, kMaxEcho),
                           "# Your reply could not be used\n\n" + reply.error});
      continue;
    }
    std::vector<CandidateReport> reports;
    json cands = json::array();
    for (size_t i = 0; i < reply.sources.size() && i < top_k; ++i) {
      // --max-seconds covers checking and validating too: no new candidate once it is spent
      // (the loop then ends with "time"). Each check is bounded by the compile limits.
      if (clock.seconds() >= options.budget.max_seconds) {
        log(fmt::format("turn {}: time budget spent before candidate {}", iteration, i + 1));
        break;
      }
      CandidateReport c;
      auto hit = seen.find(reply.sources[i]);
      if (hit != seen.end()) {
        c = hit->second;
      } else {
        c = internal::evaluate(
            reply.sources[i], fmt::format("candidate-{}-{}.omen", iteration, i + 1), training,
            options.gates, options.engine, p.current_metrics ? &*p.current_metrics : nullptr);
        seen.emplace(reply.sources[i], c);
      }
      c.iteration = iteration;
      c.index = static_cast<int>(i + 1);
      c.rationale = reply.rationales[i];
      c.feedback = internal::candidate_feedback(c);
      std::string failed;
      for (const auto& g : c.gates)
        if (!g.passed) failed += (failed.empty() ? "" : ", ") + g.name;
      log(fmt::format("turn {} candidate {}: {}{}", iteration, i + 1,
                      c.passed ? "passed" : "rejected at " + failed,
                      c.metrics ? "; " + c.metrics->summary : ""));
      cands.push_back(candidate_json(c));
      reports.push_back(c);
      p.candidates.push_back(c);
    }
    turn["candidates"] = cands;
    if (reply.sources.size() > top_k) turn["ignored_candidates"] = reply.sources.size() - top_k;
    const CandidateReport* best = nullptr;
    for (const auto& c : reports)
      if (c.passed && (!best || better(c, *best))) best = &c;
    if (best) {
      turns.push_back(turn);
      p.accepted = true;
      p.iteration = iteration;
      p.cache_key = resp.cache_key;
      p.metrics = *best->metrics;
      p.source = provenance(p, *best, task, options);
      return finish("accepted");
    }
    std::string feedback = internal::rules_feedback_prompt(reports, iteration, top_k);
    turn["feedback"] = feedback;
    turns.push_back(turn);
    last_failures.clear();
    for (const auto& c : reports) {
      std::string failed;
      for (const auto& g : c.gates)
        if (!g.passed)
          failed += fmt::format("{}{} ({})", failed.empty() ? "" : "; ", g.name, g.detail);
      last_failures += fmt::format("candidate {} failed {}. ", c.index, failed);
    }
    exchanges.push_back({internal::clip(resp.content, kMaxEcho), feedback});
  }
}

Engine::Built load_accepted(const RuleProposal& proposal, const EngineOptions& options) {
  if (!proposal.accepted || proposal.source.empty()) {
    Engine::Built refused;
    refused.diagnostics.push_back(make_diagnostic(
        DiagCode::E901,
        "omen::llm::load_accepted: refused: the proposal was not accepted" +
            (proposal.error.empty() ? std::string() : " (" + proposal.error + ")")));
    return refused;
  }
  return Engine::from_source("proposed.omen", proposal.source, options);
}

}  // namespace omen::llm
