# Writes OUT: a C++ file defining omen::llm::internal::language_doc() as the text of IN.
file(READ ${IN} text)
file(WRITE ${OUT} "// Generated from docs/language.md by llm/prompt/embed_doc.cmake: do not edit.\n"
  "#include <string_view>\nnamespace omen::llm::internal {\n"
  "std::string_view language_doc() {\n  static constexpr std::string_view text = R\"OMEN_DOC(${text})OMEN_DOC\";\n"
  "  return text;\n}\n}  // namespace omen::llm::internal\n")
