// ANTLR parse tree -> ast::Module. Walks the typed contexts directly (no antlrcpp::Any).
#include "compiler/parse/parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "OmenLexer.h"
#include "OmenParser.h"
#include "antlr4-runtime.h"
#include "core/io/utf8.h"
#include "core/support/time.h"

namespace omen::parse {

using grammar::OmenLexer;
using grammar::OmenParser;

std::string unescape(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '\\' && i + 1 < body.size()) {
      char n = body[i + 1];
      switch (n) {
        case '"':
          out += '"';
          ++i;
          continue;
        case '\\':
          out += '\\';
          ++i;
          continue;
        case 'n':
          out += '\n';
          ++i;
          continue;
        case 't':
          out += '\t';
          ++i;
          continue;
        case 'r':
          out += '\r';
          ++i;
          continue;
        default:
          break;  // keep the backslash: regex escapes such as \d pass through
      }
    }
    out += c;
  }
  return out;
}

namespace {

class ErrorListener : public antlr4::BaseErrorListener {
 public:
  ErrorListener(Diagnostics& diags, uint32_t file, const Loc& base)
      : diags_(diags), file_(file), base_(base) {}

  void syntaxError(antlr4::Recognizer*, antlr4::Token* token, size_t line, size_t col,
                   const std::string& msg, std::exception_ptr) override {
    ++count;
    Loc loc{file_, static_cast<uint32_t>(line), static_cast<uint32_t>(col + 1), 1};
    if (line == 1 && base_.valid()) loc.col += base_.col - 1;
    if (base_.valid()) loc.line += base_.line - 1;
    if (token == nullptr) {  // lexer error: ERRCHAR makes this rare
      diags_.error(loc, DiagCode::E002, msg);
      return;
    }
    std::string text = token->getText();
    if (token->getType() != antlr4::Token::EOF)
      loc.len = static_cast<uint32_t>(std::max<size_t>(1, text.size()));
    if (token->getType() == OmenLexer::ERRCHAR && text == "\"") {
      diags_.error(loc, DiagCode::E003, "unterminated string literal");
      return;
    }
    if (token->getType() == OmenLexer::ERRCHAR) {
      diags_.error(loc, DiagCode::E002, fmt::format("unexpected character '{}'", text));
      return;
    }
    if (token->getType() == antlr4::Token::EOF) {
      diags_.error(loc, DiagCode::E001, "unexpected end of input" + expecting(msg));
      return;
    }
    if (text.size() >= 1 && text[0] == '"' && (text.size() == 1 || text.back() != '"')) {
      diags_.error(loc, DiagCode::E003, "unterminated string literal");
      return;
    }
    diags_.error(loc, DiagCode::E001, fmt::format("unexpected '{}'{}", text, expecting(msg)));
  }

  size_t count = 0;

 private:
  // Keeps ANTLR's "expecting X" only when it is short enough to help.
  static std::string expecting(const std::string& msg) {
    auto pos = msg.find("expecting ");
    if (pos == std::string::npos) return "";
    std::string what = msg.substr(pos + 10);
    if (what.size() > 60) return "";
    return ", expected " + what;
  }
  Diagnostics& diags_;
  uint32_t file_;
  Loc base_;
};

class Builder {
 public:
  Builder(uint32_t file, const Loc& base, Diagnostics& diags, size_t max_depth)
      : file_(file), base_(base), diags_(diags), max_depth_(max_depth) {}

  Loc loc(antlr4::Token* tok) const {
    Loc l{
        file_, static_cast<uint32_t>(tok->getLine()),
        static_cast<uint32_t>(tok->getCharPositionInLine() + 1),
        static_cast<uint32_t>(std::max<size_t>(1, tok->getStopIndex() - tok->getStartIndex() + 1))};
    if (base_.valid()) {
      if (l.line == 1) l.col += base_.col - 1;
      l.line += base_.line - 1;
    }
    return l;
  }
  Loc loc(antlr4::ParserRuleContext* ctx) const {
    Loc l = loc(ctx->getStart());
    antlr4::Token* stop = ctx->getStop();
    if (stop && stop->getLine() == ctx->getStart()->getLine() &&
        stop->getStopIndex() >= ctx->getStart()->getStartIndex())
      l.len = static_cast<uint32_t>(stop->getStopIndex() - ctx->getStart()->getStartIndex() + 1);
    return l;
  }
  Loc loc(antlr4::tree::TerminalNode* node) const { return loc(node->getSymbol()); }

