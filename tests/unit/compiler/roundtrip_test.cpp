// print(parse(x)) is a fixed point: printing a parsed module and parsing it again gives the
// same text, for every data test and example file (Soufflé's ast_print_test).
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "compiler/ast/ast.h"
#include "compiler/parse/parser.h"

namespace {

std::string print_parsed(const std::string& name, const std::string& text, std::string* errors) {
  omen::SourceManager sm;
  omen::Diagnostics diags(&sm);
  uint32_t id = sm.add(name, text);
  omen::ast::Module m = omen::parse::parse_module(sm, id, diags);
  *errors = diags.render();
  return omen::ast::print(m);
}

std::string read(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("print -> parse -> print is stable for every data test", "[roundtrip]") {
  std::vector<std::filesystem::path> files;
  for (const auto& dir : {"/data", "/../examples/quickstart"})
    for (const auto& e : std::filesystem::directory_iterator(std::string(OMEN_TEST_DIR) + dir))
      if (e.path().extension() == ".omen") files.push_back(e.path());
  REQUIRE(files.size() >= 5);
  for (const auto& p : files) {
    INFO(p.string());
    std::string err;
    std::string once = print_parsed(p.string(), read(p), &err);
    REQUIRE(err.empty());
    std::string twice = print_parsed("printed", once, &err);
    REQUIRE(err.empty());
    CHECK(once == twice);
  }
}

TEST_CASE("the printer parenthesizes exactly where precedence needs it", "[roundtrip]") {
  auto expr = [](const std::string& src) {
    omen::SourceManager sm;
    omen::Diagnostics diags(&sm);
    uint32_t id = sm.add("e", src);
    auto e = omen::parse::parse_expr(src, omen::Loc{id, 1, 1, 1}, sm, diags);
    REQUIRE(e);
    return omen::ast::print(*e);
  };
  CHECK(expr("(a + b) * c") == "(a + b) * c");
  CHECK(expr("a + (b * c)") == "a + b * c");
  CHECK(expr("a - (b - c)") == "a - (b - c)");
  CHECK(expr("(a - b) - c") == "a - b - c");
  CHECK(expr("-(a ^ 2)") == "-a ^ 2");
  CHECK(expr("(-a) ^ 2") == "(-a) ^ 2");
  CHECK(expr("a ^ (b ^ c)") == "a ^ b ^ c");
  CHECK(expr("(a ^ b) ^ c") == "(a ^ b) ^ c");
  CHECK(expr("not (a and b)") == "not (a and b)");
  CHECK(expr("(a < b) == c") == "(a < b) == c");
  CHECK(expr("(if a then b else c) + 1") == "(if a then b else c) + 1");
}
