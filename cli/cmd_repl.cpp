// omen repl: an interactive shell over rule files and data (docs/repl.md): line editing,
// commands and printing over omen::Session (include/omen/session.h), which defines
// declarations, evaluates expressions and offers the vocabulary for completion.
#include <editline/readline.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "omen/causal.h"
#include "omen/data.h"
#include "omen/engine.h"
#include "omen/graphs.h"
#include "omen/session.h"
#include "omen/testing.h"
#include "omen/tools.h"

namespace omen::cli {

namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxSeriesShown = 20;
constexpr size_t kSparkWidth = 60;

// ---------------------------------------------------------------------------------------------
// Text, numbers and times

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::string format_num(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{:.6g}", v);
}

// RFC 3339 in UTC; milliseconds only when there are any.
std::string format_time(TimeMs t) {
  int64_t secs = t >= 0 ? t / 1000 : -((-t + 999) / 1000);
  int64_t ms = t - secs * 1000;
  std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  if (ms != 0) out += fmt::format(".{:03d}", ms);
  return out + "Z";
}

// A time on the command line: `+DUR` (after the data's first sample), `-DUR` (before its
// last), unix seconds (milliseconds from 1e11 on), or `YYYY-MM-DD[THH:MM[:SS]][Z]`.
bool parse_time(const std::string& s, TimeMs first, TimeMs last, TimeMs* out) {
  try {
    if (!s.empty() && (s[0] == '+' || s[0] == '-') && s.size() > 1 &&
        std::isdigit(static_cast<unsigned char>(s[1])) &&
        std::isalpha(static_cast<unsigned char>(s.back()))) {
      int64_t d = parse_duration_arg(s.substr(1));
      *out = s[0] == '+' ? first + d : last - d;
      return true;
    }
    if (!s.empty() && s.find_first_not_of("0123456789.") == std::string::npos) {
      double v = std::stod(s);
      *out = static_cast<TimeMs>(std::llround(v >= 1e11 ? v : v * 1000));
      return true;
    }
  } catch (const std::exception&) {
    return false;
  }
  std::tm tm{};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  int n = std::sscanf(s.c_str(), "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec);
  if (n < 3) return false;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = n >= 4 ? h : 0;
  tm.tm_min = n >= 5 ? mi : 0;
  tm.tm_sec = n >= 6 ? sec : 0;
  *out = static_cast<TimeMs>(timegm(&tm)) * 1000;
  return true;
}

// Unicode block sparkline of `values` squeezed into at most `width` columns (the mean of
// each column's points). For bools the column shows the fraction of true points, and any
// true point shows at least the second level, so rare events stay visible.
std::string sparkline(const std::vector<double>& values, bool boolean, size_t width = kSparkWidth) {
  static const char* kBars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  const size_t n = values.size();
  if (n == 0) return "";
  const size_t w = std::min(n, width);
  std::vector<double> col(w, NAN);
  for (size_t i = 0; i < w; ++i) {
    size_t b = i * n / w, e = (i + 1) * n / w;
    double sum = 0;
    size_t k = 0;
    for (size_t j = b; j < e; ++j)
      if (std::isfinite(values[j])) sum += values[j], ++k;
    if (k > 0) col[i] = sum / static_cast<double>(k);
  }
  double lo = boolean ? 0 : INFINITY, hi = boolean ? 1 : -INFINITY;
  if (!boolean)
    for (double c : col)
      if (std::isfinite(c)) lo = std::min(lo, c), hi = std::max(hi, c);
  std::string out;
  for (double c : col) {
    if (!std::isfinite(c)) {
      out += ' ';
      continue;
    }
    int level = hi > lo ? static_cast<int>(std::lround((c - lo) / (hi - lo) * 7)) : 3;
    if (boolean && c > 0) level = std::max(level, 1);
    out += kBars[std::clamp(level, 0, 7)];
  }
  return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Input: when is a typed text complete?

// Unbalanced brackets (outside strings and comments), or a last line that ends in `=`, `,`
// or a binary operator, continue onto the next line. Commands (`:...`) are one line.
bool incomplete(const std::string& text) {
  std::string t = trim(text);
  if (t.empty() || t[0] == ':') return false;
  int depth = 0;
  bool in_string = false;
  std::string last_code;  // the last line's code, without its comment
  std::string line;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\' && i + 1 < text.size())
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '#') {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '(' || c == '{' || c == '[')
      ++depth;
    else if (c == ')' || c == '}' || c == ']')
      --depth;
    if (c == '\n')
      line.clear();
    else
      line += c;
  }
  if (in_string) return false;  // an unterminated string is an error, not more input
  if (depth > 0) return true;
  std::string l = trim(line);
  if (l.empty()) return false;
  static const std::vector<std::string> kTails = {
      "=", ",", "+", "-", "*", "/", "^", "<", ">", " and", " or", " not", " then", " else", " if"};
  for (const auto& tail : kTails)
    if (l.size() >= tail.size() && l.compare(l.size() - tail.size(), tail.size(), tail) == 0)
      return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Commands

const std::vector<std::string> kCommands = {":load",    ":data",  ":rules", ":run",
                                            ":explain", ":test",  ":graph", ":rca",
                                            ":show",    ":reset", ":help",  ":quit"};

// ---------------------------------------------------------------------------------------------
// The shell: commands and printing over an omen::Session

class Repl {
 public:
  Repl() {
    char tmpl[] = "/tmp/omen-repl-XXXXXX";
    if (char* dir = mkdtemp(tmpl)) tmpdir_ = dir;
    session_path_ = tmpdir_ + "/session.omen";
  }
  ~Repl() {
    std::error_code ec;
    if (!tmpdir_.empty()) fs::remove_all(tmpdir_, ec);
  }

  bool done() const { return quit_; }
  int errors() const { return errors_; }

  void execute(const std::string& raw) {
    std::string input = trim(raw);
    if (input.empty() || input[0] == '#') return;
    try {
      if (input[0] == ':')
        command(input);
      else if (is_definition(input))
        define(input);
      else
        evaluate(input);
    } catch (const std::exception& e) {
      error(e.what());
    }
    std::fflush(stdout);
    std::fflush(stderr);
  }

  void load(const std::vector<std::string>& files) { cmd_load(files); }
  void data(const std::vector<std::string>& files) { cmd_data(files); }

  /// Words for tab completion in the current state: the language's keywords, every
  /// built-in and standard library function, the session's declarations, graph nodes and
  /// metrics of the data, and the commands' option words.
  std::vector<std::string> vocabulary(bool command_position) const {
    if (command_position) return kCommands;
    std::vector<std::string> v = Session::keywords();
    for (const auto& f : Session::functions()) v.push_back(f.name);
    for (const auto& d : session_.declarations())
      if (d.kind != DeclKind::Import) v.push_back(d.name);
    for (const auto& m : session_.metrics()) v.push_back(m);
    v.insert(v.end(), graph_nodes_.begin(), graph_nodes_.end());
    for (const char* w :
         {"ir", "ast", "llvm", "llvm-opt", "dot", "json", "omen", "ancestors", "descendants",
          "blanket", "paths", "method=", "graph=", "target=", "top=", "by=", "baseline="})
      v.push_back(w);
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  }

 private:
  // --- output
  void error(const std::string& msg) {
    ++errors_;
    std::fprintf(stderr, "error: %s\n", msg.c_str());
  }
  void diagnostics(const std::string& text) {
    std::fputs(replace_all(text, session_path_, "<repl>").c_str(), stderr);
  }

  // --- the rule files for the path-based tools (explain, tests, graphs): the loaded files,
  // then the typed definitions written to a file of the session's temporary directory
  std::vector<std::string> paths() const {
    std::vector<std::string> p = session_.files();
    std::string defs = session_.definitions_text();
    if (!defs.empty()) {
      std::ofstream f(session_path_, std::ios::trunc);
      f << defs;
      if (!f) throw std::runtime_error("cannot write " + session_path_);
      p.push_back(session_path_);
    }
    return p;
  }

  // Re-reads the graphs' nodes (completion words).
  void refresh() {
    graph_nodes_.clear();
    std::vector<std::string> p = paths();
    if (p.empty()) return;
    GraphsResult g = load_graphs(p);
    for (const auto& graph : g.graphs)
      for (const auto& n : graph.nodes()) graph_nodes_.insert(n.name);
  }

  // --- commands
  void command(const std::string& input) {
    std::vector<std::string> w = words(input);
    std::string cmd = w[0];
    std::vector<std::string> args(w.begin() + 1, w.end());
    if (cmd == ":quit" || cmd == ":q" || cmd == ":exit")
      quit_ = true;
    else if (cmd == ":help" || cmd == ":h" || cmd == ":?")
      help();
    else if (cmd == ":load")
      cmd_load(args);
    else if (cmd == ":data")
      cmd_data(args);
    else if (cmd == ":rules")
      cmd_rules();
    else if (cmd == ":run")
      cmd_run(args);
    else if (cmd == ":explain")
      cmd_explain(args);
    else if (cmd == ":test")
      cmd_test(args);
    else if (cmd == ":graph")
      cmd_graph(args);
    else if (cmd == ":rca")
      cmd_rca(args);
    else if (cmd == ":show")
      cmd_show();
    else if (cmd == ":reset")
      cmd_reset();
    else
      error("unknown command " + cmd + " (:help lists the commands)");
  }

  void help() {
    std::printf(
        "Type an expression to evaluate it over the loaded data, or a declaration (series,\n"
        "const, fn, rule, test, graph, import) to add it to the session. Blocks continue over\n"
        "several lines until their braces balance.\n"
        "\n"
        "  :load FILE...            load rule files (checked first); no FILE: reload them\n"
        "  :data FILE...            load data (CSV or JSON lines; docs/cli.md)\n"
        "  :rules                   list the rules\n"
        "  :run [RULE...]           run the rules over the data, print firing/resolved alerts\n"
        "  :explain NAME [ir|llvm|llvm-opt|ast]   show a compiler stage of a rule\n"
        "  :test [FILTER]           run the test blocks (every tier)\n"
        "  :graph [NAME [omen|dot|json | ancestors|descendants|blanket NODE | paths A B]]\n"
        "  :rca START [END] [baseline=DUR] [method=M] [graph=G] [target=NODE] [top=N] [by=LABEL]\n"
        "                           rank root causes of an incident in the data\n"
        "                           (times: RFC 3339, unix seconds, +DUR from the start, -DUR\n"
        "                           before the end of the data)\n"
        "  :show                    print the definitions typed in this session\n"
        "  :reset                   forget files, definitions and data\n"
        "  :help, :quit             (Ctrl-D also quits)\n");
  }

  void cmd_load(const std::vector<std::string>& args) {
    if (args.empty() && session_.files().empty()) return error("usage: :load FILE...");
    SessionResult r = args.empty() ? session_.reload_files() : session_.load_files(args);
    const std::vector<std::string>& named = args.empty() ? session_.files() : args;
    if (!r.ok) {
      diagnostics(r.diagnostics);
      return error(fmt::format("{} not loaded", named.size() == 1 ? named[0] : "files"));
    }
    refresh();
    std::printf(
        "loaded %s: %zu rule%s, %zu test%s in total\n",
        named.size() == 1 ? named[0].c_str() : fmt::format("{} files", named.size()).c_str(),
        r.rules, r.rules == 1 ? "" : "s", r.tests, r.tests == 1 ? "" : "s");
  }

  void cmd_data(const std::vector<std::string>& args) {
    if (args.empty()) return error("usage: :data FILE...");
    for (const auto& path : args) {
      Batch next;
      DataReadResult r = read_data_file(path, {}, next);
      if (!r.ok) return error(r.error);
      session_.add_data(next);
      std::printf("%s: %zu samples\n", path.c_str(), r.rows);
    }
    std::vector<std::string> metrics = session_.metrics();
    std::printf("data: %zu samples, %zu series, %s .. %s; metrics: %s\n", session_.data().t.size(),
                session_.data().series.size(), format_time(first_time()).c_str(),
                format_time(last_time()).c_str(),
                fmt::format("{}", fmt::join(metrics, ", ")).c_str());
  }

  TimeMs first_time() const { return session_.first_time(); }
  TimeMs last_time() const { return session_.last_time(); }
  bool have_data() const { return !session_.data().t.empty(); }
  bool have_rules() const {
    return !session_.files().empty() || !session_.definitions_text().empty();
  }

  std::unique_ptr<Engine> build_rules(Tier tier = Tier::Interp) {
    if (!have_rules()) {
      error("no rules loaded (:load FILE, or type a rule)");
      return nullptr;
    }
    auto b = session_.build(tier);
    if (!b.ok()) {
      diagnostics(b.render());
      error("the rules do not compile");
      return nullptr;
    }
    return std::move(b.engine);
  }

  void cmd_rules() {
    auto e = build_rules();
    if (!e) return;
    // Each rule's clauses on one line, from its canonical source.
    std::map<std::string, std::string> summary;
    for (const auto& d : session_.declarations()) {
      if (d.kind != DeclKind::Rule) continue;
      std::istringstream in(d.source);
      std::string line, s;
      std::getline(in, line);  // rule NAME {
      while (std::getline(in, line))
        if (line != "}") s += (s.empty() ? "" : "  ") + trim(line);
      summary[d.name] = s;
    }
    EngineStats s = e->stats();
    if (s.per_rule.empty()) std::printf("(no rules)\n");
    for (const auto& r : s.per_rule)
      std::printf("%-20s %s  (cost %g)\n", r.name.c_str(), summary[r.name].c_str(), r.cost);
  }

  void cmd_run(const std::vector<std::string>& only) {
    if (!have_data()) return error("no data loaded (:data FILE)");
    auto e = build_rules();
    if (!e) return;
    std::map<AlertEvent, size_t> counts;
    size_t shown = 0, total = 0;
    session_.replay(*e, [&](std::vector<Alert>&& alerts) {
      for (const auto& a : alerts) {
        if (!only.empty() && std::find(only.begin(), only.end(), a.rule) == only.end()) continue;
        ++counts[a.event];
        ++total;
        if (a.event != AlertEvent::Firing && a.event != AlertEvent::Resolved) continue;
        if (++shown <= 100) std::printf("%s\n", to_text(a).c_str());
      }
    });
    if (shown > 100) std::printf("... %zu more\n", shown - 100);
    std::printf("%zu alert event%s: %zu pending, %zu firing, %zu resolved, %zu cleared\n", total,
                total == 1 ? "" : "s", counts[AlertEvent::Pending], counts[AlertEvent::Firing],
                counts[AlertEvent::Resolved], counts[AlertEvent::Cleared]);
  }

  void cmd_explain(const std::vector<std::string>& args) {
    if (args.empty() || args.size() > 2)
      return error("usage: :explain NAME [ir|llvm|llvm-opt|ast]");
    if (!have_rules()) return error("no rules loaded (:load FILE, or type a rule)");
    std::string s = args.size() > 1 ? args[1] : "ir";
    Stage stage;
    if (s == "ir")
      stage = Stage::Ir;
    else if (s == "llvm")
      stage = Stage::Llvm;
    else if (s == "llvm-opt")
      stage = Stage::LlvmOptimized;
    else if (s == "ast")
      stage = Stage::Ast;
    else
      return error("the stage is ir, llvm, llvm-opt or ast");
    std::string out;
    if (!explain(paths(), stage, args[0], &out)) {
      diagnostics(out);  // "error: no rule named ..." or compiler diagnostics
      ++errors_;
      return;
    }
    std::fputs(out.c_str(), stdout);
  }

  bool have_jit() {
    if (have_jit_ < 0) {
      EngineOptions o;
      o.tier = Tier::Jit;
      have_jit_ = Engine::from_source("<probe>", "", o).ok() ? 1 : 0;
    }
    return have_jit_ == 1;
  }

  void cmd_test(const std::vector<std::string>& args) {
    if (!have_rules()) return error("no rules loaded (:load FILE, or type a test)");
    TestOptions o;
    o.tiers = {Tier::Interp};
    if (have_jit()) o.tiers.push_back(Tier::Jit);
    if (!args.empty()) o.filter = args[0];
    TestReport r = run_tests(paths(), o);
    if (!r.compiled) {
      diagnostics(r.render());
      return error("the tests do not compile");
    }
    for (const auto& c : r.cases) {
      std::printf("%s %s\n", c.passed ? "PASS" : "FAIL", c.name.c_str());
      for (const auto& f : c.failures)
        std::printf("    %s\n", replace_all(f, session_path_, "<repl>").c_str());
    }
    std::printf("%zu passed, %zu failed\n", r.passed(), r.failed());
    if (r.failed() > 0) ++errors_;
  }

  void cmd_show() {
    std::string defs = session_.definitions_text();
    if (defs.empty())
      std::printf("(no definitions typed in this session)\n");
    else
      std::fputs(defs.c_str(), stdout);
  }

  void cmd_reset() {
    session_.reset();
    refresh();
    std::printf("session reset\n");
  }

  void cmd_graph(const std::vector<std::string>& args) {
    if (!have_rules()) return error("no rules loaded (:load FILE, or type a graph)");
    GraphsResult g = load_graphs(paths());
    if (!g.ok) {
      diagnostics(g.render());
      return error("the graphs do not compile");
    }
    if (args.empty()) {
      if (g.graphs.empty()) std::printf("(no graphs)\n");
      for (const auto& graph : g.graphs)
        std::printf("%s: %zu nodes, %zu edges\n", graph.name().c_str(), graph.node_count(),
                    graph.edges().size());
      return;
    }
    const causal::Graph* graph = nullptr;
    for (const auto& x : g.graphs)
      if (x.name() == args[0]) graph = &x;
    if (!graph) return error("no graph named '" + args[0] + "'");
    std::string what = args.size() > 1 ? args[1] : "omen";
    auto names = [&](const std::vector<size_t>& ix) {
      std::string s;
      for (size_t i : ix) s += (s.empty() ? "" : ", ") + graph->node(i).name;
      return s.empty() ? std::string("(none)") : s;
    };
    if (what == "omen")
      std::fputs(causal::to_omen(*graph).c_str(), stdout);
    else if (what == "dot")
      std::fputs(causal::to_dot(*graph).c_str(), stdout);
    else if (what == "json")
      std::printf("%s\n", causal::to_json(*graph).c_str());
    else if ((what == "ancestors" || what == "descendants" || what == "blanket") &&
             args.size() == 3) {
      size_t n = graph->index(args[2]);
      if (what == "ancestors")
        std::printf("%s\n", names(causal::ancestors(*graph, n)).c_str());
      else if (what == "descendants")
        std::printf("%s\n", names(causal::descendants(*graph, n)).c_str());
      else
        std::printf("%s\n", names(causal::markov_blanket(*graph, n)).c_str());
    } else if (what == "paths" && args.size() == 4) {
      auto ps = causal::directed_paths(*graph, graph->index(args[2]), graph->index(args[3]));
      if (ps.empty()) std::printf("(no directed path)\n");
      for (const auto& p : ps) std::printf("%s\n", replace_all(names(p), ", ", " -> ").c_str());
    } else {
      error("usage: :graph NAME [omen|dot|json | ancestors|descendants|blanket NODE | paths A B]");
    }
  }

  // The loaded data as a table for root-cause ranking: one column per series, one row per
  // distinct timestamp, values read as of the row's time (staleness 5m, as the engine).
  causal::Table data_table(const std::string& by) const {
    causal::Table t;
    std::vector<TimeMs> times;
    const Batch& data = session_.data();
    std::vector<uint32_t> order(data.t.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return data.t[a] < data.t[b]; });
    for (uint32_t i : order)
      if (times.empty() || times.back() != data.t[i]) times.push_back(data.t[i]);
    for (TimeMs x : times) t.time.push_back(static_cast<double>(x) / 1000.0);
    std::vector<std::vector<std::pair<TimeMs, double>>> per(data.series.size());
    for (uint32_t i : order) per[data.sid[i]].emplace_back(data.t[i], data.v[i]);
    const TimeMs staleness = EngineOptions{}.staleness_ms;
    for (size_t s = 0; s < data.series.size(); ++s) {
      const SeriesKey& k = data.series[s];
      std::vector<double> col(times.size(), NAN);
      size_t j = 0;
      for (size_t r = 0; r < times.size(); ++r) {
        while (j + 1 < per[s].size() && per[s][j + 1].first <= times[r]) ++j;
        if (!per[s].empty() && per[s][j].first <= times[r] &&
            times[r] - per[s][j].first <= staleness)
          col[r] = per[s][j].second;
      }
      std::string component = k.name;
      std::vector<std::string> prefs =
          by.empty()
              ? std::vector<std::string>{"service", "component", "node", "instance", "job", "host"}
              : std::vector<std::string>{by};
      for (const auto& p : prefs) {
        auto it = std::find_if(k.labels.begin(), k.labels.end(),
                               [&](const auto& l) { return l.first == p; });
        if (it != k.labels.end()) {
          component = it->second;
          break;
        }
      }
      t.add_column(format_series(k), std::move(col), component, k.name);
    }
    return t;
  }

  void cmd_rca(const std::vector<std::string>& args) {
    const char* usage =
        "usage: :rca START [END] [baseline=DUR] [method=M] [graph=G] [target=NODE] [top=N] "
        "[by=LABEL]";
    if (!have_data()) return error("no data loaded (:data FILE)");
    std::vector<std::string> times;
    std::map<std::string, std::string> opt;
    for (const auto& a : args) {
      size_t eq = a.find('=');
      if (eq == std::string::npos)
        times.push_back(a);
      else
        opt[a.substr(0, eq)] = a.substr(eq + 1);
    }
    for (const auto& [k, v] : opt)
      if (k != "baseline" && k != "method" && k != "graph" && k != "target" && k != "top" &&
          k != "by")
        return error("unknown option " + k + "=\n" + usage);
    if (times.empty() || times.size() > 2) return error(usage);
    TimeMs start = 0, end = last_time();
    if (!parse_time(times[0], first_time(), last_time(), &start) ||
        (times.size() > 1 && !parse_time(times[1], first_time(), last_time(), &end)))
      return error("cannot read the time (RFC 3339, unix seconds, +DUR or -DUR)");
    TimeMs base_start = first_time();
    if (opt.count("baseline")) base_start = start - parse_duration_arg(opt["baseline"]);
    causal::RcaOptions o;
    if (opt.count("method")) {
      auto m = causal::parse_rca_method(opt["method"]);
      if (!m) return error("method is baro, nsigma, traversal, random_walk, circa or ensemble");
      o.method = *m;
    }
    if (opt.count("target")) o.target = opt["target"];
    size_t top = 5;
    if (opt.count("top")) {
      const std::string& n = opt["top"];
      if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos || n.size() > 6)
        return error("top is a number of causes, e.g. top=3");
      top = std::stoul(n);
    }
    std::optional<causal::Graph> graph;
    if (opt.count("graph")) {
      if (!have_rules()) return error("no rules loaded: no graph named '" + opt["graph"] + "'");
      GraphsResult g = load_graphs(paths());
      for (auto& x : g.graphs)
        if (x.name() == opt["graph"]) graph = std::move(x);
      if (!graph) return error("no graph named '" + opt["graph"] + "'");
    }
    causal::Table table = data_table(opt.count("by") ? opt["by"] : "");
    size_t b0 = table.rows(), b1 = 0, i0 = table.rows(), i1 = 0;
    for (size_t r = 0; r < table.rows(); ++r) {
      TimeMs t = static_cast<TimeMs>(std::llround(table.time[r] * 1000));
      if (t >= base_start && t < start) b0 = std::min(b0, r), b1 = r + 1;
      if (t >= start && t <= end) i0 = std::min(i0, r), i1 = r + 1;
    }
    if (b0 >= b1) return error("the baseline window (before START) has no data");
    if (i0 >= i1) return error("the incident window [START, END] has no data");
    std::printf("baseline %s .. %s (%zu rows), incident %s .. %s (%zu rows)\n",
                format_time(base_start).c_str(), format_time(start).c_str(), b1 - b0,
                format_time(start).c_str(), format_time(end).c_str(), i1 - i0);
    causal::RcaResult r =
        causal::rca(causal::slice_rows(table, b0, b1), causal::slice_rows(table, i0, i1),
                    graph ? &*graph : nullptr, o);
    std::fputs(causal::to_text(r, top).c_str(), stdout);
  }

