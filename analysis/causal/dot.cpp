// DOT import (the subset real tools write) and export.
#include <fmt/format.h>

#include <map>
#include <set>

#include "internal.h"
#include "omen/causal.h"

namespace omen::causal {

namespace {

enum class Tok { Id, LBrace, RBrace, LBracket, RBracket, Semi, Comma, Eq, Colon, Arrow, Dash, End };

struct Token {
  Tok kind;
  std::string text;
  int line, col;
  bool quoted = false;
};

class Lexer {
 public:
  Lexer(std::string_view s, const std::string& file) : s_(s), file_(file) {}

  Token next() {
    skip();
    Token t{Tok::End, "", line_, col_};
    if (i_ >= s_.size()) return t;
    char c = s_[i_];
    auto one = [&](Tok k) {
      t.kind = k;
      t.text = std::string(1, c);
      adv();
      return t;
    };
    switch (c) {
      case '{':
        return one(Tok::LBrace);
      case '}':
        return one(Tok::RBrace);
      case '[':
        return one(Tok::LBracket);
      case ']':
        return one(Tok::RBracket);
      case ';':
        return one(Tok::Semi);
      case ',':
        return one(Tok::Comma);
      case '=':
        return one(Tok::Eq);
      case ':':
        return one(Tok::Colon);
      default:
        break;
    }
    if (c == '-' && i_ + 1 < s_.size() && (s_[i_ + 1] == '>' || s_[i_ + 1] == '-')) {
      t.kind = s_[i_ + 1] == '>' ? Tok::Arrow : Tok::Dash;
      t.text = t.kind == Tok::Arrow ? "->" : "--";
      adv();
      adv();
      return t;
    }
    if (c == '"') {
      adv();
      t.kind = Tok::Id;
      t.quoted = true;
      while (true) {
        if (i_ >= s_.size()) internal::fail("syntax", "unterminated string", file_, t.line, t.col);
        char d = s_[i_];
        if (d == '"') {
          adv();
          break;
        }
        if (d == '\\' && i_ + 1 < s_.size()) {
          char e = s_[i_ + 1];
          if (e == '"' || e == '\\') {
            t.text += e;
            adv();
            adv();
            continue;
          }
          if (e == '\n') {  // line continuation
            adv();
            adv();
            continue;
          }
        }
        t.text += d;
        adv();
      }
      return t;
    }
    if (c == '<') {  // HTML-like label: keep the raw text, balanced angle brackets
      int depth = 0;
      t.kind = Tok::Id;
      t.quoted = true;
      do {
        if (i_ >= s_.size())
          internal::fail("syntax", "unterminated <...> id", file_, t.line, t.col);
        if (s_[i_] == '<') ++depth;
        if (s_[i_] == '>') --depth;
        t.text += s_[i_];
        adv();
      } while (depth > 0);
      return t;
    }
    if (is_id_char(c) || c == '-' || c == '.') {
      t.kind = Tok::Id;
      while (i_ < s_.size() &&
             (is_id_char(s_[i_]) || s_[i_] == '.' || (s_[i_] == '-' && t.text.empty()))) {
        t.text += s_[i_];
        adv();
      }
      return t;
    }
    internal::fail("syntax", fmt::format("unexpected character '{}'", c), file_, line_, col_);
  }

 private:
  static bool is_id_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  }
  void adv() {
    if (s_[i_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++i_;
  }
  void skip() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        adv();
      } else if (c == '#' && col_ == 1) {  // preprocessor-style line: a comment in DOT
        while (i_ < s_.size() && s_[i_] != '\n') adv();
      } else if (c == '#') {
        while (i_ < s_.size() && s_[i_] != '\n') adv();
      } else if (c == '/' && i_ + 1 < s_.size() && s_[i_ + 1] == '/') {
        while (i_ < s_.size() && s_[i_] != '\n') adv();
      } else if (c == '/' && i_ + 1 < s_.size() && s_[i_ + 1] == '*') {
        int l = line_, cc = col_;
        adv();
        adv();
        while (i_ + 1 < s_.size() && !(s_[i_] == '*' && s_[i_ + 1] == '/')) adv();
        if (i_ + 1 >= s_.size()) internal::fail("syntax", "unterminated /* comment", file_, l, cc);
        adv();
        adv();
      } else {
        break;
      }
    }
  }
  std::string_view s_;
  const std::string& file_;
  size_t i_ = 0;
  int line_ = 1, col_ = 1;
};

using Attrs = std::vector<std::pair<std::string, Token>>;

class Parser {
 public:
  Parser(std::string_view text, const std::string& file) : lex_(text, file), file_(file) {
    tok_ = lex_.next();
  }

  Graph parse() {
    if (is_kw("strict")) advance();
    if (is_kw("digraph")) {
      directed_ = true;
    } else if (is_kw("graph")) {
      directed_ = false;
    } else {
      error("expected 'digraph' or 'graph'");
    }
    advance();
    Graph g;
    if (tok_.kind == Tok::Id) {
      g.set_name(tok_.text);
      advance();
    }
    g_ = &g;
    expect(Tok::LBrace, "'{'");
    Scope scope;
    stmt_list(scope);
    expect(Tok::RBrace, "'}'");
    if (tok_.kind != Tok::End) error("unexpected text after the closing '}'");
    return g;
  }

