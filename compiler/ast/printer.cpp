// AST -> canonical Omen source. Parenthesizes only where precedence requires, so that
// print(parse(print(m))) == print(m) (tests/unit/compiler/roundtrip_test.cpp).
#include <fmt/format.h>

#include "compiler/ast/ast.h"

namespace omen::ast {

const char* match_op_text(MatchOp op) {
  switch (op) {
    case MatchOp::Eq:
      return "=";
    case MatchOp::Ne:
      return "!=";
    case MatchOp::Re:
      return "=~";
    case MatchOp::NotRe:
      return "!~";
  }
  return "=";
}

const char* alert_state_name(AlertState s) {
  switch (s) {
    case AlertState::Inactive:
      return "inactive";
    case AlertState::Pending:
      return "pending";
    case AlertState::Firing:
      return "firing";
    case AlertState::Resolved:
      return "resolved";
  }
  return "?";
}

ExprPtr Expr::clone() const {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->loc = loc;
  e->number = number;
  e->text = text;
  e->has_selector = has_selector;
  e->selector = selector;
  e->arg_names = arg_names;
  for (const auto& a : args) e->args.push_back(a->clone());
  return e;
}

namespace {

int precedence(const Expr& e) {
  switch (e.kind) {
    case ExprKind::If:
      return 0;
    case ExprKind::Binary:
      if (e.text == "or") return 1;
      if (e.text == "and") return 2;
      if (e.text == "+" || e.text == "-") return 5;
      if (e.text == "*" || e.text == "/" || e.text == "%") return 6;
      if (e.text == "^") return 8;
      return 4;  // comparisons
    case ExprKind::Unary:
      return e.text == "not" ? 3 : 7;
    default:
      return 9;
  }
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

std::string selector_text(const std::vector<Matcher>& sel) {
  std::string out = "{";
  for (size_t i = 0; i < sel.size(); ++i) {
    if (i) out += ", ";
    out += sel[i].label + match_op_text(sel[i].op) + quote(sel[i].value);
  }
  return out + "}";
}

std::string wrap(const Expr& e, bool parens) {
  std::string s = print(e);
  return parens ? "(" + s + ")" : s;
}

// An operand the grammar reads as an addExpr (intent windows, factors): parenthesized when
// it binds looser than + and -.
std::string add_operand(const Expr& e) {
  return wrap(e, precedence(e) < 5);
}

}  // namespace

std::string print(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Number:
    case ExprKind::Duration:
      return e.text;
    case ExprKind::Percent:
      return e.text + "%";
    case ExprKind::String:
      return quote(e.text);
    case ExprKind::Bool:
      return e.number != 0 ? "true" : "false";
    case ExprKind::Name:
      return e.text + (e.has_selector ? selector_text(e.selector) : "");
    case ExprKind::Call: {
      std::string out = e.text + "(";
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (i) out += ", ";
        if (!e.arg_names[i].empty()) out += e.arg_names[i] + " = ";
        out += print(*e.args[i]);
      }
      return out + ")";
    }
    case ExprKind::Unary: {
      int p = precedence(e);
      const Expr& x = *e.args[0];
      if (e.text == "not") return std::string("not ").append(wrap(x, precedence(x) < 3));
      return std::string("-").append(wrap(x, precedence(x) < p));
    }
    case ExprKind::Binary: {
      int p = precedence(e);
      const Expr& l = *e.args[0];
      const Expr& r = *e.args[1];
      if (e.text == "^") return wrap(l, precedence(l) < 9) + " ^ " + wrap(r, precedence(r) < 7);
      if (p == 4)
        return wrap(l, precedence(l) <= 4) + " " + e.text + " " + wrap(r, precedence(r) <= 4);
      return wrap(l, precedence(l) < p) + " " + e.text + " " + wrap(r, precedence(r) <= p);
    }
    case ExprKind::If:
      return "if " + print(*e.args[0]) + " then " + print(*e.args[1]) + " else " +
             print(*e.args[2]);
  }
  return "?";
}

std::string print(const Module& m) {
  std::string out;
  for (const Item& item : m.items) out += print(m, item);
  return out;
}