  // --- definitions typed at the prompt
  static bool is_definition(const std::string& input) {
    static const std::set<std::string> kinds = {"import", "const", "fn",    "series",
                                                "rule",   "test",  "graph", "intent"};
    size_t e = 0;
    while (e < input.size() && is_ident_char(input[e])) ++e;
    return kinds.count(input.substr(0, e)) && e < input.size() &&
           (input[e] == ' ' || input[e] == '\t' || input[e] == '\n');
  }

  void define(const std::string& text) {
    SessionResult r = session_.define(text);
    if (!r.ok) {
      diagnostics(r.diagnostics);
      std::vector<std::string> w = words(text);
      std::string name = w.size() > 1 ? w[1] : "";
      size_t cut = name.find_first_of("(:={");
      if (cut != std::string::npos) name = name.substr(0, cut);
      return error(fmt::format("{} {} not defined", w[0], name));
    }
    refresh();
    for (const auto& d : r.defined)
      std::printf("%s %s\n", d.c_str(),
                  std::find(r.replaced.begin(), r.replaced.end(), d) != r.replaced.end()
                      ? "redefined"
                      : "defined");
  }

  // --- expressions
  void evaluate(const std::string& expr) {
    Evaluation ev = session_.evaluate(expr);
    if (ev.no_data) return error("no data loaded (:data FILE)");
    if (!ev.ok) {
      std::fputs(ev.diagnostics.c_str(), stderr);
      ++errors_;
      return;
    }
    summarize(ev);
  }

