// Causal graphs: a graph model with queries (Boost.Graph underneath), import/export (DOT,
// adjacency CSV, Tetrad text, JSON, Omen syntax), validation of a graph against data
// (Fisher-z tests of the implied independencies), discovery (PC-stable, lagged PC, Granger)
// and root-cause ranking (BARO, n-sigma, traversal, random walk, CIRCA, ensemble).
//
// Everything here is plain C++: no Boost or Eigen type appears in this header. Nodes are
// referred to by index (0..node_count()-1); names are unique. User errors (malformed files,
// unknown nodes, cycles, singular data, bad windows) throw CausalError, whose what() reads
// `file:line:col: error[code]: message` when a location is known.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace omen::causal {

// ---------------------------------------------------------------------------------------------
// Errors and locations

/// Where a graph element or an error comes from. line == 0 means "unknown".
struct SourceLoc {
  std::string file;
  int line = 0;
  int col = 0;
};

/// A user error in causal input or in a request. Stable codes: "syntax" (malformed DOT, CSV,
/// Tetrad), "unknown-node", "cycle", "singular" (constant or collinear columns),
/// "window" (missing or empty baseline/incident window), "data" (shape problems), "io".
class CausalError : public std::runtime_error {
 public:
  CausalError(std::string code, const std::string& message, SourceLoc loc = {});
  /// The stable error code, e.g. "cycle".
  const std::string& code() const { return code_; }
  /// The message without location and code.
  const std::string& message() const { return message_; }
  /// Location, if known (line == 0 otherwise).
  const SourceLoc& loc() const { return loc_; }

 private:
  std::string code_;
  std::string message_;
  SourceLoc loc_;
};

// ---------------------------------------------------------------------------------------------
// Graph model

/// Where an edge comes from; kept per edge.
enum class Provenance { Declared, Traces, Llm, Discovered };

/// "declared", "traces", "llm", "discovered".
const char* to_string(Provenance p);
/// Inverse of to_string; nullopt for anything else.
std::optional<Provenance> parse_provenance(std::string_view text);

/// A component with its metric bindings (binding name -> series selector string, in order).
struct Node {
  std::string name;
  std::vector<std::pair<std::string, std::string>> bindings;
  bool root = false;  ///< constraint: can only be a cause (no incoming edge)
  bool leaf = false;  ///< constraint: can only be an effect (no outgoing edge)
  SourceLoc loc;
};

/// An edge from -> to (or from -- to when `undirected`, as in a CPDAG).
struct Edge {
  size_t from = 0;
  size_t to = 0;
  Provenance provenance = Provenance::Declared;
  std::optional<double> strength;  ///< optional weight, e.g. a coefficient or a confidence
  bool undirected = false;         ///< only discovery produces these (CPDAG "a -- b")
  int lag = 0;                     ///< time lag of the effect, in rows (lagged discovery)
  SourceLoc loc;
};

/// Background knowledge about one edge: `require a -> b` or `forbid a -> b`.
struct EdgeConstraint {
  size_t from = 0;
  size_t to = 0;
  bool required = false;  ///< false: forbidden
  SourceLoc loc;
};

