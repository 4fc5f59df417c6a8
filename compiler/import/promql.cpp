// PromQL as OpenSLO metric sources write it: simple selectors and the counter wrappers the
// importer accepts (compiler/import/promql.h).
#include "compiler/import/promql.h"

#include <cctype>
#include <cstring>

#include <fmt/format.h>

#include "compiler/parse/parser.h"

namespace omen::openslo {

namespace {

// Index just past the parenthesis that closes the one at q[open] (quotes skipped); npos if none.
size_t closing_paren(const std::string& q, size_t open) {
  int depth = 0;
  char quote_char = 0;
  for (size_t i = open; i < q.size(); ++i) {
    char c = q[i];
    if (quote_char) {
      if (c == '\\' && quote_char != '`')
        ++i;
      else if (c == quote_char)
        quote_char = 0;
    } else if (c == '"' || c == '\'' || c == '`') {
      quote_char = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return i + 1;
    }
  }
  return std::string::npos;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\n\r"), e = s.find_last_not_of(" \t\n\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// `by (a, b)` at the start of `s`: the labels and the rest; false if `s` does not start so.
bool by_clause(const std::string& s, std::vector<std::string>* by, std::string* rest,
               std::string* why) {
  if (s.compare(0, 2, "by") != 0 ||
      (s.size() > 2 && (std::isalnum(static_cast<unsigned char>(s[2])) || s[2] == '_')))
    return false;
  std::string t = trim(s.substr(2));
  if (t.empty() || t[0] != '(' || t.find(')') == std::string::npos) {
    *why = "expected '(' labels ')' after 'by'";
    return false;
  }
  size_t close = t.find(')');
  std::string list = t.substr(1, close - 1);
  by->clear();
  size_t k = 0;
  while (k <= list.size()) {
    size_t comma = list.find(',', k);
    std::string l =
        trim(list.substr(k, comma == std::string::npos ? std::string::npos : comma - k));
    if (!l.empty()) by->push_back(l);
    if (comma == std::string::npos) break;
    k = comma + 1;
  }
  *rest = trim(t.substr(close + 1));
  return true;
}

}  // namespace

// Parses `query` as a simple selector; false with *why set otherwise.
bool parse_selector(const std::string& q, PromSelector* out, std::string* why) {
  size_t i = 0, n = q.size();
  auto ws = [&] {
    while (i < n && std::isspace(static_cast<unsigned char>(q[i]))) ++i;
  };
  auto name = [&](bool colon) {
    size_t s = i;
    if (i < n &&
        (std::isalpha(static_cast<unsigned char>(q[i])) || q[i] == '_' || (colon && q[i] == ':')))
      ++i;
    else
      return std::string();
    while (i < n && (std::isalnum(static_cast<unsigned char>(q[i])) || q[i] == '_' ||
                     (colon && q[i] == ':')))
      ++i;
    return q.substr(s, i - s);
  };
  ws();
  out->metric = name(true);
  ws();
  if (i < n && q[i] == '(') {
    *why = fmt::format(
        "'{}(...)' is a function or aggregation: a threshold metric must be a "
        "series as it is (sum/rate/increase are imported for ratioMetric counters "
        "only)",
        out->metric);
    return false;
  }
  if (i < n && q[i] == '{') {
    ++i;
    ws();
    while (i < n && q[i] != '}') {
      PromMatcher m;
      m.label = name(false);
      if (m.label.empty()) {
        *why = fmt::format("expected a label name at column {}", i + 1);
        return false;
      }
      ws();
      for (const char* op : {"!=", "=~", "!~", "="})
        if (q.compare(i, std::strlen(op), op) == 0) {
          m.op = op;
          i += std::strlen(op);
          break;
        }
      if (m.op.empty()) {
        *why = fmt::format("expected =, !=, =~ or !~ after label '{}'", m.label);
        return false;
      }
      ws();
      if (i >= n || (q[i] != '"' && q[i] != '\'' && q[i] != '`')) {
        *why = fmt::format("expected a quoted value for label '{}'", m.label);
        return false;
      }
      char quote_char = q[i++];
      bool closed = false;
      while (i < n) {
        char c = q[i++];
        if (c == quote_char) {
          closed = true;
          break;
        }
        if (c == '\\' && quote_char != '`' && i < n) {
          char e = q[i++];
          switch (e) {
            case 'n':
              m.value += '\n';
              break;
            case 't':
              m.value += '\t';
              break;
            case '\\':
              m.value += '\\';
              break;
            case '"':
              m.value += '"';
              break;
            case '\'':
              m.value += '\'';
              break;
            default:
              m.value += '\\';
              m.value += e;  // regex escapes such as \d
          }
          continue;
        }
        m.value += c;
      }
      if (!closed) {
        *why = fmt::format("unterminated value for label '{}'", m.label);
        return false;
      }
      out->matchers.push_back(m);
      ws();
      if (i < n && q[i] == ',') {
        ++i;
        ws();
      } else if (i < n && q[i] != '}') {
        *why = fmt::format("expected ',' or '}}' at column {}", i + 1);
        return false;
      }
    }
    if (i >= n) {
      *why = "unterminated '{'";
      return false;
    }
    ++i;
    ws();
  }
  if (i < n) {
    *why = q[i] == '['   ? "a range selector [..] is not a series: give the counter itself"
           : q[i] == ' ' ? "unexpected text after the selector"
                         : fmt::format(
                               "unexpected '{}' at column {}: only a simple selector "
                               "metric{{label=\"v\"}} is accepted",
                               q.substr(i, 1), i + 1);
    return false;
  }
  if (out->metric.empty()) {  // {__name__="x", ...}
    for (size_t k = 0; k < out->matchers.size(); ++k)
      if (out->matchers[k].label == "__name__" && out->matchers[k].op == "=") {
        out->metric = out->matchers[k].value;
        out->matchers.erase(out->matchers.begin() + static_cast<long>(k));
        break;
      }
    if (out->metric.empty()) {
      *why = "the selector has no metric name";
      return false;
    }
  }
  for (const auto& m : out->matchers) {
    if (m.label == "__name__") {
      *why = "only __name__=\"metric\" may select the metric name";
      return false;
    }
    if (!parse::is_name(m.label)) {
      *why = fmt::format("label name '{}' is an Omen keyword", m.label);
      return false;
    }
  }
  return true;
}

// A counter query of a ratio metric: SEL, rate(SEL[r]), increase(SEL[r]), each optionally
// wrapped in sum(...), `sum by (l) (...)` or `sum(...) by (l)`. The intent aggregates counters
// itself (counter_sum, resets handled), so the wrappers only contribute their `by` labels.
bool parse_counter_query(const std::string& query, PromSelector* out, std::vector<std::string>* by,
                         std::string* why) {
  std::string q = trim(query);
  by->clear();
  std::string after_sum = q.compare(0, 3, "sum") == 0 ? trim(q.substr(3)) : "";
  if (!after_sum.empty() &&
      (after_sum[0] == '(' || after_sum.compare(0, 3, "by ") == 0 ||
       after_sum.compare(0, 3, "by(") == 0 || after_sum.compare(0, 7, "without") == 0)) {
    std::string rest = after_sum;
    std::string after;
    if (by_clause(rest, by, &after, why))
      rest = after;
    else if (!why->empty())
      return false;
    if (rest.compare(0, 7, "without") == 0) {
      *why = "sum without (...) is not supported: name the labels to keep with sum by (...)";
      return false;
    }
    if (rest.empty() || rest[0] != '(') {
      *why = "expected '(' after sum";
      return false;
    }
    size_t end = closing_paren(rest, 0);
    if (end == std::string::npos) {
      *why = "unbalanced parentheses";
      return false;
    }
    std::string inner = rest.substr(1, end - 2);
    std::string tail = trim(rest.substr(end));
    if (!tail.empty()) {
      std::vector<std::string> by2;
      if (!by->empty() || !by_clause(tail, &by2, &after, why) || !after.empty()) {
        if (why->empty()) *why = fmt::format("unexpected '{}' after sum(...)", tail);
        return false;
      }
      *by = by2;
    }
    q = trim(inner);
  }
  for (const char* fn : {"rate", "increase"}) {
    size_t len = std::strlen(fn);
    if (q.compare(0, len, fn) != 0) continue;
    std::string rest = trim(q.substr(len));
    if (rest.empty() || rest[0] != '(') continue;
    size_t end = closing_paren(rest, 0);
    if (end == std::string::npos || !trim(rest.substr(end)).empty()) {
      *why = fmt::format("unbalanced parentheses in {}(...)", fn);
      return false;
    }
    std::string inner = trim(rest.substr(1, end - 2));
    size_t bracket = inner.rfind('[');
    if (bracket == std::string::npos || inner.back() != ']') {
      *why = fmt::format("{}(...) takes a range selector such as metric{{...}}[5m]", fn);
      return false;
    }
    q = trim(inner.substr(0, bracket));
    break;
  }
  return parse_selector(q, out, why);
}

}  // namespace omen::openslo
