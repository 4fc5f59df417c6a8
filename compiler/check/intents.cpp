// Intents: service-level objectives compiled to multi-window multi-burn-rate rules
// (docs/intents.md). The intent is checked here, then expanded to Omen source text that the
// checker parses and lowers through the normal pipeline.
#include "compiler/check/intents.h"

#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/support/time.h"

namespace omen::check {

namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kWorkbookPeriod = 30 * kDay;  // the SRE workbook's windows assume 30d

struct DefaultAlert {
  const char* severity;
  double burn;
  int64_t long_ms, short_ms;
};

// The SRE workbook's multi-window multi-burn-rate set for a 30d SLO (chapter 5, table 5-8).
constexpr DefaultAlert kDefaults[] = {
    {"page", 14.4, 3'600'000, 300'000},      // 2% of the budget in 1h
    {"page", 6, 6 * 3'600'000, 1'800'000},   // 5% in 6h
    {"ticket", 3, kDay, 2 * 3'600'000},      // 10% in 1d
    {"ticket", 1, 3 * kDay, 6 * 3'600'000},  // 10% in 3d
};

std::string number_text(double v) {
  return fmt::format("{}", v);
}

// Windows of the workbook scaled to the period: round(w * period / 30d), in ms.
int64_t scale_window(int64_t w, int64_t period) {
  // w <= 3d and period <= 90d: the product stays far below 2^63.
  __int128 num = static_cast<__int128>(w) * period;
  return static_cast<int64_t>((num + kWorkbookPeriod / 2) / kWorkbookPeriod);
}

struct Alert {
  std::string severity;
  double burn = 0;
  int64_t long_ms = 0, short_ms = 0;  // short 0: none
  int64_t for_ms = 0;
};

class Expander {
 public:
  Expander(Context& ctx, const ast::Intent& in, CompiledIntent* out)
      : ctx_(ctx), in_(in), out_(out) {}

  bool run() {
    size_t errors = ctx_.diags.error_count();
    for (size_t i = 0; i < in_.duplicate_clauses.size(); ++i)
      ctx_.error(in_.duplicate_clauses[i], DiagCode::E080,
                 fmt::format("intent '{}' has more than one '{}' clause", in_.name,
                             in_.duplicate_names[i]));
    if (!in_.objective)
      ctx_.error(in_.loc, DiagCode::E080,
                 fmt::format("intent '{}' has no 'objective' clause (e.g. objective "
                             "ratio(good = ok, total = requests) or objective latency < 300ms)",
                             in_.name));
    if (!in_.target)
      ctx_.error(
          in_.loc, DiagCode::E080,
          fmt::format("intent '{}' has no 'target' clause (e.g. target 99.9% over 30d)", in_.name));
    if (in_.objective) objective(*in_.objective);
    if (in_.target) target();
    if (period_ms_ > 0) alerts();
    labels();
    if (ctx_.diags.error_count() != errors || period_ms_ <= 0 || budget_ <= 0 || on_.empty())
      return false;
    generate();
    return true;
  }

 private:
  // ---- checking ----

  // A declared series, optionally narrowed by a selector. *text is its Omen text.
  bool series_ref(const ast::Expr& e, const char* role, std::string* text, bool* aggregate) {
    if (e.kind != ast::ExprKind::Name) {
      ctx_.error(e.loc, DiagCode::E082,
                 fmt::format("the {} of an objective must be a declared series such as "
                             "requests{{code=\"200\"}}, found {}",
                             role, ast::print(e)));
      return false;
    }
    if (!ctx_.series.count(e.text)) {
      ctx_.used.insert(e.text);  // a constant or function named here is not "unused"
      std::string what;
      if (ctx_.consts.count(e.text))
        what = fmt::format("'{}' is a constant, not a series", e.text);
      else if (ctx_.fns.count(e.text))
        what = fmt::format("'{}' is a function, not a series", e.text);
      else {
        std::vector<std::string> names;
        for (const auto& [k, d] : ctx_.series) names.push_back(k);
        std::string hint = suggest(e.text, names);
        what = fmt::format("unknown series '{}' in the {} of intent '{}'{}", e.text, role, in_.name,
                           hint.empty()
                               ? fmt::format(" (declare it: series {} = metric(\"...\"))", e.text)
                               : fmt::format(" (did you mean '{}'?)", hint));
      }
      ctx_.error(e.loc, DiagCode::E081, what);
      return false;
    }
    SeriesSelector sel;
    if (!ctx_.resolve_selector(e.text, e.selector, e.loc, false, &sel)) return false;
    *text = ast::print(e);
    *aggregate = !sel.metric.empty() && sel.metric[0] == '@';
    return true;
  }

  void objective(const ast::Expr& e) {
    static const char* kShape =
        "an objective is ratio(good = S, total = S), ratio(bad = S, total = S) or a threshold "
        "S < BOUND (also <=, >, >=) on a declared series S";
    if (e.kind == ast::ExprKind::Call && (e.text == "ratio" || e.text == "std.ratio")) {
      std::map<std::string, const ast::Expr*> args;
      bool ok = true;
      for (size_t i = 0; i < e.args.size(); ++i) {
        const std::string& n = e.arg_names[i];
        if (n != "good" && n != "bad" && n != "total") {
          ctx_.error(e.args[i]->loc, DiagCode::E082,
                     n.empty()
                         ? "the arguments of ratio() in an objective are named: good = S "
                           "(or bad = S) and total = S"
                         : fmt::format("unknown argument '{}' of ratio() (good, bad, total)", n));
          ok = false;
        } else if (!args.emplace(n, e.args[i].get()).second) {
          ctx_.error(e.args[i]->loc, DiagCode::E082,
                     fmt::format("ratio() argument '{}' is given twice", n));
          ok = false;
        }
      }
      if (!ok) return;
      if (!args.count("total") || args.count("good") == args.count("bad")) {
        ctx_.error(
            e.loc, DiagCode::E082,
            "ratio() in an objective takes total = S and exactly one of good = S or bad = S");
        return;
      }
      kind_ = args.count("good") ? Kind::Good : Kind::Bad;
      std::string num, total;
      bool num_agg = false, total_agg = false;
      const ast::Expr& num_e = *args.at(kind_ == Kind::Good ? "good" : "bad");
      bool a =
          series_ref(num_e, kind_ == Kind::Good ? "good events" : "bad events", &num, &num_agg);
      bool b = series_ref(*args.at("total"), "total events", &total, &total_agg);
      if (!a || !b) return;
      if (num_agg != total_agg) {
        const ast::Expr& plain = num_agg ? *args.at("total") : num_e;
        ctx_.error(plain.loc, DiagCode::E082,
                   fmt::format("'{}' is a measured series but the other side of the ratio is an "
                               "aggregate: declare both as aggregates (counter_sum(...) by (...)) "
                               "or neither (the intent then aggregates both)",
                               ast::print(plain)));
        return;
      }
      if (total_agg && in_.has_by) {
        ctx_.error(in_.by_loc, DiagCode::E082,
                   "'by' groups the objective's counters, but they are already aggregates with "
                   "their own 'by': remove one of them");
        return;
      }
      aggregated_ = !total_agg;
      num_ = num;
      on_ = total;
      on_expr_ = args.at("total");
      return;
    }
    static const std::set<std::string> cmp = {"<", "<=", ">", ">="};
    if (e.kind == ast::ExprKind::Binary && cmp.count(e.text)) {
      kind_ = Kind::Threshold;
      std::string lhs;
      bool lhs_agg = false;
      bool ok = series_ref(*e.args[0], "threshold", &lhs, &lhs_agg);
      if (in_.has_by) {
        ctx_.error(
            in_.by_loc, DiagCode::E082,
            "'by' groups the counters of a ratio objective; a threshold objective is "
            "checked on each series as it is (aggregate it first: series s = max(x) by (...))");
        ok = false;
      }
      Elaborator el(ctx_, nullptr);
      Val v = el.eval(*e.args[1]);
      if (!v.ok()) return;
      if (!v.is_const) {
        ctx_.error(e.args[1]->loc, DiagCode::E082,
                   "the bound of a threshold objective must be known at compile time");
        return;
      }
      bool compound =
          e.args[1]->kind == ast::ExprKind::Binary || e.args[1]->kind == ast::ExprKind::If;
      if (v.type == Type::Duration) {
        // A duration bound compares with a series in seconds (Prometheus base units).
        bound_ = "seconds(" + ast::print(*e.args[1]) + ")";
      } else if (v.type == Type::Number || v.type == Type::Percent) {
        bound_ = ast::print(*e.args[1]);
        if (compound) bound_ = "(" + bound_ + ")";
      } else {
        ctx_.error(e.args[1]->loc, DiagCode::E082,
                   fmt::format("the bound of a threshold objective must be a number or a "
                               "duration, found {}",
                               type_name(v.type)));
        return;
      }
      if (!ok) return;
      op_ = e.text;
      on_ = lhs;
      on_expr_ = e.args[0].get();
      return;
    }
    ctx_.error(e.loc, DiagCode::E082, fmt::format("{}, found {}", kShape, ast::print(e)));
  }

  // A constant of type `want` (Number accepts Percent); nullopt after an error.
  std::optional<double> constant(const ast::Expr& e, Type want, DiagCode code,
                                 const std::string& what) {
    Elaborator el(ctx_, nullptr);
    Val v = el.eval(e);
    if (!v.ok()) return std::nullopt;
    bool type_ok = v.type == want || (want == Type::Number && v.type == Type::Percent);
    if (!type_ok) {
      ctx_.error(e.loc, code,
                 fmt::format("{} must be a {}, found {}", what,
                             want == Type::Duration ? "duration such as 1h" : "number",
                             type_name(v.type)));
      return std::nullopt;
    }
    if (!v.is_const) {
      ctx_.error(e.loc, code, fmt::format("{} must be known at compile time", what));
      return std::nullopt;
    }
    return v.num;
  }

  void target() {
    const ast::Expr& t = *in_.target;
    bool percent = t.kind == ast::ExprKind::Percent;
    TargetBudget b = exact_budget(t.text, percent);
    target_text_ = ast::print(t);
    if (!b.well_formed) {
      ctx_.error(t.loc, DiagCode::E083,
                 fmt::format("target {} is not a decimal literal", target_text_));
    } else if (!b.in_range) {
      std::string hint = !percent && t.number > 1 && t.number < 100
                             ? fmt::format(" (did you mean {}%?)", t.text)
                             : "";
      ctx_.error(t.loc, DiagCode::E083,
                 fmt::format("target {} is impossible: a target must be above 0% and below 100%, "
                             "so that the error budget 1 - target is above 0{}",
                             target_text_, hint));
    } else if (!(b.budget >= 2.2250738585072014e-308)) {
      ctx_.error(
          t.loc, DiagCode::E083,
          fmt::format("target {} leaves an error budget too small for a double", target_text_));
    } else {
      budget_ = b.budget;
      budget_text_ = b.budget_text;
    }
    auto p = constant(*in_.period, Type::Duration, DiagCode::E084, "the SLO period");
    if (!p) return;
    int64_t ms = static_cast<int64_t>(*p);
    if (ms <= 0) {
      ctx_.error(in_.period->loc, DiagCode::E084, "the SLO period must be positive");
      return;
    }
    if (ms > ctx_.limits.max_window_ms) {
      ctx_.error(in_.period->loc, DiagCode::E084,
                 fmt::format("the SLO period {} is longer than {}, the longest window Omen keeps",
                             support::format_duration(ms),
                             support::format_duration(ctx_.limits.max_window_ms)));
      return;
    }
    period_ms_ = ms;
  }

  void alerts() {
    static const std::set<std::string> severities = {"info",     "warning", "error",
                                                     "critical", "page",    "ticket"};
    if (in_.alerts.empty()) {
      for (const auto& d : kDefaults) {
        Alert a{d.severity, d.burn, scale_window(d.long_ms, period_ms_),
                scale_window(d.short_ms, period_ms_), 0};
        if (a.short_ms < 1000) {
          ctx_.error(in_.period->loc, DiagCode::E084,
                     fmt::format("the SLO period {} is too short for the default alert windows "
                                 "(the {} window would be {}): give alert clauses",
                                 support::format_duration(period_ms_),
                                 support::format_duration(d.short_ms),
                                 support::format_duration(a.short_ms)));
          return;
        }
        alerts_.push_back(a);
      }
      return;
    }
    for (const auto& a : in_.alerts) {
      Alert out;
      out.severity = a.severity;
      bool ok = true;
      if (!severities.count(a.severity)) {
        ctx_.error(a.loc, DiagCode::E033,
                   fmt::format("unknown severity '{}' (expected info, warning, error, critical, "
                               "page or ticket)",
                               a.severity));
        ok = false;
      }
      if (auto b = constant(*a.burn, Type::Number, DiagCode::E085, "the burn rate of an alert")) {
        if (!(*b > 0) || !std::isfinite(*b)) {
          ctx_.error(a.burn->loc, DiagCode::E085,
                     fmt::format("the burn rate of an alert must be above 0, found {}", *b));
          ok = false;
        }
        out.burn = *b;
      } else {
        ok = false;
      }
      auto window = [&](const ast::Expr& e, const char* what) -> int64_t {
        auto w = constant(e, Type::Duration, DiagCode::E084, what);
        if (!w) return -1;
        int64_t ms = static_cast<int64_t>(*w);
        if (ms < 1) {
          ctx_.error(e.loc, DiagCode::E084, fmt::format("{} must be positive", what));
          return -1;
        }
        if (ms > period_ms_) {
          ctx_.error(
              e.loc, DiagCode::E084,
              fmt::format("{} {} is longer than the SLO period {}", what,
                          support::format_duration(ms), support::format_duration(period_ms_)));
          return -1;
        }
        return ms;
      };
      out.long_ms = window(*a.long_window, "the alert window");
      if (out.long_ms < 0) ok = false;
      if (a.short_window) {
        out.short_ms = window(*a.short_window, "the short alert window");
        if (out.short_ms < 0)
          ok = false;
        else if (out.long_ms > 0 && out.short_ms >= out.long_ms) {
          ctx_.error(a.short_window->loc, DiagCode::E084,
                     fmt::format("the short window {} must be shorter than the long window {}",
                                 support::format_duration(out.short_ms),
                                 support::format_duration(out.long_ms)));
          ok = false;
        }
      }
      if (a.for_) {
        auto f = constant(*a.for_, Type::Duration, DiagCode::E085, "the 'for' of an alert");
        if (!f)
          ok = false;
        else if (*f < 0) {
          ctx_.error(a.for_->loc, DiagCode::E085, "the 'for' of an alert must be zero or more");
          ok = false;
        } else {
          out.for_ms = static_cast<int64_t>(*f);
        }
      }
      if (ok) alerts_.push_back(out);
    }
  }

  void labels() {
    std::set<std::string> seen;
    for (const auto& l : in_.labels) {
      if (!seen.insert(l.name).second)
        ctx_.error(l.loc, DiagCode::E011, fmt::format("label '{}' is given twice", l.name));
    }
    std::set<std::string> by;
    for (size_t i = 0; i < in_.by.size(); ++i) {
      if (!by.insert(in_.by[i]).second)
        ctx_.error(in_.by_locs[i], DiagCode::E011,
                   fmt::format("label '{}' is given twice", in_.by[i]));
    }
  }

  // ---- generation ----

  std::string fn_name(const char* what) const { return in_.name + "_" + what; }

  void generate() {
    const std::string& n = in_.name;
    std::string src;
    std::string file = ctx_.diags.sources()->name(in_.loc.file);
    double period_h = static_cast<double>(period_ms_) / 3'600'000.0;
    std::string P = support::format_duration(period_ms_);
    int64_t now_ms = scale_window(3'600'000, period_ms_);  // "burn rate now": the scaled 1h
    src += fmt::format("# Generated by Omen from intent {} ({}:{}).\n", n, file, in_.loc.line);
    // The `on` series: a declared name, or a series declared here for a selector.
    std::string on = on_;
    std::string num = num_;
    if (aggregated_) {
      // Ratio objectives count events over everything their selectors match: the counters
      // are summed (increases, resets handled per series) per group of the `by` labels.
      std::string by = fmt::format("{}", fmt::join(in_.by, ", "));
      on = fn_name("total");
      num = fn_name(kind_ == Kind::Good ? "good" : "bad");
      src += "# The counters, summed over all the series they match";
      src += in_.by.empty() ? ":\n" : fmt::format(", per {}:\n", by);
      src += fmt::format("series {} = counter_sum({}) by ({})\n", on, on_, by);
      src += fmt::format("series {} = counter_sum({}) by ({})\n", num, num_, by);
    } else {
      if (on_expr_->has_selector) {
        on = fn_name(kind_ == Kind::Threshold ? "sli" : "total");
        src += fmt::format("series {} = {}\n", on, on_);
      }
      if (kind_ != Kind::Threshold && num_.find('{') != std::string::npos) {
        num = fn_name(kind_ == Kind::Good ? "good" : "bad");
        src += fmt::format("series {} = {}\n", num, num_);
      }
    }
    std::string error_ratio;
    switch (kind_) {
      case Kind::Good:
        src += "# Objective: good/total events (occurrences): error ratio = 1 - good/total.\n";
        error_ratio = fmt::format("1 - rate({}, w) / rate({}, w)", num, on);
        break;
      case Kind::Bad:
        src += "# Objective: bad/total events (occurrences): error ratio = bad/total.\n";
        error_ratio = fmt::format("rate({}, w) / rate({}, w)", num, on);
        break;
      case Kind::Threshold:
        src += fmt::format(
            "# Objective: {} {} {} per sample (time slices of one sample interval):\n"
            "# error ratio = fraction of samples in the window that miss it (NaN samples "
            "skipped).\n",
            on, op_, bound_);
        error_ratio = fmt::format(
            "mean(if {0} {1} {2} then 0 else if isnan({0}) then {0} else 1, w)", on, op_, bound_);
        break;
    }
    src += fmt::format(
        "# Target {} over {}: error budget 1 - target = {} (exact decimal).\n"
        "# A burn rate of 1 spends the whole budget in exactly {}.\n",
        target_text_, P, budget_text_, P);
    std::string B = number_text(budget_);
    src +=
        "\n# Queries (docs/intents.md): error ratio and burn rate over any window, budget left\n"
        "# over the whole period, hours until the budget is spent at the current burn rate.\n";
    src += fmt::format("fn {}(w: duration) -> series =\n    {}\n", fn_name("error_ratio"),
                       error_ratio);
    src += fmt::format("fn {}(w: duration) -> series =\n    {}(w) / {}\n", fn_name("burn_rate"),
                       fn_name("error_ratio"), B);
    src += fmt::format("fn {}() -> series =\n    1 - {}({})\n", fn_name("budget_remaining"),
                       fn_name("burn_rate"), P);
    src +=
        fmt::format("fn {}() -> series =\n    max({}(), 0) * {} / {}({})\n",
                    fn_name("hours_to_exhaustion"), fn_name("budget_remaining"),
                    number_text(period_h), fn_name("burn_rate"), support::format_duration(now_ms));
    std::set<std::string> names;
    std::set<std::string> user_labels;
    for (const auto& l : in_.labels) user_labels.insert(l.name);
    for (const auto& a : alerts_) {
      std::string L = support::format_duration(a.long_ms);
      std::string rule = n + "_" + a.severity + "_" + L;
      for (int k = 2; !names.insert(rule).second; ++k)
        rule = fmt::format("{}_{}_{}_{}", n, a.severity, L, k);
      out_->rules.push_back(rule);
      std::string burn = number_text(a.burn);
      std::string br = fn_name("burn_rate");
      std::string when = fmt::format("{}({}) > {}", br, L, burn);
      std::string msg = fmt::format("{}: error budget burning {{value:.1f}}x over {}", n, L);
      if (a.short_ms > 0) {
        std::string S = support::format_duration(a.short_ms);
        when += fmt::format(" and {}({}) > {}", br, S, burn);
        msg += fmt::format(" and {{{}({}):.1f}}x over {}", br, S, S);
      }
      msg += fmt::format(" (threshold {}x); at this rate the {} budget lasts {{{} / {}({}):.1f}}h",
                         burn, P, number_text(period_h), br, L);
      std::vector<std::pair<std::string, std::string>> labels;
      auto add = [&](const std::string& k, const std::string& v) {
        if (!user_labels.count(k)) labels.push_back({k, v});
      };
      add("slo", n);
      if (in_.has_service) add("service", in_.service);
      add("window", L);
      for (const auto& l : in_.labels) labels.push_back({l.name, l.value});
      std::string lab;
      for (size_t i = 0; i < labels.size(); ++i)
        lab += (i ? ", " : "") + labels[i].first + " = " + ast::quote(labels[i].second);
      src += fmt::format("\nrule {} {{\n  on {}\n  when {}\n", rule, on, when);
      if (a.for_ms > 0) src += fmt::format("  for {}\n", support::format_duration(a.for_ms));
      src += fmt::format("  value {}({})\n  severity {}\n  labels {{ {} }}\n  message {}\n}}\n", br,
                         L, a.severity, lab, ast::quote(msg));
    }
    out_->name = n;
    out_->loc = in_.loc;
    out_->budget = budget_;
    out_->period_ms = period_ms_;
    out_->source = std::move(src);
    out_->source_name = fmt::format("{}(intent {})", file, n);
  }

  enum class Kind { Good, Bad, Threshold };

  Context& ctx_;
  const ast::Intent& in_;
  CompiledIntent* out_;
  Kind kind_ = Kind::Good;
  std::string on_, num_, op_, bound_;
  const ast::Expr* on_expr_ = nullptr;
  bool aggregated_ = false;  // ratio over measured counters: generate counter_sum aggregates
  std::string target_text_, budget_text_;
  double budget_ = 0;
  int64_t period_ms_ = 0;
  std::vector<Alert> alerts_;
};

}  // namespace

TargetBudget exact_budget(std::string_view text, bool percent) {
  TargetBudget r;
  std::string digits;
  int64_t exp10 = 0;
  size_t i = 0, n = text.size();
  bool any = false;
  auto digit = [&](size_t k) { return k < n && text[k] >= '0' && text[k] <= '9'; };
  for (; digit(i); ++i, any = true) digits += text[i];
  if (i < n && text[i] == '.') {
    for (++i; digit(i); ++i, any = true) {
      digits += text[i];
      --exp10;
    }
  }
  if (!any) return r;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    int sign = 1;
    if (i < n && (text[i] == '+' || text[i] == '-')) sign = text[i++] == '-' ? -1 : 1;
    if (!digit(i)) return r;
    int64_t e = 0;
    for (; digit(i); ++i) {
      e = e * 10 + (text[i] - '0');
      if (e > 100'000) return r;
    }
    exp10 += sign * e;
  }
  if (i != n) return r;
  if (percent) exp10 -= 2;
  // Normalize: no leading zeros, no trailing zeros.
  size_t lead = digits.find_first_not_of('0');
  digits = lead == std::string::npos ? "" : digits.substr(lead);
  while (!digits.empty() && digits.back() == '0') {
    digits.pop_back();
    ++exp10;
  }
  if (digits.size() > 1000 || exp10 < -1000) return r;  // absurdly long: not a target
  r.well_formed = true;
  // value = digits * 10^exp10; in (0, 1) iff digits is not empty and has at most -exp10 digits.
  if (digits.empty() || exp10 >= 0 || digits.size() > static_cast<size_t>(-exp10)) return r;
  r.in_range = true;
  size_t s = static_cast<size_t>(-exp10);
  // 10^s - D with s digits: the nines' complement of D (padded to s digits) plus one.
  std::string c = std::string(s - digits.size(), '0') + digits;
  for (char& ch : c) ch = static_cast<char>('9' - (ch - '0'));
  for (size_t k = c.size(); k-- > 0;) {
    if (c[k] == '9') {
      c[k] = '0';
      continue;
    }
    ++c[k];
    break;
  }
  r.budget_text = "0." + c;
  while (r.budget_text.size() > 3 && r.budget_text.back() == '0') r.budget_text.pop_back();
  // One correctly rounded conversion of the exact decimal.
  std::string sci = c + "e-" + std::to_string(s);
  double v = 0;
  auto [p, ec] = std::from_chars(sci.data(), sci.data() + sci.size(), v);
  r.budget = (ec == std::errc() && p == sci.data() + sci.size()) ? v : 0;
  return r;
}

bool expand_intent(Context& ctx, const ast::Intent& in, CompiledIntent* out) {
  return Expander(ctx, in, out).run();
}

}  // namespace omen::check