/// A causal graph as declared (or imported, or discovered). Mutable while being built; the
/// queries below take it by const reference. Building never fails on structure (cycles and
/// constraint violations are reported by validate()/queries), only on unknown names.
class Graph {
 public:
  explicit Graph(std::string name = "g");

  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }

  /// Adds a node, or returns the index of the existing node with that name.
  size_t add_node(const std::string& name, SourceLoc loc = {});
  /// Index of the node named `name`, if any.
  std::optional<size_t> find(std::string_view name) const;
  /// Index of the node named `name`; throws CausalError("unknown-node") otherwise.
  size_t index(std::string_view name, const SourceLoc& loc = {}) const;

  /// Adds a metric binding `binding = selector` to a node (e.g. "latency", `lat{service="x"}`).
  void bind(size_t node, std::string binding, std::string selector);
  /// Adds an edge; a second edge between the same ordered pair replaces the attributes of the
  /// first. Returns the edge index. Throws on an out-of-range node or a self-loop.
  size_t add_edge(const Edge& edge);
  /// Convenience: adds both nodes if new, then a directed edge.
  size_t add_edge(const std::string& from, const std::string& to,
                  Provenance provenance = Provenance::Declared,
                  std::optional<double> strength = std::nullopt, SourceLoc loc = {});
  /// Removes the edge between from and to (either direction); returns whether one existed.
  bool remove_edge(size_t from, size_t to);
  /// Background knowledge: the edge from -> to must exist / must not exist.
  void require(size_t from, size_t to, SourceLoc loc = {});
  void forbid(size_t from, size_t to, SourceLoc loc = {});
  /// Root constraint (only a cause) / leaf constraint (only an effect).
  void set_root(size_t node, bool root = true);
  void set_leaf(size_t node, bool leaf = true);

  size_t node_count() const { return nodes_.size(); }
  const Node& node(size_t i) const { return nodes_.at(i); }
  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<Edge>& edges() const { return edges_; }
  const std::vector<EdgeConstraint>& constraints() const { return constraints_; }

  /// Index of the edge between from and to in that direction (directed edges) or either
  /// direction (undirected edges), if any.
  std::optional<size_t> find_edge(size_t from, size_t to) const;
  /// Parents / children over directed edges, ascending.
  std::vector<size_t> parents(size_t node) const;
  std::vector<size_t> children(size_t node) const;
  /// Whether any edge is undirected (then it is a CPDAG, not a DAG).
  bool has_undirected() const;

 private:
  std::string name_;
  std::vector<Node> nodes_;
  std::vector<Edge> edges_;
  std::vector<EdgeConstraint> constraints_;
};

// ---------------------------------------------------------------------------------------------
// Queries (directed edges; a graph with undirected edges is rejected with code "data")

/// A directed cycle as a node sequence a, b, c (meaning a -> b -> c -> a), if any. The first
/// cycle found by a depth-first search in node order, so the answer is deterministic.
std::optional<std::vector<size_t>> find_cycle(const Graph& g);
/// "a -> b -> c -> a".
std::string format_cycle(const Graph& g, const std::vector<size_t>& cycle);
/// Throws CausalError("cycle", "cycle: a -> b -> c -> a") at the first edge of the cycle.
void check_acyclic(const Graph& g);
/// A topological order (Kahn's order with the smallest index first); throws on a cycle.
std::vector<size_t> topological_order(const Graph& g);
/// Nodes with a directed path to / from `node` (not including it), ascending.
std::vector<size_t> ancestors(const Graph& g, size_t node);
std::vector<size_t> descendants(const Graph& g, size_t node);
/// All simple directed paths from a to b, each as a node sequence, shortest first then in
/// lexicographic order of indices. Stops after max_paths paths (a safety limit); `truncated`
/// (if given) is set when it did.
std::vector<std::vector<size_t>> directed_paths(const Graph& g, size_t a, size_t b,
                                                size_t max_paths = 1000, bool* truncated = nullptr);
/// d-separation of X and Y given Z (moralized ancestral graph criterion). X, Y, Z disjoint.
bool d_separated(const Graph& g, const std::vector<size_t>& x, const std::vector<size_t>& y,
                 const std::vector<size_t>& z);
/// Markov blanket: parents, children and the children's other parents, ascending.
std::vector<size_t> markov_blanket(const Graph& g, size_t node);

/// A structural problem found by validate().
struct Issue {
  std::string code;     ///< "cycle", "forbidden-edge", "missing-required-edge", "root-has-parent",
                        ///< "leaf-has-child", "undirected-edge", "unbound-node"
  std::string message;  ///< human-readable, names the nodes
  SourceLoc loc;
};
/// Structural validation: acyclicity, constraints respected (no forbidden edge present, every
/// required edge present, roots without parents, leaves without children).
std::vector<Issue> validate(const Graph& g);

