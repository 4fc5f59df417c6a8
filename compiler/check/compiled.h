// The output of the compiler pipeline: everything the runtime needs to run a rule set,
// with no AST, ANTLR or LLVM type in it.
#pragma once

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/ir/ir.h"
#include "omen/types.h"

namespace omen {

/// One label matcher with its regex compiled (anchored, like Prometheus).
struct LabelMatcher {
  std::string label;
  ast::MatchOp op = ast::MatchOp::Eq;
  std::string value;
  std::shared_ptr<const std::regex> re;  // for Re / NotRe

  bool matches(const Labels& labels) const;
};

/// Selects series: a metric name plus label matchers.
struct SeriesSelector {
  std::string metric;
  std::vector<LabelMatcher> matchers;

  bool matches(const SeriesKey& key) const;
  std::string to_string() const;
  bool operator==(const SeriesSelector& o) const { return to_string() == o.to_string(); }
};

/// A series the engine computes from other series (docs/language.md, "Aggregations"): at every
/// timestamp where a member has a sample, the aggregate of the members' values as of that
/// time, one output series per group of `by` label values.
struct CompiledAggregate {
  enum Op : uint8_t {
    Sum,  // sum of the fresh members' values
    Avg,  // mean of the fresh members' values
    Min,
    Max,
    Count,      // number of fresh members with a non-NaN value
    CounterSum  // a counter: total of the members' increases since each was first seen
  } op = Sum;
  std::string name;  // the series declaration
  Loc loc;
  std::string metric;  // metric name of the output series: "@NAME:HASH" (reserved: '@')
  SeriesSelector members;
  std::vector<std::string> by;  // the output series' labels; empty: a single group

  static const char* op_name(Op op);
};

/// What one input column of a rule's program holds at each tick.
struct InputSpec {
  enum Kind {
    Value,  // the series' value as of the tick (NaN when stale or absent)
    Age     // ms since the series' latest sample at or before the tick (+inf if none)
  } kind = Value;
  uint32_t selector = 0;  // index into CompiledRule::selectors; 0 is the `on` series
};

/// A piece of a rule's message template.
struct MessagePart {
  enum Kind { Literal, Label, Value } kind = Literal;
  std::string text;     // Literal: the text; Label: the label name
  uint32_t output = 0;  // Value: index into the program's outputs
  std::string spec;     // Value: fmt format spec, e.g. ".2f"
};

struct CompiledRule {
  std::string name;
  Loc loc;
  ir::Program program;                    // outputs[0] = condition, outputs[1] = alert value
  std::vector<SeriesSelector> selectors;  // [0] is the `on` series
  std::vector<InputSpec> inputs;          // one per program input column
  bool has_by = false;
  std::vector<std::string> by;  // identity and matching labels
  int64_t for_ms = 0;
  int64_t keep_ms = 0;
  std::string severity;  // "" if not given
  Labels labels;         // static labels added to every alert
  std::vector<MessagePart> message;
  double cost = 0;  // the checker's estimate, per evaluation
  std::string source_file;
};

struct CompiledExpect {
  bool negated = false;
  std::string rule;
  std::vector<LabelMatcher> matchers;
  ast::AlertState state = ast::AlertState::Firing;
  TimeMs at = 0;  // absolute
  std::string at_text;
  bool has_message = false;
  std::string message;
  Loc loc;
};

struct CompiledTest {
  std::string name;
  Loc loc;
  TimeMs start = 0;
  int64_t interval_ms = 60'000;
  struct Input {
    SeriesKey key;
    std::vector<std::optional<double>> values;
  };
  std::vector<Input> inputs;
  std::vector<CompiledExpect> expects;
};

/// A checked causal graph: plain data; runtime/engine/graphs.cpp turns it into a
/// causal::Graph.
struct CompiledGraph {
  std::string name;
  Loc loc;
  struct Node {
    std::string name;
    Loc loc;
    std::vector<std::pair<std::string, std::string>> bindings;  // name -> selector text
    bool root = false, leaf = false;
  };
  struct Edge {
    uint32_t from = 0, to = 0;
    std::string provenance = "declared";
    std::optional<double> strength;
    int lag = 0;
    Loc loc;
  };
  struct Constraint {
    uint32_t from = 0, to = 0;
    bool required = false;
    Loc loc;
  };
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  std::vector<Constraint> constraints;
};

/// A checked intent (docs/intents.md). Its rules are ordinary CompiledRules, compiled from
/// `source`, the Omen text the checker generated for it.
struct CompiledIntent {
  std::string name;
  Loc loc;
  std::string source_name;  // the generated source's name in the SourceManager
  std::string source;       // generated Omen source: fns and rules
  double budget = 0;        // 1 - target, from the exact decimal
  int64_t period_ms = 0;
  std::vector<std::string> rules;  // names of the generated rules
};

/// A checked rule set. Immutable once built; shared by engines (std::shared_ptr).
struct CompiledModule {
  std::vector<CompiledRule> rules;
  std::vector<CompiledTest> tests;
  std::vector<CompiledGraph> graphs;
  std::vector<CompiledIntent> intents;
  std::vector<CompiledAggregate> aggregates;                  // sorted by name
  std::vector<std::shared_ptr<const ast::Module>> generated;  // parsed intent sources
  std::vector<ast::Module> modules;  // one per file, kept for `explain --dump=ast` and graphs
  std::shared_ptr<SourceManager> sources;
};

}  // namespace omen
