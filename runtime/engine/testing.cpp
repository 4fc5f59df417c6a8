#include "omen/testing.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "compiler/driver/compile.h"
#include "core/io/dataset.h"

namespace omen {

size_t TestReport::passed() const {
  size_t n = 0;
  for (const auto& c : cases) n += c.passed;
  return n;
}
size_t TestReport::failed() const {
  return cases.size() - passed();
}

std::string format_duration(int64_t ms) {
  return support::format_duration(ms);
}

namespace {

struct Run {
  std::vector<Alert> events;
  std::string log;
  std::string error;
};

Run run_once(const std::shared_ptr<const CompiledModule>& module, const CompiledTest& test,
             EngineOptions options, Tier tier, bool per_sample) {
  Run run;
  options.tier = tier;
  auto built = Engine::from_compiled(module, options);
  if (!built.ok()) {
    run.error = built.render();
    return run;
  }
  Batch batch;
  TimeMs end = test.start;
  for (size_t s = 0; s < test.inputs.size(); ++s) {
    batch.series.push_back(test.inputs[s].key);
    const auto& values = test.inputs[s].values;
    for (size_t i = 0; i < values.size(); ++i) {
      TimeMs t = test.start + static_cast<TimeMs>(i) * test.interval_ms;
      end = std::max(end, t);
      if (values[i]) batch.add(static_cast<uint32_t>(s), t, *values[i]);
    }
  }
  if (per_sample) {
    // The same samples replayed one timestamp at a time (one push per scrape), the way
    // a live collector delivers them.
    std::vector<size_t> order(batch.t.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return batch.t[a] < batch.t[b]; });
    Batch tick;
    tick.series = batch.series;
    for (size_t k = 0; k < order.size(); ++k) {
      size_t i = order[k];
      tick.add(batch.sid[i], batch.t[i], batch.v[i]);
      if (k + 1 == order.size() || batch.t[order[k + 1]] != batch.t[i]) {
        built.engine->push(tick);
        tick.sid.clear();
        tick.t.clear();
        tick.v.clear();
      }
    }
  } else {
    built.engine->push(batch);
  }
  for (const auto& e : test.expects) end = std::max(end, e.at);
  built.engine->flush(end);
  run.events = built.engine->poll();
  for (const auto& a : run.events) {
    run.log += fmt::format("{} {} {}{}", format_duration(a.at - test.start), event_name(a.event),
                           a.rule, format_labels(a.labels));
    if (a.event != AlertEvent::Resolved || !std::isnan(a.value))
      run.log += fmt::format(" value={}", a.value);
    if (!a.message.empty()) run.log += fmt::format(" message=\"{}\"", a.message);
    run.log += "\n";
  }
  return run;
}

// The state of each alert instance of `rule` at time `at`, from the event log.
std::map<Labels, const Alert*> states_at(const std::vector<Alert>& events, const std::string& rule,
                                         TimeMs at) {
  std::map<Labels, const Alert*> out;
  for (const auto& a : events)
    if (a.rule == rule && a.at <= at) out[a.labels] = &a;
  return out;
}

std::string state_word(const Alert* a) {
  // A cleared alert never fired: the test language calls that state "inactive".
  if (!a || a->event == AlertEvent::Cleared) return "inactive";
  return event_name(a->event);
}

bool is_active(const Alert* a) {
  return a && (a->event == AlertEvent::Pending || a->event == AlertEvent::Firing);
}

std::string check_expect(const CompiledExpect& e, const std::vector<Alert>& events, TimeMs start) {
  auto states = states_at(events, e.rule, e.at);
  std::vector<std::pair<Labels, const Alert*>> matching;
  for (const auto& [labels, a] : states) {
    bool ok = true;
    for (const auto& m : e.matchers) ok = ok && m.matches(labels);
    if (ok) matching.emplace_back(labels, a);
  }
  std::string sel;
  for (const auto& m : e.matchers)
    sel += (sel.empty() ? "" : ",") + m.label + ast::match_op_text(m.op) + ast::quote(m.value);
  std::string what = e.rule + (sel.empty() ? "" : "{" + sel + "}");
  std::string when = format_duration(e.at - start);
  auto describe = [&] {
    if (matching.empty()) return std::string("there is no such alert");
    std::string s;
    for (const auto& [labels, a] : matching)
      s += (s.empty() ? "" : "; ") + e.rule + format_labels(labels) + " is " + state_word(a) +
           (a ? " since " + format_duration(a->at - start) : "");
    return s;
  };
  if (e.negated) {
    for (const auto& [labels, a] : matching)
      if (is_active(a)) return fmt::format("expected no {} at {}, but {}", what, when, describe());
    return "";
  }
  const char* want = ast::alert_state_name(e.state);
  if (e.state == ast::AlertState::Inactive) {
    for (const auto& [labels, a] : matching)
      if (is_active(a))
        return fmt::format("expected {} inactive at {}, but {}", what, when, describe());
    return "";
  }
  for (const auto& [labels, a] : matching) {
    if (state_word(a) != want) continue;
    if (e.has_message && a->message != e.message)
      return fmt::format("{} is {} at {} but its message is \"{}\", expected \"{}\"", what, want,
                         when, a->message, e.message);
    return "";
  }
  return fmt::format("expected {} {} at {}, but {}", what, want, when, describe());
}

std::string first_difference(const std::string& a, const std::string& b) {
  size_t line = 1, i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) {
    if (a[i] == '\n') ++line;
    ++i;
  }
  auto line_at = [&](const std::string& s) {
    size_t begin = s.rfind('\n', i == 0 ? 0 : i - 1);
    begin = begin == std::string::npos || i == 0 ? 0 : begin + 1;
    size_t end = s.find('\n', begin);
    std::string l = s.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    return l.empty() ? std::string("<end of log>") : l;
  };
  return fmt::format("line {}: '{}' vs '{}'", line, line_at(a), line_at(b));
}

}  // namespace