// ---------------------------------------------------------------------------------------------
// Import / export

/// Parses the DOT subset real tools write: `[strict] digraph|graph [id] { ... }` with node
/// statements `a [label=...]`, edge statements `a -> b -> c [attrs]`, `node`/`edge`/`graph`
/// attribute statements and `x = y` lines (ignored), subgraph braces (flattened), `//`, `#`
/// and `/* */` comments, quoted ids with escapes. Edge attributes understood: `source` or
/// `provenance` (declared|traces|llm|discovered), `weight`/`strength` (number), `lag`,
/// `dir=none` / `style=...undirected` / `arrowhead=none` (undirected). In `graph { a -- b }`
/// edges are undirected. Throws CausalError("syntax") with line and column.
Graph parse_dot(std::string_view text, const std::string& file = "<dot>");
/// Adjacency-matrix CSV as PetShop's graph.csv: a header row `,n1,n2,...`, then one row per
/// node `ni,v1,v2,...`; a non-zero cell (row i, column j) is an edge i -> j (caller -> callee).
/// With `reverse`, edges are flipped (callee -> caller, i.e. the causal direction of latency).
Graph parse_adjacency_csv(std::string_view text, const std::string& file = "<csv>",
                          bool reverse = false);
/// Tetrad text as written by causal-learn / Tetrad: "Graph Nodes:" a;b;c, then "Graph Edges:"
/// with lines "1. a --> b" (also "---", "<->" read as undirected/bidirected→undirected).
Graph parse_tetrad(std::string_view text, const std::string& file = "<tetrad>");
/// Reads a graph file by extension: .dot/.gv -> DOT, .csv -> adjacency CSV (reverse as
/// given), .txt -> Tetrad text. Throws CausalError("io") if unreadable.
Graph read_graph_file(const std::string& path, bool reverse_csv = false);

/// DOT (`digraph name { ... }`), with provenance/strength/lag attributes; parse_dot reads it back.
std::string to_dot(const Graph& g);
/// JSON: {"name", "nodes": [{"name", "bindings", "root", "leaf"}], "edges": [{"from", "to",
/// "provenance", "strength"?, "undirected", "lag"}], "constraints": [...]}.
std::string to_json(const Graph& g);
/// Omen language syntax: `graph NAME {\n  a -> b\n  c -- d\n}` plus node bindings and
/// constraints when present. `with_provenance` = false omits `source = ...` attributes (for
/// a freshly discovered graph, where every edge is "discovered").
std::string to_omen(const Graph& g, bool with_provenance = true);

// ---------------------------------------------------------------------------------------------
// Numeric tables (columns = metrics, rows = time)

/// A numeric table, column-major. NaN marks a missing value.
struct Table {
  std::vector<std::string> columns;       ///< column names (PetShop: "component/metric/statistic")
  std::vector<std::string> components;    ///< per column: the component it measures (= name)
  std::vector<std::string> metrics;       ///< per column: the metric part ("" if none)
  std::vector<double> time;               ///< per row: timestamp (seconds) when the file has one
  std::vector<std::vector<double>> data;  ///< data[column][row]

  size_t rows() const { return data.empty() ? 0 : data[0].size(); }
  size_t cols() const { return data.size(); }
  /// Index of the column with that exact name.
  std::optional<size_t> column(std::string_view name) const;
  /// Appends a column (all columns must have the same length).
  void add_column(std::string name, std::vector<double> values, std::string component = {},
                  std::string metric = {});
};

