// omen check | run | test | explain
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>

#include <fmt/format.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "omen/data.h"
#include "omen/engine.h"
#include "omen/testing.h"
#include "omen/tools.h"

namespace omen::cli {

namespace {

int usage_error(const char* cmd, const std::string& msg, const char* usage) {
  std::fprintf(stderr, "omen %s: %s\nusage: %s\n", cmd, msg.c_str(), usage);
  return 2;
}

bool parse_tier(const std::string& s, Tier* t) {
  if (s == "interp")
    *t = Tier::Interp;
  else if (s == "jit")
    *t = Tier::Jit;
  else if (s == "auto")
    *t = Tier::Auto;
  else
    return false;
  return true;
}

// Rule-file arguments: a directory stands for every *.omen file under it (recursively, in
// name order; symbolic links to directories are not followed). False (and `error`) when a
// directory cannot be walked or holds no rule file.
bool rule_files(const std::vector<std::string>& args, std::vector<std::string>* out,
                std::string* error) {
  namespace fs = std::filesystem;
  for (const auto& a : args) {
    std::error_code ec;
    if (!fs::is_directory(a, ec)) {
      out->push_back(a);  // a file (or a missing path: reported by the compiler, E000)
      continue;
    }
    std::vector<std::string> found;
    for (fs::recursive_directory_iterator it(a, fs::directory_options::skip_permission_denied, ec),
         end;
         !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".omen" && it->is_regular_file(ec))
        found.push_back(it->path().string());
    }
    if (ec) {
      *error = fmt::format("cannot read directory '{}': {}", a, ec.message());
      return false;
    }
    if (found.empty()) {
      *error = fmt::format("no .omen files under '{}'", a);
      return false;
    }
    std::sort(found.begin(), found.end());
    out->insert(out->end(), found.begin(), found.end());
  }
  return true;
}

// --max-depth, --max-format-width, --max-inlined-nodes (docs/reliability.md).
const std::vector<std::string> kLimitOpts = {"max-depth", "max-format-width", "max-inlined-nodes"};
const char* kLimitUsage = "[--max-depth 256] [--max-format-width 64] [--max-inlined-nodes 10000]";

bool read_limits(const Args& args, Limits* limits, std::string* error) {
  struct Opt {
    const char* name;
    size_t* field;
  };
  for (Opt o :
       {Opt{"max-depth", &limits->max_depth}, Opt{"max-format-width", &limits->max_format_width},
        Opt{"max-inlined-nodes", &limits->max_inlined_nodes}}) {
    if (!args.has(o.name)) continue;
    const std::string& v = args.get(o.name);
    size_t n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size() || n == 0) {
      *error = fmt::format("--{} must be a whole number > 0, found '{}'", o.name, v);
      return false;
    }
    *o.field = n;
  }
  return true;
}

std::vector<std::string> with_limits(std::vector<std::string> opts) {
  opts.insert(opts.end(), kLimitOpts.begin(), kLimitOpts.end());
  return opts;
}

}  // namespace

