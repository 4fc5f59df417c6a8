#include <catch2/catch.hpp>

#include "omen/types.h"

using omen::Labels;

TEST_CASE("normalize_labels sorts and keeps the first of duplicate names", "[io][types]") {
  Labels in = {{"b", "2"}, {"a", "1"}, {"b", "3"}, {"c", ""}};
  Labels want = {{"a", "1"}, {"b", "2"}, {"c", ""}};
  CHECK(omen::normalize_labels(in) == want);
  CHECK(omen::normalize_labels({}).empty());
}

TEST_CASE("format_labels escapes values", "[io][types]") {
  CHECK(omen::format_labels({}) == "{}");
  CHECK(omen::format_labels({{"a", "x"}, {"b", "y"}}) == R"({a="x",b="y"})");
  CHECK(omen::format_labels({{"a", "q\"b\\s\nn"}}) == R"({a="q\"b\\s\nn"})");
}

TEST_CASE("format_series", "[io][types]") {
  CHECK(omen::format_series({"cpu", {}}) == "cpu");
  CHECK(omen::format_series({"cpu", {{"instance", "a"}}}) == R"(cpu{instance="a"})");
}
