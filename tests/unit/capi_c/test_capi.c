/* The C API, exercised from C: every function, its ownership rules and its error paths.
 * Built as plain C11 (no C++ in this file) so the header is checked to be valid C. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omen/omen.h"

#ifndef OMEN_CAPI_DIR
#error "OMEN_CAPI_DIR must name tests/unit/capi_c"
#endif

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    ++checks;                                                                  \
    if (!(cond)) {                                                             \
      ++failures;                                                              \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#define CHECK_STATUS(expr, want)                                                         \
  do {                                                                                   \
    omen_status got_ = (expr);                                                           \
    ++checks;                                                                            \
    if (got_ != (want)) {                                                                \
      ++failures;                                                                        \
      fprintf(stderr, "%s:%d: %s returned %s, expected %s\n", __FILE__, __LINE__, #expr, \
              omen_status_string(got_), omen_status_string(want));                       \
    }                                                                                    \
  } while (0)

static const char* path(const char* name) {
  static char buf[4][1024];
  static int next = 0;
  char* p = buf[next++ % 4];
  snprintf(p, sizeof buf[0], "%s/%s", OMEN_CAPI_DIR, name);
  return p;
}

static int contains(const char* haystack, const char* needle) {
  return haystack != NULL && strstr(haystack, needle) != NULL;
}

static const char* label(const omen_alert* a, const char* name) {
  for (size_t i = 0; i < a->n_labels; ++i)
    if (strcmp(a->labels[i].name, name) == 0) return a->labels[i].value;
  return NULL;
}

static omen_engine* make_engine(void) {
  omen_options* o = NULL;
  omen_engine* e = NULL;
  char* diags = NULL;
  const char* files[] = {path("rules.omen")};
  CHECK_STATUS(omen_options_create(&o), OMEN_OK);
  CHECK_STATUS(omen_options_set_tier(o, OMEN_TIER_INTERP), OMEN_OK);
  CHECK_STATUS(omen_engine_create_from_files(files, 1, o, &e, &diags), OMEN_OK);
  CHECK(e != NULL);
  CHECK(diags == NULL); /* no warnings */
  omen_free_string(diags);
  omen_options_destroy(&o);
  return e;
}

static void test_basics(void) {
  CHECK(strcmp(omen_status_string(OMEN_OK), "ok") == 0);
  for (int s = OMEN_OK; s <= OMEN_ERROR_INTERNAL; ++s)
    CHECK(omen_status_string((omen_status)s)[0] != 0);
  CHECK(strcmp(omen_status_string((omen_status)99), "unknown status") == 0);
  CHECK(strlen(omen_version()) >= 5);
  CHECK(omen_has_jit() == 0 || omen_has_jit() == 1);
  CHECK(strcmp(omen_event_name(OMEN_EVENT_FIRING), "firing") == 0);
  CHECK(strcmp(omen_event_name(OMEN_EVENT_PENDING), "pending") == 0);
  CHECK(strcmp(omen_event_name(OMEN_EVENT_RESOLVED), "resolved") == 0);
  CHECK(strcmp(omen_event_name(OMEN_EVENT_CLEARED), "cleared") == 0);
  CHECK(strcmp(omen_event_name((omen_event)42), "?") == 0);
  omen_free_string(NULL);
}

