// import_openslo (include/omen/openslo.h): OpenSLO v1 (SLO, SLI, AlertPolicy, AlertCondition) to
// Omen intents (docs/intents.md). The output is Omen source: series declarations and intents,
// built as an AST and printed by ast::print (names the grammar does not accept as names get
// a trailing '_', decided by parse::is_name).
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
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include "compiler/ast/ast.h"
#include "compiler/import/promql.h"
#include "compiler/parse/parser.h"
#include "core/support/time.h"
#include "omen/openslo.h"

namespace omen {

namespace {

using openslo::parse_counter_query;
using openslo::parse_selector;
using openslo::PromSelector;

struct ImportError {
  std::string text;
};

// An Omen identifier from an OpenSLO name (RFC 1123: lowercase, digits, '-', '.').
std::string ident(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "_" + out;
  if (!parse::is_name(out)) out += "_";  // a keyword such as `at`
  return out;
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

// ---- AST pieces ----

ast::ExprPtr expr(ast::ExprKind kind, std::string text) {
  auto e = std::make_unique<ast::Expr>();
  e->kind = kind;
  e->text = std::move(text);
  return e;
}

ast::ExprPtr number_expr(const std::string& text) {
  auto e = expr(ast::ExprKind::Number, text);
  e->number = std::stod(text);
  return e;
}

// A duration literal such as "30d" (validated by the caller).
ast::ExprPtr duration_expr(const std::string& text) {
  auto e = expr(ast::ExprKind::Duration, text);
  e->number = static_cast<double>(support::parse_duration(text).value_or(0));
  return e;
}

ast::ExprPtr call_expr(const std::string& fn) {
  return expr(ast::ExprKind::Call, fn);
}

void add_arg(ast::Expr& call, const std::string& name, ast::ExprPtr value) {
  call.args.push_back(std::move(value));
  call.arg_names.push_back(name);
}

ast::MatchOp match_op(const std::string& op) {
  if (op == "!=") return ast::MatchOp::Ne;
  if (op == "=~") return ast::MatchOp::Re;
  if (op == "!~") return ast::MatchOp::NotRe;
  return ast::MatchOp::Eq;
}

// ---- the converter ----

struct Doc {
  YAML::Node node;
  std::string file;
};

// One `alert SEVERITY burn FACTOR over LOOKBACK [for AFTER]` clause, as decimal and
// duration texts.
struct AlertSpec {
  std::string severity, burn, lookback, after;
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
                     const std::string& name, ast::Module* decls,
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
      auto call = call_expr("metric");
      add_arg(*call, "", expr(ast::ExprKind::String, sel.metric));
      for (const auto& m : sel.matchers)
        add_arg(*call, m.label, expr(ast::ExprKind::String, m.value));
      declare(decls, name, std::move(call));
      return name;
    }
    std::string base = sel.metric;
    if (!parse::is_name(base)) {
      base = name + "_metric";
      auto call = call_expr("metric");
      add_arg(*call, "", expr(ast::ExprKind::String, sel.metric));
      declare(decls, base, std::move(call));
    }
    auto ref = expr(ast::ExprKind::Name, base);
    ref->has_selector = true;
    for (const auto& m : sel.matchers)
      ref->selector.push_back({m.label, match_op(m.op), m.value, {}});
    declare(decls, name, std::move(ref));
    return name;
  }

