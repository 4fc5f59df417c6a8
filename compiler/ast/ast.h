// Omen's abstract syntax tree. Produced by compiler/parse from the ANTLR parse tree (no
// ANTLR type leaves compiler/parse), consumed by the checker and printed back to source by
// ast/printer for round-trip tests and `omen explain --dump=ast`.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/source.h"
#include "core/support/text.h"

namespace omen::ast {

enum class ExprKind { Number, Duration, Percent, String, Bool, Name, Call, Unary, Binary, If };

enum class MatchOp { Eq, Ne, Re, NotRe };
const char* match_op_text(MatchOp op);

/// One label matcher of a selector: `name op "value"`.
struct Matcher {
  std::string label;
  MatchOp op = MatchOp::Eq;
  std::string value;
  Loc loc;
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind = ExprKind::Number;
  Loc loc;
  double number = 0;  // Number, Percent (as written: 99.9), Duration (ms), Bool (0/1)
  std::string text;   // literal text (Number/Percent/Duration), Name, Call (qualified),
                      // String (unescaped), Unary/Binary operator ("-", "not", "+", "and", ...)
  bool has_selector = false;           // Name{...}
  std::vector<Matcher> selector;       // Name{...}
  std::vector<ExprPtr> args;           // Call args, Unary (1), Binary (2), If (3: cond, then, else)
  std::vector<std::string> arg_names;  // Call: "" for positional

  ExprPtr clone() const;
};

struct TypeRef {
  std::string name;  // number, bool, duration, percent, string, series
  Loc loc;
};

struct Import {
  std::string module;  // "std", "std.detectors"
  Loc loc;
};

struct Const {
  std::string name;
  Loc loc;
  std::optional<TypeRef> type;
  ExprPtr value;
};

struct Param {
  std::string name;
  TypeRef type;
  Loc loc;
};

struct Fn {
  std::string name;
  Loc loc;
  std::vector<Param> params;
  std::optional<TypeRef> result;
  ExprPtr body;
};

struct SeriesDecl {
  std::string name;
  Loc loc;
  ExprPtr value;        // metric("name", k = "v"), name{...} or an aggregation AGG(selector)
  bool has_by = false;  // `by (...)` after an aggregation
  std::vector<std::string> by;
  std::vector<Loc> by_locs;
  Loc by_loc;  // the `by` keyword
};

struct LabelPair {
  std::string name;
  std::string value;
  Loc loc;
};

struct Rule {
  std::string name;
  Loc loc;
  std::string on;  // series name
  Loc on_loc;
  bool has_by = false;
  std::vector<std::string> by;
  std::vector<Loc> by_locs;
  ExprPtr when;
  ExprPtr for_;
  ExprPtr keep;
  ExprPtr value;
  std::string severity;
  Loc severity_loc;
  std::vector<LabelPair> labels;
  bool has_message = false;
  std::string message;  // unescaped
  Loc message_loc;
  std::vector<Loc> duplicate_clauses;  // clauses given twice (reported by the checker)
  std::vector<std::string> duplicate_names;
};

enum class AlertState { Inactive, Pending, Firing, Resolved };
const char* alert_state_name(AlertState s);

struct TestInput {
  std::string series;  // declared series name or metric name
  Loc loc;
  std::vector<Matcher> selector;
  std::string values;  // expanding notation, unescaped
  Loc values_loc;
};

struct TestExpect {
  bool negated = false;  // expect no R at T
  std::string rule;
  Loc loc;
  std::vector<Matcher> selector;
  AlertState state = AlertState::Firing;
  ExprPtr at;
  bool has_message = false;
  std::string message;
};

struct Test {
  std::string name;
  Loc loc;
  ExprPtr interval;  // default 1m
  bool has_start = false;
  std::string start;
  Loc start_loc;
  std::vector<TestInput> inputs;
  std::vector<TestExpect> expects;
};

enum class GraphStmtKind { Node, Edge, Forbid, Require, Root, Leaf };

struct GraphBinding {
  std::string name;
  ExprPtr series;
  Loc loc;
};

struct GraphAttr {
  std::string name;
  std::string value;
  Loc loc;
};

struct GraphStmt {
  GraphStmtKind kind = GraphStmtKind::Node;
  Loc loc;
  std::vector<std::string> names;  // Node: [name]; Edge: chain a -> b -> c; Root/Leaf: list
  std::vector<Loc> name_locs;
  std::vector<GraphBinding> bindings;  // Node
  std::vector<GraphAttr> attrs;        // Edge
};

struct Graph {
  std::string name;
  Loc loc;
  std::vector<GraphStmt> stmts;
};

/// `alert SEVERITY burn FACTOR over LONG [and SHORT] [for DURATION]` in an intent.
struct IntentAlert {
  std::string severity;
  Loc loc;  // the severity
  ExprPtr burn;
  ExprPtr long_window;
  ExprPtr short_window;  // may be null
  ExprPtr for_;          // may be null
};

/// A service-level objective (docs/intents.md); the checker compiles it to ordinary rules.
struct Intent {
  std::string name;
  Loc loc;
  bool has_service = false;
  std::string service;  // unescaped
  Loc service_loc;
  ExprPtr objective;  // ratio(good = s, total = s) / ratio(bad = s, total = s) / s OP bound
  Loc objective_loc;  // the 'objective' keyword
  ExprPtr target;     // a Percent or Number literal: its text is read as an exact decimal
  ExprPtr period;     // `over DURATION`
  Loc target_loc;     // the 'target' keyword
  std::vector<IntentAlert> alerts;  // empty: the default multi-window multi-burn-rate set
  std::vector<LabelPair> labels;
  bool has_by = false;  // `by (...)`: the SLI per group of these labels (ratio objectives)
  std::vector<std::string> by;
  std::vector<Loc> by_locs;
  Loc by_loc;
  std::vector<Loc> duplicate_clauses;  // clauses given twice (reported by the checker)
  std::vector<std::string> duplicate_names;
};

/// One top-level item, in source order.
struct Item {
  enum Kind { Import, Const, Fn, Series, Rule, Test, Graph, Intent } kind;
  size_t index;  // into the matching vector of Module
};

struct Module {
  std::vector<ast::Import> imports;
  std::vector<ast::Const> consts;
  std::vector<ast::Fn> fns;
  std::vector<ast::SeriesDecl> series;
  std::vector<ast::Rule> rules;
  std::vector<ast::Test> tests;
  std::vector<ast::Graph> graphs;
  std::vector<ast::Intent> intents;
  std::vector<Item> items;
};

/// Source text for an expression / a whole module (canonical formatting; re-parsable).
std::string print(const Expr& e);
std::string print(const Module& m);
/// Source text for one item of `m` (as print(m) prints it).
std::string print(const Module& m, const Item& item);
/// Quotes and escapes a string literal (core/support/text.h).
using support::quote;

}  // namespace omen::ast
