// An interactive session over rules and data (the REPL's engine, usable by any host: an
// agent protocol, a notebook, a service). Declarations are defined one at a time, data is
// loaded, and expressions are evaluated over the data with the semantics of a rule's
// condition, in either tier.
//
// Thread safety: a Session is not synchronized; use one from one thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "omen/engine.h"
#include "omen/types.h"

namespace omen {

/// The kind of a top-level declaration.
enum class DeclKind { Import, Const, Fn, Series, Rule, Test, Graph, Intent };

/// "import", "const", "fn", "series", "rule", "test", "graph" or "intent".
const char* decl_kind_name(DeclKind kind);

/// One declaration visible in a session: from a loaded file or typed into the session.
struct Declaration {
  DeclKind kind = DeclKind::Const;
  /// The declared name (for an import, the module: "std").
  std::string name;
  /// Its type at a glance: a fn's "(x: number, w: duration) -> number", a const's
  /// ": duration" (empty if not written), a rule's "on latency by (service)", "" otherwise.
  std::string signature;
  /// Canonical source text of the declaration (ast::print), ending in a newline.
  std::string source;
  /// The file it comes from; "" for a definition typed into the session.
  std::string file;
};

/// A function the language offers without a user declaration.
struct FunctionInfo {
  /// Where it comes from.
  enum class Origin {
    Builtin,  // a scalar built-in of the checker
    Window,   // a window built-in (a kernel of core/kernels)
    Stdlib    // a function of the standard library (needs `import std`)
  };
  /// The name as called: "robust_z".
  std::string name;
  /// "(x: number, w: duration) -> number".
  std::string signature;
  /// Where it comes from.
  Origin origin = Origin::Builtin;
};

/// The outcome of a change to a session. On failure nothing changed.
struct SessionResult {
  /// False if the change was rejected (the session is as it was).
  bool ok = false;
  /// Clang-style diagnostics (errors, and warnings with them), as Engine::Built's.
  std::string diagnostics;
  /// The declarations a define() added, as "kind name", in source order.
  std::vector<std::string> defined;
  /// The subset of `defined` that replaced an earlier definition of the same kind and name.
  std::vector<std::string> replaced;
  /// load_files(): rules and tests of the whole session after the change.
  size_t rules = 0, tests = 0;
};

/// Which ticks evaluate() reports. Ticks are the samples of the series the expression is
/// evaluated on; the data before the range is still read (windows need history).
struct EvalOptions {
  /// The back end; both give bit-identical results.
  Tier tier = Tier::Interp;
  /// Report ticks at or after this time (default: the first).
  std::optional<TimeMs> from;
  /// Report ticks at or before this time (default: the last).
  std::optional<TimeMs> to;
  /// An instant: per series, only its latest tick at or before this time (within the
  /// engine's staleness). Overrides from/to.
  std::optional<TimeMs> at;
};

/// The values of an expression on one series instance.
struct SeriesValues {
  /// The instance's series (an aggregate's output shows as its declaration's name).
  SeriesKey series;
  /// Tick times, increasing.
  std::vector<TimeMs> t;
  /// The expression at each tick (a bool expression: 0 or 1).
  std::vector<double> v;
  /// 1 where an input of the expression was missing or stale (NaN) at that tick.
  std::vector<uint8_t> missing;
};

/// The result of evaluate().
struct Evaluation {
  /// False on an error in the expression (or no data for an expression that reads series).
  bool ok = false;
  /// Clang-style diagnostics; positions are in the expression ("<input>:1:5").
  std::string diagnostics;
  /// The expression is a condition (bool) rather than a number.
  bool boolean = false;
  /// The expression reads no series: `series` holds one instance with one value.
  bool constant = false;
  /// The series the expression is evaluated on (declared, or a metric of the data).
  std::string on;
  /// One entry per instance, ordered by labels.
  std::vector<SeriesValues> series;
  /// The expression reads series but no data is loaded (ok is false, no diagnostics).
  bool no_data = false;
};

/// A set of declarations (from files and typed definitions) plus loaded data.
class Session {
 public:
  /// An empty session; `options` (staleness, limits) apply to every evaluation.
  explicit Session(EngineOptions options = {});
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Adds the declarations in `text` (one or more: series, const, fn, rule, test, graph,
  /// intent, import). A declaration with the kind and name of an earlier typed one
  /// replaces it. The whole session is checked first; on any error nothing changes.
  /// Diagnostics name the text "<input>" and earlier definitions "<repl>".
  SessionResult define(const std::string& text);
  /// Adds rule files (read now; a file already loaded is read again). Checked with the
  /// rest of the session first; on any error nothing changes.
  SessionResult load_files(const std::vector<std::string>& paths);
  /// Reads every loaded file again (checked first, as load_files()).
  SessionResult reload_files();
  /// Forgets files, definitions and data.
  void reset();

  /// Adds samples (kept in time order, stable; duplicates are dropped by the engine).
  void add_data(const Batch& batch);
  /// The loaded samples (in the order added).
  const Batch& data() const { return data_; }
  /// Time of the earliest / latest loaded sample (0 without data).
  TimeMs first_time() const;
  TimeMs last_time() const;
  /// Pushes the loaded data into `engine` in time order, in chunks of 64k samples, and
  /// passes each chunk's alerts (poll()) to `sink` (bounded memory for long data).
  void replay(Engine& engine, const std::function<void(std::vector<Alert>&&)>& sink) const;
  /// Distinct metric names of the loaded data, sorted.
  std::vector<std::string> metrics() const;

  /// Evaluates `expr` over the loaded data as a rule condition would be: per instance of
  /// the series it reads first (declared or a metric of the data), at each of that
  /// series' samples, joined series read as of the tick. A bool expression gives 0/1. An
  /// expression that reads no series is evaluated once. Rules, tests, graphs and intents
  /// of the session are not run. The session does not change.
  Evaluation evaluate(const std::string& expr, const EvalOptions& options = {}) const;

  /// Every declaration of the session: loaded files in order, then typed definitions.
  std::vector<Declaration> declarations() const;
  /// The definitions typed into the session, as typed, in order (each ends in a newline).
  std::string definitions_text() const;
  /// Loaded rule files, in order.
  const std::vector<std::string>& files() const { return files_; }

  /// An engine over the session's rules (files and definitions). Diagnostics name the
  /// typed definitions "<repl>".
  Engine::Built build(Tier tier = Tier::Interp) const;

  /// Every built-in function (the checker's table: scalar built-ins and window kernels)
  /// and every standard library function, with signatures.
  static std::vector<FunctionInfo> functions();
  /// The language's keywords (the words a declaration or clause starts with, operators
  /// and literals spelled as words), sorted.
  static std::vector<std::string> keywords();

 private:
  struct Definition {
    DeclKind kind;
    std::string name;
    std::string text;
    bool fresh = false;  // being defined now: its diagnostics name it "<input>"
  };
  /// (name, text) of every file and definition, in order.
  std::vector<std::pair<std::string, std::string>> sources(
      const std::vector<std::pair<std::string, std::string>>& files,
      const std::vector<Definition>& defs) const;
  SessionResult check(const std::vector<std::pair<std::string, std::string>>& files,
                      const std::vector<Definition>& defs) const;

  EngineOptions options_;
  std::vector<std::string> files_;
  std::vector<std::pair<std::string, std::string>> file_texts_;  // (path, text), as files_
  std::vector<Definition> defs_;                                 // in order
  Batch data_;
  std::vector<uint32_t> order_;  // data samples in time order (stable)
};

}  // namespace omen