 private:
  struct Scope {
    Attrs node_defaults, edge_defaults;
  };

  bool is_kw(const char* kw) const {
    if (tok_.kind != Tok::Id || tok_.quoted) return false;
    std::string lower;
    for (char c : tok_.text)
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower == kw;
  }
  void advance() { tok_ = lex_.next(); }
  [[noreturn]] void error(const std::string& msg) const {
    std::string got = tok_.kind == Tok::End ? "end of input" : "'" + tok_.text + "'";
    internal::fail("syntax", msg + ", got " + got, file_, tok_.line, tok_.col);
  }
  void expect(Tok k, const char* what) {
    if (tok_.kind != k) error(std::string("expected ") + what);
    advance();
  }

  // Returns the nodes mentioned (for subgraphs used as edge endpoints).
  std::vector<size_t> stmt_list(Scope& scope) {
    std::vector<size_t> mentioned;
    while (tok_.kind != Tok::RBrace && tok_.kind != Tok::End) {
      auto m = stmt(scope);
      mentioned.insert(mentioned.end(), m.begin(), m.end());
      if (tok_.kind == Tok::Semi || tok_.kind == Tok::Comma) advance();
    }
    return mentioned;
  }

  Attrs attr_list() {
    Attrs out;
    while (tok_.kind == Tok::LBracket) {
      advance();
      while (tok_.kind != Tok::RBracket) {
        if (tok_.kind != Tok::Id) error("expected an attribute name");
        std::string key = tok_.text;
        Token key_tok = tok_;
        advance();
        if (tok_.kind == Tok::Eq) {
          advance();
          if (tok_.kind != Tok::Id) error("expected an attribute value");
          out.emplace_back(key, tok_);
          advance();
        } else {
          Token t = key_tok;
          t.text = "true";
          out.emplace_back(key, t);
        }
        if (tok_.kind == Tok::Comma || tok_.kind == Tok::Semi) advance();
      }
      advance();
    }
    return out;
  }

  std::vector<size_t> endpoint(Scope& scope, bool& was_node) {
    was_node = false;
    if (tok_.kind == Tok::LBrace || is_kw("subgraph")) return subgraph(scope);
    if (tok_.kind != Tok::Id) error("expected a node id");
    Token id = tok_;
    advance();
    return node_id(id, was_node);
  }

  // The rest of a node id whose first token `id` was consumed already.
  std::vector<size_t> node_id(const Token& id, bool& was_node) {
    if (tok_.kind == Tok::Colon) {  // port (and compass point): ignored
      advance();
      if (tok_.kind != Tok::Id) error("expected a port name");
      advance();
      if (tok_.kind == Tok::Colon) {
        advance();
        if (tok_.kind != Tok::Id) error("expected a compass point");
        advance();
      }
    }
    was_node = true;
    return {g_->add_node(id.text, SourceLoc{file_, id.line, id.col})};
  }

  std::vector<size_t> subgraph(Scope& outer) {
    if (is_kw("subgraph")) {
      advance();
      if (tok_.kind == Tok::Id) advance();
    }
    expect(Tok::LBrace, "'{'");
    Scope inner = outer;
    auto m = stmt_list(inner);
    expect(Tok::RBrace, "'}'");
    return m;
  }

  std::vector<size_t> stmt(Scope& scope) {
    if (is_kw("graph") || is_kw("node") || is_kw("edge")) {
      std::string which = tok_.text;
      advance();
      if (tok_.kind == Tok::LBracket) {
        Attrs a = attr_list();
        for (char& c : which) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        Attrs& target = which == "node" ? scope.node_defaults : scope.edge_defaults;
        if (which != "graph") target.insert(target.end(), a.begin(), a.end());
        return {};
      }
      error("expected '[' after '" + which + "'");
    }
    bool was_node = false;
    std::vector<size_t> lhs;
    if (tok_.kind == Tok::Id && !is_kw("subgraph")) {
      Token id = tok_;
      advance();
      if (tok_.kind == Tok::Eq) {  // graph attribute `id = value`: not a node
        advance();
        if (tok_.kind != Tok::Id) error("expected a value after '='");
        advance();
        return {};
      }
      lhs = node_id(id, was_node);
    } else {
      lhs = endpoint(scope, was_node);
    }
    if (tok_.kind != Tok::Arrow && tok_.kind != Tok::Dash) {
      Attrs a = scope.node_defaults;
      Attrs own = attr_list();
      a.insert(a.end(), own.begin(), own.end());
      if (was_node) apply_node_attrs(lhs[0], a);
      return lhs;
    }
    std::vector<std::vector<size_t>> chain{lhs};
    std::vector<Token> ops;
    std::vector<size_t> mentioned = lhs;
    while (tok_.kind == Tok::Arrow || tok_.kind == Tok::Dash) {
      ops.push_back(tok_);
      if (tok_.kind == Tok::Arrow && !directed_) error("'->' in an undirected graph");
      advance();
      bool dummy;
      chain.push_back(endpoint(scope, dummy));
      mentioned.insert(mentioned.end(), chain.back().begin(), chain.back().end());
    }
    Attrs a = scope.edge_defaults;
    Attrs own = attr_list();
    a.insert(a.end(), own.begin(), own.end());
    for (size_t k = 0; k + 1 < chain.size(); ++k)
      for (size_t u : chain[k])
        for (size_t v : chain[k + 1]) add_edge(u, v, ops[k], a);
    return mentioned;
  }

