// Internal to compiler/check: the expression elaborator. One walk does type checking,
// unit checking, constant folding and (when lowering a rule) IR emission with CSE.
#pragma once

#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/check/checker.h"
#include "compiler/check/compiled.h"
#include "compiler/ir/ir.h"

namespace omen::check {

/// inline_size() of a function too large (or too deep) to count exactly.
inline constexpr size_t kInlineSaturated = size_t{1} << 40;

enum class Type : uint8_t { Number, Bool, Duration, Percent, String, Error };
const char* type_name(Type t);

/// The value of an expression during elaboration.
struct Val {
  Type type = Type::Error;
  bool is_const = false;  // known at compile time: num / str hold it
  bool symbolic = false;  // a function parameter while checking a function generically
  double num = 0;         // numbers; bool 0/1; duration ms; percent as a fraction
  std::string str;
  uint32_t ir = UINT32_MAX;  // when lowering and not const: the IR value
  int series = -1;           // a bare series reference: its selector index (lowering)
  Loc loc;

  bool ok() const { return type != Type::Error; }
  static Val error() { return Val{}; }
};

/// Declarations visible to every rule, with lazily computed constants and selectors.
struct Context {
  Diagnostics& diags;
  const Limits& limits;
  std::unordered_map<std::string, const ast::Const*> consts;
  std::unordered_map<std::string, const ast::Fn*> fns;
  std::unordered_map<std::string, const ast::SeriesDecl*> series;
  std::unordered_map<std::string, Val> const_values;
  std::set<std::string> const_in_progress;
  std::set<std::string> reported;  // dedupes diagnostics from inlined function bodies
  std::set<std::string> used;      // names referenced anywhere (for W001 unused)
  size_t depth = 0;  // nesting of Elaborator::eval (inlined bodies and constants included)
  /// A limit hit once stops the module: report it once, not at every place it recurs.
  bool depth_reported = false, inline_reported = false;
  /// Expression nodes a call of each function expands to, callees inlined (see inline_size).
  std::unordered_map<const ast::Fn*, size_t> inline_sizes;
  /// The number of expression nodes a call of `fn` expands to with every user-function call
  /// in it inlined, computed without expanding (saturates; memoized).
  size_t inline_size(const ast::Fn& fn);
  /// Aggregate series declarations, resolved on first use (nullopt: in error).
  std::map<std::string, std::optional<CompiledAggregate>> aggregates;

  void error(const Loc& loc, DiagCode code, const std::string& message);
  /// All names in scope, for "did you mean" suggestions.
  std::vector<std::string> names() const;
  /// Resolves a series declaration (or an undeclared metric name when `allow_metric`) plus
  /// extra matchers into a selector; false (and an error) if it cannot.
  bool resolve_selector(const std::string& name, const std::vector<ast::Matcher>& extra,
                        const Loc& loc, bool allow_metric, SeriesSelector* out,
                        std::set<std::string>* visiting = nullptr);
  bool compile_matchers(const std::vector<ast::Matcher>& in, std::vector<LabelMatcher>* out);
  /// The aggregate a series declaration defines; null (and an error) if malformed.
  const CompiledAggregate* aggregate(const ast::SeriesDecl& decl, std::set<std::string>* visiting);

 private:
  bool metric_call(const ast::Expr& v, SeriesSelector* out);
};

/// `sum(x)`, `counter_sum(x{...})`, ...: a series declaration's value that aggregates series.
bool is_aggregation(const ast::Expr& v);
const std::regex& label_name_re();

/// Per-rule lowering state.
struct Lowering {
  ir::Program program;
  std::vector<SeriesSelector> selectors;  // [0] = on
  std::vector<InputSpec> inputs;
  std::map<std::string, uint32_t> cse;
  std::map<std::pair<int, uint32_t>, uint32_t> input_index;  // (kind, selector) -> input

  uint32_t emit(const ir::Instr& in);
  uint32_t input(InputSpec::Kind kind, uint32_t selector);
  uint32_t selector_index(const SeriesSelector& sel);
};

class Elaborator {
 public:
  /// `lowering` null: generic checking (function bodies), nothing emitted.
  Elaborator(Context& ctx, Lowering* lowering) : ctx_(ctx), low_(lowering) {}

  Val eval(const ast::Expr& e);
  /// The IR value of v (emits a Const for constants). Lowering mode only.
  uint32_t materialize(const Val& v);
  /// Binds parameters for generic checking of a function body.
  void bind(const std::string& name, Val v) { env_.back()[name] = std::move(v); }
  bool lowering() const { return low_ != nullptr; }
  void set_in_series_decl(bool on) { in_series_decl_ = on; }

 private:
  Val eval_name(const ast::Expr& e);
  Val eval_unary(const ast::Expr& e);
  Val eval_binary(const ast::Expr& e);
  Val eval_if(const ast::Expr& e);
  Val eval_call(const ast::Expr& e);
  Val call_user(const ast::Expr& e, const ast::Fn& fn);
  Val call_builtin(const ast::Expr& e, const std::string& name, std::vector<Val>& args);
  /// A window call; `params` carries the kernel's constant parameters (param, more).
  Val window(const ast::Expr& e, kernels::WindowKind kind, const Val& x, const Val& width,
             const kernels::WindowSpec& params);
  Val scalar(ir::Op op, Type result, const std::vector<Val>& args, const Loc& loc);
  bool expect_type(const Val& v, std::initializer_list<Type> allowed, const char* what);

  Context& ctx_;
  Lowering* low_;
  std::vector<std::unordered_map<std::string, Val>> env_{{}};
  std::vector<std::string> call_stack_;
  size_t inlined_nodes_ = 0;  // expression nodes inlined so far by this walk (one rule)
  bool in_series_decl_ = false;
};

/// Per-evaluation cost estimate of a lowered rule (documented in docs/language.md).
double estimate_cost(const ir::Program& p);

/// Levenshtein-nearest candidate within distance 2, or "".
std::string suggest(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace omen::check