int run_check(int argc, char** argv) {
  std::string usage = fmt::format(
      "omen check FILE|DIR... [--werror] [--quiet] [--format text|json] {}", kLimitUsage);
  Args args(argc, argv, with_limits({"format"}), {"werror", "quiet", "help"});
  if (args.flag("help")) return std::printf("%s\n", usage.c_str()), 0;
  if (!args.ok()) return usage_error("check", args.error(), usage.c_str());
  if (args.positional().empty()) return usage_error("check", "no rule files given", usage.c_str());
  const std::string format_name = args.get("format", "text");
  if (format_name != "text" && format_name != "json")
    return usage_error("check", "--format must be text or json", usage.c_str());
  Limits limits;
  std::vector<std::string> files;
  std::string error;
  if (!read_limits(args, &limits, &error)) return usage_error("check", error, usage.c_str());
  if (!rule_files(args.positional(), &files, &error)) {
    std::fprintf(stderr, "omen check: %s\n", error.c_str());
    return 1;
  }
  CheckResult r = check_files(files, limits, args.flag("werror"));
  if (format_name == "json")  // one object a line, on stdout (docs/cli.md)
    for (const Diagnostic& d : r.diagnostics) std::printf("%s\n", to_json_line(d).c_str());
  else
    std::fputs(r.render().c_str(), stderr);
  if (!args.flag("quiet")) {
    if (r.ok)
      std::fprintf(stderr, "ok: %zu rule%s, %zu test%s, %zu warning%s\n", r.rules,
                   r.rules == 1 ? "" : "s", r.tests, r.tests == 1 ? "" : "s", r.warnings,
                   r.warnings == 1 ? "" : "s");
    else
      std::fprintf(stderr, "%zu error%s, %zu warning%s\n", r.errors, r.errors == 1 ? "" : "s",
                   r.warnings, r.warnings == 1 ? "" : "s");
  }
  return r.ok ? 0 : 1;
}

