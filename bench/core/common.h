// Shared pieces of the core benchmarks: a seeded RNG, the synthetic data set, timing,
// statistics, markdown tables and process memory readings.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "omen/engine.h"

namespace bench {

/// xoshiro256** seeded through splitmix64: fast, deterministic on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  uint64_t next() {
    uint64_t r = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return r;
  }
  /// Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Standard normal (Box-Muller; the second value is discarded to keep the stream simple).
  double normal() {
    double u1 = uniform(), u2 = uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

constexpr omen::TimeMs kT0 = 1'700'000'000'000LL;  // 2023-11-14T22:13:20Z
constexpr omen::TimeMs kStep = 60'000;             // 1-minute spacing

/// Values of `n_series` series of `n_samples` samples each, series-major: v[s * n + i] is
/// sample i (time kT0 + i * kStep) of series s. Every series is N(0.5, 0.1) noise with
/// bursts (probability 1/500 per sample, 2..15 samples long) that grow geometrically
/// (0.5 + 0.3 * 1.6^k), so that every rule shape fires now and then. Series s depends only
/// on (seed, s): a smaller run is a prefix of a larger one.
struct Dataset {
  size_t n_series = 0, n_samples = 0;
  std::vector<double> v;
  const double* row(size_t s) const { return v.data() + s * n_samples; }
};

inline Dataset make_dataset(size_t n_series, size_t n_samples, uint64_t seed, double noise = 0.1,
                            bool bursts = true) {
  Dataset d;
  d.n_series = n_series;
  d.n_samples = n_samples;
  d.v.resize(n_series * n_samples);
  for (size_t s = 0; s < n_series; ++s) {
    Rng rng(seed * 1'000'003ULL + s);
    double* out = d.v.data() + s * n_samples;
    size_t burst_left = 0, k = 0;
    for (size_t i = 0; i < n_samples; ++i) {
      double x = 0.5 + noise * rng.normal();
      double u = rng.uniform();
      if (bursts && burst_left == 0 && u < 1.0 / 500) {
        burst_left = 2 + rng.next() % 14;
        k = 0;
      }
      if (burst_left > 0) {
        x = 0.5 + 0.3 * std::pow(1.6, static_cast<double>(k++));
        --burst_left;
      }
      out[i] = x;
    }
  }
  return d;
}

inline double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// CPU time of the calling thread (user + system), in seconds. Every measured piece of work
/// runs on the calling thread (Tier::Jit compiles there too), so on a shared, noisy machine
/// this is the stable measure; wall time is reported next to it.
inline double cpu_s() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// Wall and thread-CPU time of one measured interval.
struct Stopwatch {
  double wall0 = now_s(), cpu0 = cpu_s();
  double wall() const { return now_s() - wall0; }
  double cpu() const { return cpu_s() - cpu0; }
};

struct Summary {
  double median = 0, p95 = 0, min = 0, max = 0;
  size_t n = 0;
};

inline Summary summarize(std::vector<double> xs) {
  Summary s;
  if (xs.empty()) return s;
  std::sort(xs.begin(), xs.end());
  s.n = xs.size();
  s.min = xs.front();
  s.max = xs.back();
  size_t m = xs.size() / 2;
  s.median = xs.size() % 2 ? xs[m] : 0.5 * (xs[m - 1] + xs[m]);
  // nearest-rank p95
  size_t r = static_cast<size_t>(std::ceil(0.95 * static_cast<double>(xs.size())));
  s.p95 = xs[std::min(xs.size(), std::max<size_t>(r, 1)) - 1];
  return s;
}

inline double median(std::vector<double> xs) {
  return summarize(std::move(xs)).median;
}

/// A markdown table, printed with aligned columns.
class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  std::string markdown() const {
    std::vector<size_t> w(header_.size(), 3);
    auto widen = [&](const std::vector<std::string>& r) {
      for (size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], r[i].size());
    };
    widen(header_);
    for (const auto& r : rows_) widen(r);
    auto line = [&](const std::vector<std::string>& r) {
      std::string s = "|";
      for (size_t i = 0; i < w.size(); ++i)
        s += fmt::format(" {:<{}} |", i < r.size() ? r[i] : "", w[i]);
      return s + "\n";
    };
    std::string out = line(header_);
    out += "|";
    for (size_t x : w) out += std::string(x + 2, '-') + "|";
    out += "\n";
    for (const auto& r : rows_) out += line(r);
    return out;
  }

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

/// A field of /proc/self/status in kB (VmRSS, VmHWM, ...); -1 if unavailable.
long proc_status_kb(const char* field);

/// "12.3" style figures.
inline std::string f1(double x) {
  return std::isfinite(x) ? fmt::format("{:.1f}", x) : "n/a";
}
inline std::string f2(double x) {
  return std::isfinite(x) ? fmt::format("{:.2f}", x) : "n/a";
}
inline std::string ratio(double a, double b) {
  return (std::isfinite(a) && std::isfinite(b) && b > 0) ? fmt::format("{:.2f}x", a / b) : "n/a";
}
/// Millions per second.
inline std::string mps(double per_s) {
  return std::isfinite(per_s) ? fmt::format("{:.2f}", per_s / 1e6) : "missing";
}

/// Counts of alert transitions.
struct Events {
  uint64_t pending = 0, firing = 0, resolved = 0, cleared = 0;
  void add(omen::AlertEvent e) {
    switch (e) {
      case omen::AlertEvent::Pending:
        ++pending;
        break;
      case omen::AlertEvent::Firing:
        ++firing;
        break;
      case omen::AlertEvent::Resolved:
        ++resolved;
        break;
      case omen::AlertEvent::Cleared:
        ++cleared;
        break;
    }
  }
  bool operator==(const Events&) const = default;
  std::string str() const { return fmt::format("{}/{}/{}/{}", pending, firing, resolved, cleared); }
};

/// Common command-line options of the subcommands.
struct Options {
  bool quick = false;
  int reps = 5;
  size_t series = 0, samples = 0;  // 0: the subcommand's default (full or quick)
  std::string out_dir = ".";       // generated files (data, rule files)
  std::string python;              // command prefix for the Python baselines ("" = skip)
  std::string python_script;
  std::string omen_cli;         // path of the omen binary (for `omen check`)
  std::string self;             // path of this binary (memory runs re-execute it)
  std::string shapes = "abcd";  // throughput: which rule shapes
  std::string variants = "interp,jit,hand,kernel";  // throughput: which implementations
  std::vector<std::string> rest;                    // subcommand-specific arguments
};

int run_throughput(const Options& o);
int run_compile(const Options& o);
int run_rules1000(const Options& o);
int run_memory(const Options& o);
int run_memory_child(const Options& o);
int run_push(const Options& o);

}  // namespace bench
