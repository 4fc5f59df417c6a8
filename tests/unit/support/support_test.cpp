// core/support: the CSV table reader, timestamps and durations, text, math, keywords.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "core/support/csv.h"
#include "core/support/math.h"
#include "core/support/text.h"
#include "core/support/time.h"

namespace s = omen::support;

TEST_CASE("CSV table: quoting, CRLF, BOM, blank lines, trimming", "[support][csv]") {
  const auto t = s::read_csv_table(
      "\xEF\xBB\xBF"
      "Time , \"a,b\"\r\n"
      "\r\n"
      "1, \" x \"\"y\"\" \"\r\n"
      "2,\"two\nlines\"\n");
  REQUIRE(t.header.cells.size() == 2);
  CHECK(t.header.cells[0].text == "Time");
  CHECK(t.header.cells[1].text == "a,b");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].line == 3);
  CHECK(t.rows[0].cells[1].text == " x \"y\" ");
  CHECK(t.rows[0].cells[1].quoted);
  CHECK(t.rows[1].cells[1].text == "two\nlines");
  CHECK(t.column({"time"}) == 0);
  CHECK(t.column({"nope", "A,B"}) == 1);
  CHECK(t.column({"nope"}) == -1);
}

TEST_CASE("CSV table: errors say line and column", "[support][csv]") {
  auto error = [](const char* text) {
    try {
      s::read_csv_table(text);
    } catch (const s::CsvError& e) {
      return std::to_string(e.line) + ":" + std::to_string(e.col) + ": " + e.what();
    }
    return std::string("no error");
  };
  CHECK(error("a,b,c\n1,2,3\n1,2\n") == "3:4: expected 3 fields (as in the header), found 2");
  CHECK(error("a,b\n1,2,3\n") == "2:5: expected 2 fields (as in the header), found 3");
  CHECK(error("a,b\n1,\"2\n") == "2:3: unterminated quoted field");
  CHECK(error("a,b\n1,\"2\"x\n") == "2:6: unexpected character after closing quote");
  CHECK(error(" \n\n") == "1:1: empty file: a header line is required");
}

TEST_CASE("timestamps: every format the data readers take", "[support][time]") {
  const int64_t t = 1704067200000;  // 2024-01-01T00:00:00Z
  CHECK(s::parse_timestamp("1704067200") == t);
  CHECK(s::parse_timestamp("1704067200000") == t);
  CHECK(s::parse_timestamp("1704067200.25") == t + 250);
  CHECK(s::parse_timestamp("2024-01-01T00:00:00Z") == t);
  CHECK(s::parse_timestamp("2024-01-01T02:00:00+02:00") == t);
  CHECK(s::parse_timestamp("2024-01-01 00:00:00.5") == t + 500);
  CHECK(s::parse_timestamp(" 2024-01-01 ") == t);
  CHECK_FALSE(s::parse_timestamp("2023-02-29"));
  CHECK_FALSE(s::parse_timestamp("10000-01-01"));
  CHECK(s::parse_date_time("2024-01-01 00:00:00") == t);
  CHECK_FALSE(s::parse_date_time("1704067200"));
  CHECK(s::format_timestamp(t + 5) == "2024-01-01T00:00:00.005Z");
  CHECK(s::format_timestamp(-1) == "1969-12-31T23:59:59.999Z");
  for (int64_t days : {-719468LL, -1LL, 0LL, 59LL, 19723LL, 2932896LL}) {
    const auto c = s::civil_from_days(days);
    CHECK(s::days_from_civil(c.y, c.m, c.d) == days);
  }
  CHECK(s::days_in_month(2000, 2) == 29);
  CHECK(s::days_in_month(1900, 2) == 28);
}

TEST_CASE("durations: parse, format, read back, overflow", "[support][time]") {
  CHECK(s::parse_duration("1h30m") == 5'400'000);
  CHECK(s::parse_duration("250ms") == 250);
  CHECK(s::parse_duration("2w1d") == 15LL * 86'400'000);
  CHECK(s::parse_duration("0s") == 0);
  CHECK_FALSE(s::parse_duration(""));
  CHECK_FALSE(s::parse_duration("5"));
  CHECK_FALSE(s::parse_duration("5x"));
  CHECK_FALSE(s::parse_duration("m"));
  CHECK_FALSE(s::parse_duration("99999999999999999999d"));
  CHECK(s::parse_duration("15250284452w") == 15250284452LL * 604'800'000);
  CHECK_FALSE(s::parse_duration("15250284453w"));  // > INT64_MAX ms
  CHECK_FALSE(s::parse_duration("15250284452w4d"));
  CHECK(s::format_duration(0) == "0s");
  CHECK(s::format_duration(90'061'001) == "1d1h1m1s1ms");
  CHECK(s::format_duration(-280'000) == "-4m40s");
  CHECK(s::format_duration(INT64_MIN).rfind("-106751991167d", 0) == 0);
  for (int64_t ms : {int64_t{0}, int64_t{1}, int64_t{999}, int64_t{60'000}, int64_t{90'061'001},
                     int64_t{INT64_MAX}}) {
    CHECK(s::parse_duration(s::format_duration(ms)) == ms);
  }
  CHECK(s::checked_add(INT64_MAX, 1) == std::nullopt);
  CHECK(s::checked_add(1, 2) == 3);
  CHECK(s::checked_mul(INT64_MAX / 2, 3) == std::nullopt);
}

TEST_CASE("text: strict numbers, quoting", "[support][text]") {
  CHECK(s::parse_double(" 1.5 ") == 1.5);
  CHECK(s::parse_double("+2e3") == 2000.0);
  CHECK(std::isnan(*s::parse_double("NaN")));
  CHECK_FALSE(s::parse_double("1.5x"));
  CHECK_FALSE(s::parse_double("+-1"));
  CHECK_FALSE(s::parse_double("1e999"));
  CHECK_FALSE(s::parse_double(""));
  CHECK(s::parse_int("-42") == -42);
  CHECK(s::parse_int("+7") == 7);
  CHECK_FALSE(s::parse_int("9223372036854775808"));
  CHECK_FALSE(s::parse_int("1.0"));
  CHECK(s::quote("a\"b\\c\nd\te") == "\"a\\\"b\\\\c\\nd\\te\"");
  CHECK(s::trim(" \tx y\t ") == "x y");
  CHECK(s::iequals("TimeStamp", "timestamp"));
}

TEST_CASE("incomplete beta: closed forms", "[support][math]") {
  CHECK(s::incomplete_beta(1, 1, 0.3) == Approx(0.3).epsilon(1e-14));
  CHECK(s::incomplete_beta(2, 2, 0.5) == Approx(0.5).epsilon(1e-14));
  CHECK(s::incomplete_beta(3, 1, 0.4) == Approx(0.064).epsilon(1e-13));  // x^a
  CHECK(s::incomplete_beta(1, 3, 0.4) == Approx(1 - 0.216).epsilon(1e-13));
  CHECK(s::incomplete_beta(2, 3, 0) == 0);
  CHECK(s::incomplete_beta(2, 3, 1) == 1);
  CHECK(s::log_beta(1e5, 0.5) ==
        Approx(std::lgamma(1e5) + std::lgamma(0.5) - std::lgamma(1e5 + 0.5)).epsilon(1e-9));
}
