/*
 * Omen's C API: a stable, C-callable face of the engine for services written in C, Go (cgo),
 * Rust (bindgen) or Python (ctypes/cffi). docs/embedding.md walks through it.
 *
 * Conventions (in the manner of the DuckDB and Lua C APIs):
 *  - Opaque handles. Every object created by an `omen_*_create` (or handed out by a function
 *    that returns a new handle through an out-parameter) is released by the matching
 *    `omen_*_destroy`, which takes the address of the handle, releases it, and sets the
 *    handle to NULL. Destroying NULL (or a pointer to NULL) does nothing.
 *  - Every fallible function returns an omen_status; results come back through
 *    out-parameters, which are only written on OMEN_OK unless documented otherwise.
 *  - Messages (diagnostics, error descriptions) are returned as `char*` through an optional
 *    `char** error` / `char** diagnostics` out-parameter (pass NULL if you do not want it).
 *    The caller owns such a string and releases it with omen_free_string(). When there is
 *    nothing to say, NULL is stored.
 *  - Strings passed in are UTF-8, NUL-terminated, and only read during the call (the
 *    library copies what it keeps). Strings inside returned structs (omen_alert, ...) belong
 *    to the list or report that holds them and live until it is destroyed.
 *  - No C++ exception ever crosses this API: allocation failure is OMEN_ERROR_OUT_OF_MEMORY,
 *    anything unexpected OMEN_ERROR_INTERNAL.
 *  - Times are int64 milliseconds since the Unix epoch (UTC); values are IEEE doubles (NaN
 *    marks a missing value).
 *
 * Thread safety:
 *  - omen_engine is internally synchronized: any function taking an omen_engine* may be
 *    called from any thread, concurrently. Pushes are serialized by a mutex inside the
 *    engine (see docs/embedding.md, "Concurrency"). omen_engine_destroy must not race with
 *    any other call on the same engine.
 *  - Every other handle (omen_options, omen_batch, omen_alert_list, omen_rule_stats_list,
 *    omen_test_report) is a plain value: use it from one thread at a time (distinct handles
 *    may be used on distinct threads freely).
 *  - The alert callback runs on the thread that pushed, after the engine has released its
 *    lock; with several pushing threads it may run on several threads at once. It must not
 *    call any function on the same engine (such calls fail with OMEN_ERROR_REENTRANT).
 */
#ifndef OMEN_OMEN_H
#define OMEN_OMEN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Version of this C API; bumped when a declaration changes incompatibly. */
#define OMEN_C_API_VERSION 1

/* ------------------------------------------------------------------------------------------ */
/* Status codes and strings                                                                   */

/** Result of every fallible call. */
typedef enum omen_status {
  OMEN_OK = 0,
  /** A required pointer was NULL, a count is inconsistent, an enum is out of range. */
  OMEN_ERROR_INVALID_ARGUMENT = 1,
  /** Rule sources have errors; the diagnostics say which (clang-style, with carets). */
  OMEN_ERROR_COMPILE = 2,
  /** A file could not be read, or a data file is malformed. */
  OMEN_ERROR_IO = 3,
  /** The request needs something this build does not have (the JIT when built without LLVM). */
  OMEN_ERROR_UNSUPPORTED = 4,
  /** A call on an engine from inside that engine's alert callback. */
  OMEN_ERROR_REENTRANT = 5,
  /** An index or name does not exist. */
  OMEN_ERROR_NOT_FOUND = 6,
  OMEN_ERROR_OUT_OF_MEMORY = 7,
  /** A bug in Omen; the message (if requested) describes it. */
  OMEN_ERROR_INTERNAL = 8
} omen_status;

/** A static, human-readable name for a status ("ok", "invalid argument", ...). Never NULL. */
const char* omen_status_string(omen_status status);

/** The library version, e.g. "0.1.0" (static string). */
const char* omen_version(void);

/** 1 if tier OMEN_TIER_JIT can run: this build has the LLVM JIT and its plugin,
 * libomen_jit.so, loads (this call loads it; docs/embedding.md). Else 0. */
