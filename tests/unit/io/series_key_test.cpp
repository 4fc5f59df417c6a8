#include <stdexcept>
#include <string>

#include <catch2/catch.hpp>

#include "core/io/dataset.h"

using omen::Labels;
using omen::SeriesKey;
using omen::io::parse_series_key;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_series_key(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("parse_series_key: good keys", "[io][series_key]") {
  CHECK(parse_series_key("cpu") == SeriesKey{"cpu", {}});
  CHECK(parse_series_key("cpu{}") == SeriesKey{"cpu", {}});
  CHECK(parse_series_key("  node:cpu_seconds:rate5m  ") ==
        SeriesKey{"node:cpu_seconds:rate5m", {}});
  CHECK(parse_series_key(R"(cpu{instance="a"})") == SeriesKey{"cpu", {{"instance", "a"}}});
  // Sorted, spaces allowed between tokens, trailing comma allowed.
  CHECK(parse_series_key(R"(cpu { job = "x" , instance="a", })") ==
        SeriesKey{"cpu", Labels{{"instance", "a"}, {"job", "x"}}});
  CHECK(parse_series_key(R"(m{a="q\"b\\s\nn,}"})") == SeriesKey{"m", {{"a", "q\"b\\s\nn,}"}}});
  CHECK(parse_series_key(R"({__name__="up",job="x"})") == SeriesKey{"up", {{"job", "x"}}});
  CHECK(parse_series_key(R"(up{__name__="up"})") == SeriesKey{"up", {}});
  CHECK(parse_series_key(R"(cpu{a="",b="1"})") ==
        SeriesKey{"cpu", {{"b", "1"}}});  // empty = absent
  CHECK(parse_series_key(R"(cpu{a="é ü"})") == SeriesKey{"cpu", {{"a", "é ü"}}});
}

TEST_CASE("parse_series_key: round trip through format_series", "[io][series_key]") {
  for (const char* s :
       {"cpu", R"(cpu{instance="a",job="x"})", R"(m{a="q\"b\\s\nn"})", R"(a:b_c{_x="1"})"}) {
    INFO(s);
    CHECK(omen::format_series(parse_series_key(s)) == s);
  }
}

TEST_CASE("parse_series_key: bad keys name the problem and the offset", "[io][series_key]") {
  CHECK(error_of("") == "empty series key at offset 0");
  CHECK(error_of("   ") == "empty series key at offset 3");
  CHECK(error_of("1cpu") == "expected a metric name, found '1' at offset 0");
  CHECK(error_of("cpu usage") == "unexpected 'u' at offset 4");
  CHECK(error_of("cpu{") == "missing '}' at offset 3");
  CHECK(error_of(R"(cpu{a="x")") == "missing '}' at offset 3");
  CHECK(error_of(R"(cpu{a="x)") == "unterminated label value at offset 6");
  CHECK(error_of("cpu{a=x}") == "expected '\"' to start a label value at offset 6");
  CHECK(error_of(R"(cpu{a!="x"})") == "only '=' matchers are allowed in a series key at offset 5");
  CHECK(error_of(R"(cpu{a=~"x"})") == "only '=' matchers are allowed in a series key at offset 5");
  CHECK(error_of(R"(cpu{a:b="x"})") == "expected '=' after label name \"a\" at offset 5");
  CHECK(error_of(R"(cpu{1a="x"})") == "expected a label name at offset 4");
  CHECK(error_of(R"(cpu{a="x" b="y"})") == "expected ',' or '}', found 'b' at offset 10");
  CHECK(error_of(R"(cpu{a="x",a="y"})") == "duplicate label \"a\" at offset 10");
  CHECK(error_of(R"(cpu{a="\t"})") == "unknown escape '\\t' in label value at offset 7");
  CHECK(error_of(R"(cpu{a="x"}z)") == "unexpected 'z' at offset 10");
  CHECK(error_of(R"({a="x"})") == "missing metric name at offset 0");
  CHECK(error_of(R"(up{__name__="down"})") == "metric name given twice at offset 3");
  CHECK(error_of(R"({__name__="1x"})") == "bad metric name \"1x\" at offset 1");
}