  static std::string text(OmenParser::NameContext* n) { return n->getText(); }
  static std::string string_value(antlr4::tree::TerminalNode* node) {
    std::string t = node->getText();
    return unescape(std::string_view(t).substr(1, t.size() - 2));
  }

  ast::Module module(OmenParser::FileContext* ctx) {
    ast::Module m;
    for (auto* item : ctx->item()) {
      if (auto* c = item->importDecl()) {
        m.items.push_back({ast::Item::Import, m.imports.size()});
        m.imports.push_back({c->qname()->getText(), loc(c->qname())});
      } else if (auto* c = item->constDecl()) {
        ast::Const k;
        k.name = text(c->name());
        k.loc = loc(c->name());
        if (c->typeName()) k.type = ast::TypeRef{c->typeName()->getText(), loc(c->typeName())};
        k.value = expr(c->expr(), 0);
        m.items.push_back({ast::Item::Const, m.consts.size()});
        m.consts.push_back(std::move(k));
      } else if (auto* c = item->fnDecl()) {
        ast::Fn f;
        f.name = text(c->name());
        f.loc = loc(c->name());
        for (auto* p : c->param())
          f.params.push_back(
              {text(p->name()), {p->typeName()->getText(), loc(p->typeName())}, loc(p->name())});
        if (c->typeName()) f.result = ast::TypeRef{c->typeName()->getText(), loc(c->typeName())};
        f.body = expr(c->expr(), 0);
        m.items.push_back({ast::Item::Fn, m.fns.size()});
        m.fns.push_back(std::move(f));
      } else if (auto* c = item->seriesDecl()) {
        ast::SeriesDecl s{text(c->name()), loc(c->name()), expr(c->expr(), 0)};
        if (auto* b = c->byList()) {
          s.has_by = true;
          s.by_loc = loc(b->getStart());
          for (auto* n : b->name()) {
            s.by.push_back(text(n));
            s.by_locs.push_back(loc(n));
          }
        }
        m.items.push_back({ast::Item::Series, m.series.size()});
        m.series.push_back(std::move(s));
      } else if (auto* c = item->ruleDecl()) {
        m.items.push_back({ast::Item::Rule, m.rules.size()});
        m.rules.push_back(rule(c));
      } else if (auto* c = item->testDecl()) {
        m.items.push_back({ast::Item::Test, m.tests.size()});
        m.tests.push_back(test(c));
      } else if (auto* c = item->graphDecl()) {
        m.items.push_back({ast::Item::Graph, m.graphs.size()});
        m.graphs.push_back(graph(c));
      } else if (auto* c = item->intentDecl()) {
        m.items.push_back({ast::Item::Intent, m.intents.size()});
        m.intents.push_back(intent(c));
      }
    }
    return m;
  }

