// The C-linkage push functions of all window kernels (the symbols the JIT allow-lists).
// Each takes the state created for its WindowKind by WindowState.
#pragma once

#include <cstdint>

extern "C" {
double omen_win_count(void* state, int64_t t_ms, double v);
double omen_win_sum(void* state, int64_t t_ms, double v);
double omen_win_mean(void* state, int64_t t_ms, double v);
double omen_win_min(void* state, int64_t t_ms, double v);
double omen_win_max(void* state, int64_t t_ms, double v);
double omen_win_stddev(void* state, int64_t t_ms, double v);
double omen_win_median(void* state, int64_t t_ms, double v);
double omen_win_quantile(void* state, int64_t t_ms, double v);
double omen_win_mad(void* state, int64_t t_ms, double v);
double omen_win_ewma(void* state, int64_t t_ms, double v);
double omen_win_delta(void* state, int64_t t_ms, double v);
double omen_win_rate(void* state, int64_t t_ms, double v);
double omen_win_lag(void* state, int64_t t_ms, double v);
double omen_win_fit_quantile(void* state, int64_t t_ms, double v);
double omen_win_esd(void* state, int64_t t_ms, double v);
double omen_win_seasonal_base(void* state, int64_t t_ms, double v);
double omen_win_ar_residual(void* state, int64_t t_ms, double v);
double omen_win_cusum(void* state, int64_t t_ms, double v);
double omen_win_bocpd(void* state, int64_t t_ms, double v);
double omen_win_gauss_score(void* state, int64_t t_ms, double v);
double omen_win_cooldown(void* state, int64_t t_ms, double v);

// Reads of a state shared by several window calls (KernelInfo::read): the value of the
// kernel over the window as of the last push, without pushing. `param` is the read's
// constant parameter (quantile's q; ignored by the others).
double omen_win_read_mean(void* state, double param);
double omen_win_read_stddev(void* state, double param);
double omen_win_read_median(void* state, double param);
double omen_win_read_quantile(void* state, double param);
double omen_win_read_mad(void* state, double param);
}