  void summarize(const Evaluation& ev) {
    const std::vector<SeriesValues>& results = ev.series;
    const bool boolean = ev.boolean;
    if (ev.constant) {
      if (results.empty() || results[0].v.empty()) return error("the expression was not evaluated");
      double v = results[0].v[0];
      std::printf("= %s\n", boolean ? (v != 0 ? "true" : "false") : format_num(v).c_str());
      return;
    }
    if (results.empty()) {
      std::printf("(no series matched; nothing evaluated)\n");
      return;
    }
    size_t shown = 0;
    for (const auto& r : results) {
      if (++shown > kMaxSeriesShown) {
        std::printf("... and %zu more series\n", results.size() - kMaxSeriesShown);
        break;
      }
      const size_t n = r.t.size();
      size_t missing = std::count(r.missing.begin(), r.missing.end(), uint8_t{1});
      std::string note =
          missing ? fmt::format("  ({} with a missing or stale input)", missing) : "";
      if (boolean) {
        size_t k = 0;
        TimeMs first = 0, last = 0;
        for (size_t i = 0; i < n; ++i)
          if (r.v[i] != 0) {
            if (k++ == 0) first = r.t[i];
            last = r.t[i];
          }
        std::printf("%s: true at %zu of %zu points (%.1f%%)%s\n", format_series(r.series).c_str(),
                    k, n, n ? 100.0 * static_cast<double>(k) / static_cast<double>(n) : 0.0,
                    note.c_str());
        if (k == 0) continue;  // nothing to draw
        std::printf("  first %s  last %s\n", format_time(first).c_str(), format_time(last).c_str());
      } else {
        size_t nan = 0, lo = SIZE_MAX, hi = SIZE_MAX;
        double sum = 0;
        for (size_t i = 0; i < n; ++i) {
          if (std::isnan(r.v[i])) {
            ++nan;
            continue;
          }
          sum += r.v[i];
          if (lo == SIZE_MAX || r.v[i] < r.v[lo]) lo = i;
          if (hi == SIZE_MAX || r.v[i] > r.v[hi]) hi = i;
        }
        std::printf("%s: %zu points, %s .. %s%s%s\n", format_series(r.series).c_str(), n,
                    n ? format_time(r.t.front()).c_str() : "-",
                    n ? format_time(r.t.back()).c_str() : "-",
                    nan ? fmt::format(", {} NaN", nan).c_str() : "", note.c_str());
        if (lo != SIZE_MAX) {
          size_t finite = n - nan;
          std::printf("  min %s at %s  max %s at %s  mean %s  last %s\n",
                      format_num(r.v[lo]).c_str(), format_time(r.t[lo]).c_str(),
                      format_num(r.v[hi]).c_str(), format_time(r.t[hi]).c_str(),
                      format_num(finite ? sum / static_cast<double>(finite) : NAN).c_str(),
                      format_num(r.v.back()).c_str());
        }
      }
      if (n > 1) std::printf("  %s\n", sparkline(r.v, boolean).c_str());
    }
  }

