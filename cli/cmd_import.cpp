// omen import openslo FILE.yaml...: OpenSLO v1 (SLO, SLI, AlertPolicy, AlertCondition) to
// Omen intents (docs/intents.md). The output is Omen source: series declarations and intents.
//
// Mapping:
//   SLO spec.service                       -> service "..."
//   SLI ratioMetric good|bad + total       -> objective ratio(good|bad = S, total = S)
//   SLI thresholdMetric + objective op/value -> objective S < value (lt <, lte <=, gt >, gte >=)
//   objectives[i].target / targetPercent   -> target P% (exact decimal text, never a double)
//   timeWindow[0].duration                 -> over DURATION (M = 30d, Q = 90d, Y = 365d)
//   alert conditions (kind burnrate)       -> alert SEVERITY burn T over LOOKBACK [for AFTER]
//   metricSource.spec.query                -> a series: a Prometheus-style simple selector
//                                             metric{label="v", ...}; for ratio counters also
//                                             sum([by (l)] rate|increase(SEL[range])) and the
//                                             like (the intent sums counters itself; `by`
//                                             labels become the intent's `by`)
#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/support/keywords.h"
#include "core/support/text.h"

namespace omen::cli {

namespace {

struct ImportError {
  std::string text;
};

// Words that cannot be written as a label or series name: the grammar's reserved keywords
// (core/support/keywords.h), and `ratio`, the objective's function.
bool is_reserved(const std::string& s) {
  return support::is_reserved_word(s) || s == "ratio";
}

bool is_ident(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

// An Omen identifier from an OpenSLO name (RFC 1123: lowercase, digits, '-', '.').
std::string ident(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "_" + out;
  if (is_reserved(out)) out += "_";
  return out;
}

using support::quote;

// ---- Prometheus simple selectors: metric{label op "value", ...} ----

struct PromMatcher {
  std::string label, op, value;
};
struct PromSelector {
  std::string metric;
  std::vector<PromMatcher> matchers;
};

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
    if (is_reserved(m.label)) {
      *why = fmt::format("label name '{}' is an Omen keyword", m.label);
      return false;
    }
  }
  return true;
}

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

// ---- exact decimals ----

// "0.999" -> digits "999", exp10 -3. False if `text` is not a plain decimal number.
bool decimal(const std::string& text, std::string* digits, long* exp10) {
  digits->clear();
  *exp10 = 0;
  size_t i = 0, n = text.size();
  bool any = false;
  for (; i < n && std::isdigit(static_cast<unsigned char>(text[i])); ++i, any = true)
    *digits += text[i];
  if (i < n && text[i] == '.')
    for (++i; i < n && std::isdigit(static_cast<unsigned char>(text[i])); ++i, any = true) {
      *digits += text[i];
      --*exp10;
    }
  if (!any) return false;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    int sign = 1;
    if (i < n && (text[i] == '+' || text[i] == '-')) sign = text[i++] == '-' ? -1 : 1;
    if (i >= n || !std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    long e = 0;
    for (; i < n && std::isdigit(static_cast<unsigned char>(text[i])); ++i)
      if ((e = e * 10 + (text[i] - '0')) > 1000) return false;
    *exp10 += sign * e;
  }
  if (i != n) return false;
  size_t lead = digits->find_first_not_of('0');
  *digits = lead == std::string::npos ? "" : digits->substr(lead);
  while (!digits->empty() && digits->back() == '0') {
    digits->pop_back();
    ++*exp10;
  }
  return true;
}

// Plain decimal text of digits * 10^exp10 ("" digits: "0").
std::string decimal_text(const std::string& digits, long exp10) {
  if (digits.empty()) return "0";
  if (exp10 >= 0) return digits + std::string(static_cast<size_t>(exp10), '0');
  size_t frac = static_cast<size_t>(-exp10);
  std::string d =
      digits.size() <= frac ? std::string(frac - digits.size() + 1, '0') + digits : digits;
  return d.substr(0, d.size() - frac) + "." + d.substr(d.size() - frac);
}

// ---- the converter ----

struct Doc {
  YAML::Node node;
  std::string file;
};

class Importer {
 public:
  std::vector<std::string> warnings;