  static bool truthy(const std::string& v) {
    return v == "true" || v == "1" || v == "yes" || v == "True";
  }

  void apply_node_attrs(size_t n, const Attrs& attrs) {
    for (const auto& [k, v] : attrs) {
      if (k == "root")
        g_->set_root(n, truthy(v.text));
      else if (k == "leaf")
        g_->set_leaf(n, truthy(v.text));
      else if (k.rfind("bind_", 0) == 0)
        g_->bind(n, k.substr(5), v.text);
    }
  }

  void add_edge(size_t u, size_t v, const Token& op, const Attrs& attrs) {
    Edge e;
    e.from = u;
    e.to = v;
    e.undirected = op.kind == Tok::Dash;
    e.loc = SourceLoc{file_, op.line, op.col};
    std::string kind;
    for (const auto& [k, val] : attrs) {
      const std::string& t = val.text;
      if (k == "source" || k == "provenance") {
        auto p = parse_provenance(t);
        if (!p)
          internal::fail(
              "syntax",
              fmt::format("unknown edge source '{}' (declared, traces, llm, discovered)", t), file_,
              val.line, val.col);
        e.provenance = *p;
      } else if (k == "weight" || k == "strength") {
        auto x = internal::parse_number(t);
        if (!x || std::isnan(*x))
          internal::fail("syntax", fmt::format("{} must be a number, got '{}'", k, t), file_,
                         val.line, val.col);
        e.strength = *x;
      } else if (k == "lag") {
        auto x = internal::parse_number(t);
        if (!x || std::isnan(*x) || *x < 0)
          internal::fail("syntax", fmt::format("lag must be a non-negative integer, got '{}'", t),
                         file_, val.line, val.col);
        e.lag = static_cast<int>(*x);
      } else if ((k == "dir" && (t == "none" || t == "both")) ||
                 (k == "arrowhead" && t == "none") || (k == "undirected" && truthy(t))) {
        e.undirected = true;
      } else if (k == "kind") {
        kind = t;
      }
    }
    if (u == v)
      internal::fail("syntax", fmt::format("self-loop on '{}'", g_->node(u).name), file_, op.line,
                     op.col);
    if (kind == "forbid") {
      g_->forbid(u, v, e.loc);
    } else if (kind == "require") {
      g_->require(u, v, e.loc);
    } else {
      g_->add_edge(e);
    }
  }

  Lexer lex_;
  const std::string& file_;
  Token tok_;
  bool directed_ = true;
  Graph* g_ = nullptr;
};

std::string dot_id(const std::string& s) {
  bool plain = !s.empty() && !std::isdigit(static_cast<unsigned char>(s[0]));
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) plain = false;
  static const std::set<std::string> keywords{"graph", "digraph",  "node",
                                              "edge",  "subgraph", "strict"};
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (plain && !keywords.count(lower)) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string number(double x) {
  return fmt::format("{}", x);
}

}  // namespace

Graph parse_dot(std::string_view text, const std::string& file) {
  return Parser(text, file).parse();
}

std::string to_dot(const Graph& g) {
  std::string out = fmt::format("digraph {} {{\n", dot_id(g.name()));
  for (const Node& n : g.nodes()) {
    std::vector<std::string> attrs;
    if (n.root) attrs.push_back("root=true");
    if (n.leaf) attrs.push_back("leaf=true");
    for (const auto& [b, s] : n.bindings) attrs.push_back(dot_id("bind_" + b) + "=" + dot_id(s));
    out += "  " + dot_id(n.name);
    if (!attrs.empty()) out += " [" + fmt::format("{}", fmt::join(attrs, ", ")) + "]";
    out += ";\n";
  }
  for (const Edge& e : g.edges()) {
    std::vector<std::string> attrs;
    if (e.provenance != Provenance::Declared)
      attrs.push_back(std::string("source=") + to_string(e.provenance));
    if (e.strength) attrs.push_back("weight=" + number(*e.strength));
    if (e.lag) attrs.push_back(fmt::format("lag={}", e.lag));
    if (e.undirected) attrs.push_back("dir=none");
    out += fmt::format("  {} -> {}", dot_id(g.node(e.from).name), dot_id(g.node(e.to).name));
    if (!attrs.empty()) out += " [" + fmt::format("{}", fmt::join(attrs, ", ")) + "]";
    out += ";\n";
  }
  for (const EdgeConstraint& c : g.constraints())
    out += fmt::format("  {} -> {} [kind={}, style=dotted];\n", dot_id(g.node(c.from).name),
                       dot_id(g.node(c.to).name), c.required ? "require" : "forbid");
  out += "}\n";
  return out;
}

}  // namespace omen::causal
