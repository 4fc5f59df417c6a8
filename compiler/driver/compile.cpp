#include "compiler/driver/compile.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "stdlib/stdlib.h"

namespace omen {

namespace {

// The standard library parses once per process; it is immutable afterwards.
struct StdLib {
  std::shared_ptr<SourceManager> sources = std::make_shared<SourceManager>();
  std::vector<ast::Module> modules;
  std::string errors;
};

}  // namespace

Compilation compile(const std::vector<SourceText>& inputs, const CompileOptions& options) {
  Compilation c;
  c.sources = std::make_shared<SourceManager>();
  c.diags = std::make_shared<Diagnostics>(c.sources.get(), options.max_errors);
  c.diags->set_warnings_as_errors(options.warnings_as_errors);
  for (const auto& w : options.disabled_warnings) c.diags->disable_warning(w);

  auto out = std::make_shared<CompiledModule>();
  out->sources = c.sources;
  for (const auto& in : inputs) {
    uint32_t id = c.sources->add(in.name, in.text);
    out->modules.push_back(parse::parse_module(*c.sources, id, *c.diags, options.parse));
  }
  if (c.diags->has_errors()) return c;

  // The standard library is parsed into the same source manager so its locations resolve.
  ast::Module std_module;
  bool have_std = false;
  for (const auto& m : out->modules)
    for (const auto& imp : m.imports) have_std = have_std || imp.module.rfind("std", 0) == 0;
  if (have_std) {
    for (const auto& f : stdlib::files()) {
      uint32_t id = c.sources->add(f.name, f.text);
      ast::Module m = parse::parse_module(*c.sources, id, *c.diags, options.parse);
      for (auto& x : m.fns) std_module.fns.push_back(std::move(x));
      for (auto& x : m.consts) std_module.consts.push_back(std::move(x));
    }
    if (c.diags->has_errors()) return c;
  }
  std::vector<const ast::Module*> mods;
  for (const auto& m : out->modules) mods.push_back(&m);
  check::check_and_lower(mods, have_std ? &std_module : nullptr, *c.diags, options.limits, *out);
  if (c.diags->has_errors()) return c;
  // The module keeps the std AST alive too (rules never point into it; it is for tools).
  if (have_std) out->modules.push_back(std::move(std_module));
  c.module = std::move(out);
  return c;
}

Compilation compile_files(const std::vector<std::string>& paths, const CompileOptions& options) {
  std::vector<SourceText> inputs;
  std::vector<std::string> unreadable;
  for (const auto& p : paths) {
    std::ifstream f(p, std::ios::binary);
    if (!f) {
      unreadable.push_back(fmt::format("cannot read '{}': {}", p, std::strerror(errno)));
      continue;
    }
    std::ostringstream ss;
    ss << f.rdbuf();
    inputs.push_back({p, ss.str()});
  }
  if (unreadable.empty()) return compile(inputs, options);
  // Nothing is compiled when a file is missing: a partial rule set must never load.
  Compilation c;
  c.sources = std::make_shared<SourceManager>();
  c.diags = std::make_shared<Diagnostics>(c.sources.get(), options.max_errors);
  for (const auto& msg : unreadable) c.diags->error(Loc{}, DiagCode::E000, msg);
  return c;
}

}  // namespace omen