  void load(const std::string& path) {
    std::vector<YAML::Node> docs;
    try {
      docs = YAML::LoadAllFromFile(path);
    } catch (const YAML::BadFile&) {
      throw ImportError{fmt::format("{}: error: cannot read the file", path)};
    } catch (const YAML::Exception& e) {
      throw ImportError{fmt::format("{}:{}:{}: error: YAML: {}", path, e.mark.line + 1,
                                    e.mark.column + 1, e.msg)};
    }
    for (const YAML::Node& d : docs) {
      if (!d || d.IsNull()) continue;
      Doc doc{d, path};
      if (!d.IsMap()) fail(doc, d, "", "an OpenSLO document must be a mapping");
      std::string api = scalar(doc, d, "apiVersion");
      if (api != "openslo/v1")
        fail(doc, d["apiVersion"], "apiVersion",
             fmt::format("'{}' is not supported: only openslo/v1 is", api));
      std::string kind = scalar(doc, d, "kind");
      std::string name = scalar(doc, d["metadata"], "name", "metadata.");
      // (emplace: assigning a YAML::Node would rebind the node it replaces)
      if (kind == "SLO")
        slos_.push_back(doc);
      else if (kind == "SLI")
        slis_.emplace(name, doc);
      else if (kind == "AlertPolicy")
        policies_.emplace(name, doc);
      else if (kind == "AlertCondition")
        conditions_.emplace(name, doc);
      // DataSource, Service, AlertNotificationTarget: nothing to import.
    }
  }

  std::string convert() {
    if (slos_.empty()) throw ImportError{"error: no SLO document in the input"};
    std::string out;
    std::set<std::string> files;
    for (const auto& s : slos_) files.insert(s.file);
    std::string names;
    for (const auto& f : files) {
      if (!names.empty()) names += ", ";
      names += f;
    }
    out += fmt::format("# Imported from OpenSLO v1 ({}) by omen import openslo.\n", names);
    for (const auto& slo : slos_) {
      out += '\n';
      out += convert_slo(slo);
    }
    return out;
  }

 private:
  [[noreturn]] void fail(const Doc& doc, const YAML::Node& at, const std::string& field,
                         const std::string& msg) const {
    std::string where = doc.file;
    if (at && at.Mark().line >= 0)
      where += fmt::format(":{}:{}", at.Mark().line + 1, at.Mark().column + 1);
    std::string name;
    if (doc.node["metadata"] && doc.node["metadata"]["name"])
      name = fmt::format("{} {}: ", doc.node["kind"] ? doc.node["kind"].as<std::string>("?") : "?",
                         doc.node["metadata"]["name"].as<std::string>("?"));
    throw ImportError{
        fmt::format("{}: error: {}{}{}", where, name, field.empty() ? "" : field + ": ", msg)};
  }

  // A required scalar child `key` of `map`; `prefix` is the path of `map` for messages.
  std::string scalar(const Doc& doc, const YAML::Node& map, const std::string& key,
                     const std::string& prefix = "") const {
    if (!map || !map.IsMap())
      fail(doc, map ? map : doc.node, prefix.empty() ? key : prefix.substr(0, prefix.size() - 1),
           "missing or not a mapping");
    const YAML::Node v = map[key];
    if (!v) fail(doc, map, prefix + key, "missing");
    if (!v.IsScalar()) fail(doc, v, prefix + key, "must be a single value");
    return v.Scalar();
  }