std::string print(const Module& m, const Item& item) {
  std::string out;
  {
    switch (item.kind) {
      case Item::Import:
        out += "import " + m.imports[item.index].module + "\n";
        break;
      case Item::Const: {
        const Const& c = m.consts[item.index];
        out += "const " + c.name + (c.type ? ": " + c.type->name : "") + " = " + print(*c.value) +
               "\n";
        break;
      }
      case Item::Fn: {
        const Fn& f = m.fns[item.index];
        out += "fn " + f.name + "(";
        for (size_t i = 0; i < f.params.size(); ++i)
          out += (i ? ", " : "") + f.params[i].name + ": " + f.params[i].type.name;
        out += ")";
        if (f.result) out += " -> " + f.result->name;
        out += " =\n    " + print(*f.body) + "\n";
        break;
      }
      case Item::Series: {
        const SeriesDecl& s = m.series[item.index];
        out += "series " + s.name + " = " + print(*s.value);
        if (s.has_by) out += " by (" + join_names(s.by) + ")";
        out += "\n";
        break;
      }
      case Item::Rule: {
        const Rule& r = m.rules[item.index];
        out += "rule " + r.name + " {\n";
        if (!r.on.empty()) {
          out += "  on " + r.on;
          if (r.has_by) out += " by (" + join_names(r.by) + ")";
          out += "\n";
        }
        if (r.when) out += "  when " + print(*r.when) + "\n";
        if (r.for_) out += "  for " + print(*r.for_) + "\n";
        if (r.keep) out += "  keep " + print(*r.keep) + "\n";
        if (r.value) out += "  value " + print(*r.value) + "\n";
        if (!r.severity.empty()) out += "  severity " + r.severity + "\n";
        if (!r.labels.empty()) {
          out += "  labels { ";
          for (size_t i = 0; i < r.labels.size(); ++i)
            out += (i ? ", " : "") + r.labels[i].name + " = " + quote(r.labels[i].value);
          out += " }\n";
        }
        if (r.has_message) out += "  message " + quote(r.message) + "\n";
        out += "}\n";
        break;
      }
      case Item::Test: {
        const Test& t = m.tests[item.index];
        out += "test " + t.name + " {\n";
        if (t.interval) out += "  interval " + print(*t.interval) + "\n";
        if (t.has_start) out += "  start " + quote(t.start) + "\n";
        for (const auto& in : t.inputs)
          out += "  input " + in.series + (in.selector.empty() ? "" : selector_text(in.selector)) +
                 " = " + quote(in.values) + "\n";
        for (const auto& ex : t.expects) {
          out += "  expect ";
          if (ex.negated) out += "no ";
          out += ex.rule + (ex.selector.empty() ? "" : selector_text(ex.selector));
          if (!ex.negated) out += std::string(" ") + alert_state_name(ex.state);
          out += " at " + print(*ex.at);
          if (ex.has_message) out += " message " + quote(ex.message);
          out += "\n";
        }
        out += "}\n";
        break;
      }
      case Item::Graph: {
        const Graph& g = m.graphs[item.index];
        out += "graph " + g.name + " {\n";
        for (const auto& s : g.stmts) {
          out += "  ";
          switch (s.kind) {
            case GraphStmtKind::Node:
              out += "node " + s.names[0];
              if (!s.bindings.empty()) {
                out += " { ";
                for (size_t i = 0; i < s.bindings.size(); ++i)
                  out +=
                      (i ? ", " : "") + s.bindings[i].name + " = " + print(*s.bindings[i].series);
                out += " }";
              }
              break;
            case GraphStmtKind::Edge:
              for (size_t i = 0; i < s.names.size(); ++i) out += (i ? " -> " : "") + s.names[i];
              if (!s.attrs.empty()) {
                out += " [";
                for (size_t i = 0; i < s.attrs.size(); ++i)
                  out += (i ? ", " : "") + s.attrs[i].name + " = " + quote(s.attrs[i].value);
                out += "]";
              }
              break;
            case GraphStmtKind::Forbid:
              out += "forbid " + s.names[0] + " -> " + s.names[1];
              break;
            case GraphStmtKind::Require:
              out += "require " + s.names[0] + " -> " + s.names[1];
              break;
            case GraphStmtKind::Root:
            case GraphStmtKind::Leaf:
              out += s.kind == GraphStmtKind::Root ? "root " : "leaf ";
              for (size_t i = 0; i < s.names.size(); ++i) out += (i ? ", " : "") + s.names[i];
              break;
          }
          out += "\n";
        }
        out += "}\n";
        break;
      }
      case Item::Intent: {
        const Intent& in = m.intents[item.index];
        out += "intent " + in.name + " {\n";
        if (in.has_service) out += "  service " + quote(in.service) + "\n";
        if (in.objective) out += "  objective " + print(*in.objective) + "\n";
        if (in.target) {
          out += "  target " + print(*in.target);
          if (in.period) out += " over " + add_operand(*in.period);
          out += "\n";
        }
        for (const auto& a : in.alerts) {
          out += "  alert " + a.severity + " burn " + add_operand(*a.burn) + " over " +
                 add_operand(*a.long_window);
          if (a.short_window) out += " and " + add_operand(*a.short_window);
          if (a.for_) out += " for " + add_operand(*a.for_);
          out += "\n";
        }
        if (in.has_by) out += "  by (" + join_names(in.by) + ")\n";
        if (!in.labels.empty()) {
          out += "  labels { ";
          for (size_t i = 0; i < in.labels.size(); ++i)
            out += (i ? ", " : "") + in.labels[i].name + " = " + quote(in.labels[i].value);
          out += " }\n";
        }
        out += "}\n";
        break;
      }
    }
  }
  return out;
}

}  // namespace omen::ast
