// The graph loop (Atlas-style): one local proposal per component, merged, checked (structure
// through the Omen checker, then the data), findings back to the model, until the graph passes
// or the budget runs out.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "llm/graph/graph_internal.h"
#include "llm/loop_util.h"

namespace omen::llm {

namespace {

using json = nlohmann::json;

// Best candidate first: the first reply candidate whose source is usable.
std::string first_source(const ParsedReply& r) {
  return r.sources.empty() ? "" : r.sources[0];
}

}  // namespace

bool load_graph_task(const std::vector<std::string>& docs, const std::string& data, GraphTask* task,
                     std::string* error) {
  *task = GraphTask{};
  for (const auto& path : docs) {
    Document d{std::filesystem::path(path).filename().string(), {}};
    if (!internal::read_text(path, &d.text, error, &d.replaced_bytes)) return false;
    task->docs.push_back(std::move(d));
  }
  try {
    task->data = causal::read_table(data);
  } catch (const causal::CausalError& e) {
    *error = e.what();
    return false;
  }
  task->data_name = std::filesystem::path(data).filename().string();
  if (task->data.cols() < 2) {
    *error = fmt::format("{}: a graph needs at least two columns", data);
    return false;
  }
  return true;
}

GraphProposal propose_graph(const GraphTask& task, const GraphLoopOptions& options) {
  Client client(options.client);
  return propose_graph(task, options, client);
}

GraphProposal propose_graph(const GraphTask& task, const GraphLoopOptions& options,
                            Client& client) {
  GraphProposal p;
  internal::BudgetClock clock(options.budget, client);
  auto log = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  const std::string model = client.options().model;
  json transcript = {{"kind", "graph"},
                     {"model", model},
                     {"base_url", redact_url(client.options().base_url)},
                     {"data", task.data_name},
                     {"budget",
                      {{"max_iterations", options.budget.max_iterations},
                       {"max_tokens", options.budget.max_tokens},
                       {"max_seconds", options.budget.max_seconds}}}};
  json turns = json::array();
  Usage before = client.usage();
  internal::Components comps = internal::components_of(task.data);
  internal::EdgeSet current, best;
  internal::GraphCheck best_check;
  bool have_best = false;
  std::string last_key;

  auto finish = [&](std::string stop) -> GraphProposal {
    p.stop_reason = std::move(stop);
    p.seconds = clock.seconds();
    p.usage = internal::usage_since(before, client.usage());
    transcript["turns"] = turns;
    transcript["usage"] = internal::usage_json(p.usage);
    transcript["result"] = {{"accepted", p.accepted},       {"passed", p.passed},
                            {"stop_reason", p.stop_reason}, {"iterations", p.iterations},
                            {"findings", p.findings},       {"seconds", p.seconds}};
    if (p.accepted)
      transcript["result"]["source"] = p.source;
    else
      transcript["result"]["error"] = p.error;
    p.transcript_json = transcript.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    log(p.accepted
            ? fmt::format("accepted a graph with {} edges ({})", p.edges.size(),
                          p.passed ? "passed the data check"
                                   : fmt::format("{} unresolved findings", p.findings.size()))
            : "nothing accepted: " + p.error);
    return std::move(p);
  };
  auto accept = [&](const internal::EdgeSet& edges, const internal::GraphCheck& check,
                    bool passed) {
    p.accepted = true;
    p.passed = passed;
    p.findings = passed ? std::vector<std::string>{} : check.findings;
    p.report_text = check.report_text;
    for (const auto& [e, info] : edges.edges)
      p.edges.push_back(
          {comps.names[e.first], comps.names[e.second], info.iteration, info.proposed_by});
    std::string head = fmt::format(
        "# Causal graph proposed by an LLM (`omen propose graph`), model {}; {} turn{}.\n", model,
        p.iterations, p.iterations == 1 ? "" : "s");
    if (passed) {
      head += fmt::format("# Checked against {}: structure valid, data check passed.\n",
                          task.data_name);
    } else {
      head += fmt::format(
          "# Accepted when the budget ran out: structure valid, {} unresolved finding{} on {}:\n",
          check.findings.size(), check.findings.size() == 1 ? "" : "s", task.data_name);
      for (const auto& f : check.findings) head += "#   - " + f + "\n";
    }
    if (!last_key.empty()) head += "# Last reply cache key: " + last_key + "\n";
    p.source = head + "\n" + internal::graph_source(task.graph_name, comps, edges);
  };

  if (comps.names.size() < 2) {
    p.error = "the data needs at least two components. Nothing was written.";
    return finish("error");
  }
  if (comps.names.size() > options.max_components) {
    p.error = fmt::format(
        "the data has {} components, more than the limit of {} "
        "(max_components). Nothing was written.",
        comps.names.size(), options.max_components);
    return finish("error");
  }

  const std::string system = internal::graph_system_prompt();
  const std::string overview = internal::graph_overview(task, comps, options);
  transcript["system_prompt"] = system;
  transcript["task_prompt"] = overview;
  std::vector<std::string> carried;  // local-round problems, fed into the first repair turn

  // Turn 1: one local proposal per component.
  p.iterations = 1;
  for (size_t i = 0; i < comps.names.size(); ++i) {
    std::string reason = clock.exhausted(0);
    if (!reason.empty()) {
      p.error = fmt::format("{} during the local proposals. Nothing was written.",
                            clock.describe(reason, 0));
      return finish(reason);
    }
    ChatRequest req;
    req.messages = {{"system", system}, {"user", internal::local_prompt(task, comps, i, options)}};
    req.schema_name = "omen_candidates";
    req.json_schema = candidates_schema();
    log(fmt::format("turn 1: local edges of {}", comps.idents[i]));
    ChatResponse resp = client.chat(req, clock.remaining_ms());
    json turn = {{"iteration", 1},
                 {"component", comps.names[i]},
                 {"response", internal::response_json(resp)}};
    if (!resp.ok) {
      turns.push_back(turn);
      if (resp.error_kind == "malformed" || resp.error_kind == "too-large") {
        carried.push_back(fmt::format("no local proposal for {}: {}", comps.idents[i], resp.error));
        continue;
      }
      p.error = fmt::format(
          "the model server failed on the local proposal for {}: {}. Nothing "
          "was written.",
          comps.names[i], resp.error);
      return finish(resp.error_kind == "budget" ? "time" : "error");
    }
    last_key = resp.cache_key;
    ParsedReply reply = parse_reply(resp.content);
    internal::ReadGraph rg;
    if (reply.ok)
      rg = internal::read_graph(first_source(reply), fmt::format("local-{}.omen", comps.idents[i]),
                                comps);
    else
      rg.problems.push_back(reply.error);
    for (const auto& e : rg.edges) current.edges.insert({e, {1, comps.idents[i]}});
    for (const auto& prob : rg.problems)
      carried.push_back(fmt::format("local proposal for {}: {}", comps.idents[i], prob));
    turn["edges"] = rg.edges.size();
    turn["problems"] = rg.problems;
    turns.push_back(turn);
  }

  std::vector<std::pair<std::string, std::string>> exchanges;
  while (true) {
    internal::GraphCheck check =
        internal::check_proposal(task.graph_name, comps, current, task.data, options);
    json checked = {{"iteration", p.iterations},
                    {"graph", internal::graph_source(task.graph_name, comps, current)},
                    {"structural_ok", check.structural_ok},
                    {"passed", check.passed},
                    {"findings", check.findings}};
    turns.push_back({{"check", checked}});
    log(fmt::format("turn {}: {} edges; {}", p.iterations, current.edges.size(),
                    check.passed ? "passed"
                                 : fmt::format("{} finding{}", check.findings.size(),
                                               check.findings.size() == 1 ? "" : "s")));
    if (check.passed) {
      accept(current, check, true);
      return finish("passed");
    }
    if (check.structural_ok &&
        (!have_best || check.findings.size() <= best_check.findings.size())) {
      best = current;
      best_check = check;
      have_best = true;
    }
    std::string reason = clock.exhausted(p.iterations);
    if (!reason.empty()) {
      std::string why = clock.describe(reason, p.iterations);
      if (have_best && !options.strict) {
        accept(best, best_check, false);
        return finish(reason);
      }
      p.findings = check.findings;
      p.error = fmt::format(
          "no graph passed: {}. {}{}Nothing was written.", why,
          have_best ? "The best graph is structurally valid but fails the data check (strict "
                      "mode). "
                    : "No proposal was structurally valid. ",
          check.findings.empty()
              ? ""
              : "Last findings: " + fmt::format("{}", fmt::join(check.findings, "; ")) + ". ");
      return finish(reason);
    }
    // Repair turn.
    int iteration = ++p.iterations;
    std::vector<std::string> findings = carried;
    carried.clear();
    findings.insert(findings.end(), check.findings.begin(), check.findings.end());
    if (findings.size() > options.max_findings) {
      size_t more = findings.size() - options.max_findings;
      findings.resize(options.max_findings);
      findings.push_back(fmt::format("... and {} more findings", more));
    }
    std::string feedback = internal::repair_prompt(
        internal::graph_source(task.graph_name, comps, current), findings, iteration);
    ChatRequest req;
    // system, then (overview +) earlier feedback/reply pairs (the last two), then this feedback.
    req.messages = {{"system", system}};
    std::string pending = overview + "\n\n";
    for (size_t i = exchanges.size() > 2 ? exchanges.size() - 2 : 0; i < exchanges.size(); ++i) {
      req.messages.push_back({"user", pending + exchanges[i].first});
      req.messages.push_back({"assistant", exchanges[i].second});
      pending.clear();
    }
    req.messages.push_back({"user", pending + feedback});
    req.schema_name = "omen_candidates";
    req.json_schema = candidates_schema();
    ChatResponse resp = client.chat(req, clock.remaining_ms());
    json turn = {
        {"iteration", iteration}, {"sent", feedback}, {"response", internal::response_json(resp)}};
    if (!resp.ok) {
      turns.push_back(turn);
      if (resp.error_kind == "malformed" || resp.error_kind == "too-large") continue;
      p.error = fmt::format("the model server failed on turn {}: {}. Nothing was written.",
                            iteration, resp.error);
      return finish(resp.error_kind == "budget" ? "time" : "error");
    }
    last_key = resp.cache_key;
    ParsedReply reply = parse_reply(resp.content);
    internal::ReadGraph rg;
    if (reply.ok)
      rg = internal::read_graph(first_source(reply), fmt::format("turn-{}.omen", iteration), comps);
    else
      rg.problems.push_back(reply.error);
    turn["problems"] = rg.problems;
    turns.push_back(turn);
    exchanges.push_back({feedback, internal::clip(resp.content, 32'000)});
    if (!rg.ok) {
      // Unusable reply: the graph stays as it was; the problem goes back next turn.
      for (const auto& prob : rg.problems) carried.push_back("your last reply: " + prob);
      continue;
    }
    internal::EdgeSet next;
    for (const auto& e : rg.edges) {
      auto old = current.edges.find(e);
      next.edges.insert({e, old != current.edges.end()
                                ? old->second
                                : internal::EdgeSet::Info{iteration, "repair"}});
    }
    for (const auto& prob : rg.problems) carried.push_back("your last reply: " + prob);
    current = std::move(next);
  }
}

}  // namespace omen::llm