  ast::Rule rule(OmenParser::RuleDeclContext* ctx) {
    ast::Rule r;
    r.name = text(ctx->name());
    r.loc = loc(ctx->name());
    auto dup = [&](bool seen, antlr4::ParserRuleContext* c, const char* what) {
      if (seen) {
        r.duplicate_clauses.push_back(loc(c->getStart()));
        r.duplicate_names.push_back(what);
      }
      return seen;
    };
    for (auto* clause : ctx->ruleClause()) {
      if (auto* c = dynamic_cast<OmenParser::OnClauseContext*>(clause)) {
        if (dup(!r.on.empty(), c, "on")) continue;
        auto names = c->name();
        r.on = text(names[0]);
        r.on_loc = loc(names[0]);
        for (auto* child : c->children)
          if (child->getText() == "by" && dynamic_cast<antlr4::tree::TerminalNode*>(child))
            r.has_by = true;
        for (size_t i = 1; i < names.size(); ++i) {
          r.by.push_back(text(names[i]));
          r.by_locs.push_back(loc(names[i]));
        }
      } else if (auto* c = dynamic_cast<OmenParser::WhenClauseContext*>(clause)) {
        if (dup(r.when != nullptr, c, "when")) continue;
        r.when = expr(c->expr(), 0);
      } else if (auto* c = dynamic_cast<OmenParser::ForClauseContext*>(clause)) {
        if (dup(r.for_ != nullptr, c, "for")) continue;
        r.for_ = expr(c->expr(), 0);
      } else if (auto* c = dynamic_cast<OmenParser::KeepClauseContext*>(clause)) {
        if (dup(r.keep != nullptr, c, "keep")) continue;
        r.keep = expr(c->expr(), 0);
      } else if (auto* c = dynamic_cast<OmenParser::ValueClauseContext*>(clause)) {
        if (dup(r.value != nullptr, c, "value")) continue;
        r.value = expr(c->expr(), 0);
      } else if (auto* c = dynamic_cast<OmenParser::SeverityClauseContext*>(clause)) {
        if (dup(!r.severity.empty(), c, "severity")) continue;
        r.severity = text(c->name());
        r.severity_loc = loc(c->name());
      } else if (auto* c = dynamic_cast<OmenParser::LabelsClauseContext*>(clause)) {
        for (auto* p : c->labelPair())
          r.labels.push_back({text(p->name()), string_value(p->STRING()), loc(p->name())});
      } else if (auto* c = dynamic_cast<OmenParser::MessageClauseContext*>(clause)) {
        if (dup(r.has_message, c, "message")) continue;
        r.has_message = true;
        r.message = string_value(c->STRING());
        r.message_loc = loc(c->STRING());
      }
    }
    return r;
  }

  ast::Intent intent(OmenParser::IntentDeclContext* ctx) {
    ast::Intent in;
    in.name = text(ctx->name());
    in.loc = loc(ctx->name());
    auto dup = [&](bool seen, antlr4::ParserRuleContext* c, const char* what) {
      if (seen) {
        in.duplicate_clauses.push_back(loc(c->getStart()));
        in.duplicate_names.push_back(what);
      }
      return seen;
    };
    for (auto* clause : ctx->intentClause()) {
      if (auto* c = dynamic_cast<OmenParser::ServiceClauseContext*>(clause)) {
        if (dup(in.has_service, c, "service")) continue;
        in.has_service = true;
        in.service = string_value(c->STRING());
        in.service_loc = loc(c->STRING());
      } else if (auto* c = dynamic_cast<OmenParser::ObjectiveClauseContext*>(clause)) {
        if (dup(in.objective != nullptr, c, "objective")) continue;
        in.objective_loc = loc(c->getStart());
        in.objective = expr(c->expr(), 0);
      } else if (auto* c = dynamic_cast<OmenParser::TargetClauseContext*>(clause)) {
        if (dup(in.target != nullptr, c, "target")) continue;
        in.target_loc = loc(c->getStart());
        if (c->PERCENT()) {
          Loc l = loc(c->PERCENT());
          auto e = make(ast::ExprKind::Percent, l);
          std::string t = c->PERCENT()->getText();
          e->text = t.substr(0, t.size() - 1);
          e->number = to_double(e->text, l);
          in.target = std::move(e);
        } else {
          Loc l = loc(c->NUMBER());
          auto e = make(ast::ExprKind::Number, l);
          e->text = c->NUMBER()->getText();
          e->number = to_double(e->text, l);
          in.target = std::move(e);
        }
        in.period = add_expr(c->addExpr(), 1);
      } else if (auto* c = dynamic_cast<OmenParser::AlertClauseContext*>(clause)) {
        ast::IntentAlert a;
        a.severity = text(c->name());
        a.loc = loc(c->name());
        auto parts = c->addExpr();
        a.burn = add_expr(parts[0], 1);
        a.long_window = add_expr(parts[1], 1);
        // The optional parts are told apart by the keyword before them.
        size_t next = 2;
        for (auto* child : c->children) {
          auto* term = dynamic_cast<antlr4::tree::TerminalNode*>(child);
          if (!term || next >= parts.size()) continue;
          if (term->getText() == "and")
            a.short_window = add_expr(parts[next++], 1);
          else if (term->getText() == "for")
            a.for_ = add_expr(parts[next++], 1);
        }
        in.alerts.push_back(std::move(a));
      } else if (auto* c = dynamic_cast<OmenParser::IntentByClauseContext*>(clause)) {
        if (dup(in.has_by, c, "by")) continue;
        in.has_by = true;
        in.by_loc = loc(c->getStart());
        for (auto* n : c->byList()->name()) {
          in.by.push_back(text(n));
          in.by_locs.push_back(loc(n));
        }
      } else if (auto* c = dynamic_cast<OmenParser::IntentLabelsClauseContext*>(clause)) {
        for (auto* p : c->labelPair())
          in.labels.push_back({text(p->name()), string_value(p->STRING()), loc(p->name())});
      }
    }
    return in;
  }

