// The diagnostic model: the internal collector produces omen::Diagnostic values, format()
// renders them clang-style, to_json_line() as JSON, and the code table is complete.
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "compiler/ast/source.h"
#include "compiler/parse/parser.h"
#include "omen/diagnostics.h"

using omen::DiagCode;
using omen::Diagnostic;
using omen::Loc;

TEST_CASE("the collector resolves file, range and source line", "[diagnostics]") {
  omen::SourceManager sm;
  uint32_t f = sm.add("a.omen", "const a = 1\nconst a = 2\n");
  omen::Diagnostics diags(&sm);
  diags.error(Loc{f, 2, 7, 1}, DiagCode::E011, "'a' is already defined");
  diags.note(Loc{f, 1, 7, 1}, "previous definition of 'a' is here");
  std::vector<Diagnostic> all = diags.all();
  REQUIRE(all.size() == 1);  // the note is attached, not a diagnostic of its own
  const Diagnostic& d = all[0];
  CHECK(d.code == "E011");
  CHECK(d.severity == omen::Severity::Error);
  CHECK(d.file == "a.omen");
  CHECK(d.range.line == 2);
  CHECK(d.range.col == 7);
  CHECK(d.range.end_col == 8);
  CHECK(d.source_line == "const a = 2");
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].range.line == 1);
  CHECK(omen::format(all) ==
        "a.omen:2:7: error[E011]: 'a' is already defined\n"
        "  const a = 2\n"
        "        ^\n"
        "a.omen:1:7: note: previous definition of 'a' is here\n"
        "  const a = 1\n"
        "        ^\n");
  CHECK(diags.render() == omen::format(all));
}

TEST_CASE("errors over the limit are counted in a closing note", "[diagnostics]") {
  omen::SourceManager sm;
  uint32_t f = sm.add("a.omen", "x\n");
  omen::Diagnostics diags(&sm, 2);
  for (int i = 0; i < 5; ++i) {
    diags.error(Loc{f, 1, 1, 1}, DiagCode::E010, "unknown name 'x'");
    diags.note(Loc{f, 1, 1, 1}, "a note");
  }
  std::vector<Diagnostic> all = diags.all();
  REQUIRE(all.size() == 3);
  CHECK(all[0].notes.size() == 1);
  CHECK(all[1].notes.size() == 1);  // notes of the suppressed errors are dropped
  CHECK(all[2].severity == omen::Severity::Note);
  CHECK(all[2].code.empty());
  CHECK(omen::format(all[2]) == "note: 3 more errors not shown (limit 2)\n");
}

TEST_CASE("warnings: disabled by code, or made errors", "[diagnostics]") {
  omen::SourceManager sm;
  uint32_t f = sm.add("a.omen", "const u = 1\n");
  omen::Diagnostics off(&sm);
  off.disable_warning("W001");
  off.warning(Loc{f, 1, 7, 1}, DiagCode::W001, "'u' is never used");
  CHECK(off.all().empty());
  omen::Diagnostics werror(&sm);
  werror.set_warnings_as_errors(true);
  werror.warning(Loc{f, 1, 7, 1}, DiagCode::W001, "'u' is never used");
  REQUIRE(werror.all().size() == 1);
  CHECK(werror.all()[0].severity == omen::Severity::Error);
  CHECK(werror.all()[0].code == "W001");
}

TEST_CASE("format without a source line or without a file", "[diagnostics]") {
  Diagnostic d = omen::make_diagnostic(DiagCode::E101, "cannot read file: gone", "x.csv");
  CHECK(omen::format(d) == "x.csv: error[E101]: cannot read file: gone\n");
  d.range = {3, 5, 3, 6};
  CHECK(omen::format(d) == "x.csv:3:5: error[E101]: cannot read file: gone\n");
  Diagnostic bare = omen::make_diagnostic(DiagCode::E900, "no JIT");
  CHECK(omen::format(bare) == "error[E900]: no JIT\n");
  CHECK(omen::format(bare, true) == "\033[1;31merror[E900]\033[0m: no JIT\n");
}

TEST_CASE("JSON lines: fields, notes, fix-its and bytes that are not UTF-8", "[diagnostics]") {
  Diagnostic d =
      omen::make_diagnostic(DiagCode::E010, "unknown name '\xff'", "a.omen", {1, 2, 1, 4});
  d.notes.push_back({"a.omen", {3, 1, 3, 2}, "see here", ""});
  d.fixit = omen::FixIt{{1, 2, 1, 4}, "abc"};
  std::string line = omen::to_json_line(d);
  CHECK(line.find('\n') == std::string::npos);
  nlohmann::json j = nlohmann::json::parse(line);  // valid JSON although the message is not UTF-8
  CHECK(j["code"] == "E010");
  CHECK(j["severity"] == "error");
  CHECK(j["file"] == "a.omen");
  CHECK(j["line"] == 1);
  CHECK(j["col"] == 2);
  CHECK(j["end_line"] == 1);
  CHECK(j["end_col"] == 4);
  CHECK(j["message"] == "unknown name '\xEF\xBF\xBD'");
  CHECK(j["notes"][0]["line"] == 3);
  CHECK(j["notes"][0]["message"] == "see here");
  CHECK(j["fixit"]["replacement"] == "abc");
  CHECK(line.rfind("{\"code\":\"E010\",\"severity\":\"error\",\"file\":\"a.omen\",\"line\":1,",
                   0) == 0);
}

TEST_CASE("the code table: unique names, lookups, severities", "[diagnostics]") {
  std::set<std::string_view> names;
  for (const auto& row : omen::diag_codes()) {
    CHECK(names.insert(row.name).second);
    CHECK(!row.description.empty());
    CHECK(omen::code_name(row.code) == row.name);
    CHECK((row.name[0] == 'W') == (row.severity == omen::Severity::Warning));
  }
  CHECK(omen::find_code("e020")->name == "E020");
  CHECK_FALSE(omen::find_code("E999"));
  CHECK_FALSE(omen::find_code("E02"));
  CHECK(omen::info(DiagCode::W002).severity == omen::Severity::Warning);
}

TEST_CASE("source that is not UTF-8 is an error with a location, not a crash", "[diagnostics]") {
  omen::SourceManager sm;
  uint32_t f =
      sm.add("bad.omen", "series x = metric(\"x\")\nrule R { on x when x > 1 \xC3\x28 }\n");
  omen::Diagnostics diags(&sm);
  omen::parse::parse_module(sm, f, diags);
  std::vector<Diagnostic> all = diags.all();
  REQUIRE(all.size() == 1);
  CHECK(all[0].code == "E002");
  CHECK(all[0].range.line == 2);
  CHECK(all[0].range.col == 26);
  CHECK(all[0].message == "byte 0xC3 is not UTF-8 (Omen source is UTF-8)");
  // Valid multi-byte characters are fine (the parser reports them as characters).
  omen::Diagnostics ok(&sm);
  uint32_t g = sm.add("ok.omen", "series x = metric(\"\xC3\xA9\")\n");
  omen::parse::parse_module(sm, g, ok);
  CHECK_FALSE(ok.has_errors());
}