int omen_has_jit(void);

/** Releases a string returned by this library. NULL is ignored. */
void omen_free_string(char* s);

/* ------------------------------------------------------------------------------------------ */
/* Engine options                                                                             */

/** Which back end evaluates rules (see docs/architecture.md, "Tiers"). */
typedef enum omen_tier {
  OMEN_TIER_INTERP = 0, /**< the IR interpreter: instant start, the reference */
  OMEN_TIER_JIT = 1,    /**< LLVM native code, every rule compiled when the engine is built */
  OMEN_TIER_AUTO = 2    /**< start interpreted, switch each rule to native code in the background */
} omen_tier;

/** Options for building an engine. Defaults match the C++ omen::EngineOptions. */
typedef struct omen_options omen_options;

/** Creates options with the defaults (tier auto, staleness 5m, history 1h, limits on). */
omen_status omen_options_create(omen_options** out);
/** Releases options and sets *options to NULL. Engines built with them are unaffected. */
void omen_options_destroy(omen_options** options);
/** Back end. OMEN_ERROR_INVALID_ARGUMENT for a value outside omen_tier. */
omen_status omen_options_set_tier(omen_options* options, omen_tier tier);
/** A sample older than this (ms, >= 0) is not read as-of by other series; default 300000. */
omen_status omen_options_set_staleness_ms(omen_options* options, int64_t ms);
/** How far behind the newest sample cross-series reads can look (ms, >= 0); default 3600000. */
omen_status omen_options_set_history_ms(omen_options* options, int64_t ms);
/** Distinct series kept (> 0); samples of further series are dropped and counted. */
omen_status omen_options_set_max_series(omen_options* options, size_t max_series);
/** Treat compiler warnings as errors (0 or 1). */
omen_status omen_options_set_warnings_as_errors(omen_options* options, int enabled);

/* ------------------------------------------------------------------------------------------ */
/* Engine                                                                                     */

/** A compiled rule set with its series store and alert state. Internally synchronized. */
typedef struct omen_engine omen_engine;

/**
 * Compiles rule files into an engine. `options` may be NULL (defaults).
 * On OMEN_OK, *out holds the engine and *diagnostics (if given) the warnings, or NULL.
 * On OMEN_ERROR_COMPILE (or OMEN_ERROR_IO when a file cannot be read), nothing is built,
 * *out is set to NULL and *diagnostics holds the clang-style messages.
 * OMEN_ERROR_UNSUPPORTED: OMEN_TIER_JIT in a build without the JIT.
 */
omen_status omen_engine_create_from_files(const char* const* paths, size_t n_paths,
                                          const omen_options* options, omen_engine** out,
                                          char** diagnostics);
/** Same, from source text; `name` (may be NULL: "<source>") is the file name in diagnostics. */
omen_status omen_engine_create_from_source(const char* name, const char* source,
                                           const omen_options* options, omen_engine** out,
                                           char** diagnostics);
/**
 * Releases an engine (and sets *engine to NULL). Must not race with other calls on it; the
 * alert callback is not called after this returns. Background JIT compilation is stopped.
 */
void omen_engine_destroy(omen_engine** engine);

/**
 * Atomic hot reload (docs/embedding.md, "Reload"): the new rule files are compiled and checked
 * completely first; on any error nothing changes (the old rules keep running), the status is
 * OMEN_ERROR_COMPILE (OMEN_ERROR_IO when a file cannot be read) and *diagnostics (if given)
 * holds the messages. On OMEN_OK the new set replaces the old one between two pushes: an
 * unchanged rule keeps its state; a changed rule keeps each active alert whose labels stay the
 * same; every other active alert of a changed or removed rule is ended (resolved / cleared
 * events, delivered like any alert). *diagnostics then holds the warnings, or NULL.
 * Safe to call concurrently with pushes and readers; not from inside the alert callback
 * (OMEN_ERROR_REENTRANT).
 */
omen_status omen_engine_reload_files(omen_engine* engine, const char* const* paths, size_t n_paths,
                                     char** diagnostics);