  std::vector<ast::Matcher> selector(OmenParser::SelectorContext* ctx) {
    std::vector<ast::Matcher> out;
    if (!ctx) return out;
    for (auto* m : ctx->matcher()) {
      ast::Matcher mm;
      mm.label = text(m->name());
      std::string op = m->matchOp()->getText();
      mm.op = op == "="    ? ast::MatchOp::Eq
              : op == "!=" ? ast::MatchOp::Ne
              : op == "=~" ? ast::MatchOp::Re
                           : ast::MatchOp::NotRe;
      mm.value = string_value(m->STRING());
      mm.loc = loc(m);
      out.push_back(std::move(mm));
    }
    return out;
  }

  ast::Test test(OmenParser::TestDeclContext* ctx) {
    ast::Test t;
    t.name = text(ctx->name());
    t.loc = loc(ctx->name());
    for (auto* clause : ctx->testClause()) {
      if (auto* c = dynamic_cast<OmenParser::IntervalClauseContext*>(clause)) {
        t.interval = expr(c->expr(), 0);
      } else if (auto* c = dynamic_cast<OmenParser::StartClauseContext*>(clause)) {
        t.has_start = true;
        t.start = string_value(c->STRING());
        t.start_loc = loc(c->STRING());
      } else if (auto* c = dynamic_cast<OmenParser::InputClauseContext*>(clause)) {
        ast::TestInput in;
        in.series = text(c->name());
        in.loc = loc(c->name());
        in.selector = selector(c->selector());
        in.values = string_value(c->STRING());
        in.values_loc = loc(c->STRING());
        t.inputs.push_back(std::move(in));
      } else if (auto* c = dynamic_cast<OmenParser::ExpectNoClauseContext*>(clause)) {
        ast::TestExpect ex;
        ex.negated = true;
        ex.rule = text(c->name());
        ex.loc = loc(c->name());
        ex.selector = selector(c->selector());
        ex.at = expr(c->expr(), 0);
        t.expects.push_back(std::move(ex));
      } else if (auto* c = dynamic_cast<OmenParser::ExpectClauseContext*>(clause)) {
        ast::TestExpect ex;
        ex.rule = text(c->name());
        ex.loc = loc(c->name());
        ex.selector = selector(c->selector());
        std::string st = c->alertState()->getText();
        ex.state = st == "firing"     ? ast::AlertState::Firing
                   : st == "pending"  ? ast::AlertState::Pending
                   : st == "resolved" ? ast::AlertState::Resolved
                                      : ast::AlertState::Inactive;
        ex.at = expr(c->expr(), 0);
        if (c->STRING()) {
          ex.has_message = true;
          ex.message = string_value(c->STRING());
        }
        t.expects.push_back(std::move(ex));
      }
    }
    return t;
  }

