// Subcommands of the `omen` CLI. main.cpp dispatches `omen NAME args...` to run_NAME with
// argv[0] == NAME. Each returns the process exit status (0 ok, 1 failure/findings, 2 usage).
#pragma once

namespace omen::cli {

int run_check(int argc, char** argv);
int run_run(int argc, char** argv);
int run_test(int argc, char** argv);
int run_explain(int argc, char** argv);
int run_import(int argc, char** argv);  // omen import openslo FILE.yaml (cli/cmd_import.cpp)
// causal graphs (analysis/causal)
int run_graph(int argc, char** argv);     // omen graph check|query|export ...
int run_discover(int argc, char** argv);  // omen discover
int run_rca(int argc, char** argv);       // omen rca
// scoring (analysis/score)
int run_score(int argc, char** argv);  // omen score: alerts/verdicts vs labels
// validation and learning (analysis/validate)
int run_validate(int argc, char** argv);  // omen validate: score + gate rules on labelled data
int run_learn(int argc, char** argv);     // omen learn: search detector templates on labels
// interactive (cli/cmd_repl.cpp)
int run_repl(int argc, char** argv);  // omen repl
// LLM connector (llm/)
int run_propose(int argc, char** argv);  // omen propose rules|graph

}  // namespace omen::cli