static void test_options(void) {
  omen_options* o = NULL;
  CHECK_STATUS(omen_options_create(NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_options_create(&o), OMEN_OK);
  CHECK(o != NULL);
  CHECK_STATUS(omen_options_set_tier(o, OMEN_TIER_AUTO), OMEN_OK);
  CHECK_STATUS(omen_options_set_tier(o, (omen_tier)7), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_options_set_tier(NULL, OMEN_TIER_JIT), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_options_set_staleness_ms(o, 60000), OMEN_OK);
  CHECK_STATUS(omen_options_set_staleness_ms(o, -1), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_options_set_staleness_ms(NULL, 1), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_options_set_history_ms(o, 120000), OMEN_OK);
  CHECK_STATUS(omen_options_set_history_ms(o, -5), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_options_set_history_ms(NULL, 5), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_options_set_max_series(o, 10), OMEN_OK);
  CHECK_STATUS(omen_options_set_max_series(o, 0), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_options_set_max_series(NULL, 3), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_options_set_warnings_as_errors(o, 1), OMEN_OK);
  CHECK_STATUS(omen_options_set_warnings_as_errors(o, 2), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_options_set_warnings_as_errors(NULL, 0), OMEN_ERROR_INVALID_ARGUMENT);
  omen_options_destroy(&o);
  CHECK(o == NULL);
  omen_options_destroy(&o); /* destroying NULL is a no-op */
  omen_options_destroy(NULL);
}

static void test_create_errors(void) {
  omen_engine* e = (omen_engine*)1; /* must be overwritten with NULL on failure */
  char* diags = NULL;
  const char* broken[] = {path("broken.omen")};
  CHECK_STATUS(omen_engine_create_from_files(broken, 1, NULL, &e, &diags), OMEN_ERROR_COMPILE);
  CHECK(e == NULL);
  CHECK(contains(diags, "E021"));
  CHECK(contains(diags, "broken.omen:3:"));
  omen_free_string(diags);

  const char* missing[] = {path("no-such-file.omen")};
  CHECK_STATUS(omen_engine_create_from_files(missing, 1, NULL, &e, &diags), OMEN_ERROR_IO);
  CHECK(e == NULL);
  CHECK(contains(diags, "no-such-file.omen"));
  omen_free_string(diags);

  const char* null_path[] = {NULL};
  CHECK_STATUS(omen_engine_create_from_files(null_path, 1, NULL, &e, NULL),
               OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_create_from_files(broken, 0, NULL, &e, NULL),
               OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_create_from_files(NULL, 1, NULL, &e, NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_create_from_files(broken, 1, NULL, NULL, NULL),
               OMEN_ERROR_INVALID_ARGUMENT);

  /* from source: a syntax error, with the given name in the diagnostics; no diagnostics wanted */
  CHECK_STATUS(omen_engine_create_from_source("typed.omen", "rule {", NULL, &e, &diags),
               OMEN_ERROR_COMPILE);
  CHECK(e == NULL);
  CHECK(contains(diags, "typed.omen:1:"));
  omen_free_string(diags);
  CHECK_STATUS(omen_engine_create_from_source("x.omen", "rule {", NULL, &e, NULL),
               OMEN_ERROR_COMPILE);
  CHECK_STATUS(omen_engine_create_from_source("x.omen", NULL, NULL, &e, NULL),
               OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_create_from_source("x.omen", "", NULL, NULL, NULL),
               OMEN_ERROR_INVALID_ARGUMENT);

  /* warnings come back on success; as errors they fail the build */
  const char* unused = "series x = metric(\"x\")\nconst unused = 3\nrule R { on x when x > 1 }\n";
  CHECK_STATUS(omen_engine_create_from_source(NULL, unused, NULL, &e, &diags), OMEN_OK);
  CHECK(e != NULL);
  CHECK(contains(diags, "W001"));
  CHECK(contains(diags, "<source>"));
  omen_free_string(diags);
  omen_engine_destroy(&e);
  CHECK(e == NULL);
  omen_options* o = NULL;
  CHECK_STATUS(omen_options_create(&o), OMEN_OK);
  CHECK_STATUS(omen_options_set_warnings_as_errors(o, 1), OMEN_OK);
  CHECK_STATUS(omen_engine_create_from_source(NULL, unused, o, &e, &diags), OMEN_ERROR_COMPILE);
  omen_free_string(diags);

  /* tier jit: works with the JIT, unsupported without */
  CHECK_STATUS(omen_options_set_tier(o, OMEN_TIER_JIT), OMEN_OK);
  CHECK_STATUS(omen_options_set_warnings_as_errors(o, 0), OMEN_OK);
  omen_status st = omen_engine_create_from_source(NULL, unused, o, &e, &diags);
  CHECK_STATUS(st, omen_has_jit() ? OMEN_OK : OMEN_ERROR_UNSUPPORTED);
  if (!omen_has_jit()) CHECK(contains(diags, "error[E900]"));
  omen_free_string(diags);
  if (e != NULL) {
    omen_rule_stats_list* rs = NULL;
    CHECK_STATUS(omen_engine_get_rule_stats(e, &rs), OMEN_OK);
    CHECK(omen_rule_stats_list_size(rs) == 1);
    CHECK(omen_rule_stats_list_items(rs)[0].tier == OMEN_TIER_JIT);
    omen_rule_stats_list_destroy(&rs);
  }
  omen_engine_destroy(&e);
  omen_options_destroy(&o);
  omen_engine_destroy(NULL);
}

static void test_push_and_poll(void) {
  omen_engine* e = make_engine();
  const char* names[] = {"host"};
  const char* a[] = {"a"};
  const double xs[] = {1, 20, 20, 20, 1};
  for (int i = 0; i < 5; ++i)
    CHECK_STATUS(omen_engine_push(e, "x", names, a, 1, i * 60000, xs[i]), OMEN_OK);

  omen_alert_list* list = NULL;
  CHECK_STATUS(omen_engine_poll(e, &list), OMEN_OK);
  CHECK(omen_alert_list_size(list) == 3);
  const omen_alert* al = omen_alert_list_items(list);
  if (omen_alert_list_size(list) == 3) {
    CHECK(al[0].event == OMEN_EVENT_PENDING && al[0].at_ms == 60000);
    CHECK(al[1].event == OMEN_EVENT_FIRING && al[1].at_ms == 180000);
    CHECK(al[1].active_since_ms == 60000 && al[1].fired_at_ms == 180000);
    CHECK(al[1].value == 20);
    CHECK(strcmp(al[1].rule, "High") == 0);
    CHECK(strcmp(al[1].severity, "warning") == 0);
    CHECK(strcmp(al[1].message, "x on a is 20") == 0);
    CHECK(al[1].n_labels == 1 && label(&al[1], "host") != NULL &&
          strcmp(label(&al[1], "host"), "a") == 0);
    CHECK(al[2].event == OMEN_EVENT_RESOLVED && al[2].at_ms == 240000);

    char* text = NULL;
    CHECK_STATUS(omen_alert_format(&al[1], OMEN_FORMAT_TEXT, &text), OMEN_OK);
    CHECK(contains(text, "High") && contains(text, "firing"));
    omen_free_string(text);
    CHECK_STATUS(omen_alert_format(&al[1], OMEN_FORMAT_JSON, &text), OMEN_OK);
    CHECK(text != NULL && text[0] == '{' && contains(text, "\"rule\":\"High\""));
    omen_free_string(text);
    CHECK_STATUS(omen_alert_format(&al[1], (omen_format)5, &text), OMEN_ERROR_INVALID_ARGUMENT);
    CHECK(text == NULL);
    CHECK_STATUS(omen_alert_format(NULL, OMEN_FORMAT_TEXT, &text), OMEN_ERROR_INVALID_ARGUMENT);
    CHECK_STATUS(omen_alert_format(&al[1], OMEN_FORMAT_TEXT, NULL), OMEN_ERROR_INVALID_ARGUMENT);
    omen_alert broken = al[1];
    broken.labels = NULL;
    CHECK_STATUS(omen_alert_format(&broken, OMEN_FORMAT_TEXT, &text), OMEN_ERROR_INVALID_ARGUMENT);
  }
  omen_alert_list_destroy(&list);
  CHECK(list == NULL);
  omen_alert_list_destroy(&list);
  omen_alert_list_destroy(NULL);

  /* the queue was emptied: an empty list, not NULL */
  CHECK_STATUS(omen_engine_poll(e, &list), OMEN_OK);
  CHECK(list != NULL && omen_alert_list_size(list) == 0 && omen_alert_list_items(list) == NULL);
  omen_alert_list_destroy(&list);
  CHECK(omen_alert_list_size(NULL) == 0 && omen_alert_list_items(NULL) == NULL);

  /* dropped samples are counted, not errors; labels in any order are the same series */
  const char* two_names[] = {"zone", "host"};
  const char* two_values[] = {"eu", "b"};
  CHECK_STATUS(omen_engine_push(e, "x", two_names, two_values, 2, 60000, 1), OMEN_OK);
  const char* rev_names[] = {"host", "zone"};
  const char* rev_values[] = {"b", "eu"};
  CHECK_STATUS(omen_engine_push(e, "x", rev_names, rev_values, 2, 60000, 1),
               OMEN_OK); /* duplicate */
  CHECK_STATUS(omen_engine_push(e, "x", rev_names, rev_values, 2, 0, 1),
               OMEN_OK); /* out of order */
  CHECK_STATUS(omen_engine_push(e, "other", NULL, NULL, 0, 0, 1), OMEN_OK);

  /* invalid arguments */
  CHECK_STATUS(omen_engine_push(NULL, "x", NULL, NULL, 0, 0, 1), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_push(e, NULL, NULL, NULL, 0, 0, 1), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_push(e, "", NULL, NULL, 0, 0, 1), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_push(e, "x", NULL, a, 1, 0, 1), OMEN_ERROR_INVALID_ARGUMENT);
  const char* null_name[] = {NULL};
  CHECK_STATUS(omen_engine_push(e, "x", null_name, a, 1, 0, 1), OMEN_ERROR_INVALID_ARGUMENT);
  const char* empty_name[] = {""};
  CHECK_STATUS(omen_engine_push(e, "x", empty_name, a, 1, 0, 1), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_poll(e, NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_poll(NULL, &list), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK(list == NULL);

  omen_engine_stats s;
  CHECK_STATUS(omen_engine_get_stats(e, &s), OMEN_OK);
  CHECK(s.rules == 1);
  CHECK(s.series == 3);
  CHECK(s.instances == 2);
  CHECK(s.samples_in == 9);
  CHECK(s.samples_accepted == 7);
  CHECK(s.dropped_duplicate == 1);
  CHECK(s.dropped_out_of_order == 1);
  CHECK(s.dropped_series_limit == 0);
  CHECK(s.alerts == 3);
  CHECK(s.evaluations > 0);
  CHECK(s.uptime_s >= 0);
  CHECK_STATUS(omen_engine_get_stats(e, NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_get_stats(NULL, &s), OMEN_ERROR_INVALID_ARGUMENT);

  omen_rule_stats_list* rs = NULL;
  CHECK_STATUS(omen_engine_get_rule_stats(e, &rs), OMEN_OK);
  CHECK(omen_rule_stats_list_size(rs) == 1);
  const omen_rule_stats* r = omen_rule_stats_list_items(rs);
  CHECK(r != NULL && strcmp(r[0].name, "High") == 0);
  CHECK(r != NULL && r[0].tier == OMEN_TIER_INTERP && r[0].instances == 2 && r[0].cost > 0);
  omen_rule_stats_list_destroy(&rs);
  CHECK(rs == NULL);
  omen_rule_stats_list_destroy(NULL);
  CHECK(omen_rule_stats_list_size(NULL) == 0 && omen_rule_stats_list_items(NULL) == NULL);
  CHECK_STATUS(omen_engine_get_rule_stats(NULL, &rs), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_get_rule_stats(e, NULL), OMEN_ERROR_INVALID_ARGUMENT);

  /* flush: an active alert of a silent series ends once it is stale (age > 5m) */
  CHECK_STATUS(omen_engine_push(e, "x", names, a, 1, 300000, 50), OMEN_OK);
  CHECK_STATUS(omen_engine_poll(e, &list), OMEN_OK);
  CHECK(omen_alert_list_size(list) == 1);
  omen_alert_list_destroy(&list);
  CHECK_STATUS(omen_engine_flush(e, 600000), OMEN_OK); /* exactly 5m: not stale yet */
  CHECK_STATUS(omen_engine_flush(e, 600001), OMEN_OK);
  CHECK_STATUS(omen_engine_flush(NULL, 0), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_poll(e, &list), OMEN_OK);
  size_t n = omen_alert_list_size(list);
  CHECK(n == 1);
  if (n == 1) {
    const omen_alert* c = omen_alert_list_items(list);
    CHECK(c[0].event == OMEN_EVENT_CLEARED && c[0].at_ms == 600001 && isnan(c[0].value));
  }
  omen_alert_list_destroy(&list);
  omen_engine_destroy(&e);
}

typedef struct {
  omen_engine* engine;
  int calls;
  int firing;
  int reentrant_refused;
  char last_rule[64];
} callback_state;

static void on_alert(const omen_alert* a, void* user_data) {
  callback_state* st = (callback_state*)user_data;
  st->calls++;
  if (a->event == OMEN_EVENT_FIRING) st->firing++;
  snprintf(st->last_rule, sizeof st->last_rule, "%s", a->rule);
  /* calls on the same engine from inside its callback are refused */
  omen_engine_stats s;
  omen_alert_list* l = NULL;
  if (omen_engine_push(st->engine, "x", NULL, NULL, 0, 0, 1) == OMEN_ERROR_REENTRANT &&
      omen_engine_get_stats(st->engine, &s) == OMEN_ERROR_REENTRANT &&
      omen_engine_poll(st->engine, &l) == OMEN_ERROR_REENTRANT &&
      omen_engine_set_alert_callback(st->engine, NULL, NULL) == OMEN_ERROR_REENTRANT)
    st->reentrant_refused++;
}

static void test_callback(void) {
  omen_engine* e = make_engine();
  callback_state st;
  memset(&st, 0, sizeof st);
  st.engine = e;
  CHECK_STATUS(omen_engine_set_alert_callback(e, on_alert, &st), OMEN_OK);
  CHECK_STATUS(omen_engine_set_alert_callback(NULL, on_alert, &st), OMEN_ERROR_INVALID_ARGUMENT);
  const char* names[] = {"host"};
  const char* a[] = {"a"};
  for (int i = 0; i < 4; ++i)
    CHECK_STATUS(omen_engine_push(e, "x", names, a, 1, i * 60000, i ? 20 : 1), OMEN_OK);
  CHECK(st.calls == 2); /* pending, firing */
  CHECK(st.firing == 1);
  CHECK(st.reentrant_refused == 2);
  CHECK(strcmp(st.last_rule, "High") == 0);
  /* nothing was queued while the callback was set */
  omen_alert_list* list = NULL;
  CHECK_STATUS(omen_engine_poll(e, &list), OMEN_OK);
  CHECK(omen_alert_list_size(list) == 0);
  omen_alert_list_destroy(&list);
  /* removing the callback queues alerts again */
  CHECK_STATUS(omen_engine_set_alert_callback(e, NULL, NULL), OMEN_OK);
  CHECK_STATUS(omen_engine_push(e, "x", names, a, 1, 4 * 60000, 1), OMEN_OK);
  CHECK(st.calls == 2);
  CHECK_STATUS(omen_engine_poll(e, &list), OMEN_OK);
  CHECK(omen_alert_list_size(list) == 1);
  omen_alert_list_destroy(&list);
  omen_engine_destroy(&e);
}

static void test_batch(void) {
  omen_batch* b = NULL;
  CHECK_STATUS(omen_batch_create(NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_batch_create(&b), OMEN_OK);
  const char* names[] = {"host", "dc"};
  const char* va[] = {"a", "x"};
  const char* names_rev[] = {"dc", "host"};
  const char* va_rev[] = {"x", "a"};
  const char* vb[] = {"b", "x"};
  uint32_t sa = 99, sa2 = 99, sb = 99;
  CHECK_STATUS(omen_batch_add_series(b, "x", names, va, 2, &sa), OMEN_OK);
  CHECK_STATUS(omen_batch_add_series(b, "x", names_rev, va_rev, 2, &sa2), OMEN_OK);
  CHECK_STATUS(omen_batch_add_series(b, "x", names, vb, 2, &sb), OMEN_OK);
  CHECK(sa == 0 && sa2 == 0 && sb == 1);
  CHECK_STATUS(omen_batch_add_series(b, NULL, names, va, 2, &sa), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_batch_add_series(b, "x", names, va, 2, NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_batch_add_series(NULL, "x", names, va, 2, &sa), OMEN_ERROR_INVALID_ARGUMENT);

  /* series a: one sample at a time, out of time order (the push sorts); series b: column-wise */
  const double xs[] = {1, 20, 20, 20, 1};
  for (int i = 4; i >= 0; --i) CHECK_STATUS(omen_batch_add(b, sa, i * 60000, xs[i]), OMEN_OK);
  uint32_t ids[] = {sb, sb, sb};
  int64_t ts[] = {0, 60000, 120000};
  double vs[] = {1, 1, 1};
  CHECK_STATUS(omen_batch_add_many(b, ids, ts, vs, 3), OMEN_OK);
  CHECK(omen_batch_size(b) == 8);
  CHECK_STATUS(omen_batch_add(b, 7, 0, 1), OMEN_ERROR_INVALID_ARGUMENT);
  uint32_t bad_ids[] = {sb, 7};
  CHECK_STATUS(omen_batch_add_many(b, bad_ids, ts, vs, 2), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_batch_add_many(b, NULL, ts, vs, 2), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_batch_add_many(b, NULL, NULL, NULL, 0), OMEN_OK);
  CHECK_STATUS(omen_batch_add(NULL, 0, 0, 1), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK(omen_batch_size(b) == 8); /* nothing added by the failed calls */
  CHECK(omen_batch_size(NULL) == 0);

  omen_engine* e = make_engine();
  CHECK_STATUS(omen_engine_push_batch(e, b), OMEN_OK);
  CHECK_STATUS(omen_engine_push_batch(e, NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_push_batch(NULL, b), OMEN_ERROR_INVALID_ARGUMENT);
  omen_alert_list* list = NULL;
  CHECK_STATUS(omen_engine_poll(e, &list), OMEN_OK);
  CHECK(omen_alert_list_size(list) == 3);
  if (omen_alert_list_size(list) == 3) {
    const omen_alert* al = omen_alert_list_items(list);
    CHECK(al[1].event == OMEN_EVENT_FIRING && al[1].at_ms == 180000);
    /* alert labels are the rule's `by` labels */
    CHECK(label(&al[1], "host") != NULL && strcmp(label(&al[1], "host"), "a") == 0);
    CHECK(label(&al[1], "dc") == NULL);
  }
  omen_alert_list_destroy(&list);

  /* clear keeps the series */
  CHECK_STATUS(omen_batch_clear(b), OMEN_OK);
  CHECK_STATUS(omen_batch_clear(NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK(omen_batch_size(b) == 0);
  CHECK_STATUS(omen_batch_add(b, sb, 180000, 1), OMEN_OK);
  CHECK_STATUS(omen_engine_push_batch(e, b), OMEN_OK);
  omen_engine_stats s;
  CHECK_STATUS(omen_engine_get_stats(e, &s), OMEN_OK);
  CHECK(s.samples_in == 9 && s.series == 2);
  omen_engine_destroy(&e);
  omen_batch_destroy(&b);
  CHECK(b == NULL);
  omen_batch_destroy(&b);
  omen_batch_destroy(NULL);
}

static void test_push_file(void) {
  omen_engine* e = make_engine();
  size_t rows = 0;
  char* err = NULL;
  CHECK_STATUS(omen_engine_push_file(e, path("data.csv"), 0, &rows, &err), OMEN_OK);
  CHECK(rows == 10);
  CHECK(err == NULL);
  omen_alert_list* list = NULL;
  CHECK_STATUS(omen_engine_poll(e, &list), OMEN_OK);
  CHECK(omen_alert_list_size(list) == 3);
  omen_alert_list_destroy(&list);

  CHECK_STATUS(omen_engine_push_file(e, path("bad.csv"), 0, &rows, &err), OMEN_ERROR_IO);
  CHECK(contains(err, "bad.csv:3:"));
  omen_free_string(err);
  err = NULL;
  CHECK_STATUS(omen_engine_push_file(e, path("bad.csv"), 1, &rows, &err), OMEN_OK);
  CHECK(rows == 1);
  CHECK_STATUS(omen_engine_push_file(e, path("missing.csv"), 0, NULL, &err), OMEN_ERROR_IO);
  CHECK(contains(err, "missing.csv"));
  omen_free_string(err);
  CHECK_STATUS(omen_engine_push_file(e, path("missing.csv"), 0, NULL, NULL), OMEN_ERROR_IO);
  CHECK_STATUS(omen_engine_push_file(e, NULL, 0, NULL, NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_push_file(NULL, path("data.csv"), 0, NULL, NULL),
               OMEN_ERROR_INVALID_ARGUMENT);
  omen_engine_destroy(&e);
}

static void test_check(void) {
  omen_check_result r;
  char* diags = NULL;
  const char* good[] = {path("rules.omen")};
  CHECK_STATUS(omen_check_files(good, 1, 0, &r, &diags), OMEN_OK);
  CHECK(r.ok == 1 && r.errors == 0 && r.rules == 1 && r.tests == 1);
  CHECK(diags == NULL);
  const char* bad[] = {path("rules.omen"), path("broken.omen")};
  CHECK_STATUS(omen_check_files(bad, 2, 0, &r, &diags), OMEN_OK);
  CHECK(r.ok == 0 && r.errors == 2); /* x defined twice, and the type error */
  CHECK(contains(diags, "error[E021]"));
  omen_free_string(diags);
  CHECK_STATUS(omen_check_files(bad, 2, 0, &r, NULL), OMEN_OK);
  CHECK_STATUS(omen_check_files(good, 1, 0, NULL, NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_check_files(NULL, 1, 0, &r, NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_check_files(good, 0, 0, &r, NULL), OMEN_ERROR_INVALID_ARGUMENT);
}

static void test_run_tests(void) {
  omen_test_report* rep = NULL;
  char* err = NULL;
  const char* good[] = {path("rules.omen")};
  CHECK_STATUS(omen_run_tests(good, 1, OMEN_TEST_AVAILABLE, NULL, &rep, &err), OMEN_OK);
  CHECK(err == NULL);
  CHECK(omen_test_report_size(rep) == 1 && omen_test_report_passed(rep) == 1 &&
        omen_test_report_failed(rep) == 0);
  const omen_test_case* c = omen_test_report_items(rep);
  CHECK(c != NULL && strcmp(c[0].name, "High_fires_after_2m") == 0 && c[0].passed == 1);
  CHECK(c != NULL && strcmp(c[0].failures, "") == 0 && contains(c[0].log, "firing"));
  CHECK(c != NULL && contains(c[0].file, "rules.omen") && c[0].millis >= 0);
  char* junit = NULL;
  CHECK_STATUS(omen_test_report_junit(rep, &junit), OMEN_OK);
  CHECK(contains(junit, "<testsuite"));
  omen_free_string(junit);
  CHECK_STATUS(omen_test_report_junit(NULL, &junit), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_test_report_junit(rep, NULL), OMEN_ERROR_INVALID_ARGUMENT);
  omen_test_report_destroy(&rep);
  CHECK(rep == NULL);

  /* a failing test is data, not a failed call; the filter selects tests */
  const char* failing[] = {path("failing.omen")};
  CHECK_STATUS(omen_run_tests(failing, 1, OMEN_TEST_INTERP, NULL, &rep, &err), OMEN_OK);
  CHECK(omen_test_report_failed(rep) == 1);
  c = omen_test_report_items(rep);
  CHECK(c != NULL && c[0].passed == 0 && strlen(c[0].failures) > 0);
  omen_test_report_destroy(&rep);
  CHECK_STATUS(omen_run_tests(failing, 1, OMEN_TEST_INTERP, "nothing-matches", &rep, NULL),
               OMEN_OK);
  CHECK(omen_test_report_size(rep) == 0 && omen_test_report_items(rep) == NULL);
  omen_test_report_destroy(&rep);

  const char* broken[] = {path("broken.omen")};
  CHECK_STATUS(omen_run_tests(broken, 1, OMEN_TEST_INTERP, NULL, &rep, &err), OMEN_ERROR_COMPILE);
  CHECK(rep == NULL);
  CHECK(contains(err, "E021"));
  omen_free_string(err);
  CHECK_STATUS(omen_run_tests(good, 1, OMEN_TEST_JIT, NULL, &rep, &err),
               omen_has_jit() ? OMEN_OK : OMEN_ERROR_UNSUPPORTED);
  omen_free_string(err);
  omen_test_report_destroy(&rep);
  CHECK_STATUS(omen_run_tests(good, 1, 64, NULL, &rep, NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_run_tests(good, 1, 0, NULL, NULL, NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_run_tests(NULL, 1, 0, NULL, &rep, NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK(omen_test_report_size(NULL) == 0 && omen_test_report_items(NULL) == NULL);
  CHECK(omen_test_report_passed(NULL) == 0 && omen_test_report_failed(NULL) == 0);
  omen_test_report_destroy(NULL);
}

/* Hot reload: a bad reload changes nothing; a good one ends the removed rule's firing alert
 * (no orphan); the stats reconcile pushed samples including the reserved-name drops. */
static void test_reload(void) {
  omen_engine* e = make_engine();
  const char* names[] = {"host"};
  const char* a[] = {"a"};
  for (int i = 0; i < 4; ++i)
    CHECK_STATUS(omen_engine_push(e, "x", names, a, 1, i * 60000, 20), OMEN_OK);
  CHECK_STATUS(omen_engine_push(e, "@reserved", NULL, NULL, 0, 0, 1), OMEN_OK);
  omen_alert_list* list = NULL;
  CHECK_STATUS(omen_engine_poll(e, &list), OMEN_OK);
  CHECK(omen_alert_list_size(list) == 2); /* pending, firing */
  omen_alert_list_destroy(&list);

  char* diags = NULL;
  CHECK_STATUS(omen_engine_reload_source(e, "bad.omen", "rule R { on }", &diags),
               OMEN_ERROR_COMPILE);
  CHECK(diags != NULL && strstr(diags, "bad.omen:1:") != NULL);
  omen_free_string(diags);
  diags = NULL;
  const char* missing[] = {"/nonexistent/rules.omen"};
  CHECK_STATUS(omen_engine_reload_files(e, missing, 1, &diags), OMEN_ERROR_IO);
  omen_free_string(diags);
  diags = NULL;

  CHECK_STATUS(
      omen_engine_reload_source(
          e, "v2.omen", "series y = metric(\"y\")\nrule Other { on y when y > 1 }\n", &diags),
      OMEN_OK);
  CHECK(diags == NULL);
  CHECK_STATUS(omen_engine_poll(e, &list), OMEN_OK);
  CHECK(omen_alert_list_size(list) == 1);
  const omen_alert* al = omen_alert_list_items(list);
  if (omen_alert_list_size(list) == 1) {
    CHECK(strcmp(al[0].rule, "High") == 0);
    CHECK(al[0].event == OMEN_EVENT_RESOLVED && al[0].at_ms == 180000);
  }
  omen_alert_list_destroy(&list);

  omen_engine_stats s;
  CHECK_STATUS(omen_engine_get_stats(e, &s), OMEN_OK);
  CHECK(s.rules == 1 && s.reloads == 1);
  CHECK(s.samples_in == 5 && s.dropped_reserved == 1);
  CHECK(s.samples_accepted + s.dropped_out_of_order + s.dropped_duplicate + s.dropped_series_limit +
            s.dropped_reserved ==
        s.samples_in);
  CHECK_STATUS(omen_engine_reload_source(NULL, "x", "", NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_reload_source(e, "x", NULL, NULL), OMEN_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(omen_engine_reload_files(e, NULL, 1, NULL), OMEN_ERROR_INVALID_ARGUMENT);
  omen_engine_destroy(&e);
}

int main(void) {
  test_basics();
  test_options();
  test_create_errors();
  test_push_and_poll();
  test_callback();
  test_batch();
  test_push_file();
  test_check();
  test_run_tests();
  test_reload();
  printf("capi_c: %d checks, %d failed\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