  // The Omen series declaration(s) for a metricSource; returns the series name.
  // `by` non-null: a ratio counter (sum/rate/increase wrappers allowed, their labels in *by).
  std::string series(const Doc& doc, const YAML::Node& holder, const std::string& path,
                     const std::string& name, std::string* decls,
                     std::vector<std::string>* by = nullptr) const {
    const YAML::Node ms = holder["metricSource"];
    if (!ms || !ms.IsMap()) fail(doc, holder, path + ".metricSource", "missing");
    const YAML::Node spec = ms["spec"];
    if (!spec || !spec.IsMap()) fail(doc, ms, path + ".metricSource.spec", "missing");
    const YAML::Node q = spec["query"];
    std::string field = path + ".metricSource.spec.query";
    if (!q || !q.IsScalar())
      fail(doc, spec, field,
           "missing: Omen imports a metricSource whose spec.query is a Prometheus-style simple "
           "selector such as metric{label=\"v\"}");
    PromSelector sel;
    std::string why;
    if (by && !parse_counter_query(q.Scalar(), &sel, by, &why))
      fail(doc, q, field,
           fmt::format("'{}' is not a counter query Omen imports (metric{{label=\"v\"}}, "
                       "optionally in rate(...[5m]), increase(...) and sum [by (...)]): {}",
                       q.Scalar(), why));
    if (!by && !parse_selector(q.Scalar(), &sel, &why))
      fail(doc, q, field,
           fmt::format("'{}' is not a Prometheus-style simple selector metric{{label=\"v\"}}: {}",
                       q.Scalar(), why));
    bool eq_only = true;
    for (const auto& m : sel.matchers) eq_only = eq_only && m.op == "=";
    if (eq_only) {
      std::string args = quote(sel.metric);
      for (const auto& m : sel.matchers) args += ", " + m.label + " = " + quote(m.value);
      *decls += fmt::format("series {} = metric({})\n", name, args);
      return name;
    }
    std::string base = sel.metric;
    if (!is_ident(base) || is_reserved(base)) {
      base = name + "_metric";
      *decls += fmt::format("series {} = metric({})\n", base, quote(sel.metric));
    }
    std::string ms_text;
    for (size_t i = 0; i < sel.matchers.size(); ++i)
      ms_text += (i ? ", " : "") + sel.matchers[i].label + sel.matchers[i].op +
                 quote(sel.matchers[i].value);
    *decls += fmt::format("series {} = {}{{{}}}\n", name, base, ms_text);
    return name;
  }

  // OpenSLO duration-shorthand -> Omen duration text.
  std::string duration(const Doc& doc, const YAML::Node& n, const std::string& field,
                       std::string* note) const {
    if (!n || !n.IsScalar()) fail(doc, n ? n : doc.node, field, "missing");
    std::string t = n.Scalar();
    size_t k = 0;
    while (k < t.size() && std::isdigit(static_cast<unsigned char>(t[k]))) ++k;
    if (k == 0 || k + 1 != t.size() || t.size() > 12)
      fail(doc, n, field, fmt::format("'{}' is not a duration shorthand such as 30d or 4w", t));
    long v = std::stol(t.substr(0, k));
    switch (t[k]) {
      case 's':
      case 'm':
      case 'h':
      case 'd':
      case 'w':
        return t;
      case 'M':
        if (note) *note = fmt::format("{} read as {}d", t, 30 * v);
        return fmt::format("{}d", 30 * v);
      case 'Q':
        if (note) *note = fmt::format("{} read as {}d", t, 90 * v);
        return fmt::format("{}d", 90 * v);
      case 'Y':
        if (note) *note = fmt::format("{} read as {}d", t, 365 * v);
        return fmt::format("{}d", 365 * v);
      default:
        fail(doc, n, field,
             fmt::format("unknown unit '{}' in '{}' (m, h, d, w, M, Q, Y)", t.substr(k), t));
    }
  }

