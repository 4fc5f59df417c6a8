// ANTLR parse tree -> ast::Module. Walks the typed contexts directly (no antlrcpp::Any).
#include "compiler/parse/parser.h"

#include <charconv>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "OmenLexer.h"
#include "OmenParser.h"
#include "antlr4-runtime.h"

namespace omen::parse {

using grammar::OmenLexer;
using grammar::OmenParser;

bool parse_duration(std::string_view text, int64_t* ms) {
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    int64_t n = 0;
    size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (n > (INT64_MAX - 9) / 10) return false;
      n = n * 10 + (text[i++] - '0');
    }
    if (i == start) return false;
    int64_t unit;
    if (text.substr(i, 2) == "ms") {
      unit = 1;
      i += 2;
    } else if (i < text.size()) {
      switch (text[i++]) {
        case 's':
          unit = 1000;
          break;
        case 'm':
          unit = 60'000;
          break;
        case 'h':
          unit = 3'600'000;
          break;
        case 'd':
          unit = 86'400'000;
          break;
        case 'w':
          unit = 604'800'000;
          break;
        default:
          return false;
      }
    } else {
      return false;
    }
    if (n > (INT64_MAX - total) / unit) return false;
    total += n * unit;
  }
  *ms = total;
  return true;
}

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
  bool too_deep(size_t depth, antlr4::ParserRuleContext* ctx) {
    if (depth <= max_depth_) return false;
    if (!depth_reported_)
      diags_.error(loc(ctx->getStart()), DiagCode::E041,
                   fmt::format("expression nested too deeply (limit {})", max_depth_));
    depth_reported_ = true;
    return true;
  }
  ast::ExprPtr error_expr(antlr4::ParserRuleContext* ctx) {
    return make(ast::ExprKind::Number, loc(ctx->getStart()));
  }

  ast::ExprPtr expr(OmenParser::ExprContext* ctx, size_t depth) {
    if (too_deep(depth, ctx)) return error_expr(ctx);
    if (auto* c = dynamic_cast<OmenParser::IfExprContext*>(ctx)) {
      auto e = make(ast::ExprKind::If, loc(c->getStart()));
      for (auto* x : c->expr()) e->args.push_back(expr(x, depth + 1));
      return e;
    }
    return or_expr(static_cast<OmenParser::PlainExprContext*>(ctx)->orExpr(), depth + 1);
  }
  ast::ExprPtr or_expr(OmenParser::OrExprContext* ctx, size_t depth) {
    auto parts = ctx->andExpr();
    auto e = and_expr(parts[0], depth + 1);
    for (size_t i = 1; i < parts.size(); ++i)
      e = binary("or", std::move(e), and_expr(parts[i], depth + 1), loc(parts[i - 1]->getStop()));
    return e;
  }
  ast::ExprPtr and_expr(OmenParser::AndExprContext* ctx, size_t depth) {
    auto parts = ctx->notExpr();
    auto e = not_expr(parts[0], depth + 1);
    for (size_t i = 1; i < parts.size(); ++i)
      e = binary("and", std::move(e), not_expr(parts[i], depth + 1), loc(parts[i - 1]->getStop()));
    return e;
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
    auto e = add_expr(parts[0], depth + 1);
    if (parts.size() == 2) {
      auto op = c->cmpOp();
      e = binary(op->getText(), std::move(e), add_expr(parts[1], depth + 1), loc(op));
    }
    return e;
  }
  ast::ExprPtr add_expr(OmenParser::AddExprContext* ctx, size_t depth) {
    auto parts = ctx->mulExpr();
    auto e = mul_expr(parts[0], depth + 1);
    for (size_t i = 1; i < parts.size(); ++i) {
      auto op = ctx->addOp(i - 1);
      e = binary(op->getText(), std::move(e), mul_expr(parts[i], depth + 1), loc(op));
    }
    return e;
  }
  ast::ExprPtr mul_expr(OmenParser::MulExprContext* ctx, size_t depth) {
    auto parts = ctx->unaryExpr();
    auto e = unary_expr(parts[0], depth + 1);
    for (size_t i = 1; i < parts.size(); ++i) {
      auto op = ctx->mulOp(i - 1);
      e = binary(op->getText(), std::move(e), unary_expr(parts[i], depth + 1), loc(op));
    }
    return e;
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
    auto e = primary(p->primary(), depth + 1);
    if (p->unaryExpr()) {
      Loc at = loc(p->primary()->getStop());
      e = binary("^", std::move(e), unary_expr(p->unaryExpr(), depth + 1), at);
    }
    return e;
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
      int64_t ms = 0;
      if (!parse_duration(e->text, &ms))
        diags_.error(l, DiagCode::E004, fmt::format("duration '{}' is out of range", e->text));
      e->number = static_cast<double>(ms);
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
    return expr(c->expr(), depth + 1);
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

// Rejects bracket nesting beyond the limit before ANTLR recurses into it.
bool check_nesting(antlr4::CommonTokenStream& tokens, Builder& b, Diagnostics& diags,
                   size_t max_depth) {
  tokens.fill();
  size_t depth = 0, prefix_run = 0;
  for (antlr4::Token* t : tokens.getTokens()) {
    std::string s = t->getText();
    if (s == "(" || s == "{" || s == "[")
      ++depth;
    else if ((s == ")" || s == "}" || s == "]") && depth > 0)
      --depth;
    bool prefix = s == "-" || s == "not" || s == "if";
    prefix_run = prefix ? prefix_run + 1 : 0;
    if (depth > max_depth || prefix_run > max_depth) {
      diags.error(b.loc(t), DiagCode::E041, fmt::format("nesting too deep (limit {})", max_depth));
      return false;
    }
  }
  return true;
}

// ANTLR's input stream throws on bytes that are not UTF-8: find the first such byte first.
// Returns its offset and its 1-based line and column (in characters), or nullopt.
struct BadByte {
  size_t offset;
  uint32_t line, col;
};
std::optional<BadByte> invalid_utf8(std::string_view text) {
  uint32_t line = 1, col = 1;
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = n != 0 && i + n <= text.size();
    for (size_t k = 1; ok && k < n; ++k)
      ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (ok && n > 1) {  // no overlong forms, surrogates or code points past U+10FFFF
      uint32_t cp = c & (0xFF >> (n + 1));
      for (size_t k = 1; k < n; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
      static const uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= min_cp[n] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (!ok) return BadByte{i, line, col};
    if (c == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
    i += n;
  }
  return std::nullopt;
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
  if (auto bad = invalid_utf8(text)) {
    diags.error(Loc{file, bad->line, bad->col, 1}, DiagCode::E002,
                fmt::format("byte 0x{:02X} is not UTF-8 (Omen source is UTF-8)",
                            static_cast<unsigned char>(text[bad->offset])));
    return {};
  }
  antlr4::ANTLRInputStream input(text);
  OmenLexer lexer(&input);
  ErrorListener listener(diags, file, Loc{});
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  Builder builder(file, Loc{}, diags, options.max_depth * 16);
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
  if (auto bad = invalid_utf8(text)) {
    const uint32_t col = bad->line == 1 ? base.col + bad->col - 1 : bad->col;
    diags.error(Loc{base.file, base.line + bad->line - 1, col, 1}, DiagCode::E002,
                fmt::format("byte 0x{:02X} is not UTF-8 (Omen source is UTF-8)",
                            static_cast<unsigned char>(text[bad->offset])));
    return nullptr;
  }
  antlr4::ANTLRInputStream input{std::string(text)};
  OmenLexer lexer(&input);
  ErrorListener listener(diags, base.file, base);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  Builder builder(base.file, base, diags, options.max_depth * 16);
  if (!check_nesting(tokens, builder, diags, options.max_depth)) return nullptr;
  OmenParser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);
  auto* tree = parser.exprOnly();
  if (listener.count > 0) return nullptr;
  return builder.expr(tree->expr(), 0);
}

}  // namespace omen::parse