/// Parses a numeric table. Layouts: (1) CSV with a header row of names; a first column named
/// time/timestamp/unix_timestamp is taken as the time axis; (2) PetShop: three header rows
/// (component / metric / statistic, first cell "microservice"), an optional fourth row
/// starting with "unix_timestamp", then rows of timestamp + values; (3) whitespace- or
/// tab-separated with a header row (causal-learn's data_linear_*.txt). Empty cells are NaN.
/// Throws CausalError("syntax") with the line number on malformed rows.
Table parse_table(std::string_view text, const std::string& file = "<table>");
/// Reads a file with parse_table; throws CausalError("io") if unreadable.
Table read_table(const std::string& path);
/// Rows [begin, end) of a table.
Table slice_rows(const Table& t, size_t begin, size_t end);
/// Keeps the columns named (in that order); throws CausalError("unknown-node") otherwise.
Table select_columns(const Table& t, const std::vector<std::string>& names);

/// One PetShop case (an issue folder): the incident metrics, the alerting target and the
/// labelled root cause.
struct PetShopCase {
  Table metrics;
  std::string target_node, target_metric, target_agg;
  double target_time = 0;
  std::string root_cause;
};
/// Reads `dir/metrics.csv` and `dir/target.json`.
PetShopCase read_petshop_case(const std::string& dir);

// ---------------------------------------------------------------------------------------------
// Statistics

/// Result of a conditional independence test of x and y given z.
struct CiResult {
  double r = 0;     ///< (partial) correlation
  double stat = 0;  ///< Fisher-z statistic sqrt(n - |z| - 3) * |atanh(r)|
  double p = 1;     ///< two-sided p-value
};

/// Fisher-z p-value for a partial correlation r from n samples with `cond` conditioning
/// variables: 2 * (1 - Phi(sqrt(n - cond - 3) * |atanh(r)|)); r is clamped to (-1, 1).
CiResult fisher_z(double r, size_t n, size_t cond);

/// Partial-correlation Fisher-z tests on the columns of a table. The correlation matrix is
/// computed once; each test inverts the small submatrix of {x, y} ∪ z, and results are
/// cached. Rows with a NaN in any column are dropped first. Throws CausalError("singular")
/// naming the columns when a column is constant or a set of columns is collinear.
class FisherZ {
 public:
  explicit FisherZ(const Table& t);
  /// From a correlation matrix (row-major, p x p) of n samples; `names` for error messages.
  FisherZ(std::vector<double> corr, size_t p, size_t n, std::vector<std::string> names);
  ~FisherZ();
  FisherZ(FisherZ&&) noexcept;
  FisherZ& operator=(FisherZ&&) noexcept;