  // `alert` clauses from spec.alertPolicies; empty: the defaults.
  std::vector<std::string> alerts(const Doc& slo) const {
    std::vector<std::string> out;
    const YAML::Node list = slo.node["spec"]["alertPolicies"];
    if (!list || list.IsNull()) return out;
    if (!list.IsSequence()) fail(slo, list, "spec.alertPolicies", "must be a list");
    for (size_t i = 0; i < list.size(); ++i) {
      std::string path = fmt::format("spec.alertPolicies[{}]", i);
      const YAML::Node p = list[i];
      if (!p.IsMap()) fail(slo, p, path, "must be a mapping");
      const Doc* pdoc = &slo;
      std::string pref = p["alertPolicyRef"] ? p["alertPolicyRef"].as<std::string>("") : "";
      if (p["alertPolicyRef"]) {
        auto it = policies_.find(pref);
        if (it == policies_.end())
          fail(slo, p["alertPolicyRef"], path + ".alertPolicyRef",
               fmt::format("no AlertPolicy named '{}' in the input", pref));
        pdoc = &it->second;
        path = fmt::format("AlertPolicy {} spec", pref);
      } else {
        path += ".spec";
      }
      const YAML::Node pspec = p["alertPolicyRef"] ? pdoc->node["spec"] : p["spec"];
      if (!pspec || !pspec.IsMap() || !pspec["conditions"] || !pspec["conditions"].IsSequence())
        fail(*pdoc, pspec ? pspec : p, path + ".conditions", "missing or not a list");
      const YAML::Node conds = pspec["conditions"];
      for (size_t j = 0; j < conds.size(); ++j) {
        std::string cpath = fmt::format("{}.conditions[{}]", path, j);
        const YAML::Node c = conds[j];
        if (!c.IsMap()) fail(*pdoc, c, cpath, "must be a mapping");
        const Doc* cdoc = pdoc;
        if (c["conditionRef"]) {
          std::string ref = c["conditionRef"].as<std::string>("");
          auto it = conditions_.find(ref);
          if (it == conditions_.end())
            fail(*pdoc, c["conditionRef"], cpath + ".conditionRef",
                 fmt::format("no AlertCondition named '{}' in the input", ref));
          cdoc = &it->second;
          cpath = fmt::format("AlertCondition {} spec", ref);
        } else {
          cpath += ".spec";
        }
        const YAML::Node cspec = c["conditionRef"] ? cdoc->node["spec"] : c["spec"];
        if (!cspec || !cspec.IsMap()) fail(*cdoc, c, cpath, "missing");
        const Doc& cd = *cdoc;
        const YAML::Node& cs = cspec;
        std::string sev = scalar(cd, cspec, "severity", cpath + ".");
        std::string lower;
        for (char ch : sev)
          lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        static const std::set<std::string> known = {"info",     "warning", "error",
                                                    "critical", "page",    "ticket"};
        if (!known.count(lower))
          fail(cd, cs["severity"], cpath + ".severity",
               fmt::format(
                   "'{}' has no Omen equivalent (info, warning, error, critical, page, ticket)",
                   sev));
        const YAML::Node cond = cspec["condition"];
        if (!cond || !cond.IsMap()) fail(cd, cs, cpath + ".condition", "missing");
        std::string kind = cond["kind"] ? cond["kind"].as<std::string>("") : "burnrate";
        if (kind != "burnrate")
          fail(cd, cond["kind"], cpath + ".condition.kind",
               fmt::format("'{}' is not supported (only burnrate)", kind));
        std::string threshold = scalar(cd, cond, "threshold", cpath + ".condition.");
        std::string digits;
        long e = 0;
        if (!decimal(threshold, &digits, &e) || digits.empty())
          fail(cd, cond["threshold"], cpath + ".condition.threshold",
               fmt::format("'{}' is not a positive number", threshold));
        std::string lookback =
            duration(cd, cond["lookbackWindow"], cpath + ".condition.lookbackWindow", nullptr);
        std::string a =
            fmt::format("alert {} burn {} over {}", lower, decimal_text(digits, e), lookback);
        if (cond["alertAfter"]) {
          std::string after =
              duration(cd, cond["alertAfter"], cpath + ".condition.alertAfter", nullptr);
          if (after.find_first_not_of("0123456789") != after.find_first_not_of("0"))
            a += " for " + after;  // alertAfter 0m adds nothing
        }
        out.push_back(a);
      }
    }
    return out;
  }