int run_run(int argc, char** argv) {
  const char* usage =
      "omen run FILE... --data DATA [--data DATA...] [--format text|json] [--tier "
      "interp|jit|auto] [--skip-bad-rows] [--all-events] [--staleness 5m] [--chunk N] [--stats] "
      "[--max-depth 256] [--max-format-width 64] [--max-inlined-nodes 10000]";
  Args args(argc, argv, with_limits({"data", "format", "tier", "staleness", "chunk"}),
            {"skip-bad-rows", "all-events", "stats", "help"});
  if (args.flag("help")) return std::printf("%s\n", usage), 0;
  if (!args.ok()) return usage_error("run", args.error(), usage);
  if (args.positional().empty()) return usage_error("run", "no rule files given", usage);
  if (!args.has("data")) return usage_error("run", "no --data given", usage);
  std::string format = args.get("format", "text");
  if (format != "text" && format != "json")
    return usage_error("run", "--format must be text or json", usage);
  EngineOptions options;
  if (std::string error; !read_limits(args, &options.limits, &error))
    return usage_error("run", error, usage);
  if (!parse_tier(args.get("tier", "auto"), &options.tier))
    return usage_error("run", "--tier must be interp, jit or auto", usage);
  size_t chunk = 65536;
  try {
    if (args.has("staleness")) options.staleness_ms = parse_duration_arg(args.get("staleness"));
    if (args.has("chunk")) chunk = std::max(1UL, std::stoul(args.get("chunk")));
  } catch (const std::exception& e) {
    return usage_error("run", e.what(), usage);
  }

  auto t0 = std::chrono::steady_clock::now();
  auto built = Engine::from_files(args.positional(), options);
  std::fputs(built.render().c_str(), stderr);
  if (!built.ok()) return 1;

  // Data: every file is read completely before anything runs, so a bad row stops the run
  // with nothing evaluated (unless --skip-bad-rows).
  Batch batch;
  DataReadOptions ro;
  ro.skip_bad_rows = args.flag("skip-bad-rows");
  size_t skipped = 0;
  for (const auto& path : args.all("data")) {
    DataReadResult r = read_data_file(path, ro, batch);
    if (!r.ok) {
      std::fputs(omen::format(r.diagnostics).c_str(), stderr);
      return 1;
    }
    skipped += r.skipped_rows;
    for (const auto& ex : r.skipped_examples) std::fprintf(stderr, "skipped: %s\n", ex.c_str());
    if (r.replaced_bytes > 0)
      std::fprintf(stderr, "%s: warning: %zu invalid UTF-8 byte%s replaced by U+FFFD\n",
                   r.replaced_first.c_str(), r.replaced_bytes, r.replaced_bytes == 1 ? "" : "s");
  }
  if (skipped > 0)
    std::fprintf(stderr, "omen run: skipped %zu bad row%s\n", skipped, skipped == 1 ? "" : "s");
  auto t_loaded = std::chrono::steady_clock::now();

  bool all_events = args.flag("all-events");
  size_t printed = 0;
  built.engine->on_alert([&](const Alert& a) {
    if (!all_events && (a.event == AlertEvent::Pending || a.event == AlertEvent::Cleared)) return;
    std::string line = format == "json" ? to_json(a) : to_text(a);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    ++printed;
  });
  // Time order, then chunks: with --tier auto a rule switches to native code between chunks.
  std::vector<uint32_t> order(batch.t.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return batch.t[a] < batch.t[b]; });
  Batch part;
  part.series = batch.series;
  for (size_t begin = 0; begin < order.size(); begin += chunk) {
    part.sid.clear();
    part.t.clear();
    part.v.clear();
    size_t end = std::min(order.size(), begin + chunk);
    for (size_t i = begin; i < end; ++i)
      part.add(batch.sid[order[i]], batch.t[order[i]], batch.v[order[i]]);
    built.engine->push(part);
  }
  std::fflush(stdout);
  auto t_done = std::chrono::steady_clock::now();
  EngineStats s = built.engine->stats();
  // A rule that never started an instance watched nothing: say so rather than exit quietly.
  for (const auto& r : s.per_rule)
    if (r.instances == 0)
      std::fprintf(stderr,
                   "warning[W003]: rule '%s' matched no series in the data (check its 'on' "
                   "selector against the data's series names and labels)\n",
                   r.name.c_str());
  double load_ms = std::chrono::duration<double, std::milli>(t_loaded - t0).count();
  double eval_ms = std::chrono::duration<double, std::milli>(t_done - t_loaded).count();
  std::fprintf(stderr,
               "omen run: %llu samples, %zu series, %zu rule%s, %zu alert event%s shown; dropped "
               "%llu out-of-order, %llu duplicate; load %.1f ms, evaluate %.1f ms\n",
               static_cast<unsigned long long>(s.samples_in), s.series, s.rules,
               s.rules == 1 ? "" : "s", printed, printed == 1 ? "" : "s",
               static_cast<unsigned long long>(s.dropped_out_of_order),
               static_cast<unsigned long long>(s.dropped_duplicate), load_ms, eval_ms);
  if (args.flag("stats")) {
    for (const auto& r : s.per_rule)
      std::fprintf(stderr, "  rule %-24s tier=%-6s instances=%zu evaluations=%llu cost=%g\n",
                   r.name.c_str(), r.tier.c_str(), r.instances,
                   static_cast<unsigned long long>(r.evaluations), r.cost);
    if (s.aggregate_samples || s.dropped_reserved || s.aggregate_dropped)
      std::fprintf(
          stderr,
          "  aggregates: %llu samples computed, %llu not appended (late member "
          "samples, series limit); %llu pushed samples dropped (names starting with '@' are "
          "reserved)\n",
          static_cast<unsigned long long>(s.aggregate_samples),
          static_cast<unsigned long long>(s.aggregate_dropped),
          static_cast<unsigned long long>(s.dropped_reserved));
    std::fprintf(stderr, "  state: %zu bytes (+ %zu bytes of window buffers)\n", s.state_bytes,
                 s.window_bytes);
  }
  return 0;
}