/** Same, from source text; `name` (may be NULL: "<source>") is the file name in diagnostics. */
omen_status omen_engine_reload_source(omen_engine* engine, const char* name, const char* source,
                                      char** diagnostics);

/**
 * Pushes one sample of the series `metric{label_names[i]=label_values[i], ...}`. Labels may
 * come in any order (a later duplicate name is ignored); both arrays may be NULL when
 * n_labels is 0. Samples older than the series' newest, or at the same time, are dropped and
 * counted (omen_engine_stats) — that is not an error. Alerts go to the callback or the queue.
 */
omen_status omen_engine_push(omen_engine* engine, const char* metric,
                             const char* const* label_names, const char* const* label_values,
                             size_t n_labels, int64_t t_ms, double value);

/**
 * Declares that time has reached `now_ms`: alerts of series silent for longer than the
 * staleness limit are resolved. Pushing does this with the newest timestamp seen.
 */
omen_status omen_engine_flush(omen_engine* engine, int64_t now_ms);

/* ------------------------------------------------------------------------------------------ */
/* Batches: many samples of many series in one push                                           */

/** A reusable set of series and samples. Not synchronized (one thread at a time). */
typedef struct omen_batch omen_batch;

/** Creates an empty batch. */
omen_status omen_batch_create(omen_batch** out);
/** Releases a batch and sets *batch to NULL. */
void omen_batch_destroy(omen_batch** batch);
/**
 * Adds a series (or finds it, if the same metric and labels were added before) and returns
 * its index in *out_series, for omen_batch_add / omen_batch_add_many.
 */
omen_status omen_batch_add_series(omen_batch* batch, const char* metric,
                                  const char* const* label_names, const char* const* label_values,
                                  size_t n_labels, uint32_t* out_series);
/** Adds one sample of series `series` (an index from omen_batch_add_series). */
omen_status omen_batch_add(omen_batch* batch, uint32_t series, int64_t t_ms, double value);
/** Adds n samples, column-wise: series[i], t_ms[i], values[i]. All indices are checked first. */
omen_status omen_batch_add_many(omen_batch* batch, const uint32_t* series, const int64_t* t_ms,
                                const double* values, size_t n);
/** Number of samples in the batch. */
size_t omen_batch_size(const omen_batch* batch);
/** Removes the samples but keeps the series (their indices stay valid). */
omen_status omen_batch_clear(omen_batch* batch);
/**
 * Pushes every sample of the batch, in timestamp order (stable): the alerts are the same as
 * pushing the samples one by one in that order. The batch is unchanged and can be reused.
 */
omen_status omen_engine_push_batch(omen_engine* engine, const omen_batch* batch);

/**
 * Reads a data file (CSV wide or long, or JSON lines; docs/cli.md "Data files") and pushes
 * all of it as one batch. With skip_bad_rows = 0 the first malformed row fails the call with
 * OMEN_ERROR_IO and nothing is pushed. *out_rows (may be NULL) receives the samples pushed.
 */
omen_status omen_engine_push_file(omen_engine* engine, const char* path, int skip_bad_rows,
                                  size_t* out_rows, char** error);

/* ------------------------------------------------------------------------------------------ */
/* Alerts                                                                                     */

/** What happened to an alert. */
typedef enum omen_event {
  OMEN_EVENT_PENDING = 0,  /**< the condition became true; waiting for `for` */
  OMEN_EVENT_FIRING = 1,   /**< true for at least `for` */
  OMEN_EVENT_RESOLVED = 2, /**< was firing; the condition cleared or the series went stale */
  OMEN_EVENT_CLEARED = 3   /**< was pending; cleared before `for` (never fired) */
} omen_event;

/** "pending", "firing", "resolved", "cleared" (static). */
const char* omen_event_name(omen_event event);

/** One label. */
typedef struct omen_label {
  const char* name;
  const char* value;
} omen_label;

