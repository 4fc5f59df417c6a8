// omen propose rules | graph: an LLM proposes, Omen checks, validates and gates (llm/).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "omen/llm.h"

namespace omen::cli {

namespace {

const char* kRulesUsage =
    "omen propose rules --data D.csv [--data ...] --out NEW.omen [--docs F.md ...]\n"
    "         [--labels nab:F|points:F|windows:F] [--labels-key KEY] [--target SERIES]\n"
    "         [--current RULES.omen] [--transcript T.json] [--top-k 3] [--min-f1 0.5]\n"
    "         [--max-alarm-share 0.2] [--max-nan 0.01] [--max-cost 2000]\n"
    "         CLIENT AND BUDGET OPTIONS";
const char* kGraphUsage =
    "omen propose graph --data D.csv --out GRAPH.omen [--docs F.md ...] [--name G]\n"
    "         [--alpha 0.05] [--permutations 100] [--metric PREFIX] [--strict]\n"
    "         [--transcript T.json] CLIENT AND BUDGET OPTIONS";
const char* kCommonUsage =
    "client:  --model M --base-url URL [--api-key-env VAR] (default OPENAI_API_KEY; the key\n"
    "         is never printed) [--temperature 0.2] [--seed 1] [--reply-tokens 4096]\n"
    "         [--timeout 5m] [--connect-timeout 10s] [--retries 4] [--cache DIR] [--offline]\n"
    "         [--no-structured]   (defaults: $OMEN_LLM_MODEL, $OMEN_LLM_BASE_URL)\n"
    "budget:  [--max-iterations 6] [--max-tokens 200000] [--max-seconds 1800] [--quiet]\n"
    "docs/llm.md explains setup for OpenAI, Ollama and llama.cpp server.";

int usage_error(const std::string& sub, const std::string& msg) {
  std::fprintf(stderr, "omen propose %s: %s\nusage: %s\n%s\n", sub.c_str(), msg.c_str(),
               sub == "graph" ? kGraphUsage : kRulesUsage, kCommonUsage);
  return 2;
}

const std::vector<std::string> kCommonOpts = {
    "model",       "base-url",     "api-key-env",    "temperature",
    "seed",        "reply-tokens", "timeout",        "connect-timeout",
    "retries",     "cache",        "max-iterations", "max-tokens",
    "max-seconds", "docs",         "data",           "out",
    "transcript"};
const std::vector<std::string> kCommonFlags = {"offline", "no-structured", "quiet", "help"};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

double number(const Args& args, const std::string& name, double def) {
  if (!args.has(name)) return def;
  size_t used = 0;
  std::string text = args.get(name);
  double v = std::stod(text, &used);
  if (used != text.size()) throw std::invalid_argument("--" + name + ": not a number: " + text);
  return v;
}

// Client and budget options shared by both subcommands; throws std::invalid_argument.
void read_common(const Args& args, llm::ClientOptions& c, llm::Budget& b) {
  const char* env_model = std::getenv("OMEN_LLM_MODEL");
  const char* env_url = std::getenv("OMEN_LLM_BASE_URL");
  c.model = args.get("model", env_model ? env_model : "");
  c.base_url = args.get("base-url", env_url ? env_url : c.base_url);
  c.api_key_env = args.get("api-key-env", c.api_key_env);
  c.temperature = number(args, "temperature", c.temperature);
  if (args.has("seed")) {
    if (args.get("seed") == "none")
      c.seed.reset();
    else
      c.seed = static_cast<int64_t>(number(args, "seed", 1));
  }
  c.max_tokens = static_cast<int>(number(args, "reply-tokens", c.max_tokens));
  if (args.has("timeout")) c.timeout_ms = parse_duration_arg(args.get("timeout"));
  if (args.has("connect-timeout"))
    c.connect_timeout_ms = parse_duration_arg(args.get("connect-timeout"));
  c.max_retries = static_cast<int>(number(args, "retries", c.max_retries));
  c.cache_dir = args.get("cache");
  c.offline = args.flag("offline");
  c.structured_output = !args.flag("no-structured");
  b.max_iterations = static_cast<int>(number(args, "max-iterations", b.max_iterations));
  b.max_tokens =
      static_cast<int64_t>(number(args, "max-tokens", static_cast<double>(b.max_tokens)));
  b.max_seconds = number(args, "max-seconds", b.max_seconds);
  if (c.model.empty()) throw std::invalid_argument("no --model given (or $OMEN_LLM_MODEL)");
  if (c.offline && c.cache_dir.empty())
    throw std::invalid_argument("--offline needs --cache DIR (the recorded replies)");
  if (b.max_iterations < 1 || b.max_tokens < 1 || !(b.max_seconds > 0))
    throw std::invalid_argument("budgets must be positive");
}

// Writes through a temporary file and a rename, so a reader never sees half a file.
bool write_file(const std::string& path, const std::string& text, const std::string& sub) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    if (!f) {
      std::fprintf(stderr, "omen propose %s: cannot write %s\n", sub.c_str(), path.c_str());
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    std::fprintf(stderr, "omen propose %s: cannot write %s\n", sub.c_str(), path.c_str());
    return false;
  }
  return true;
}

std::vector<std::string> doc_paths(const Args& args) {
  std::vector<std::string> docs = args.all("docs");
  // `--docs a.md b.md`: positionals are documents too.
  for (const auto& p : args.positional()) docs.push_back(p);
  return docs;
}

// Documents are decoded leniently (docs/reliability.md): say so once per document.
void warn_replaced(const std::vector<llm::Document>& docs, const char* sub) {
  for (const auto& d : docs)
    if (d.replaced_bytes > 0)
      std::fprintf(stderr,
                   "omen propose %s: warning: %s: %zu invalid UTF-8 byte%s replaced by U+FFFD\n",
                   sub, d.name.c_str(), d.replaced_bytes, d.replaced_bytes == 1 ? "" : "s");
}

int run_rules(int argc, char** argv) {
  Args args(argc, argv,
            with(kCommonOpts, {"labels", "labels-key", "target", "current", "top-k", "min-f1",
                               "max-alarm-share", "max-nan", "max-cost"}),
            kCommonFlags);
  if (args.flag("help")) return std::printf("usage: %s\n%s\n", kRulesUsage, kCommonUsage), 0;
  if (!args.ok()) return usage_error("rules", args.error());
  if (!args.has("data")) return usage_error("rules", "no --data given");
  if (!args.has("out")) return usage_error("rules", "no --out given");
  llm::RuleLoopOptions o;
  try {
    read_common(args, o.client, o.budget);
    o.top_k = static_cast<size_t>(number(args, "top-k", static_cast<double>(o.top_k)));
    o.gates.min_event_f1 = number(args, "min-f1", o.gates.min_event_f1);
    o.gates.max_alarm_fraction = number(args, "max-alarm-share", o.gates.max_alarm_fraction);
    o.gates.max_nan_fraction = number(args, "max-nan", o.gates.max_nan_fraction);
    o.gates.max_cost = number(args, "max-cost", o.gates.max_cost);
  } catch (const std::exception& e) {
    return usage_error("rules", e.what());
  }
  bool quiet = args.flag("quiet");
  if (!quiet)
    o.progress = [](const std::string& line) { std::fprintf(stderr, "  %s\n", line.c_str()); };

  llm::RuleTaskFiles files;
  files.docs = doc_paths(args);
  files.data = args.all("data");
  files.labels = args.get("labels");
  files.labels_key = args.get("labels-key");
  files.target = args.get("target");
  files.current = args.get("current");
  llm::RuleTask task;
  std::string error;
  if (!llm::load_rule_task(files, &task, &error)) {
    std::fprintf(stderr, "omen propose rules: %s\n", error.c_str());
    return 1;
  }
  warn_replaced(task.docs, "rules");
  if (!quiet)
    std::fprintf(stderr, "omen propose rules: model %s at %s%s\n", o.client.model.c_str(),
                 llm::redact_url(o.client.base_url).c_str(),
                 o.client.offline ? " (offline: cache only)" : "");
  llm::RuleProposal p = llm::propose_rules(task, o);
  if (args.has("transcript") &&
      !write_file(args.get("transcript"), p.transcript_json + "\n", "rules"))
    return 1;
  std::string accounting =
      fmt::format("{} turn{} in {:.1f} s; {}", p.iterations, p.iterations == 1 ? "" : "s",
                  p.seconds, llm::to_text(p.usage));
  if (!p.accepted) {
    std::fprintf(stderr, "omen propose rules: %s\n  %s\n", p.error.c_str(), accounting.c_str());
    return 1;
  }
  if (!write_file(args.get("out"), p.source, "rules")) return 1;
  std::fprintf(stderr, "omen propose rules: accepted (turn %d): %s\n  wrote %s; %s\n", p.iteration,
               p.metrics.summary.c_str(), args.get("out").c_str(), accounting.c_str());
  return 0;
}

int run_graph_loop(int argc, char** argv) {
  Args args(argc, argv, with(kCommonOpts, {"name", "alpha", "permutations", "metric"}),
            with(kCommonFlags, {"strict"}));
  if (args.flag("help")) return std::printf("usage: %s\n%s\n", kGraphUsage, kCommonUsage), 0;
  if (!args.ok()) return usage_error("graph", args.error());
  if (!args.has("data")) return usage_error("graph", "no --data given");
  if (!args.has("out")) return usage_error("graph", "no --out given");
  if (args.all("data").size() > 1) return usage_error("graph", "give one --data table");
  llm::GraphLoopOptions o;
  try {
    read_common(args, o.client, o.budget);
    o.check.alpha = number(args, "alpha", o.check.alpha);
    o.check.permutations = static_cast<size_t>(
        number(args, "permutations", static_cast<double>(o.check.permutations)));
    o.check.metric = args.get("metric");
    o.strict = args.flag("strict");
  } catch (const std::exception& e) {
    return usage_error("graph", e.what());
  }
  bool quiet = args.flag("quiet");
  if (!quiet)
    o.progress = [](const std::string& line) { std::fprintf(stderr, "  %s\n", line.c_str()); };
  llm::GraphTask task;
  std::string error;
  if (!llm::load_graph_task(doc_paths(args), args.get("data"), &task, &error)) {
    std::fprintf(stderr, "omen propose graph: %s\n", error.c_str());
    return 1;
  }
  warn_replaced(task.docs, "graph");
  if (args.has("name")) task.graph_name = args.get("name");
  llm::GraphProposal p = llm::propose_graph(task, o);
  if (args.has("transcript") &&
      !write_file(args.get("transcript"), p.transcript_json + "\n", "graph"))
    return 1;
  std::string accounting =
      fmt::format("{} turn{} in {:.1f} s; {}", p.iterations, p.iterations == 1 ? "" : "s",
                  p.seconds, llm::to_text(p.usage));
  if (!p.accepted) {
    std::fprintf(stderr, "omen propose graph: %s\n  %s\n", p.error.c_str(), accounting.c_str());
    return 1;
  }
  if (!write_file(args.get("out"), p.source, "graph")) return 1;
  if (p.passed)
    std::fprintf(stderr,
                 "omen propose graph: accepted: %zu edges, data check passed\n  wrote %s; %s\n",
                 p.edges.size(), args.get("out").c_str(), accounting.c_str());
  else
    std::fprintf(stderr,
                 "omen propose graph: warning: the budget ran out; accepted the best structurally "
                 "valid graph (%zu edges) with %zu unresolved finding%s (listed in its header)\n"
                 "  wrote %s; %s\n",
                 p.edges.size(), p.findings.size(), p.findings.size() == 1 ? "" : "s",
                 args.get("out").c_str(), accounting.c_str());
  return 0;
}

}  // namespace

int run_propose(int argc, char** argv) {
  std::string sub = argc > 1 ? argv[1] : "";
  if (sub == "rules") return run_rules(argc - 1, argv + 1);
  if (sub == "graph") return run_graph_loop(argc - 1, argv + 1);
  if (sub == "--help" || sub == "-h" || sub == "help") {
    std::printf("usage: %s\n       %s\n%s\n", kRulesUsage, kGraphUsage, kCommonUsage);
    return 0;
  }
  std::fprintf(stderr, "omen propose: expected `rules` or `graph`\nusage: %s\n       %s\n%s\n",
               kRulesUsage, kGraphUsage, kCommonUsage);
  return 2;
}

}  // namespace omen::cli
