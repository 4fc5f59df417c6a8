// The language reference shown to the model, generated from the code: sections of
// docs/language.md (embedded at build time), the window-kernel table and the stdlib sources.
#include <string_view>

#include <fmt/format.h>

#include "core/kernels/window.h"
#include "omen/llm.h"
#include "stdlib/stdlib.h"

namespace omen::llm {

namespace internal {
std::string_view language_doc();  // generated: llm/prompt/embed_doc.cmake
}

namespace {

// The text of the `## heading...` section (up to the next `## `), or "" when absent.
std::string section(std::string_view doc, std::string_view heading) {
  std::string needle = "\n## " + std::string(heading);
  size_t at = doc.find(needle);
  if (at == std::string_view::npos) return "";
  size_t end = doc.find("\n## ", at + needle.size());
  return std::string(
      doc.substr(at + 1, end == std::string_view::npos ? std::string_view::npos : end - at - 1));
}

// The opening example of the document: everything between the title and the first `## `.
std::string preamble(std::string_view doc) {
  size_t title_end = doc.find('\n');
  size_t first = doc.find("\n## ");
  if (title_end == std::string_view::npos || first == std::string_view::npos) return "";
  return std::string(doc.substr(title_end + 1, first - title_end));
}

std::string window_table() {
  std::string out = "## Window functions (generated from the kernel table)\n\n";
  for (size_t i = 0; i < kernels::kNumWindowKinds; ++i) {
    const auto& k = kernels::kernel_info(static_cast<kernels::WindowKind>(i));
    bool q = k.kind == kernels::WindowKind::Quantile;
    bool lag = k.kind == kernels::WindowKind::Lag;
    out += fmt::format("- `{}({}, {})`: cost {} per tick\n", k.name, q ? "x, q" : "x",
                       lag ? "d" : "w", k.complexity);
  }
  out += "- `absent(s, d)`: true when series s has had no sample for at least d\n";
  return out;
}

// `fn` signatures of the standard library with the comment lines above each.
std::string stdlib_signatures() {
  std::string out =
      "## Standard library signatures (`import std`, generated from stdlib/*.omen)\n\n";
  for (const auto& f : stdlib::files()) {
    std::string_view text = f.text;
    std::string comment;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t eol = text.find('\n', pos);
      std::string_view line =
          text.substr(pos, eol == std::string_view::npos ? text.npos : eol - pos);
      pos = eol == std::string_view::npos ? text.size() : eol + 1;
      size_t b = line.find_first_not_of(" \t");
      if (b == std::string_view::npos) {
        comment.clear();
        continue;
      }
      line = line.substr(b);
      if (line.substr(0, 1) == "#") {
        comment += std::string(line.substr(1)) + " ";
      } else if (line.substr(0, 3) == "fn ") {
        // The signature runs up to the `=` that starts the body (possibly on a later line).
        std::string sig(line);
        while (sig.find('=') == std::string::npos && pos < text.size()) {
          size_t e2 = text.find('\n', pos);
          sig += ' ';
          sig += text.substr(pos, e2 == std::string_view::npos ? text.npos : e2 - pos);
          pos = e2 == std::string_view::npos ? text.size() : e2 + 1;
        }
        sig = sig.substr(0, sig.find('='));
        while (!sig.empty() && sig.back() == ' ') sig.pop_back();
        out += fmt::format("- `{}`{}{}\n", sig, comment.empty() ? "" : ": ", comment);
        comment.clear();
      } else {
        comment.clear();
      }
    }
  }
  return out;
}

}  // namespace

std::string language_reference(bool graphs) {
  std::string_view doc = internal::language_doc();
  std::vector<std::string> headings;
  std::string out = "# The Omen language (reference, from docs/language.md)\n";
  if (graphs) {
    headings = {"Graphs"};
  } else {
    out += preamble(doc);
    headings = {"Types and units", "Declarations", "Expressions", "Rules", "Evaluation", "Limits"};
  }
  for (const auto& h : headings) {
    std::string s = section(doc, h);
    out += s.empty() ? fmt::format("## {}\n(section missing from docs/language.md)\n\n", h) : s;
  }
  if (!graphs) {
    out += '\n';
    out += window_table();
    out += '\n';
    out += stdlib_signatures();
  }
  return out;
}

}  // namespace omen::llm