  bool quit_ = false;
  int errors_ = 0;
  int have_jit_ = -1;
  std::string tmpdir_, session_path_;
  Session session_;
  std::set<std::string> graph_nodes_;
};

// ---------------------------------------------------------------------------------------------
// Line editing (libedit)

Repl* g_repl = nullptr;
std::vector<std::string> g_matches;
size_t g_match_index = 0;

char* completion_generator(const char* text, int state) {
  if (state == 0) {
    g_match_index = 0;
    g_matches.clear();
    std::string prefix = text;
    bool command = rl_line_buffer && trim(rl_line_buffer).find(' ') == std::string::npos &&
                   !prefix.empty() && prefix[0] == ':';
    for (const auto& w : g_repl->vocabulary(command))
      if (w.compare(0, prefix.size(), prefix) == 0) g_matches.push_back(w);
  }
  if (g_match_index >= g_matches.size()) return nullptr;
  return strdup(g_matches[g_match_index++].c_str());
}

char** complete(const char* text, int start, int /*end*/) {
  std::string line = rl_line_buffer ? rl_line_buffer : "";
  std::string before = line.substr(0, static_cast<size_t>(start));
  // File names after :load and :data (libedit's own completion).
  if (before.rfind(":load ", 0) == 0 || before.rfind(":data ", 0) == 0) {
    rl_attempted_completion_over = 0;
    return nullptr;
  }
  rl_attempted_completion_over = 1;
  rl_completion_append_character = '\0';  // no space: `robust_z` is followed by `(`
  return rl_completion_matches(text, completion_generator);
}

