// The LLM connector: an OpenAI-compatible chat client, and two loops in which a model proposes
// Omen rules or a causal graph and Omen checks, validates and gates every proposal before
// anything is written or loaded. docs/llm.md describes setup, the loops, the gates, the cache
// and the limits.
//
// Model output is untrusted input. It enters only as Omen source, through the normal parser
// and checker (never executed as code), under omen::Limits, and each candidate is validated in
// a fresh Engine of its own. Nothing is returned as accepted unless every gate passed.
//
// Two error channels, as elsewhere in Omen: problems with the model's proposals come back as
// data (diagnostics, gate results, the transcript); infrastructure failures (the server cannot
// be reached, a budget ran out, an offline cache miss) leave `accepted` false with `error`
// saying why. Nothing here throws on bad input or bad replies.
//
// Thread safety: a Client is not synchronized; use one per thread. The loops are reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "omen/causal.h"
#include "omen/engine.h"
#include "omen/score.h"

namespace omen::llm {

// ---------------------------------------------------------------------------------------------
// Client: the OpenAI-compatible chat-completions API (OpenAI, Azure-style gateways, Ollama,
// llama.cpp server, vLLM)

/// How to reach the model and how hard to try. Defaults are safe for untrusted servers.
struct ClientOptions {
  /// Base URL of the API; `/chat/completions` is appended. OpenAI: https://api.openai.com/v1,
  /// Ollama: http://127.0.0.1:11434/v1, llama.cpp server: http://127.0.0.1:8080/v1.
  std::string base_url = "https://api.openai.com/v1";
  /// Model name sent with every request (e.g. "gpt-4o-mini", "qwen2.5-coder:7b").
  std::string model;
  /// Name of the environment variable holding the API key (sent as `Authorization: Bearer`).
  /// The key itself is never stored in options, logs, transcripts or the cache. An unset or
  /// empty variable sends no Authorization header (local servers need none).
  std::string api_key_env = "OPENAI_API_KEY";
  int64_t connect_timeout_ms = 10'000;  ///< TCP/TLS connect timeout per attempt
  int64_t timeout_ms = 300'000;         ///< total time per attempt (slow local models need minutes)
  int max_retries = 4;                ///< extra attempts after 429/5xx/timeouts/refused connections
  int64_t backoff_initial_ms = 1000;  ///< first backoff; doubles per retry, with jitter
  int64_t backoff_max_ms = 30'000;    ///< cap of one backoff
  int64_t max_retry_after_ms = 120'000;  ///< a longer Retry-After fails at once instead of waiting
  uint64_t jitter_seed = 0;         ///< 0: seeded from the clock (jitter never affects results)
  int max_tokens = 4096;            ///< `max_tokens` of each request
  double temperature = 0.2;         ///< `temperature` of each request
  std::optional<int64_t> seed = 1;  ///< `seed` of each request (servers that honour it are
                                    ///< then reproducible even without the cache)
  /// Ask for structured output (`response_format` json_schema). A server that rejects it
  /// (HTTP 400/422 naming response_format) is asked again without it, for the rest of the
  /// session; replies are then read from fenced ```omen blocks.
  bool structured_output = true;
  size_t max_reply_bytes = 1 << 20;  ///< a larger HTTP response body is an error
  /// Response cache directory ("" = no cache). Replies are stored under the SHA-256 of the
  /// request body (model, messages, schema, sampling parameters; not the URL or the key), so
  /// a run replays offline and reproducibly.
  std::string cache_dir;
  bool offline = false;  ///< serve only from the cache; a miss is an error (no network)
};

/// One chat message.
struct Message {
  std::string role;  ///< "system", "user" or "assistant"
  std::string content;
};

/// One chat-completions request.
struct ChatRequest {
  std::vector<Message> messages;
  std::string schema_name;  ///< name of the JSON schema ("" = no structured output)
  std::string json_schema;  ///< the JSON schema, as JSON text
};

/// The outcome of one chat() call (after retries).
struct ChatResponse {
  bool ok = false;
  /// When !ok: "network", "timeout", "http" (a non-retryable status or retries exhausted),
  /// "retry-after" (Retry-After beyond max_retry_after_ms), "too-large", "malformed" (the
  /// body is not a chat completion), "offline" (cache miss in offline mode), "budget" (the
  /// caller's deadline passed).
  std::string error_kind;
  std::string error;          ///< one line; never contains the API key
  std::string content;        ///< the assistant message
  std::string finish_reason;  ///< as reported ("stop", "length", ...)
  int http_status = 0;        ///< of the last attempt (0: none, or from the cache)
  int attempts = 0;           ///< HTTP attempts made (0 on a cache hit)
  bool cached = false;        ///< served from the cache
  bool structured = false;    ///< response_format was sent and accepted
  std::string cache_key;      ///< SHA-256 (hex) of the request
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  bool tokens_estimated = false;  ///< the server reported no usage: estimated as bytes / 4
  double millis = 0;              ///< wall time of the call, including backoff
};

/// Call and token accounting, reported by every loop.
struct Usage {
  size_t calls = 0;          ///< chat() calls
  size_t http_requests = 0;  ///< HTTP attempts (calls minus cache hits, plus retries)
  size_t retries = 0;
  size_t cache_hits = 0;
  size_t failures = 0;  ///< calls that returned !ok
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  bool estimated = false;  ///< some token counts were estimated
  double seconds = 0;      ///< time spent in chat() calls
  int64_t total_tokens() const { return prompt_tokens + completion_tokens; }
};

/// One line: "3 calls (4 HTTP requests, 1 retry, 1 from the cache, 0 failed), 5210 tokens
/// (4100 prompt + 1110 completion)".
std::string to_text(const Usage& usage);

/// The chat client. Retries 429, 5xx, timeouts and refused connections with exponential
/// backoff and jitter, honouring Retry-After (seconds or an HTTP date).
class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Sends the request (or answers it from the cache). `budget_ms` > 0 bounds the whole call,
  /// backoff included: per-attempt timeouts are clipped to it.
  ChatResponse chat(const ChatRequest& request, int64_t budget_ms = 0);
  /// The cache key chat() would use for `request`.
  std::string cache_key(const ChatRequest& request) const;
  /// Accounting since construction.
  const Usage& usage() const;
  const ClientOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The URL without credentials (`http://user:pass@host/v1` -> `http://***@host/v1`): what
/// messages, reports and transcripts show.
std::string redact_url(const std::string& url);

/// Lower-case hex SHA-256 of `data` (the cache key function).
std::string sha256_hex(const std::string& data);

// ---------------------------------------------------------------------------------------------
// Replies: structured JSON, or fenced ```omen blocks

/// Candidates read from one reply.
struct ParsedReply {
  bool ok = false;
  std::string error;  ///< when !ok: why the reply is unusable (this is fed back to the model)
  bool from_json = false;
  std::vector<std::string> sources;     ///< Omen source of each candidate, in reply order
  std::vector<std::string> rationales;  ///< parallel to sources ("" when none was given)
};

/// Reads a reply: JSON `{"candidates": [{"source": ..., "rationale": ...}]}` (also inside a
/// ```json fence), else every ```omen fenced block. Anything else is an error.
ParsedReply parse_reply(const std::string& content);

/// The JSON schema of a reply with candidates (for ChatRequest::json_schema).
std::string candidates_schema();

// ---------------------------------------------------------------------------------------------
// Prompt material (generated from the code, so it never drifts)

/// The language reference shown to the model: the sections of docs/language.md embedded at
/// build time (types, declarations, expressions, rules, evaluation and limits; with `graphs`
/// the graph section instead of rules/evaluation), the window functions from the kernel table
/// and the `fn` signatures with their comments from the embedded standard library.
std::string language_reference(bool graphs = false);

/// Names of the metrics present in `data`, sorted, unique.
std::vector<std::string> metric_names(const Batch& data);

/// The metric names that the `series` declarations of `source` select (`metric("x")` and
/// `series s = x{...}` with x not a declared series), read conservatively from the tokens.
/// Sets *error when a declaration cannot be read (the candidate is then rejected).
std::vector<std::string> referenced_metrics(const std::string& source, std::string* error);

/// A document shown to the model (documentation of the system, runbooks, ...).
struct Document {
  std::string name;
  std::string text;
  size_t replaced_bytes = 0;  ///< invalid UTF-8 bytes replaced by U+FFFD when read
};

/// A compact description of data for a prompt: per series its sample count, time span and
/// step, statistics (min, quantiles, max, mean, sd, NaN share), a seasonality hint
/// (autocorrelation at 1h/1d/1w lags), a shape line (bucket means as digits 0-9, with `^`
/// under labelled buckets) and, with labels, each anomaly window with its values against the
/// preceding baseline. At most `max_series` series are described.
std::string summarize_data(const Batch& data, const score::LabelSet* labels,
                           size_t max_series = 20);

// ---------------------------------------------------------------------------------------------
// Rule loop: omen propose rules

/// What the model works from. `data` is the training data that gates candidates.
struct RuleTask {
  std::vector<Document> docs;
  Batch data;
  std::string data_name = "data";         ///< for prompts and reports
  std::optional<score::LabelSet> labels;  ///< labelled anomalies of the data, if any
  /// The labelled (scored) series, e.g. `cpu{host="a"}` or a metric name naming one series;
  /// "" when the data holds one series.
  std::string target;
  std::string current_source;  ///< the current rule file ("" = none)
  std::string current_name = "current.omen";
};

/// Files to build a RuleTask from (the CLI's inputs).
struct RuleTaskFiles {
  std::vector<std::string> docs;
  std::vector<std::string> data;
  std::string labels;      ///< nab:FILE, points:FILE or windows:FILE (see omen score); "" = none
  std::string labels_key;  ///< NAB key; "" = derived from the data path (dir/file.csv)
  std::string target;      ///< see RuleTask::target
  std::string current;     ///< "" = none
};

/// Reads every file of `files`; on failure returns false with a one-line `*error`.
bool load_rule_task(const RuleTaskFiles& files, RuleTask* task, std::string* error);

/// When the loop stops trying. Every limit is on by default.
struct Budget {
  int max_iterations = 6;        ///< model turns (propose, then repair/refine)
  int64_t max_tokens = 200'000;  ///< prompt + completion tokens over all calls
  double max_seconds = 1800;     ///< wall time of the whole loop
};

/// The gates a rule candidate must pass, in order: size, compiles (under the engine's Limits),
/// rules, known_metrics, then the validator's evaluates, nan_verdicts, deterministic, cost and
/// metric (omen::validate, with labels), then alarm_share and no_regression. Defaults match
/// `omen validate`.
struct RuleGates {
  double min_event_f1 = 0.5;        ///< with labels: event F1 (point-adjusted) on the data
  bool no_regression = true;        ///< with a current file: event F1 must not drop below it
  double max_alarm_fraction = 0.2;  ///< share of ticks with a firing alert (always-on rules)
  double max_nan_fraction = 0.01;   ///< share of evaluations with a NaN (missing) input
  double max_cost = 2000;           ///< per rule and evaluation; 0 = the Limits' max_cost
  size_t max_rules = 20;            ///< rules per candidate file
  bool check_determinism = true;    ///< run twice in fresh engines: identical alerts required
};

/// Options of propose_rules.
struct RuleLoopOptions {
  ClientOptions client;
  Budget budget;
  RuleGates gates;
  /// Engine for validation (tier, staleness, limits). Interp by default: no JIT start-up.
  EngineOptions engine = [] {
    EngineOptions o;
    o.tier = Tier::Interp;
    return o;
  }();
  size_t top_k = 3;               ///< candidates asked for per turn (more are ignored)
  size_t max_doc_bytes = 24'000;  ///< per document in the prompt (longer ones are cut)
  size_t max_series = 20;         ///< series described in the prompt
  size_t history_turns = 2;       ///< earlier exchanges kept in the conversation
  std::function<void(const std::string&)> progress;  ///< optional log of each step
};

/// One gate's verdict.
struct GateResult {
  std::string name;  ///< "size", "compiles", "rules", "known_metrics", "evaluates",
                     ///< "nan_verdicts", "deterministic", "cost", "metric", "alarm_share",
                     ///< "no_regression" (see RuleGates), or "data"
  bool passed = false;
  std::string detail;  ///< one line
};

/// How a rule file did on the training data.
struct RuleMetrics {
  bool labelled = false;
  size_t ticks = 0;            ///< timeline rows (distinct sample times)
  size_t alarm_ticks = 0;      ///< rows with a firing alert
  size_t alerts = 0;           ///< firing events
  size_t windows = 0;          ///< labelled windows covering a row
  size_t detected = 0;         ///< windows with an alarm inside
  size_t false_positives = 0;  ///< alarming rows outside every window
  double event_precision = 0, event_recall = 0, event_f1 = 0;
  double point_f1 = 0;
  double nab_standard = 0;  ///< NAB standard score of the flags (0 without labels)
  double nan_fraction = 0;  ///< share of evaluations with a NaN input
  double max_cost = 0;      ///< highest per-evaluation cost among the rules
  std::string summary;      ///< one line
  std::vector<std::string> false_positive_examples;  ///< the first few FP runs
  std::vector<std::string> missed_examples;          ///< the first few missed windows
};

/// One candidate's evaluation.
struct CandidateReport {
  int iteration = 0;  ///< model turn that proposed it (1-based)
  int index = 0;      ///< position in the reply (1-based)
  std::string source;
  std::string rationale;
  bool compiled = false;
  std::vector<Diagnostic> diagnostics;  ///< from the checker (errors and warnings)
  std::vector<GateResult> gates;        ///< in order; evaluation stops at the first hard failure
  std::optional<RuleMetrics> metrics;
  bool passed = false;   ///< every gate passed
  std::string feedback;  ///< what the model is told about it
};

/// Evaluates one candidate in a fresh Engine (nothing is shared with other candidates) and
/// applies the gates. `baseline` (the current file's metrics) enables the regression gate.
CandidateReport evaluate_candidate(const std::string& source, const RuleTask& task,
                                   const RuleGates& gates, const EngineOptions& engine,
                                   const RuleMetrics* baseline = nullptr);

/// The result of propose_rules.
struct RuleProposal {
  bool accepted = false;
  std::string error;   ///< when !accepted: why (budget, server, gates), one paragraph
  std::string source;  ///< the accepted file, starting with its provenance comment
  std::string model;
  int iteration = 0;                           ///< turn of the accepted candidate
  std::string cache_key;                       ///< of the reply that proposed it
  RuleMetrics metrics;                         ///< of the accepted candidate
  std::optional<RuleMetrics> current_metrics;  ///< of the current file, when given
  int iterations = 0;                          ///< turns used
  Usage usage;
  double seconds = 0;
  std::string stop_reason;                  ///< "accepted", "iterations", "tokens", "time", "error"
  std::vector<CandidateReport> candidates;  ///< every candidate, in order
  std::string transcript_json;  ///< messages, replies, evaluations and accounting (no key)
};

/// Runs the rule loop: propose (top-k) -> check (diagnostics back: repair) -> validate on the
/// training data (metrics, false positives and misses back: refine; regressions rejected) ->
/// stop when a candidate passes every gate or the budget runs out.
RuleProposal propose_rules(const RuleTask& task, const RuleLoopOptions& options);
/// Same, with a caller-owned client (shared accounting, tests).
RuleProposal propose_rules(const RuleTask& task, const RuleLoopOptions& options, Client& client);

/// Builds an engine from an accepted proposal (Engine::from_source). A proposal that was not
/// accepted is refused: no engine, and `diagnostics` says why. To swap rules into an engine
/// that is already running, pass `proposal.source` to its reload (hot reload) instead.
Engine::Built load_accepted(const RuleProposal& proposal, const EngineOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Graph loop: omen propose graph

/// What the model works from: documentation and a numeric table whose columns belong to
/// components (Table::components; `comp/metric` columns, or one component per column).
struct GraphTask {
  std::vector<Document> docs;
  causal::Table data;
  std::string data_name = "data";
  std::string graph_name = "proposed";
};

/// Reads docs and the data table (causal::read_table); false with `*error` on failure.
bool load_graph_task(const std::vector<std::string>& docs, const std::string& data, GraphTask* task,
                     std::string* error);

/// Options of propose_graph.
struct GraphLoopOptions {
  ClientOptions client;
  Budget budget;
  causal::CheckOptions check;  ///< the data check (alpha, permutations, ...)
  /// true: only a graph that passes the data check is accepted. false (Atlas' behaviour): when
  /// the budget runs out, the best structurally valid graph is accepted with its unresolved
  /// findings listed in its header comment.
  bool strict = false;
  size_t max_components = 60;    ///< more components in the data is an error
  size_t max_doc_bytes = 8'000;  ///< documentation per component prompt
  size_t max_findings = 30;      ///< findings fed back per turn
  std::function<void(const std::string&)> progress;
};

/// One edge of the proposed graph with its provenance.
struct ProposedEdge {
  std::string from, to;     ///< component names (as in the data)
  int iteration = 0;        ///< the turn that proposed it (1 = the local round)
  std::string proposed_by;  ///< the component whose local prompt proposed it, or "repair"
};

/// The result of propose_graph.
struct GraphProposal {
  bool accepted = false;  ///< a graph was accepted (written by the CLI)
  bool passed = false;    ///< it passed the data check (accepted without budget exhaustion)
  std::string error;      ///< when !accepted: why
  std::string source;     ///< `graph NAME { ... }` with `source = "llm"` edges, provenance comments
  std::vector<ProposedEdge> edges;
  std::vector<std::string> findings;  ///< unresolved findings of the accepted graph
  std::string report_text;            ///< causal::to_text of the final check
  int iterations = 0;
  Usage usage;
  double seconds = 0;
  std::string stop_reason;  ///< "passed", "iterations", "tokens", "time", "error"
  std::string transcript_json;
};

/// Runs the graph loop: one local proposal per component (from its documentation and metric
/// names) -> merge -> check (structure: cycles named, unknown components) -> validate against
/// the data (causal::check_graph) -> contradicted and unsupported edges back to the model ->
/// accept when the graph passes or the budget runs out.
GraphProposal propose_graph(const GraphTask& task, const GraphLoopOptions& options);
GraphProposal propose_graph(const GraphTask& task, const GraphLoopOptions& options, Client& client);

}  // namespace omen::llm
