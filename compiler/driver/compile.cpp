#include "compiler/driver/compile.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/io/text_file.h"
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
  auto sources = std::make_shared<SourceManager>();
  auto diags = std::make_shared<Diagnostics>(sources.get(), options.max_errors);
  diags->set_warnings_as_errors(options.warnings_as_errors);
  for (const auto& w : options.disabled_warnings) diags->disable_warning(w);
  std::vector<ast::Module> modules;
  for (const auto& in : inputs) {
    uint32_t id = sources->add(in.name, in.text);
    modules.push_back(parse::parse_module(*sources, id, *diags, options.parse));
  }
  return compile_parsed(std::move(sources), std::move(diags), std::move(modules), options);
}

Compilation compile_parsed(std::shared_ptr<SourceManager> sources,
                           std::shared_ptr<Diagnostics> diags, std::vector<ast::Module> modules,
                           const CompileOptions& options) {
  Compilation c;
  c.sources = std::move(sources);
  c.diags = std::move(diags);
  auto out = std::make_shared<CompiledModule>();
  out->sources = c.sources;
  out->modules = std::move(modules);
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
  check::Limits limits = options.limits;
  limits.max_depth = options.parse.max_depth;  // one nesting limit for parser and checker
  check::check_and_lower(mods, have_std ? &std_module : nullptr, *c.diags, limits, *out);
  if (c.diags->has_errors()) return c;
  // The module keeps the std AST alive too (rules never point into it; it is for tools).
  if (have_std) out->modules.push_back(std::move(std_module));
  c.module = std::move(out);
  return c;
}

std::vector<StdlibFunction> stdlib_functions() {
  auto sources = std::make_shared<SourceManager>();
  Diagnostics diags(sources.get());
  std::vector<StdlibFunction> out;
  for (const auto& f : stdlib::files()) {
    ast::Module m = parse::parse_module(*sources, sources->add(f.name, f.text), diags);
    for (auto& fn : m.fns) out.push_back({f.name, std::move(fn)});
  }
  return out;
}

Compilation compile_files(const std::vector<std::string>& paths, const CompileOptions& options) {
  std::vector<SourceText> inputs;
  std::vector<std::string> unreadable, too_large;
  for (const auto& p : paths) {
    std::string text;
    int err = 0;
    switch (io::read_text_file(p, options.parse.max_source_bytes, &text, &err)) {
      case io::ReadStatus::Ok:
        inputs.push_back({p, std::move(text)});
        break;
      case io::ReadStatus::TooLarge:  // reading stopped at the limit
        too_large.push_back(p);
        break;
      case io::ReadStatus::Error:
        unreadable.push_back(fmt::format("cannot read '{}': {}", p, std::strerror(err)));
        break;
    }
  }
  if (unreadable.empty() && too_large.empty()) return compile(inputs, options);
  // Nothing is compiled when a file is missing: a partial rule set must never load.
  Compilation c;
  c.sources = std::make_shared<SourceManager>();
  c.diags = std::make_shared<Diagnostics>(c.sources.get(), options.max_errors);
  for (const auto& msg : unreadable) c.diags->error(Loc{}, DiagCode::E000, msg);
  for (const auto& p : too_large) {
    uint32_t id = c.sources->add(p, "");
    c.diags->error(Loc{id, 1, 1, 1}, DiagCode::E042,
                   fmt::format("source is over the limit of {} bytes (reading stopped there)",
                               options.parse.max_source_bytes));
  }
  return c;
}

}  // namespace omen