std::string history_path(const Args& args) {
  if (args.flag("no-history")) return "";
  if (args.has("history")) return args.get("history");
  if (const char* h = std::getenv("OMEN_HISTORY")) return h;
  if (const char* home = std::getenv("HOME")) return std::string(home) + "/.omen_history";
  return "";
}

}  // namespace

int run_repl(int argc, char** argv) {
  const char* usage = "omen repl [FILE.omen...] [--data DATA]... [--history FILE] [--no-history]";
  Args args(argc, argv, {"data", "history"}, {"no-history", "help"});
  if (args.flag("help")) return std::printf("%s\n(see docs/repl.md; :help inside)\n", usage), 0;
  if (!args.ok()) {
    std::fprintf(stderr, "omen repl: %s\nusage: %s\n", args.error().c_str(), usage);
    return 2;
  }
  const bool interactive = isatty(STDIN_FILENO) != 0;
  Repl repl;
  if (!args.positional().empty()) repl.load(args.positional());
  if (args.has("data")) repl.data(args.all("data"));

  if (!interactive) {
    // Scripts and pipes: no prompts, no line editing, no history.
    std::string input, line;
    while (!repl.done() && std::getline(std::cin, line)) {
      input += (input.empty() ? "" : "\n") + line;
      if (incomplete(input)) continue;
      repl.execute(input);
      input.clear();
    }
    if (!input.empty() && !repl.done()) repl.execute(input);
    return repl.errors() == 0 ? 0 : 1;
  }

  g_repl = &repl;
  rl_readline_name = "omen";
  rl_attempted_completion_function = complete;
  rl_basic_word_break_characters = " \t\n\"\\'`@$><=;|&{}(),+-*/%^![]";
  std::string hist = history_path(args);
  using_history();
  stifle_history(1000);
  if (!hist.empty()) read_history(hist.c_str());
  std::printf("omen repl: :help for commands, :quit or Ctrl-D to leave\n");
  std::string input;
  while (!repl.done()) {
    char* raw = readline(input.empty() ? "omen> " : "  ...> ");
    if (!raw) {  // Ctrl-D
      if (!input.empty()) repl.execute(input);
      std::printf("\n");
      break;
    }
    std::string line = raw;
    std::free(raw);
    input += (input.empty() ? "" : "\n") + line;
    if (incomplete(input)) continue;
    std::string entry = trim(input);
    if (!entry.empty()) {
      // One history entry per input; lines are joined unless a comment would swallow the rest.
      add_history(
          (entry.find('#') == std::string::npos ? replace_all(entry, "\n", " ") : entry).c_str());
      if (!hist.empty()) write_history(hist.c_str());
    }
    repl.execute(input);
    input.clear();
  }
  g_repl = nullptr;
  return 0;
}

}  // namespace omen::cli
