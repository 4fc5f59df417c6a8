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
}