int run_test(int argc, char** argv) {
  const char* usage =
      "omen test FILE|DIR... [--tier interp|jit|both] [--junit FILE] [--filter TEXT] [--verbose] "
      "[--allow-empty]";
  Args args(argc, argv, {"tier", "junit", "filter"}, {"verbose", "allow-empty", "help"});
  if (args.flag("help")) return std::printf("%s\n", usage), 0;
  if (!args.ok()) return usage_error("test", args.error(), usage);
  if (args.positional().empty()) return usage_error("test", "no rule files given", usage);
  std::vector<std::string> files;
  std::string error;
  if (!rule_files(args.positional(), &files, &error)) {
    std::fprintf(stderr, "omen test: %s\n", error.c_str());
    return 1;
  }
  TestOptions options;
  std::string tier = args.get("tier", "both");
  if (tier == "interp")
    options.tiers = {Tier::Interp};
  else if (tier == "jit")
    options.tiers = {Tier::Jit};
  else if (tier != "both")
    return usage_error("test", "--tier must be interp, jit or both", usage);
  options.filter = args.get("filter");
  TestReport report = run_tests(files, options);
  std::fputs(report.render().c_str(), stderr);
  if (!report.compiled) return 1;
  for (const auto& c : report.cases) {
    std::printf("%s %s (%s, %.1f ms)\n", c.passed ? "PASS" : "FAIL", c.name.c_str(), c.file.c_str(),
                c.millis);
    for (const auto& f : c.failures) std::printf("    %s\n", f.c_str());
    if (!c.passed || args.flag("verbose")) {
      std::printf("    alert log:\n");
      if (c.log.empty()) std::printf("      (no alerts)\n");
      size_t pos = 0;
      while (pos < c.log.size()) {
        size_t nl = c.log.find('\n', pos);
        std::printf("      %s\n", c.log.substr(pos, nl - pos).c_str());
        pos = nl == std::string::npos ? c.log.size() : nl + 1;
      }
    }
  }
  std::printf("%zu passed, %zu failed\n", report.passed(), report.failed());
  if (report.cases.empty() && !args.flag("allow-empty")) {
    std::fprintf(stderr, "omen test: no tests found%s (--allow-empty accepts that)\n",
                 options.filter.empty() ? "" : " matching --filter");
    return 1;
  }
  if (args.has("junit")) {
    std::ofstream f(args.get("junit"));
    f << to_junit(report);
    if (!f) {
      std::fprintf(stderr, "omen test: cannot write %s\n", args.get("junit").c_str());
      return 1;
    }
  }
  return report.failed() == 0 ? 0 : 1;
}

int run_explain(int argc, char** argv) {
  const char* usage =
      "omen explain FILE... [--dump=ast|ir|llvm|llvm-opt] [--rule NAME] [--intent NAME]\n"
      "       omen explain --code CODE";
  Args args(argc, argv, {"dump", "rule", "intent", "code"}, {"help"});
  if (args.flag("help")) return std::printf("%s\n", usage), 0;
  if (!args.ok()) return usage_error("explain", args.error(), usage);
  if (args.has("code")) {  // a row of the code table (include/omen/diagnostic_codes.def)
    if (!args.positional().empty())
      return usage_error("explain", "--code takes no rule files", usage);
    auto row = find_code(args.get("code"));
    if (!row) {
      std::fprintf(stderr,
                   "omen explain: error: unknown diagnostic code '%s' (the codes are listed in "
                   "docs/language.md, \"Diagnostic codes\")\n",
                   args.get("code").c_str());
      return 1;
    }
    std::printf("%s (%s): %s\n", std::string(row->name).c_str(),
                std::string(severity_name(row->severity)).c_str(),
                std::string(row->description).c_str());
    return 0;
  }
  if (args.positional().empty()) return usage_error("explain", "no rule files given", usage);
  if (args.has("intent")) {  // the Omen source generated for an intent (docs/intents.md)
    std::string out;
    bool ok = explain_intent(args.positional(), args.get("intent"), &out);
    std::fputs(out.c_str(), ok ? stdout : stderr);
    return ok ? 0 : 1;
  }
  std::string d = args.get("dump", "ir");
  Stage stage;
  if (d == "ast")
    stage = Stage::Ast;
  else if (d == "ir")
    stage = Stage::Ir;
  else if (d == "llvm")
    stage = Stage::Llvm;
  else if (d == "llvm-opt")
    stage = Stage::LlvmOptimized;
  else
    return usage_error("explain", "--dump must be ast, ir, llvm or llvm-opt", usage);
  std::string out;
  bool ok = explain(args.positional(), stage, args.get("rule"), &out);
  std::fputs(out.c_str(), ok ? stdout : stderr);
  return ok ? 0 : 1;
}

}  // namespace omen::cli
