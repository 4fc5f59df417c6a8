// Readers on mutated input: every outcome is a value or a diagnostic with a line inside the text
// (run under the sanitizers, this doubles as a small fuzz test).
#include <algorithm>
#include <cstdint>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "omen/score.h"

using namespace omen::score;

namespace {

std::string mutate(std::string s, std::mt19937& rng) {
  static const std::string kAlphabet = "0123456789-: .,\"[]{}\n\rT+eZlabel";
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    const size_t at = rng() % s.size();
    switch (rng() % 3) {
      case 0:
        s[at] = kAlphabet[rng() % kAlphabet.size()];
        break;
      case 1:
        s.erase(at, 1 + rng() % 3);
        break;
      default:
        s.insert(at, 1, kAlphabet[rng() % kAlphabet.size()]);
        break;
    }
  }
  return s;
}

// Line ends: \n, and for the CSV readers also a lone \r (RFC 4180 as core/support reads it).
size_t lines(const std::string& s) {
  size_t n = 1;
  for (size_t i = 0; i < s.size(); ++i) {
    n += s[i] == '\n' || (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'));
  }
  return n;
}

template <class T>
void check(const Result<T>& r, const std::string& text) {
  if (!r.ok()) {
    CHECK(r.error().line <= lines(text));
    CHECK_FALSE(r.error().message.empty());
  }
}

}  // namespace

TEST_CASE("readers never crash on mutated input", "[score][robustness]") {
  std::mt19937 rng(12345);
  const std::string nab =
      "{\n \"a.csv\": [\n  [\"2015-09-11 15:34:00.000000\", \"2015-09-11 17:54:00.000000\"],\n"
      "  [\"2015-09-12 15:34:00.000000\", \"2015-09-12 17:54:00.000000\"]\n ],\n \"b.csv\": "
      "[]\n}\n";
  const std::string points =
      "timestamp,value,label\n2024-01-01 00:00:00,1,0\n"
      "2024-01-01 00:01:00,2,1\n2024-01-01 00:02:00,3,1\n";
  const std::string argos = "value,label,index\n1,0,0\n2,1,1\n3,1,2\n4,0,3\n";
  const std::string windows = "start,end\n2015-09-11 15:34:00,2015-09-11 17:54:00\n10,20\n";
  const std::string alarms = "timestamp,score\n2024-01-01 00:00:00,0.5\n2024-01-01 00:01:00,1\n";
  for (int i = 0; i < 3000; ++i) {
    const std::string a = mutate(nab, rng);
    check(parse_nab_windows(a, "n", "a.csv"), a);
    check(parse_nab_windows_all(a, "n"), a);
    const std::string b = mutate(i % 2 ? points : argos, rng);
    check(parse_point_labels(b, "p"), b);
    const std::string c = mutate(windows, rng);
    check(parse_window_csv(c, "w"), c);
    const std::string d = mutate(alarms, rng);
    const auto r = parse_alarms(d, "a");
    check(r, d);
    if (r.ok()) {
      // Whatever parsed must be scorable.
      const auto& s = r.value();
      const auto flags = flags_from_scores(s.values, 0.5);
      const std::vector<Window> w = {Window{0, 1}};
      (void)evaluate(s.times, flags, w, s.axis);
      const NabSeries series{"x", s.times, s.values, w};
      (void)nab_optimize(std::span<const NabSeries>(&series, 1), kNabStandard);
    }
  }
}