/** One alert transition. All pointers are owned by the list (or callback call) that holds it. */
typedef struct omen_alert {
  const char* rule;
  const omen_label* labels; /**< sorted by name */
  size_t n_labels;
  const char* severity; /**< "" when the rule has none */
  omen_event event;
  int64_t at_ms;           /**< the tick at which the transition happened */
  int64_t active_since_ms; /**< first tick of the current activation */
  int64_t fired_at_ms;     /**< when it started firing (0 if it has not) */
  double value;            /**< the rule's `value` at at_ms (NaN for staleness events) */
  const char* message;     /**< rendered message template, "" if none */
} omen_alert;

/** Alerts returned by omen_engine_poll: a contiguous array plus its storage. */
typedef struct omen_alert_list omen_alert_list;

/**
 * Moves the queued alerts (oldest first) into a new list; the queue is emptied. Alerts are
 * queued only while no callback is set. *out is a list, possibly empty; destroy it.
 */
omen_status omen_engine_poll(omen_engine* engine, omen_alert_list** out);
/** Number of alerts in the list (0 for NULL). */
size_t omen_alert_list_size(const omen_alert_list* list);
/** The alerts as an array of omen_alert_list_size() elements (NULL when empty). */
const omen_alert* omen_alert_list_items(const omen_alert_list* list);
/** Releases the list, its alerts and their strings; sets *list to NULL. */
void omen_alert_list_destroy(omen_alert_list** list);

/** Formats of omen_alert_format. */
typedef enum omen_format {
  OMEN_FORMAT_TEXT = 0, /**< one human-readable line (what `omen run` prints) */
  OMEN_FORMAT_JSON = 1  /**< one JSON object (a line of `omen run --format json`) */
} omen_format;

/** Renders an alert as a new string (no trailing newline); free it with omen_free_string. */
omen_status omen_alert_format(const omen_alert* alert, omen_format format, char** out);

/**
 * Called once per alert transition, in the engine's deterministic order (time, rule order,
 * labels). `alert` and its strings are valid only during the call. Runs on the pushing
 * thread outside the engine's lock; see "Thread safety" above.
 */
typedef void (*omen_alert_callback)(const omen_alert* alert, void* user_data);

/**
 * Sets (or with callback = NULL, removes) the alert callback. While a callback is set,
 * alerts are delivered to it and not queued for omen_engine_poll. `user_data` is passed
 * through untouched; the caller keeps it alive until the engine is destroyed, or until the
 * callback is replaced and no push that started before the replacement is still running
 * (such a push may still deliver to the previous callback).
 */
omen_status omen_engine_set_alert_callback(omen_engine* engine, omen_alert_callback callback,
                                           void* user_data);

/* ------------------------------------------------------------------------------------------ */
/* Engine statistics                                                                          */

/**
 * Counters about the engine. All uint64 counters are monotonic since creation, so rates
 * (samples/s, alerts/s) are differences between two reads divided by the uptime difference.
 */
typedef struct omen_engine_stats {
  size_t rules;                  /**< rules loaded */
  size_t series;                 /**< distinct series seen */
  size_t instances;              /**< (rule, series) instances */
  uint64_t samples_in;           /**< samples pushed */
  uint64_t samples_accepted;     /**< samples stored and evaluated */
  uint64_t dropped_out_of_order; /**< older than the series' newest sample */
  uint64_t dropped_duplicate;    /**< same timestamp as the series' newest sample */
  uint64_t dropped_series_limit; /**< series over the max_series limit */
  uint64_t ambiguous_matches;    /**< evaluations where a joined series matched >1 series */
  uint64_t evaluations;          /**< (rule, instance, batch) evaluations */
  uint64_t alerts;               /**< alert transitions produced */
  size_t state_bytes;            /**< rule-instance state excluding window buffers */
  size_t window_bytes;           /**< window buffers */
  double uptime_s;               /**< seconds since the engine was created (steady clock) */
  /* Added in 0.2: with these, samples_in == samples_accepted + every dropped_* counter. */
  uint64_t dropped_reserved;  /**< pushed to a reserved series name ('@...': aggregate outputs) */
  uint64_t aggregate_samples; /**< samples computed by aggregate series (not in samples_in) */
  uint64_t aggregate_dropped; /**< aggregate values not appended (not in samples_in) */
  uint64_t reloads;           /**< successful reloads */
} omen_engine_stats;

