// The graph loop's prompts (deterministic text, so requests replay from the cache).
#include <algorithm>
#include <cctype>
#include <filesystem>

#include <fmt/format.h>

#include "llm/graph/graph_internal.h"
#include "llm/loop_util.h"

namespace omen::llm::internal {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Whether `word` occurs in `text` as a whole word (case-insensitive; both already lower).
bool mentions(const std::string& text, const std::string& word) {
  if (word.empty()) return false;
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    bool left = at == 0 || !is_word(text[at - 1]);
    bool right = at + word.size() >= text.size() || !is_word(text[at + word.size()]);
    if (left && right) return true;
  }
  return false;
}

// The documentation of one component: a document named after it, else the paragraphs that
// mention it.
std::string component_docs(const GraphTask& task, const std::string& name, const std::string& ident,
                           size_t max_bytes) {
  std::string out;
  const std::string n = lower(name), id = lower(ident);
  for (const auto& d : task.docs) {
    std::string stem = lower(std::filesystem::path(d.name).stem().string());
    if (stem == n || stem == id) {
      out += fmt::format("From {}:\n{}\n", d.name, d.text);
      continue;
    }
    std::string part;
    size_t pos = 0;
    while (pos < d.text.size()) {
      size_t end = d.text.find("\n\n", pos);
      std::string para = d.text.substr(pos, end == std::string::npos ? end : end - pos);
      pos = end == std::string::npos ? d.text.size() : end + 2;
      std::string l = lower(para);
      if (mentions(l, n) || mentions(l, id)) part += para + "\n\n";
    }
    if (!part.empty()) out += fmt::format("From {}:\n{}", d.name, part);
  }
  if (out.empty()) return "(no documentation mentions this component)\n";
  return clip(out, max_bytes);
}

std::string component_list(const Components& c) {
  std::string out;
  for (size_t i = 0; i < c.names.size(); ++i) {
    std::vector<std::string> cols = c.columns[i];
    size_t more = cols.size() > 8 ? cols.size() - 8 : 0;
    cols.resize(std::min<size_t>(cols.size(), 8));
    out += fmt::format("- {}{}: metrics {}{}\n", c.idents[i],
                       c.idents[i] == c.names[i] ? "" : fmt::format(" (\"{}\")", c.names[i]),
                       fmt::join(cols, ", "), more ? fmt::format(" and {} more", more) : "");
  }
  return out;
}

}  // namespace

std::string graph_system_prompt() {
  return "You build causal graphs of software systems for root-cause analysis. An edge "
         "`a -> b` means that a change in component a's metrics causes a change in component "
         "b's metrics (for example a database's latency causes its callers' latency; a "
         "caller's request rate causes its callee's load). Propose only direct causes.\n"
         "Your output is untrusted: it is parsed and checked as Omen source (a cycle is an "
         "error), then tested against data: edges without statistical support and missing "
         "edges implied by dependencies in the data come back to you.\n\n"
         "Rules:\n- Use only the component identifiers listed; never invent components.\n"
         "- Write one Omen graph block with edges only: `graph NAME { a -> b  b -> c }`; no "
         "node bindings, no attributes (Omen records provenance itself).\n"
         "- The graph must be acyclic.\n\n"
         "Reply with JSON: {\"candidates\": [{\"source\": \"<the graph block>\", \"rationale\": "
         "\"<one sentence>\"}]} with exactly one candidate. If you cannot produce JSON, put the "
         "graph block in a ```omen fenced block.\n\n" +
         language_reference(true);
}

std::string graph_overview(const GraphTask& task, const Components& c,
                           const GraphLoopOptions& options) {
  std::string out = fmt::format(
      "# Task\n\nPropose the causal graph between the {} components of this system; the data "
      "({}, {} rows) will check it.\n\n# Components\n\n{}",
      c.names.size(), task.data_name, task.data.rows(), component_list(c));
  if (!task.docs.empty()) {
    out += "\n# Documentation\n";
    size_t per = std::max<size_t>(1000, options.max_doc_bytes * 2 / task.docs.size());
    for (const auto& d : task.docs)
      out += fmt::format("\n## {}\n\n{}\n", d.name, clip(d.text, per));
  }
  return out;
}

std::string local_prompt(const GraphTask& task, const Components& c, size_t component,
                         const GraphLoopOptions& options) {
  const std::string& id = c.idents[component];
  return fmt::format(
      "# Component {}\n\nMetrics: {}\n\nDocumentation:\n{}\n# All components\n\n{}\n"
      "Propose the direct causal edges that involve {}: its direct causes (x -> {}) and its "
      "direct effects ({} -> y). Reply with one block `graph local_{} {{ ... }}`; an empty "
      "block is fine if {} has no causal link.",
      id, fmt::join(c.columns[component], ", "),
      component_docs(task, c.names[component], id, options.max_doc_bytes), component_list(c), id,
      id, id, id, id);
}

std::string repair_prompt(const std::string& graph, const std::vector<std::string>& findings,
                          int iteration) {
  std::string out = fmt::format(
      "# Turn {}: the merged graph and what the checks found\n\n```omen\n{}```\n\n# Findings\n\n",
      iteration, graph);
  for (const auto& f : findings) out += "- " + f + "\n";
  out +=
      "\nReturn the complete corrected graph as one graph block (every edge you keep, plus any "
      "new ones). Break cycles by removing or reversing the wrong edge; remove unsupported "
      "edges unless the documentation demands them; add an edge for a contradicted "
      "independence only when the documentation makes it plausible.";
  return out;
}

}  // namespace omen::llm::internal