  static void declare(ast::Module* m, const std::string& name, ast::ExprPtr value) {
    ast::SeriesDecl d;
    d.name = name;
    d.value = std::move(value);
    m->items.push_back({ast::Item::Series, m->series.size()});
    m->series.push_back(std::move(d));
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
  std::vector<AlertSpec> alerts(const Doc& slo) const {
    std::vector<AlertSpec> out;
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
        AlertSpec a{lower, decimal_text(digits, e), lookback, ""};
        if (cond["alertAfter"]) {
          std::string after =
              duration(cd, cond["alertAfter"], cpath + ".condition.alertAfter", nullptr);
          if (after.find_first_not_of("0123456789") != after.find_first_not_of("0"))
            a.after = after;  // alertAfter 0m adds nothing
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

    ast::Module decls;
    std::string role, num, total;        // a ratio objective's counters
    std::string objective;               // a threshold objective's series
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
      role = r["good"] ? "good" : "bad";
      // Named *_events: the intent itself declares INTENT_good/bad/total (the summed counters).
      std::vector<std::string> num_by, total_by;
      num = series(sli, r[role], rpath + "." + role, id + "_" + role + "_events", &decls, &num_by);
      total = series(sli, r["total"], rpath + ".total", id + "_total_events", &decls, &total_by);
      std::set<std::string> a(num_by.begin(), num_by.end()), b(total_by.begin(), total_by.end());
      if (a != b && !num_by.empty() && !total_by.empty())
        fail(sli, r["total"], rpath + ".total.metricSource.spec.query",
             fmt::format("sum by ({}) here but by ({}) in {}: good/bad and total must be grouped "
                         "by the same labels",
                         fmt::join(total_by, ", "), fmt::join(num_by, ", "), role));
      by_labels = num_by.empty() ? total_by : num_by;
      for (const auto& l : by_labels)
        if (!parse::is_name(l))
          fail(sli, r["total"], rpath + ".total.metricSource.spec.query",
               fmt::format("label name '{}' in sum by (...) is an Omen keyword", l));
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
    std::vector<AlertSpec> alert_lines = alerts(slo);
    if (alert_lines.empty())
      notes.push_back("no alert policy: the SRE workbook's default burn-rate alerts");
    for (const auto& n : notes) {
      out += "# note: " + n + "\n";
      if (n.rfind("no alert policy", 0) != 0)
        warnings.push_back(fmt::format("{}: warning: SLO {}: {}", slo.file, name, n));
    }
    ast::Module& items = decls;  // the series, then one intent per objective
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
      ast::ExprPtr obj;
      if (!threshold) {
        obj = call_expr("ratio");
        add_arg(*obj, role, expr(ast::ExprKind::Name, num));
        add_arg(*obj, "total", expr(ast::ExprKind::Name, total));
      } else {
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
        ast::ExprPtr bound = number_expr(vt);
        if (neg && vt != "0") {
          auto minus = expr(ast::ExprKind::Unary, "-");
          minus->args.push_back(std::move(bound));
          bound = std::move(minus);
        }
        obj = expr(ast::ExprKind::Binary, ops.at(op));
        obj->args.push_back(expr(ast::ExprKind::Name, objective));
        obj->args.push_back(std::move(bound));
      }
      ast::Intent in;
      in.name = iname;
      if (spec["service"]) {
        in.has_service = true;
        in.service = spec["service"].as<std::string>("");
      }
      in.objective = std::move(obj);
      in.target = expr(ast::ExprKind::Percent, target);
      in.target->number = std::stod(target);
      in.period = duration_expr(period);
      for (const auto& a : alert_lines) {
        ast::IntentAlert ia;
        ia.severity = a.severity;
        ia.burn = number_expr(a.burn);
        ia.long_window = duration_expr(a.lookback);
        if (!a.after.empty()) ia.for_ = duration_expr(a.after);
        in.alerts.push_back(std::move(ia));
      }
      in.has_by = !by_labels.empty();
      in.by = by_labels;
      items.items.push_back({ast::Item::Intent, items.intents.size()});
      items.intents.push_back(std::move(in));
    }
    return out + ast::print(items);
  }

  std::vector<Doc> slos_;
  std::map<std::string, Doc> slis_, policies_, conditions_;
};

}  // namespace

OpenSloImport import_openslo(const std::vector<std::string>& paths) {
  OpenSloImport out;
  Importer imp;
  try {
    if (paths.empty()) throw ImportError{"error: no YAML files given"};
    for (const auto& p : paths) imp.load(p);
    out.source = imp.convert();
  } catch (const ImportError& e) {
    out.error = e.text;
    return out;
  } catch (const YAML::Exception& e) {
    out.error = fmt::format("error: YAML: {}", e.what());
    return out;
  }
  out.ok = true;
  out.warnings = std::move(imp.warnings);
  return out;
}

}  // namespace omen
