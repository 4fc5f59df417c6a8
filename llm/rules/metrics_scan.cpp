// Which metrics a candidate selects, read from its tokens. Models invent metric names; a
// series that selects nothing compiles fine and never alerts, so every name is checked
// against the data before a candidate is run. Conservative: a declaration that cannot be
// read is an error, not a pass.
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "omen/llm.h"

namespace omen::llm {

namespace {

struct Token {
  enum Kind { Ident, String, Punct } kind;
  std::string text;
};

std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> out;
  size_t i = 0, n = s.size();
  while (i < n) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '#') {
      while (i < n && s[i] != '\n') ++i;
    } else if (c == '"') {
      std::string v;
      ++i;
      while (i < n && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < n) ++i;
        v += s[i++];
      }
      ++i;
      out.push_back({Token::String, v});
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t b = i;
      while (i < n && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
      out.push_back({Token::Ident, s.substr(b, i - b)});
    } else {
      out.push_back({Token::Punct, std::string(1, c)});
      ++i;
    }
  }
  return out;
}

bool is(const std::vector<Token>& t, size_t i, Token::Kind k, const char* text = nullptr) {
  return i < t.size() && t[i].kind == k && (!text || t[i].text == text);
}

}  // namespace

std::vector<std::string> referenced_metrics(const std::string& source, std::string* error) {
  std::vector<Token> t = tokenize(source);
  std::set<std::string> declared;
  for (size_t i = 0; i + 2 < t.size(); ++i)
    if (is(t, i, Token::Ident, "series") && is(t, i + 1, Token::Ident) &&
        is(t, i + 2, Token::Punct, "="))
      declared.insert(t[i + 1].text);
  std::set<std::string> metrics;
  for (size_t i = 0; i + 2 < t.size(); ++i) {
    if (!(is(t, i, Token::Ident, "series") && is(t, i + 1, Token::Ident) &&
          is(t, i + 2, Token::Punct, "=")))
      continue;
    const std::string& name = t[i + 1].text;
    if (is(t, i + 3, Token::Ident, "metric")) {
      if (is(t, i + 4, Token::Punct, "(") && is(t, i + 5, Token::String)) {
        metrics.insert(t[i + 5].text);
        continue;
      }
    } else if (is(t, i + 3, Token::Ident)) {
      const std::string& ref = t[i + 3].text;
      if (!declared.count(ref)) metrics.insert(ref);  // an undeclared name is a metric name
      continue;
    }
    if (error && error->empty())
      *error = fmt::format(
          "cannot tell which metric series '{}' selects; write "
          "series {} = metric(\"name\", label = \"value\")",
          name, name);
  }
  return {metrics.begin(), metrics.end()};
}

}  // namespace omen::llm
