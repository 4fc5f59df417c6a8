// A small monitoring service embedding Omen's C++ API: it loads a rules file, lets one
// producer thread per service push generated samples concurrently into one engine, and
// prints alerts from the callback. Usage: omen_service RULES.omen [HOURS]
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <omen/engine.h>

namespace {

// Deterministic noise in [0, 1) per (service, step): xorshift of a seed.
double noise(uint64_t seed) {
  seed ^= seed << 13;
  seed ^= seed >> 7;
  seed ^= seed << 17;
  return static_cast<double>(seed % 10'000) / 10'000.0;
}

// One service's traffic: latency ~100 ms with a slow wave, errors ~1/s; "checkout" has an
// incident from minute 60 to 70 (latency 900 ms, 12 errors/s). The producers meet at a
// barrier every simulated 10 s, as real producers share the wall clock: the engine judges
// staleness against the newest timestamp of any series, so a producer running hours ahead
// would make the others' series look stale (docs/embedding.md, "Concurrency").
void produce(omen::Engine& engine, std::barrier<>& tick, const std::string& service, int index,
             int64_t start_ms, int steps) {
  const omen::SeriesKey latency{"http_latency_ms", {{"service", service}}};
  const omen::SeriesKey errors{"http_errors_per_s", {{"service", service}}};
  for (int i = 0; i < steps; ++i) {
    int64_t t = start_ms + int64_t{i} * 10'000;  // every 10 s
    double minute = i / 6.0;
    bool incident = service == "checkout" && minute >= 60 && minute < 70;
    uint64_t seed = uint64_t(index + 1) * 1'000'003u + uint64_t(i) * 7919u + 1;
    double lat = 100 + 10 * std::sin(minute / 30) + 8 * noise(seed);
    double err = 0.5 + noise(seed * 31);
    engine.push(latency, t, incident ? 900 + 20 * noise(seed) : lat);
    engine.push(errors, t, incident ? 12 : err);
    tick.arrive_and_wait();
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s RULES.omen [HOURS]\n", argv[0]);
    return 2;
  }
  double hours = argc > 2 ? std::stod(argv[2]) : 2;

  omen::EngineOptions options;  // tier auto: interpreted at once, native code when ready
  omen::Engine::Built built = omen::Engine::from_files({argv[1]}, options);
  std::fputs(built.render().c_str(), stderr);  // warnings, or the errors
  if (!built.ok()) return 1;
  omen::Engine& engine = *built.engine;

  // The callback runs on whichever producer thread pushed; it must be thread-safe.
  std::mutex out;
  engine.on_alert([&](const omen::Alert& a) {
    if (a.event != omen::AlertEvent::Firing && a.event != omen::AlertEvent::Resolved) return;
    std::lock_guard<std::mutex> lock(out);
    std::printf("%s\n", omen::to_text(a).c_str());
  });

  const std::vector<std::string> services = {"cart", "checkout", "search", "users"};
  const int steps = static_cast<int>(hours * 360);
  std::barrier<> tick(static_cast<std::ptrdiff_t>(services.size()));
  std::vector<std::thread> producers;
  for (size_t i = 0; i < services.size(); ++i)
    producers.emplace_back(produce, std::ref(engine), std::ref(tick), services[i],
                           static_cast<int>(i), int64_t{1'700'000'000'000}, steps);
  for (auto& p : producers) p.join();

  omen::EngineStats s = engine.stats();
  std::printf("stats: %zu rules, %zu series, %llu samples (%llu dropped), %llu alert events\n",
              s.rules, s.series, static_cast<unsigned long long>(s.samples_in),
              static_cast<unsigned long long>(s.samples_in - s.samples_accepted),
              static_cast<unsigned long long>(s.alerts));
  for (const auto& r : s.per_rule)
    std::printf("  rule %s: tier %s, %zu instances, %llu evaluations\n", r.name.c_str(),
                r.tier.c_str(), r.instances, static_cast<unsigned long long>(r.evaluations));
  return 0;
}
