#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "core/io/dataset.h"

using omen::io::expand_series_notation;

namespace {

// "1 2 _ NaN" rendering of an expansion.
std::string show(const std::string& text) {
  std::string out;
  for (const auto& v : expand_series_notation(text)) {
    if (!out.empty()) out += ' ';
    out += v ? fmt::format("{}", *v) : "_";
  }
  return out;
}

std::string error_of(const std::string& text) {
  try {
    expand_series_notation(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("expand_series_notation: promtool examples", "[io][notation]") {
  CHECK(show("1+1x3") == "1 2 3 4");
  CHECK(show("0.1x2") == "0.1 0.1 0.1");
  CHECK(show("_x3 5") == "_ _ _ 5");
  CHECK(show("1 _ 3") == "1 _ 3");
  CHECK(show("-2+4x3") == "-2 2 6 10");
  CHECK(show("1-2x4") == "1 -1 -3 -5 -7");
  CHECK(show("1x0") == "1");
  CHECK(show("5+0x2") == "5 5 5");
  CHECK(show("") == "");
  CHECK(show("  7\t8\n9  ") == "7 8 9");
  CHECK(show("stale 1") == "_ 1");
  CHECK(show("_x0 1") == "1");
  CHECK(show("1e3 .5 -2 +3") == "1000 0.5 -2 3");
  CHECK(show("1e3+1e3x2") == "1000 2000 3000");
  CHECK(show("1e-3+1x1") == "0.001 1.001");
  CHECK(show("Inf -Inf NaN") == "inf -inf nan");
  CHECK(show("Infx1") == "inf inf");
}

TEST_CASE("expand_series_notation accumulates like promtool", "[io][notation]") {
  auto v = expand_series_notation("0.1+0.1x3");
  REQUIRE(v.size() == 4);
  CHECK(*v[2] == 0.1 + 0.1 + 0.1);
  CHECK(std::isnan(*expand_series_notation("NaN")[0]));
}

TEST_CASE("expand_series_notation: bad items", "[io][notation]") {
  CHECK(error_of("1 2 abc") ==
        "bad series item \"abc\" at offset 4: expected a number, '_' or 'stale'");
  CHECK(error_of("1x") == "bad series item \"1x\" at offset 0: expected a count after 'x'");
  CHECK(error_of("1x-2") == "bad series item \"1x-2\" at offset 0: expected a count after 'x'");
  CHECK(error_of("1x2.5") == "bad series item \"1x2.5\" at offset 0: expected a count after 'x'");
  CHECK(error_of("  1+2") ==
        "bad series item \"1+2\" at offset 2: expected 'x' and a count after the increment");
  CHECK(error_of("1+x3") ==
        "bad series item \"1+x3\" at offset 0: expected a number after the sign");
  CHECK(error_of("1+-2x3") ==
        "bad series item \"1+-2x3\" at offset 0: expected a number after the sign");
  CHECK(error_of("12abc") == "bad series item \"12abc\" at offset 0: unexpected 'a'");
  CHECK(error_of("_x") == "bad series item \"_x\" at offset 0: expected a count after '_x'");
  CHECK(error_of("_5") == "bad series item \"_5\" at offset 0: expected a number, '_' or 'stale'");
  CHECK(error_of("1,2") == "bad series item \"1,2\" at offset 0: unexpected ','");
  CHECK(error_of("--1") ==
        "bad series item \"--1\" at offset 0: expected a number, '_' or 'stale'");
  CHECK(error_of("1x999999999") ==
        "bad series item \"1x999999999\" at offset 0: expands past 10000000 values");
}