  ast::Graph graph(OmenParser::GraphDeclContext* ctx) {
    ast::Graph g;
    g.name = text(ctx->name());
    g.loc = loc(ctx->name());
    for (auto* st : ctx->graphStmt()) {
      ast::GraphStmt s;
      s.loc = loc(st->getStart());
      auto add_names = [&](const std::vector<OmenParser::NameContext*>& names) {
        for (auto* n : names) {
          s.names.push_back(text(n));
          s.name_locs.push_back(loc(n));
        }
      };
      if (auto* c = dynamic_cast<OmenParser::NodeStmtContext*>(st)) {
        s.kind = ast::GraphStmtKind::Node;
        add_names({c->name()});
        for (auto* b : c->binding())
          s.bindings.push_back({text(b->name()), expr(b->expr(), 0), loc(b->name())});
      } else if (auto* c = dynamic_cast<OmenParser::EdgeStmtContext*>(st)) {
        s.kind = ast::GraphStmtKind::Edge;
        add_names(c->name());
        if (auto* attrs = c->edgeAttrs()) {
          for (auto* a : attrs->edgeAttr()) {
            std::string v;
            if (a->STRING())
              v = string_value(a->STRING());
            else if (a->NUMBER())
              v = a->NUMBER()->getText();
            else
              v = a->name().size() > 1 ? text(a->name(1)) : "";
            s.attrs.push_back({text(a->name(0)), v, loc(a->name(0))});
          }
        }
      } else if (auto* c = dynamic_cast<OmenParser::ForbidStmtContext*>(st)) {
        s.kind = ast::GraphStmtKind::Forbid;
        add_names(c->name());
      } else if (auto* c = dynamic_cast<OmenParser::RequireStmtContext*>(st)) {
        s.kind = ast::GraphStmtKind::Require;
        add_names(c->name());
      } else if (auto* c = dynamic_cast<OmenParser::RootStmtContext*>(st)) {
        s.kind = ast::GraphStmtKind::Root;
        add_names(c->name());
      } else if (auto* c = dynamic_cast<OmenParser::LeafStmtContext*>(st)) {
        s.kind = ast::GraphStmtKind::Leaf;
        add_names(c->name());
      }
      g.stmts.push_back(std::move(s));
    }
    return g;
  }

  // ---- expressions ----
  ast::ExprPtr make(ast::ExprKind kind, const Loc& l) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = kind;
    e->loc = l;
    return e;
  }
  ast::ExprPtr binary(std::string op, ast::ExprPtr l, ast::ExprPtr r, const Loc& at) {
    auto e = make(ast::ExprKind::Binary, at);
    e->text = std::move(op);
    e->args.push_back(std::move(l));
    e->args.push_back(std::move(r));
    return e;
  }
  // `depth` is the depth of the AST node being built (the root of an expression is 0), so
  // the limit bounds every later recursive walk over the tree (checker, printer).
  bool too_deep(size_t depth, antlr4::ParserRuleContext* ctx) {
    if (depth <= max_depth_) return false;
    if (!depth_reported_)
      diags_.error(loc(ctx->getStart()), DiagCode::E041,
                   fmt::format("expression nested too deeply (limit {}; operator chains count: "
                               "each operator is one level)",
                               max_depth_));
    depth_reported_ = true;
    return true;
  }
  ast::ExprPtr error_expr(antlr4::ParserRuleContext* ctx) {
    return make(ast::ExprKind::Number, loc(ctx->getStart()));
  }
  // A left-associative chain of n operands built at `depth`: operand 0 ends up at depth
  // + n - 1 (the bottom of the left spine), operand i > 0 at depth + n - i.
  static size_t operand_depth(size_t depth, size_t n, size_t i) {
    return i == 0 ? depth + n - 1 : depth + n - i;
  }
  // Builds `parts[0] op parts[1] op ...` left-associatively; `op(i)` names operator i - 1's
  // token, `sub(part, depth)` builds an operand.
  template <class Part, class OpAt, class Sub>
  ast::ExprPtr chain(antlr4::ParserRuleContext* ctx, const std::vector<Part*>& parts, size_t depth,
                     OpAt op_at, Sub sub) {
    size_t n = parts.size();
    if (too_deep(depth + n - 1, ctx)) return error_expr(ctx);
    auto e = sub(parts[0], operand_depth(depth, n, 0));
    for (size_t i = 1; i < n; ++i) {
      auto [op, at] = op_at(i);
      e = binary(std::move(op), std::move(e), sub(parts[i], operand_depth(depth, n, i)), at);
    }
    return e;
  }

