#include "omen/tools.h"

#include <fmt/format.h>

#include "compiler/driver/compile.h"
#ifdef OMEN_HAVE_JIT
#include "compiler/jit/jit.h"
#endif

namespace omen {

CheckResult check_files(const std::vector<std::string>& paths, const Limits& limits,
                        bool warnings_as_errors) {
  CompileOptions co;
  co.parse.max_source_bytes = limits.max_source_bytes;
  co.parse.max_depth = limits.max_depth;
  co.limits.max_cost = limits.max_cost;
  co.limits.max_window_ms = limits.max_window_ms;
  co.limits.max_instructions = limits.max_instructions;
  co.limits.max_inlined_nodes = limits.max_inlined_nodes;
  co.limits.max_format_width = limits.max_format_width;
  co.max_errors = limits.max_errors;
  co.warnings_as_errors = warnings_as_errors;
  Compilation c = compile_files(paths, co);
  CheckResult r;
  r.ok = c.ok();
  r.errors = c.diags->error_count();
  r.warnings = c.diags->warning_count();
  r.diagnostics = c.diags->all();
  if (c.ok()) {
    r.rules = c.module->rules.size();
    r.tests = c.module->tests.size();
  }
  return r;
}

bool explain(const std::vector<std::string>& paths, Stage stage, const std::string& rule,
             std::string* out) {
  Compilation c = compile_files(paths);
  if (!c.ok()) {
    *out = c.diags->render();
    return false;
  }
  out->clear();
  if (stage == Stage::Ast) {
    for (size_t i = 0; i < c.module->modules.size(); ++i) {
      const auto& m = c.module->modules[i];
      if (m.rules.empty() && m.items.empty()) continue;
      *out += ast::print(m);
    }
    // Intents, expanded: the functions and rules the checker generated (docs/intents.md).
    for (size_t i = 0; i < c.module->intents.size() && i < c.module->generated.size(); ++i) {
      const auto& in = c.module->intents[i];
      *out += fmt::format("# intent {} expands to (omen explain --intent {}):\n", in.name, in.name);
      *out += ast::print(*c.module->generated[i]);
    }
    return true;
  }
#ifdef OMEN_HAVE_JIT
  std::unique_ptr<jit::Jit> jit;
  if (stage != Stage::Ir) {
    std::string err;
    jit = jit::Jit::create({}, &err);
    if (!jit) {
      *out = "error: the JIT is not available: " + err + "\n";
      return false;
    }
  }
#endif
  bool found = false;
  for (const auto& r : c.module->rules) {
    if (!rule.empty() && r.name != rule) continue;
    found = true;
    if (stage == Stage::Ir) {
      *out += ir::to_string(r.program);
      *out += "  inputs:";
      for (size_t i = 0; i < r.inputs.size(); ++i)
        *out +=
            fmt::format(" #{}={}({})", i, r.inputs[i].kind == InputSpec::Value ? "value" : "age",
                        r.selectors[r.inputs[i].selector].to_string());
      *out += fmt::format("\n  cost: {}\n\n", r.cost);
      continue;
    }
#ifdef OMEN_HAVE_JIT
    *out += jit->dump_llvm(r.program, stage == Stage::LlvmOptimized);
#else
    *out = "error: this build of Omen has no JIT (OMEN_WITH_JIT=OFF)\n";
    return false;
#endif
  }
  if (!found) {
    *out = fmt::format("error: no rule named '{}'\n", rule);
    return false;
  }
  return true;
}

bool explain_intent(const std::vector<std::string>& paths, const std::string& intent,
                    std::string* out) {
  Compilation c = compile_files(paths);
  if (!c.ok()) {
    *out = c.diags->render();
    return false;
  }
  std::string names;
  for (const auto& in : c.module->intents) {
    if (in.name == intent) {
      *out = in.source;
      return true;
    }
    names += (names.empty() ? "" : ", ") + in.name;
  }
  *out =
      fmt::format("error: no intent named '{}'{}\n", intent,
                  names.empty() ? " (the files declare no intent)" : " (intents: " + names + ")");
  return false;
}

}  // namespace omen