  /// Test x ⟂ y | z (indices into the table's columns).
  CiResult test(size_t x, size_t y, const std::vector<size_t>& z = {}) const;
  size_t samples() const;
  size_t variables() const;
  /// Correlation of two columns.
  double corr(size_t x, size_t y) const;
  /// Number of distinct tests computed so far (cache misses).
  size_t tests_run() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------------------------
// Validation against data: omen graph check

struct CheckOptions {
  double alpha = 0.05;        ///< significance level of every test
  int lag = 0;                ///< test parents at this lag (x_t vs parents at t-lag) when > 0
  size_t permutations = 100;  ///< node-permuted graphs for the baseline violation rate
  uint64_t seed = 1;          ///< for the permutations (deterministic)
  size_t max_tests = 10000;   ///< safety limit on implied-independence tests per graph
  /// Which column a node without a matching binding uses when a component has several
  /// columns: the first column of that component whose metric part starts with this.
  std::string metric = "";
};

/// One implied independence x ⟂ y | given (local Markov property) and its test.
struct ImpliedTest {
  size_t x = 0, y = 0;
  std::vector<size_t> given;
  double p = 1;
  bool violated = false;  ///< p < alpha: the data contradicts the independence
};

/// Dependence of one edge's endpoints, marginal and given the child's other parents.
struct EdgeTest {
  size_t from = 0, to = 0;
  double p_marginal = 1;
  double p_conditional = 1;
  bool dependent = true;  ///< false: no detectable dependence (both p >= alpha)
};

/// The structured result of check_graph (the LLM loop reads this).
struct CheckReport {
  std::vector<Issue> structure;             ///< structural issues (cycles, constraints, bindings)
  std::vector<int> node_column;             ///< per node: data column, or -1 if unbound
  std::vector<ImpliedTest> independencies;  ///< every tested implied independence
  size_t violations = 0;
  double violation_rate = 0;    ///< violations / tests (0 when no test)
  std::vector<EdgeTest> edges;  ///< one per directed edge
  size_t edges_without_dependence = 0;
  size_t permutations = 0;        ///< permuted graphs evaluated
  double permuted_mean_rate = 0;  ///< mean violation rate of the permuted graphs
  /// Fraction of permuted graphs whose violation rate is <= the given graph's: small means
  /// the given graph explains the data better than chance (DoWhy falsify_graph's p-value).
  double p_value = 1;
  bool better_than_chance = false;  ///< p_value < alpha
  bool data_checked = false;        ///< false when structure errors stopped the data part
  std::string verdict;              ///< one line
  double alpha = 0.05;              ///< the level the tests used
  /// True when there is no structural issue, no edge without dependence, and either no
  /// violation or (with many tests some false alarms are expected) a violation rate <= alpha
  /// with the graph better than chance.
  bool ok() const;
};

/// Checks a graph against data: structure first (issues reported, data part skipped on a
/// cycle or unbound nodes), then the local Markov property tests, the edge dependence tests
/// and the permutation baseline. Throws CausalError("singular") for constant/collinear columns.
CheckReport check_graph(const Graph& g, const Table& data, const CheckOptions& options = {});
/// JSON rendering of a report (node names resolved through g).
std::string to_json(const CheckReport& report, const Graph& g);
/// Text rendering, one finding per line.
std::string to_text(const CheckReport& report, const Graph& g);

/// The column a node is bound to: a binding whose selector equals a column name, the node
/// name itself, or the first column of the component (preferring metric prefix `metric`).
std::optional<size_t> bind_node(const Graph& g, size_t node, const Table& data,
                                const std::string& metric = "");

// ---------------------------------------------------------------------------------------------
// Discovery: omen discover

struct PcOptions {
  double alpha = 0.05;
  int depth = -1;      ///< maximum conditioning-set size; -1 = unlimited
  bool stable = true;  ///< PC-stable (edges removed after each depth); false = original PC
  /// Background knowledge by column name: forbidden / required directed edges. Roots forbid
  /// every incoming edge, leaves every outgoing edge.
  std::vector<std::pair<std::string, std::string>> forbid, require;
  std::vector<std::string> roots, leaves;
  size_t max_tests = 10'000'000;  ///< safety limit; exceeding it is a CausalError("data")
};

/// Result of a discovery run.
struct PcResult {
  Graph cpdag;        ///< nodes = columns; edges Discovered, undirected where unoriented
  size_t tests = 0;   ///< distinct CI tests computed
  int max_depth = 0;  ///< largest conditioning-set size reached
};

/// PC with Fisher-z, as causal-learn's pc(data, alpha, fisherz, stable, uc_rule=0,
/// uc_priority=2): same skeleton search order, sepsets (all separating sets of the removal
/// depth), unshielded-collider orientation with "prioritize existing colliders", Meek rules
/// 1-3. Rows with NaN are dropped. Throws CausalError("singular") for degenerate columns.
PcResult pc(const Table& data, const PcOptions& options = {});
/// Same from an existing tester (names = node names).
PcResult pc(const FisherZ& tester, const std::vector<std::string>& names,
            const PcOptions& options = {});

/// Lagged PC over x_t and x_{t-1..max_lag} (PCMCI-flavoured): the time order forbids edges
/// from later to earlier slices and edges among lagged copies are not reported. Returned
/// edges point into the present slice; Edge::lag is the lag (0 = contemporaneous).
PcResult lagged_pc(const Table& data, int max_lag, const PcOptions& options = {});

/// One pairwise Granger test: does `cause` help predict `effect` beyond effect's own lags?
struct GrangerResult {
  size_t cause = 0, effect = 0;
  int lags = 0;
  double f = 0;
  double p = 1;
};
/// Pairwise Granger F-tests (OLS with `lags` lags of both series, intercept) for every
/// ordered pair of columns.
std::vector<GrangerResult> granger(const Table& data, int lags);
/// The graph of significant Granger edges (p < alpha), strength = F.
Graph granger_graph(const Table& data, int lags, double alpha);

// ---------------------------------------------------------------------------------------------
// Root-cause analysis: omen rca

enum class RcaMethod { Baro, NSigma, Traversal, RandomWalk, Circa, Ensemble };
const char* to_string(RcaMethod m);
std::optional<RcaMethod> parse_rca_method(std::string_view text);

struct RcaOptions {
  RcaMethod method = RcaMethod::Baro;
  size_t top = 5;
  double threshold = 3.0;     ///< anomaly score that makes a node anomalous (traversal, walk)
  double restart = 0.15;      ///< random walk: restart (teleport) probability
  int walk_iterations = 100;  ///< random walk: power iterations (stops early on convergence)
  /// The alerting component (symptom), if known: paths end there and the random walk starts
  /// there. Empty: the most anomalous component.
  std::string target;
  /// The first `pre_incident_rows` rows of the incident table precede the incident (e.g. the
  /// rows before the alert). A column's score is its incident anomaly minus its anomaly in
  /// those rows (floored at 0): a metric that already deviated from the baseline before the
  /// incident (drift since the baseline was taken) is not evidence.
  size_t pre_incident_rows = 0;
  /// Graph edges point cause -> effect. For PetShop's call graph (caller -> callee) pass the
  /// graph reversed (parse_adjacency_csv(..., reverse=true)).
};

/// One ranked candidate.
struct RootCause {
  std::string component;
  double score = 0;
  std::string column;             ///< the column with the highest anomaly score
  std::vector<std::string> path;  ///< root -> ... -> symptom (with a graph), else empty
};

struct RcaResult {
  RcaMethod method = RcaMethod::Baro;
  std::vector<RootCause> ranking;  ///< best first; all components, `top` applied by callers
  std::string symptom;             ///< the most anomalous component (end of the paths)
};

/// Per-column statistics of a baseline window (median, quartiles, mean, deviation), fitted
/// once and reused for every incident scored against that baseline.
class RcaBaseline {
 public:
  explicit RcaBaseline(const Table& baseline);
  ~RcaBaseline();
  RcaBaseline(RcaBaseline&&) noexcept;
  RcaBaseline& operator=(RcaBaseline&&) noexcept;
  /// The baseline table (CIRCA regresses on it).
  const Table& table() const;

  struct Stats {
    double median, iqr, mean, sd;  ///< NaN when the column has no value
    size_t column;                 ///< index in table()
  };
  /// Statistics of the column named `name`, if the baseline has it.
  const Stats* stats(const std::string& name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Same as below with a fitted baseline (the fast path when many incidents share one).
RcaResult rca(const RcaBaseline& baseline, const Table& incident, const Graph* graph,
              const RcaOptions& options = {});
/// Ranks components. `baseline` and `incident` have the same columns (matched by name;
/// incident columns missing from the baseline are ignored); components come from
/// Table::components. `graph` (optional: nullptr) names components; methods that need it
/// (traversal, random_walk, circa) fall back to baro ordering for nodes it lacks, and
/// throw CausalError("data") if it is null. Throws CausalError("window") on an empty window.
RcaResult rca(const Table& baseline, const Table& incident, const Graph* graph,
              const RcaOptions& options = {});
/// JSON / text rendering of the top `top` entries.
std::string to_json(const RcaResult& r, size_t top);
std::string to_text(const RcaResult& r, size_t top);

}  // namespace omen::causal