  ast::ExprPtr expr(OmenParser::ExprContext* ctx, size_t depth) {
    if (too_deep(depth, ctx)) return error_expr(ctx);
    if (auto* c = dynamic_cast<OmenParser::IfExprContext*>(ctx)) {
      auto e = make(ast::ExprKind::If, loc(c->getStart()));
      for (auto* x : c->expr()) e->args.push_back(expr(x, depth + 1));
      return e;
    }
    return or_expr(static_cast<OmenParser::PlainExprContext*>(ctx)->orExpr(), depth);
  }
  ast::ExprPtr or_expr(OmenParser::OrExprContext* ctx, size_t depth) {
    auto parts = ctx->andExpr();
    return chain(
        ctx, parts, depth,
        [&](size_t i) {
          return std::pair{std::string("or"), loc(parts[i - 1]->getStop())};
        },
        [&](auto* p, size_t d) { return and_expr(p, d); });
  }
  ast::ExprPtr and_expr(OmenParser::AndExprContext* ctx, size_t depth) {
    auto parts = ctx->notExpr();
    return chain(
        ctx, parts, depth,
        [&](size_t i) {
          return std::pair{std::string("and"), loc(parts[i - 1]->getStop())};
        },
        [&](auto* p, size_t d) { return not_expr(p, d); });
  }
  ast::ExprPtr not_expr(OmenParser::NotExprContext* ctx, size_t depth) {
    if (too_deep(depth, ctx)) return error_expr(ctx);
    if (ctx->notExpr()) {
      auto e = make(ast::ExprKind::Unary, loc(ctx->getStart()));
      e->text = "not";
      e->args.push_back(not_expr(ctx->notExpr(), depth + 1));
      return e;
    }
    auto* c = ctx->cmpExpr();
    auto parts = c->addExpr();
    if (parts.size() == 2) {
      auto op = c->cmpOp();
      return binary(op->getText(), add_expr(parts[0], depth + 1), add_expr(parts[1], depth + 1),
                    loc(op));
    }
    return add_expr(parts[0], depth);
  }
  // The operator tokens are fetched once: ctx->addOp(i) scans all children, which made long
  // chains quadratic.
  ast::ExprPtr add_expr(OmenParser::AddExprContext* ctx, size_t depth) {
    auto parts = ctx->mulExpr();
    auto ops = ctx->addOp();
    return chain(
        ctx, parts, depth,
        [&](size_t i) {
          return std::pair{ops[i - 1]->getText(), loc(ops[i - 1])};
        },
        [&](auto* p, size_t d) { return mul_expr(p, d); });
  }
  ast::ExprPtr mul_expr(OmenParser::MulExprContext* ctx, size_t depth) {
    auto parts = ctx->unaryExpr();
    auto ops = ctx->mulOp();
    return chain(
        ctx, parts, depth,
        [&](size_t i) {
          return std::pair{ops[i - 1]->getText(), loc(ops[i - 1])};
        },
        [&](auto* p, size_t d) { return unary_expr(p, d); });
  }
  ast::ExprPtr unary_expr(OmenParser::UnaryExprContext* ctx, size_t depth) {
    if (too_deep(depth, ctx)) return error_expr(ctx);
    if (ctx->unaryExpr()) {
      auto e = make(ast::ExprKind::Unary, loc(ctx->getStart()));
      e->text = "-";
      e->args.push_back(unary_expr(ctx->unaryExpr(), depth + 1));
      return e;
    }
    auto* p = ctx->powExpr();
    if (!p->unaryExpr()) return primary(p->primary(), depth);
    Loc at = loc(p->primary()->getStop());
    return binary("^", primary(p->primary(), depth + 1), unary_expr(p->unaryExpr(), depth + 1), at);
  }
  ast::ExprPtr primary(OmenParser::PrimaryContext* ctx, size_t depth) {
    if (too_deep(depth, ctx)) return error_expr(ctx);
    Loc l = loc(ctx);
    if (auto* c = dynamic_cast<OmenParser::NumberLitContext*>(ctx)) {
      auto e = make(ast::ExprKind::Number, l);
      e->text = c->getText();
      e->number = to_double(e->text, l);
      return e;
    }
    if (auto* c = dynamic_cast<OmenParser::PercentLitContext*>(ctx)) {
      auto e = make(ast::ExprKind::Percent, l);
      std::string t = c->getText();
      e->text = t.substr(0, t.size() - 1);
      e->number = to_double(e->text, l);
      return e;
    }
    if (auto* c = dynamic_cast<OmenParser::DurationLitContext*>(ctx)) {
      auto e = make(ast::ExprKind::Duration, l);
      e->text = c->getText();
      const auto ms = support::parse_duration(e->text);
      if (!ms)
        diags_.error(l, DiagCode::E004, fmt::format("duration '{}' is out of range", e->text));
      e->number = static_cast<double>(ms.value_or(0));
      return e;
    }
    if (auto* c = dynamic_cast<OmenParser::StringLitContext*>(ctx)) {
      auto e = make(ast::ExprKind::String, l);
      e->text = string_value(c->STRING());
      return e;
    }
    if (auto* c = dynamic_cast<OmenParser::BoolLitContext*>(ctx)) {
      auto e = make(ast::ExprKind::Bool, l);
      e->number = c->getText() == "true" ? 1 : 0;
      return e;
    }
    if (auto* c = dynamic_cast<OmenParser::CallExprContext*>(ctx)) {
      auto e = make(ast::ExprKind::Call, loc(c->qname()));
      e->text = c->qname()->getText();
      for (auto* a : c->arg()) {
        e->arg_names.push_back(a->name() ? text(a->name()) : "");
        e->args.push_back(expr(a->expr(), depth + 1));
      }
      return e;
    }
    if (auto* c = dynamic_cast<OmenParser::NameExprContext*>(ctx)) {
      auto e = make(ast::ExprKind::Name, loc(c->name()));
      e->text = text(c->name());
      if (c->selector()) {
        e->has_selector = true;
        e->selector = selector(c->selector());
      }
      return e;
    }
    auto* c = static_cast<OmenParser::ParenExprContext*>(ctx);
    return expr(c->expr(), depth);
  }