  std::string convert_slo(const Doc& slo) {
    std::string out;
    std::string name = slo.node["metadata"]["name"].as<std::string>();
    std::string id = ident(name);
    const YAML::Node spec = slo.node["spec"];
    if (!spec || !spec.IsMap()) fail(slo, slo.node, "spec", "missing");
    out += fmt::format("# SLO {}", name);
    if (slo.node["metadata"]["displayName"])
      out += ": " + slo.node["metadata"]["displayName"].as<std::string>("");
    out += "\n";
    if (spec["description"]) {
      std::string d = spec["description"].as<std::string>("");
      for (char& c : d)
        if (c == '\n') c = ' ';
      out += "# " + d + "\n";
    }
    // The indicator: inline, or a reference to an SLI document.
    const Doc* sp = &slo;
    std::string ipath = "spec.indicator.spec";
    if (spec["indicator"]) {
      if (!spec["indicator"].IsMap())
        fail(slo, spec["indicator"], "spec.indicator", "must be a mapping");
    } else if (spec["indicatorRef"]) {
      std::string ref = spec["indicatorRef"].as<std::string>("");
      auto it = slis_.find(ref);
      if (it == slis_.end())
        fail(slo, spec["indicatorRef"], "spec.indicatorRef",
             fmt::format("no SLI named '{}' in the input", ref));
      sp = &it->second;
      ipath = "spec";
    } else {
      fail(slo, spec, "spec.indicator", "missing (give indicator or indicatorRef)");
    }
    const Doc& sli = *sp;
    const YAML::Node ind = spec["indicator"] ? spec["indicator"]["spec"] : sli.node["spec"];
    if (!ind || !ind.IsMap())
      fail(sli, spec["indicator"] ? spec["indicator"] : sli.node, ipath, "missing");
    // Budgeting method.
    std::string method = scalar(slo, spec, "budgetingMethod", "spec.");
    if (method != "Occurrences" && method != "Timeslices" && method != "RatioTimeslices")
      fail(slo, spec["budgetingMethod"], "spec.budgetingMethod",
           fmt::format("'{}' is not one of Occurrences, Timeslices, RatioTimeslices", method));
    // Period.
    const YAML::Node tw = spec["timeWindow"];
    if (!tw || !tw.IsSequence() || tw.size() != 1 || !tw[0].IsMap())
      fail(slo, tw ? tw : spec, "spec.timeWindow",
           "Omen needs exactly one time window (the SLO period)");
    std::string unit_note;
    std::string period =
        duration(slo, tw[0]["duration"], "spec.timeWindow[0].duration", &unit_note);
    std::vector<std::string> notes;
    if (!unit_note.empty()) notes.push_back("timeWindow " + unit_note);
    bool rolling = tw[0]["isRolling"] ? tw[0]["isRolling"].as<bool>(false) : !tw[0]["calendar"];
    if (!rolling || tw[0]["calendar"])
      notes.push_back("the calendar-aligned time window is imported as a rolling window");

    std::string decls;
    std::string objective;               // with "{OP} {VALUE}" placeholders for thresholds
    std::vector<std::string> by_labels;  // ratio counters summed by these labels
    bool threshold = false;
    const YAML::Node& ci = ind;
    if (ci["ratioMetric"]) {
      const YAML::Node r = ind["ratioMetric"];
      std::string rpath = ipath + ".ratioMetric";
      if (r["raw"])
        fail(sli, r["raw"], rpath + ".raw",
             "precomputed ratios are not supported: give good (or bad) and total counters");
      if (r["counter"] && !r["counter"].as<bool>(true))
        fail(sli, r["counter"], rpath + ".counter",
             "false is not supported: Omen ratio objectives read monotonic counters (rate())");
      if (!r["total"]) fail(sli, r, rpath + ".total", "missing");
      if (r["good"] && r["bad"]) fail(sli, r["bad"], rpath + ".bad", "give good or bad, not both");
      if (!r["good"] && !r["bad"]) fail(sli, r, rpath + ".good", "missing (give good or bad)");
      const char* role = r["good"] ? "good" : "bad";
      // Named *_events: the intent itself declares INTENT_good/bad/total (the summed counters).
      std::vector<std::string> num_by, total_by;
      std::string num =
          series(sli, r[role], rpath + "." + role, id + "_" + role + "_events", &decls, &num_by);
      std::string total =
          series(sli, r["total"], rpath + ".total", id + "_total_events", &decls, &total_by);
      objective = fmt::format("ratio({} = {}, total = {})", role, num, total);
      std::set<std::string> a(num_by.begin(), num_by.end()), b(total_by.begin(), total_by.end());
      if (a != b && !num_by.empty() && !total_by.empty())
        fail(sli, r["total"], rpath + ".total.metricSource.spec.query",
             fmt::format("sum by ({}) here but by ({}) in {}: good/bad and total must be grouped "
                         "by the same labels",
                         fmt::join(total_by, ", "), fmt::join(num_by, ", "), role));
      by_labels = num_by.empty() ? total_by : num_by;
      if (method != "Occurrences")
        notes.push_back(
            fmt::format("budgetingMethod {} is imported as Occurrences: Omen budgets "
                        "ratio objectives by events",
                        method));
    } else if (ci["thresholdMetric"]) {
      threshold = true;
      std::string s =
          series(sli, ci["thresholdMetric"], ipath + ".thresholdMetric", id + "_sli", &decls);
      objective = s;
      if (method == "RatioTimeslices")
        fail(slo, spec["budgetingMethod"], "spec.budgetingMethod",
             "RatioTimeslices needs a ratioMetric");
      if (method == "Timeslices")
        notes.push_back(
            "budgetingMethod Timeslices: each sample of the series is one time slice "
            "(timeSliceWindow and timeSliceTarget are not used)");
    } else {
      fail(sli, ind, ipath, "needs ratioMetric or thresholdMetric");
    }
    // Objectives: one intent each.
    const YAML::Node objs = spec["objectives"];
    if (!objs || !objs.IsSequence() || objs.size() == 0)
      fail(slo, objs ? objs : spec, "spec.objectives", "missing or empty");
    if (threshold && objs.size() > 1)
      fail(slo, objs, "spec.objectives", "a thresholdMetric SLO has exactly one objective");
    std::vector<std::string> alert_lines = alerts(slo);
    if (alert_lines.empty())
      notes.push_back("no alert policy: the SRE workbook's default burn-rate alerts");
    for (const auto& n : notes) {
      out += "# note: " + n + "\n";
      if (n.rfind("no alert policy", 0) != 0)
        warnings.push_back(fmt::format("{}: warning: SLO {}: {}", slo.file, name, n));
    }
    out += decls;
    for (size_t i = 0; i < objs.size(); ++i) {
      const YAML::Node o = objs[i];
      std::string opath = fmt::format("spec.objectives[{}]", i);
      std::string iname = id;
      if (objs.size() > 1) {
        std::string dn = o["displayName"] ? o["displayName"].as<std::string>("") : "";
        std::string suffix = dn.empty() ? std::to_string(i + 1) : ident(dn);
        for (char& c : suffix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (suffix[0] == '_') suffix = suffix.substr(1);
        iname += "_" + suffix;
      }
      // Target: the exact decimal text, as a percent.
      std::string digits;
      long e = 0;
      std::string target;
      if (o["target"] && o["targetPercent"])
        fail(slo, o["targetPercent"], opath + ".targetPercent",
             "give target or targetPercent, not both");
      if (o["target"]) {
        std::string t = scalar(slo, o, "target", opath + ".");
        if (!decimal(t, &digits, &e))
          fail(slo, o["target"], opath + ".target", fmt::format("'{}' is not a number", t));
        e += 2;
      } else if (o["targetPercent"]) {
        std::string t = scalar(slo, o, "targetPercent", opath + ".");
        if (!decimal(t, &digits, &e))
          fail(slo, o["targetPercent"], opath + ".targetPercent",
               fmt::format("'{}' is not a number", t));
      } else {
        fail(slo, o, opath + ".target", "missing (give target or targetPercent)");
      }
      target = decimal_text(digits, e);
      std::string obj = objective;
      if (threshold) {
        std::string op = scalar(slo, o, "op", opath + ".");
        static const std::map<std::string, std::string> ops = {
            {"lt", "<"}, {"lte", "<="}, {"gt", ">"}, {"gte", ">="}};
        if (!ops.count(op))
          fail(slo, o["op"], opath + ".op", fmt::format("'{}' is not lt, lte, gt or gte", op));
        std::string v = scalar(slo, o, "value", opath + ".");
        std::string vd;
        long ve = 0;
        bool neg = !v.empty() && v[0] == '-';
        if (!decimal(neg ? v.substr(1) : v, &vd, &ve))
          fail(slo, o["value"], opath + ".value", fmt::format("'{}' is not a number", v));
        std::string vt = decimal_text(vd, ve);
        obj += " " + ops.at(op) + " " + (neg && vt != "0" ? "(-" + vt + ")" : vt);
      }
      out += fmt::format("intent {} {{\n", iname);
      if (spec["service"]) out += "  service " + quote(spec["service"].as<std::string>("")) + "\n";
      out += "  objective " + obj + "\n";
      out += fmt::format("  target {}% over {}\n", target, period);
      if (!by_labels.empty()) out += fmt::format("  by ({})\n", fmt::join(by_labels, ", "));
      for (const auto& a : alert_lines) out += "  " + a + "\n";
      out += "}\n";
    }
    return out;
  }

  std::vector<Doc> slos_;
  std::map<std::string, Doc> slis_, policies_, conditions_;
};

}  // namespace

int run_import(int argc, char** argv) {
  const char* usage = "omen import openslo FILE.yaml... [--output FILE.omen]";
  Args args(argc, argv, {"output"}, {"help"});
  if (args.flag("help")) return std::printf("%s\n", usage), 0;
  if (!args.ok()) {
    std::fprintf(stderr, "omen import: %s\nusage: %s\n", args.error().c_str(), usage);
    return 2;
  }
  const auto& pos = args.positional();
  if (pos.empty() || pos[0] != "openslo") {
    std::fprintf(stderr, "omen import: the only format is openslo\nusage: %s\n", usage);
    return 2;
  }
  if (pos.size() < 2) {
    std::fprintf(stderr, "omen import: no YAML files given\nusage: %s\n", usage);
    return 2;
  }
  Importer imp;
  std::string out;
  try {
    for (size_t i = 1; i < pos.size(); ++i) imp.load(pos[i]);
    out = imp.convert();
  } catch (const ImportError& e) {
    std::fprintf(stderr, "%s\n", e.text.c_str());
    return 1;
  } catch (const YAML::Exception& e) {
    std::fprintf(stderr, "error: YAML: %s\n", e.what());
    return 1;
  }
  for (const auto& w : imp.warnings) std::fprintf(stderr, "%s\n", w.c_str());
  if (args.has("output")) {
    std::ofstream f(args.get("output"));
    f << out;
    if (!f) {
      std::fprintf(stderr, "omen import: cannot write %s\n", args.get("output").c_str());
      return 1;
    }
    return 0;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace omen::cli
