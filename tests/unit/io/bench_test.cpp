// Read-speed checks. Hidden (run with `io_test "[bench]"`): they print rows/s and only fail
// on a gross regression.
#include <chrono>
#include <cstdio>
#include <iterator>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "core/io/dataset.h"

using namespace omen::io;

namespace {

double seconds_to_read(const std::string& text, const std::string& name, Dataset& d) {
  auto start = std::chrono::steady_clock::now();
  read_text(text, name, {}, d);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("bench: 1M-row long CSV", "[.][bench]") {
  const size_t rows = 1'000'000;
  std::string text = "timestamp,series,labels,value\n";
  for (size_t i = 0; i < rows; ++i) {
    fmt::format_to(std::back_inserter(text), "{},cpu,instance=host-{};job=node,{}.{}\n",
                   1704067200 + i / 100, i % 100, i % 997, i % 10);
  }
  Dataset d;
  double s = seconds_to_read(text, "bench.csv", d);
  REQUIRE(d.size() == rows);
  REQUIRE(d.series.size() == 100);
  fmt::print("long CSV: {} rows, {:.1f} MB in {:.3f} s = {:.1f} M rows/s\n", rows,
             text.size() / 1e6, s, rows / s / 1e6);
  CHECK(s < 5.0);
}

TEST_CASE("bench: 1M-row wide CSV, 10 series", "[.][bench]") {
  const size_t rows = 1'000'000;
  std::string text = "timestamp";
  for (int c = 0; c < 10; ++c) text += fmt::format(",\"cpu{{core=\"\"{}\"\"}}\"", c);
  text += '\n';
  for (size_t i = 0; i < rows; ++i) {
    fmt::format_to(std::back_inserter(text), "{}", 1704067200 + i);
    for (int c = 0; c < 10; ++c)
      fmt::format_to(std::back_inserter(text), ",{}.{}", (i + c) % 97, c);
    text += '\n';
  }
  Dataset d;
  double s = seconds_to_read(text, "bench.csv", d);
  REQUIRE(d.size() == rows * 10);
  fmt::print(
      "wide CSV: {} rows x 10 series, {:.1f} MB in {:.3f} s = {:.1f} M rows/s ({:.1f} M cells/s)\n",
      rows, text.size() / 1e6, s, rows / s / 1e6, rows * 10 / s / 1e6);
  CHECK(s < 5.0);
}

TEST_CASE("bench: 1M-row long CSV with RFC 3339 timestamps", "[.][bench]") {
  const size_t rows = 1'000'000;
  std::string text = "timestamp,series,labels,value\n";
  for (size_t i = 0; i < rows; ++i) {
    omen::TimeMs t = 1704067200000 + static_cast<omen::TimeMs>(i) * 1500;
    fmt::format_to(std::back_inserter(text), "{},m,host={},{}\n", format_timestamp(t), i % 50,
                   i % 1000);
  }
  Dataset d;
  double s = seconds_to_read(text, "bench.csv", d);
  REQUIRE(d.size() == rows);
  fmt::print("long CSV, RFC 3339: {} rows, {:.1f} MB in {:.3f} s = {:.1f} M rows/s\n", rows,
             text.size() / 1e6, s, rows / s / 1e6);
  CHECK(s < 5.0);
}

TEST_CASE("bench: 1M-line JSON lines", "[.][bench]") {
  const size_t rows = 1'000'000;
  std::string text;
  for (size_t i = 0; i < rows; ++i) {
    fmt::format_to(
        std::back_inserter(text),
        "{{\"ts\": {}, \"series\": \"cpu\", \"labels\": {{\"host\": \"h{}\"}}, \"value\": {}}}\n",
        1704067200 + i, i % 100, i % 1000);
  }
  Dataset d;
  double s = seconds_to_read(text, "bench.jsonl", d);
  REQUIRE(d.size() == rows);
  fmt::print("JSON lines: {} rows, {:.1f} MB in {:.3f} s = {:.2f} M rows/s\n", rows,
             text.size() / 1e6, s, rows / s / 1e6);
  CHECK(s < 20.0);
}