  double to_double(const std::string& t, const Loc& l) {
    double v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || p != t.data() + t.size() || !std::isfinite(v))
      diags_.error(l, DiagCode::E004, fmt::format("number '{}' is out of range", t));
    return v;
  }

 private:
  uint32_t file_;
  Loc base_;
  Diagnostics& diags_;
  size_t max_depth_;
  bool depth_reported_ = false;
};

// Rejects nesting beyond the limit before ANTLR recurses into it. ANTLR recurses on brackets
// and on the right-recursive forms: prefix `-` and `not`, `^` (right-associative) and
// `if ... else if ...`. Per bracket level we count prefix operators and `^` since the last
// operator that ends such a chain (any other binary operator, a comma), and `if`s since the
// last clause boundary (a word right after an operand starts a new clause or declaration);
// bracket depth plus both counts bounds the parser's recursion. Left-associative chains
// (`a + b + ...`) are loops in ANTLR; the Builder bounds their depth in the tree.
bool check_nesting(antlr4::CommonTokenStream& tokens, Builder& b, Diagnostics& diags,
                   size_t max_depth) {
  tokens.fill();
  struct Level {
    size_t chain = 0, ifs = 0;
  };
  std::vector<Level> levels(1);  // per open bracket
  bool after_operand = false;    // the previous token ends an operand: a `-` here is binary
  for (antlr4::Token* t : tokens.getTokens()) {
    if (t->getType() == antlr4::Token::EOF) break;
    std::string s = t->getText();
    bool word = std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_';
    bool operand_end = false;
    if (s == "(" || s == "{" || s == "[") {
      levels.emplace_back();
    } else if (s == ")" || s == "}" || s == "]") {
      if (levels.size() > 1) levels.pop_back();
      operand_end = true;
    } else if (s == "if") {
      ++levels.back().ifs;
    } else if (s == "^" || s == "not" || (s == "-" && !after_operand)) {
      ++levels.back().chain;
    } else if (s == "then" || s == "else") {
      levels.back().chain = 0;
    } else if (s == "and" || s == "or") {
      levels.back().chain = 0;
    } else if (word && after_operand) {
      levels.back() = Level{};  // a new clause or declaration
      operand_end = true;
    } else if (word || std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '"' ||
               s[0] == '.') {
      operand_end = true;  // a name, number, duration, percent or string
    } else {
      levels.back().chain = 0;  // any other operator or separator ends a chain
    }
    after_operand = operand_end;
    if (levels.size() - 1 + levels.back().chain + levels.back().ifs > max_depth) {
      diags.error(b.loc(t), DiagCode::E041,
                  fmt::format("expression nested too deeply (limit {}; operator chains count: "
                              "each operator is one level)",
                              max_depth));
      return false;
    }
  }
  return true;
}