/** Fills *out with the current counters (a consistent snapshot). */
omen_status omen_engine_get_stats(omen_engine* engine, omen_engine_stats* out);

/** Per-rule figures. */
typedef struct omen_rule_stats {
  const char* name;
  omen_tier tier; /**< OMEN_TIER_INTERP or OMEN_TIER_JIT: what runs the rule now */
  size_t instances;
  uint64_t evaluations;
  double cost; /**< the compiler's per-evaluation cost estimate */
} omen_rule_stats;

/** Per-rule statistics, in source order. */
typedef struct omen_rule_stats_list omen_rule_stats_list;

/** A snapshot of every rule's figures; destroy it with omen_rule_stats_list_destroy. */
omen_status omen_engine_get_rule_stats(omen_engine* engine, omen_rule_stats_list** out);
/** Number of rules in the list (0 for NULL). */
size_t omen_rule_stats_list_size(const omen_rule_stats_list* list);
/** The rules as an array (NULL when empty). */
const omen_rule_stats* omen_rule_stats_list_items(const omen_rule_stats_list* list);
/** Releases the list and sets *list to NULL. */
void omen_rule_stats_list_destroy(omen_rule_stats_list** list);

/* ------------------------------------------------------------------------------------------ */
/* Tools: checking and testing rule files                                                     */

/** Outcome of omen_check_files. */
typedef struct omen_check_result {
  int ok; /**< 1 when there is no error */
  size_t errors;
  size_t warnings;
  size_t rules;
  size_t tests;
} omen_check_result;

/**
 * Parses and type-checks rule files (nothing runs). Findings in the sources are data, not a
 * failed call: the status is OMEN_OK, out->ok says whether there were errors and
 * *diagnostics (if given) holds the clang-style messages (NULL when there are none).
 */
omen_status omen_check_files(const char* const* paths, size_t n_paths, int warnings_as_errors,
                             omen_check_result* out, char** diagnostics);

/** Which tiers omen_run_tests runs (a bit set). */
enum {
  OMEN_TEST_INTERP = 1,   /**< the interpreter (the reference) */
  OMEN_TEST_JIT = 2,      /**< the JIT (OMEN_ERROR_UNSUPPORTED in a build without it) */
  OMEN_TEST_AVAILABLE = 0 /**< every tier this build has */
};

/** One test block's outcome. Strings are owned by the report. */
typedef struct omen_test_case {
  const char* file;
  const char* name;
  int passed;           /**< 1 or 0 */
  const char* failures; /**< one failed expectation or tier mismatch per line; "" if passed */
  const char* log;      /**< the reference alert log, one event per line */
  double millis;
} omen_test_case;

/** The results of a test run. */
typedef struct omen_test_report omen_test_report;

/**
 * Runs the `test` blocks of the files in every selected tier, plus a one-timestamp-at-a-time
 * replay, and compares the alert logs. `filter` (may be NULL) keeps tests whose name
 * contains it. Failing tests are data: the status is OMEN_OK and the report says which
 * failed. OMEN_ERROR_COMPILE (nothing run, *out = NULL, *error = diagnostics) when the files
 * do not compile.
 */
omen_status omen_run_tests(const char* const* paths, size_t n_paths, int tiers, const char* filter,
                           omen_test_report** out, char** error);
/** Number of test cases (0 for NULL). */
size_t omen_test_report_size(const omen_test_report* report);
/** The test cases as an array (NULL when empty). */
const omen_test_case* omen_test_report_items(const omen_test_report* report);
/** Number of passed / failed cases. */
size_t omen_test_report_passed(const omen_test_report* report);
size_t omen_test_report_failed(const omen_test_report* report);
/** JUnit XML for CI systems, as a new string (free with omen_free_string). */
omen_status omen_test_report_junit(const omen_test_report* report, char** out);
/** Releases the report and sets *report to NULL. */
void omen_test_report_destroy(omen_test_report** report);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OMEN_OMEN_H */
