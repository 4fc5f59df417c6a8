/* A small C program using Omen's C API: build an engine from a rules file, push generated
 * samples in batches, poll the alerts and print them, then the engine's statistics.
 * Usage: omen_monitor RULES.omen */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <omen/omen.h>

static int fail(const char* what, omen_status st, char* message) {
  fprintf(stderr, "omen_monitor: %s: %s\n%s", what, omen_status_string(st), message ? message : "");
  omen_free_string(message);
  return 1;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s RULES.omen\n", argv[0]);
    return 2;
  }
  printf("omen %s (C API %d, jit %s)\n", omen_version(), OMEN_C_API_VERSION,
         omen_has_jit() ? "yes" : "no");

  omen_options* options = NULL;
  omen_engine* engine = NULL;
  char* diagnostics = NULL;
  omen_status st = omen_options_create(&options);
  if (st != OMEN_OK) return fail("options", st, NULL);
  omen_options_set_tier(options, OMEN_TIER_INTERP);
  const char* files[] = {argv[1]};
  st = omen_engine_create_from_files(files, 1, options, &engine, &diagnostics);
  omen_options_destroy(&options);
  if (st != OMEN_OK) return fail("loading rules", st, diagnostics);
  omen_free_string(diagnostics); /* warnings, if any */

  /* Two series per service; one batch per minute of data (6 samples per series). */
  const char* services[] = {"api", "db"};
  const char* label_names[] = {"service"};
  omen_batch* batch = NULL;
  uint32_t latency[2], errors[2];
  omen_batch_create(&batch);
  for (int s = 0; s < 2; ++s) {
    const char* value[] = {services[s]};
    omen_batch_add_series(batch, "http_latency_ms", label_names, value, 1, &latency[s]);
    omen_batch_add_series(batch, "http_errors_per_s", label_names, value, 1, &errors[s]);
  }
  const int64_t start = 1700000000000LL;
  for (int minute = 0; minute < 90; ++minute) {
    omen_batch_clear(batch);
    for (int k = 0; k < 6; ++k) {
      int i = minute * 6 + k;
      int64_t t = start + (int64_t)i * 10000;
      for (int s = 0; s < 2; ++s) {
        int incident = s == 1 && minute >= 40 && minute < 45;
        omen_batch_add(batch, latency[s], t, incident ? 750.0 : 100.0 + 5.0 * sin(i * 0.7 + s));
        omen_batch_add(batch, errors[s], t, incident ? 9.0 : 0.5);
      }
    }
    st = omen_engine_push_batch(engine, batch);
    if (st != OMEN_OK) return fail("push", st, NULL);
  }
  omen_batch_destroy(&batch);

  omen_alert_list* alerts = NULL;
  st = omen_engine_poll(engine, &alerts);
  if (st != OMEN_OK) return fail("poll", st, NULL);
  const omen_alert* items = omen_alert_list_items(alerts);
  for (size_t i = 0; i < omen_alert_list_size(alerts); ++i) {
    if (items[i].event != OMEN_EVENT_FIRING && items[i].event != OMEN_EVENT_RESOLVED) continue;
    char* line = NULL;
    if (omen_alert_format(&items[i], OMEN_FORMAT_TEXT, &line) == OMEN_OK) printf("%s\n", line);
    omen_free_string(line);
  }
  omen_alert_list_destroy(&alerts);

  omen_engine_stats stats;
  omen_engine_get_stats(engine, &stats);
  printf("stats: %zu rules, %zu series, %llu samples, %llu alert events\n", stats.rules,
         stats.series, (unsigned long long)stats.samples_in, (unsigned long long)stats.alerts);
  omen_engine_destroy(&engine);
  return 0;
}