// ANTLR decodes its input as UTF-8 and throws on a bad byte: report it with its place.
bool check_utf8(std::string_view text, const Loc& base, Diagnostics& diags) {
  size_t bad = io::find_invalid_utf8(text);
  if (bad == std::string_view::npos) return true;
  io::TextPos pos = io::text_pos(text, bad);
  Loc l = base;
  l.line = base.line + static_cast<uint32_t>(pos.line) - 1;
  l.col = (pos.line == 1 ? base.col : 1) + static_cast<uint32_t>(pos.col) - 1;
  l.len = 1;
  diags.error(l, DiagCode::E002,
              fmt::format("byte 0x{:02X} is not UTF-8 (Omen source is UTF-8)",
                          static_cast<unsigned char>(text[bad])));
  return false;
}

}  // namespace

ast::Module parse_module(const SourceManager& sources, uint32_t file, Diagnostics& diags,
                         const ParseOptions& options) {
  const std::string& text = sources.text(file);
  if (text.size() > options.max_source_bytes) {
    diags.error(Loc{file, 1, 1, 1}, DiagCode::E042,
                fmt::format("source is {} bytes, over the limit of {} bytes", text.size(),
                            options.max_source_bytes));
    return {};
  }
  if (!check_utf8(text, Loc{file, 1, 1, 1}, diags)) return {};
  antlr4::ANTLRInputStream input(text);
  OmenLexer lexer(&input);
  ErrorListener listener(diags, file, Loc{});
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  Builder builder(file, Loc{}, diags, options.max_depth);
  if (!check_nesting(tokens, builder, diags, options.max_depth)) return {};
  OmenParser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);
  auto* tree = parser.file();
  if (listener.count > 0) return {};
  return builder.module(tree);
}

ast::ExprPtr parse_expr(std::string_view text, const Loc& base, const SourceManager& sources,
                        Diagnostics& diags, const ParseOptions& options) {
  if (!check_utf8(text, Loc{base.file, std::max(base.line, 1u), std::max(base.col, 1u), 1}, diags))
    return nullptr;
  antlr4::ANTLRInputStream input{std::string(text)};
  OmenLexer lexer(&input);
  ErrorListener listener(diags, base.file, base);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  Builder builder(base.file, base, diags, options.max_depth);
  if (!check_nesting(tokens, builder, diags, options.max_depth)) return nullptr;
  OmenParser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);
  auto* tree = parser.exprOnly();
  if (listener.count > 0) return nullptr;
  return builder.expr(tree->expr(), 0);
}

std::vector<std::string> keywords() {
  antlr4::ANTLRInputStream input{std::string()};
  OmenLexer lexer(&input);
  const antlr4::dfa::Vocabulary& vocab = lexer.getVocabulary();
  std::vector<std::string> out;
  for (size_t t = 0; t <= vocab.getMaxTokenType(); ++t) {
    std::string lit = vocab.getLiteralName(t);  // "'rule'", or "" for a token class
    if (lit.size() < 3 || !std::isalpha(static_cast<unsigned char>(lit[1]))) continue;
    out.push_back(lit.substr(1, lit.size() - 2));
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool is_name(std::string_view word) {
  if (word.empty()) return false;
  antlr4::ANTLRInputStream input{std::string(word)};
  OmenLexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  OmenParser parser(&tokens);
  parser.removeErrorListeners();
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  try {
    parser.name();
  } catch (const antlr4::ParseCancellationException&) {
    return false;
  }
  return parser.getNumberOfSyntaxErrors() == 0 &&
         parser.getCurrentToken()->getType() == antlr4::Token::EOF;
}

}  // namespace omen::parse
