// The `omen` command. Uses only the public API in include/omen/.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/commands.h"

namespace {

struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* help;
};

const Command kCommands[] = {
    {"check", omen::cli::run_check, "parse and type-check rule files"},
    {"run", omen::cli::run_run, "evaluate rules over data files and print alerts"},
    {"test", omen::cli::run_test, "run the test blocks of rule files in both tiers"},
    {"explain", omen::cli::run_explain, "show a compiler stage: --dump=ast|ir|llvm|llvm-opt"},
    {"import", omen::cli::run_import, "import OpenSLO v1 YAML as Omen intents"},
    {"graph", omen::cli::run_graph, "causal graphs: check against data, query, export"},
    {"discover", omen::cli::run_discover, "discover a causal graph from data (PC-stable)"},
    {"rca", omen::cli::run_rca, "rank root causes of an incident"},
    {"score", omen::cli::run_score, "score alarms against labelled anomalies"},
    {"validate", omen::cli::run_validate, "score rules on labelled data and apply the gates"},
    {"learn", omen::cli::run_learn, "learn a rule from labelled data (template search)"},
    {"repl", omen::cli::run_repl, "interactive shell: load rules and data, evaluate expressions"},
    {"propose", omen::cli::run_propose, "ask an LLM to propose rules or a causal graph, validated"},
};

void usage(FILE* out) {
  std::fprintf(out, "usage: omen <command> [options]\n\ncommands:\n");
  for (const auto& c : kCommands) std::fprintf(out, "  %-9s %s\n", c.name, c.help);
  std::fprintf(out, "\n`omen <command> --help` describes a command. Docs: docs/cli.md\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    usage(stdout);
    return 0;
  }
  if (name == "--version") {
    std::printf("omen 0.1.0\n");
    return 0;
  }
  for (const auto& c : kCommands)
    if (name == c.name) return c.run(argc - 1, argv + 1);
  std::fprintf(stderr, "omen: unknown command '%s'\n\n", name.c_str());
  usage(stderr);
  return 2;
}
