#include <cmath>
#include <cstring>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "compiler/check/checker.h"
#include "core/kernels/window.h"
#include "omen/session.h"
#include "stdlib/stdlib.h"

namespace {

using omen::DeclKind;
using omen::Session;

// Two metrics over three instances, one sample a minute for two hours, with a spike.
omen::Batch sample_data() {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 1);
  omen::Batch b;
  for (const char* id : {"a", "b", "c"}) {
    b.series.push_back({"x", {{"id", id}}});
    b.series.push_back({"y", {{"id", id}}});
  }
  for (int i = 0; i < 120; ++i)
    for (uint32_t s = 0; s < b.series.size(); ++s)
      b.add(s, 1'700'000'000'000 + i * 60'000, 10 + noise(rng) + (i == 90 && s == 0 ? 30 : 0));
  return b;
}

const omen::Declaration* find(const std::vector<omen::Declaration>& ds, DeclKind kind,
                              const std::string& name) {
  for (const auto& d : ds)
    if (d.kind == kind && d.name == name) return &d;
  return nullptr;
}

double constant(const Session& s, const std::string& expr) {
  omen::Evaluation ev = s.evaluate(expr);
  INFO(expr << "\n" << ev.diagnostics);
  REQUIRE(ev.ok);
  REQUIRE(ev.constant);
  REQUIRE(ev.series.size() == 1);
  REQUIRE(ev.series[0].v.size() == 1);
  return ev.series[0].v[0];
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("declarations are defined incrementally and listed", "[session]") {
  Session s;
  auto r = s.define("const k = 2");
  REQUIRE(r.ok);
  CHECK(r.defined == std::vector<std::string>{"const k"});
  CHECK(r.replaced.empty());
  REQUIRE(s.define("fn inc(x: number) -> number = x + k").ok);
  REQUIRE(s.define("series lat = metric(\"latency\", service = \"db\")").ok);
  CHECK(constant(s, "inc(40)") == 42);

  auto ds = s.declarations();
  REQUIRE(ds.size() == 3);
  const auto* fn = find(ds, DeclKind::Fn, "inc");
  REQUIRE(fn);
  CHECK(fn->signature == "(x: number) -> number");
  CHECK(fn->source == "fn inc(x: number) -> number =\n    x + k\n");
  CHECK(fn->file.empty());
  const auto* lat = find(ds, DeclKind::Series, "lat");
  REQUIRE(lat);
  CHECK(lat->source == "series lat = metric(\"latency\", service = \"db\")\n");

  // Several declarations in one text, a rule among them.
  r = s.define("series x = metric(\"x\")\nrule High { on x by (id) when x > inc(k) }");
  REQUIRE(r.ok);
  CHECK(r.defined == std::vector<std::string>{"series x", "rule High"});
  ds = s.declarations();
  const auto* rule = find(ds, DeclKind::Rule, "High");
  REQUIRE(rule);
  CHECK(rule->signature == "on x by (id)");
  CHECK(s.build().ok());
}

TEST_CASE("a redefinition replaces the earlier definition", "[session]") {
  Session s;
  REQUIRE(s.define("const k = 2").ok);
  REQUIRE(s.define("fn inc(x: number) -> number = x + k").ok);
  CHECK(constant(s, "inc(1)") == 3);
  auto r = s.define("const k = 4");
  REQUIRE(r.ok);
  CHECK(r.replaced == std::vector<std::string>{"const k"});
  CHECK(constant(s, "inc(1)") == 5);
  CHECK(s.declarations().size() == 2);
  // The replacement moves to the end, as typed last.
  CHECK(s.definitions_text() == "fn inc(x: number) -> number = x + k\nconst k = 4\n");
}

TEST_CASE("an error leaves the session unchanged and comes back as diagnostics", "[session]") {
  Session s;
  REQUIRE(s.define("const k = 2").ok);
  REQUIRE(s.define("fn inc(x: number) -> number = x + k").ok);
  const std::string before = s.definitions_text();
  const size_t n = s.declarations().size();

  auto syntax = s.define("rule R { on x when x > }");
  CHECK_FALSE(syntax.ok);
  CHECK(syntax.diagnostics.find("<input>:1:24: error[E001]") != std::string::npos);

  // Well-formed, but it breaks inc (number + duration): rejected as a whole.
  auto type = s.define("const k = 5m");
  CHECK_FALSE(type.ok);
  CHECK(type.diagnostics.find("error[E021]") != std::string::npos);

  auto unknown = s.define("fn f() -> number = nosuch + 1");
  CHECK_FALSE(unknown.ok);
  CHECK(unknown.diagnostics.find("<input>:1:20: error[E010]: unknown name 'nosuch'") !=
        std::string::npos);

  CHECK(s.definitions_text() == before);
  CHECK(s.declarations().size() == n);
  CHECK(constant(s, "inc(1)") == 3);

  auto files = s.load_files({"no-such-file.omen"});
  CHECK_FALSE(files.ok);
  CHECK(files.diagnostics.find("error[E000]") != std::string::npos);
  CHECK(s.files().empty());
}

TEST_CASE("expressions evaluate per instance like a rule condition", "[session]") {
  Session s;
  s.add_data(sample_data());
  REQUIRE(s.metrics() == std::vector<std::string>{"x", "y"});

  // A metric of the data needs no declaration; values are per instance, at its samples.
  omen::Evaluation ev = s.evaluate("x * 2 - y");
  INFO(ev.diagnostics);
  REQUIRE(ev.ok);
  CHECK_FALSE(ev.boolean);
  CHECK_FALSE(ev.constant);
  CHECK(ev.on == "x");
  REQUIRE(ev.series.size() == 3);
  const omen::Batch& d = s.data();
  for (const auto& sv : ev.series) {
    REQUIRE(sv.t.size() == 120);
    const std::string id = sv.series.labels.at(0).second;
    for (size_t i = 0; i < d.t.size(); ++i) {
      const auto& key = d.series[d.sid[i]];
      if (key.name != "x" || key.labels[0].second != id) continue;
      size_t row = static_cast<size_t>((d.t[i] - d.t[0]) / 60'000);
      double y = d.v[i + 1];  // y of the same instance follows x in sample_data()
      CHECK(sv.v[row] == d.v[i] * 2 - y);
    }
  }

  ev = s.evaluate("x > 25");
  REQUIRE(ev.ok);
  CHECK(ev.boolean);
  size_t fired = 0;
  for (const auto& sv : ev.series)
    for (double v : sv.v) fired += v != 0;
  CHECK(fired == 1);  // the spike

  // A range and an instant.
  omen::EvalOptions o;
  o.from = s.first_time() + 30 * 60'000;
  o.to = s.first_time() + 39 * 60'000;
  ev = s.evaluate("x", o);
  REQUIRE(ev.ok);
  REQUIRE(ev.series.size() == 3);
  CHECK(ev.series[0].t.size() == 10);
  CHECK(ev.series[0].t.front() == *o.from);
  omen::EvalOptions at;
  at.at = s.first_time() + 30 * 60'000 + 30'000;
  ev = s.evaluate("x", at);
  REQUIRE(ev.ok);
  REQUIRE(ev.series.size() == 3);
  CHECK(ev.series[0].t == std::vector<omen::TimeMs>{s.first_time() + 30 * 60'000});

  // Errors point into the expression.
  ev = s.evaluate("x > 5m");
  CHECK_FALSE(ev.ok);
  CHECK(ev.diagnostics.find("<input>:1:3: error[E021]") != std::string::npos);
  ev = s.evaluate("5m + 1s");
  CHECK_FALSE(ev.ok);
  CHECK(ev.diagnostics.find("only a number or a bool can be evaluated, found duration") !=
        std::string::npos);
}

TEST_CASE("an expression over series needs data; a constant does not", "[session]") {
  Session s;
  REQUIRE(s.define("series x = metric(\"x\")").ok);
  omen::Evaluation ev = s.evaluate("x > 1");
  CHECK_FALSE(ev.ok);
  CHECK(ev.no_data);
  CHECK(constant(s, "2 ^ 10 / 4") == 256);
  CHECK(std::isinf(constant(s, "1 / 0")));
  CHECK(constant(s, "seconds(1h30m)") == 5400);
  ev = s.evaluate("not (1 > 2)");
  REQUIRE(ev.ok);
  CHECK(ev.boolean);
  CHECK(ev.series[0].v[0] == 1);
}

#ifdef OMEN_HAVE_JIT
TEST_CASE("both tiers evaluate bit for bit alike", "[session]") {
  Session s;
  s.add_data(sample_data());
  REQUIRE(s.define("import std").ok);
  for (const char* expr : {"robust_z(x, 30m)", "x / y + stddev(x, 20m)", "zscore(x, 1h) > 2",
                           "ewma(x, 10m) - median(y, 15m)", "quantile(x, 0.9, 1h)"}) {
    INFO(expr);
    omen::EvalOptions interp, jit;
    interp.tier = omen::Tier::Interp;
    jit.tier = omen::Tier::Jit;
    omen::Evaluation a = s.evaluate(expr, interp), b = s.evaluate(expr, jit);
    INFO(a.diagnostics << b.diagnostics);
    REQUIRE(a.ok);
    REQUIRE(b.ok);
    REQUIRE(a.series.size() == b.series.size());
    for (size_t i = 0; i < a.series.size(); ++i) {
      CHECK(a.series[i].t == b.series[i].t);
      CHECK(same_bits(a.series[i].v, b.series[i].v));
      CHECK(a.series[i].missing == b.series[i].missing);
    }
  }
}
#endif

TEST_CASE("the vocabulary is every built-in and every stdlib function", "[session]") {
  std::set<std::string> builtin, window, std_fns;
  for (const auto& f : Session::functions()) {
    CHECK_FALSE(f.signature.empty());
    if (f.origin == omen::FunctionInfo::Origin::Builtin) builtin.insert(f.name);
    if (f.origin == omen::FunctionInfo::Origin::Window) window.insert(f.name);
    if (f.origin == omen::FunctionInfo::Origin::Stdlib) std_fns.insert(f.name);
  }
  // The checker's table, and the kernel table it is built from.
  for (const auto& b : omen::check::builtin_functions())
    CHECK((b.window ? window : builtin).count(b.name) == 1);
  for (size_t i = 0; i < omen::kernels::kNumWindowKinds; ++i)
    CHECK(window.count(omen::kernels::kernel_info(static_cast<omen::kernels::WindowKind>(i)).name));
  // Every `fn` of the standard library's source text.
  static const std::regex fn_re("fn ([a-z_0-9]+)\\(.*");
  size_t n_std = 0;
  for (const auto& file : omen::stdlib::files()) {
    std::istringstream in(file.text);
    std::smatch m;
    for (std::string line; std::getline(in, line);)
      if (std::regex_match(line, m, fn_re)) {
        ++n_std;
        CHECK(std_fns.count(m[1].str()) == 1);
      }
  }
  CHECK(n_std == std_fns.size());
  CHECK(n_std > 30);
  // The checker knows every built-in by name: a call is never "unknown function".
  Session s;
  for (const auto& name : builtin) {
    INFO(name);
    CHECK(s.evaluate(name + "()").diagnostics.find("E012") == std::string::npos);
  }
  for (const auto& name : window) {
    INFO(name);
    CHECK(s.evaluate(name + "()").diagnostics.find("E012") == std::string::npos);
  }
  CHECK(s.evaluate("no_such_fn()").diagnostics.find("E012") != std::string::npos);
}

TEST_CASE("keywords come from the grammar", "[session]") {
  auto k = Session::keywords();
  for (const char* w : {"rule", "when", "at", "intent", "and", "import"})
    CHECK(std::find(k.begin(), k.end(), w) != k.end());
  CHECK(std::find(k.begin(), k.end(), "latency") == k.end());
}