namespace {

// One compilation (one module) and its tests.
void run_module(const std::vector<std::string>& paths, const TestOptions& options,
                TestReport& report) {
  CompileOptions co;
  co.max_errors = options.engine.limits.max_errors;
  co.parse.max_source_bytes = options.engine.limits.max_source_bytes;
  co.parse.max_depth = options.engine.limits.max_depth;
  Compilation c = compile_files(paths, co);
  for (auto& d : c.diags->all()) report.diagnostics.push_back(std::move(d));
  if (!c.ok()) {
    report.compiled = false;
    return;
  }
  for (const auto& test : c.module->tests) {
    if (!options.filter.empty() && test.name.find(options.filter) == std::string::npos) continue;
    auto t0 = std::chrono::steady_clock::now();
    TestCaseResult r;
    r.file = c.sources->name(test.loc.file);
    r.name = test.name;
    Run ref = run_once(c.module, test, options.engine, options.tiers.at(0), false);
    if (!ref.error.empty()) r.failures.push_back(ref.error);
    r.log = ref.log;
    for (const auto& e : test.expects) {
      std::string f = check_expect(e, ref.events, test.start);
      if (!f.empty()) r.failures.push_back(fmt::format("{}:{}: {}", r.file, e.loc.line, f));
    }
    auto compare = [&](const Run& other, const std::string& label) {
      if (!other.error.empty())
        r.failures.push_back(label + ": " + other.error);
      else if (other.log != ref.log)
        r.failures.push_back(fmt::format("{} differs from {}: {}", label,
                                         tier_name(options.tiers[0]),
                                         first_difference(ref.log, other.log)));
    };
    for (size_t i = 1; i < options.tiers.size(); ++i)
      compare(run_once(c.module, test, options.engine, options.tiers[i], false),
              fmt::format("tier {}", tier_name(options.tiers[i])));
    if (options.per_sample_variant)
      compare(run_once(c.module, test, options.engine, options.tiers[0], true),
              "one-timestamp-at-a-time replay");
    r.passed = r.failures.empty();
    r.millis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    report.cases.push_back(std::move(r));
  }
}

}  // namespace

// Each file is its own module (rules and constants of one file do not clash with another's):
// there is no import of user files, so no file sees another.
TestReport run_tests(const std::vector<std::string>& paths, const TestOptions& options) {
  TestReport report;
  report.compiled = true;
  for (const auto& p : paths) run_module({p}, options, report);
  return report;
}

std::string to_junit(const TestReport& report) {
  auto esc = [](const std::string& s) {
    std::string o;
    for (char ch : s) {
      switch (ch) {
        case '<':
          o += "&lt;";
          break;
        case '>':
          o += "&gt;";
          break;
        case '&':
          o += "&amp;";
          break;
        case '"':
          o += "&quot;";
          break;
        default:
          o += ch;
      }
    }
    return o;
  };
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"omen\" tests=\"{}\" "
      "failures=\"{}\">\n",
      report.cases.size(), report.failed());
  for (const auto& c : report.cases) {
    out += fmt::format("  <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\">\n", esc(c.file),
                       esc(c.name), c.millis / 1000.0);
    for (const auto& f : c.failures) out += fmt::format("    <failure message=\"{}\"/>\n", esc(f));
    out += "  </testcase>\n";
  }
  return out + "</testsuite>\n";
}

}  // namespace omen
