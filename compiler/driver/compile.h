// The whole compiler pipeline in one place (like Soufflé's MainDriver): read sources ->
// parse -> check -> lower. Each pass is a free function in its own folder.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/check/checker.h"
#include "compiler/check/compiled.h"
#include "compiler/parse/parser.h"

namespace omen {

struct CompileOptions {
  parse::ParseOptions parse;
  check::Limits limits;
  size_t max_errors = 20;
  bool warnings_as_errors = false;
  std::vector<std::string> disabled_warnings;  // codes, e.g. "W001"
};

struct SourceText {
  std::string name;  // shown in diagnostics
  std::string text;
};

/// The result of one compilation. `module` is null when there were errors; the
/// diagnostics (errors and warnings) are always there.
struct Compilation {
  std::shared_ptr<SourceManager> sources;
  std::shared_ptr<Diagnostics> diags;
  std::shared_ptr<const CompiledModule> module;
  bool ok() const { return module != nullptr; }
};

Compilation compile(const std::vector<SourceText>& sources, const CompileOptions& options = {});

/// Checks and lowers modules parsed already (into `sources`, reporting to `diags`): the
/// standard library is added when a module imports it. For tools that build or filter
/// ASTs themselves (runtime/session); compile() is parse + this.
Compilation compile_parsed(std::shared_ptr<SourceManager> sources,
                           std::shared_ptr<Diagnostics> diags, std::vector<ast::Module> modules,
                           const CompileOptions& options = {});

/// A function of the standard library (`file`: "<std>/std.omen", ...).
struct StdlibFunction {
  std::string file;
  ast::Fn fn;
};
/// Every function of the standard library, parsed, in source order.
std::vector<StdlibFunction> stdlib_functions();

/// Reads files then compiles them; an unreadable file is an error diagnostic (E000).
Compilation compile_files(const std::vector<std::string>& paths,
                          const CompileOptions& options = {});

}  // namespace omen
