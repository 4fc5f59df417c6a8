// Parsing: Omen source -> ast::Module. ANTLR is used only inside compiler/parse.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/ast/ast.h"

namespace omen::parse {

struct ParseOptions {
  size_t max_source_bytes = 1 << 20;  // larger sources are rejected (E042)
  size_t max_depth = 256;  // expression depth: brackets, prefix and operator chains (E041)
};

/// Parses file `file` of `sources`. Syntax errors (E001/E002/E003) and limit errors go to
/// `diags`; on any error the returned module may be incomplete and must not be compiled.
ast::Module parse_module(const SourceManager& sources, uint32_t file, Diagnostics& diags,
                         const ParseOptions& options = {});

/// Parses one expression (message placeholders, the REPL). `base` is the location of the
/// first character of `text`, so diagnostics point into the enclosing file.
ast::ExprPtr parse_expr(std::string_view text, const Loc& base, const SourceManager& sources,
                        Diagnostics& diags, const ParseOptions& options = {});

/// Whether `word` can be written where the grammar expects a name (a declaration's,
/// label's or parameter's): an identifier that is not a reserved keyword (`at`, `when`,
/// `ratio`, ...; keywords such as `service` or `value` are names too). Decided by the
/// grammar's own `name` rule, so it cannot drift from the parser.
bool is_name(std::string_view word);

/// The grammar's keywords (its literal tokens that are words: `rule`, `when`, `and`, ...),
/// sorted.
std::vector<std::string> keywords();

/// Decodes the body of a string literal (without quotes). \" \\ \n \t \r are escapes;
/// any other backslash sequence is kept as written (so regexes need no double escaping).
std::string unescape(std::string_view body);

}  // namespace omen::parse
