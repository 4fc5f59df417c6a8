#include <optional>

#include <catch2/catch.hpp>

#include "core/io/dataset.h"

using omen::io::format_timestamp;
using omen::io::parse_timestamp;

TEST_CASE("numeric timestamps: seconds, milliseconds, fractions", "[io][timestamp]") {
  CHECK(parse_timestamp("0") == 0);
  CHECK(parse_timestamp("1704067200") == 1704067200000);
  CHECK(parse_timestamp("1704067200000") == 1704067200000);  // >= 1e11: milliseconds
  CHECK(parse_timestamp("99999999999") == 99999999999000);   // just below 1e11: seconds
  CHECK(parse_timestamp("100000000000") == 100000000000);
  CHECK(parse_timestamp("1704067200.5") == 1704067200500);
  CHECK(parse_timestamp("1704067200.123") == 1704067200123);
  CHECK(parse_timestamp("1704067200.1235") == 1704067200124);  // rounded to the ms
  CHECK(parse_timestamp("1704067200.1234999") == 1704067200123);
  CHECK(parse_timestamp("1704067200123.7") == 1704067200124);
  CHECK(parse_timestamp(".5") == 500);
  CHECK(parse_timestamp("-86400") == -86400000);
  CHECK(parse_timestamp("-1.5") == -1500);
  CHECK(parse_timestamp("+10") == 10000);
  CHECK(parse_timestamp("1.7e9") == 1700000000000);
  CHECK(parse_timestamp("  42 ") == 42000);
}

TEST_CASE("bad numeric timestamps", "[io][timestamp]") {
  for (const char* s : {"", " ", "abc", "12abc", "1.2.3", "-", ".", "1e", "NaN", "inf", "--1",
                        "1 2", "1e300", "999999999999999999999", "0x10"}) {
    INFO(s);
    CHECK(parse_timestamp(s) == std::nullopt);
  }
}

TEST_CASE("RFC 3339 timestamps", "[io][timestamp]") {
  CHECK(parse_timestamp("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_timestamp("2024-01-02T03:04:05Z") == 1704164645000);
  CHECK(parse_timestamp("2024-01-02T03:04:05.123Z") == 1704164645123);
  CHECK(parse_timestamp("2024-01-02T03:04:05.1Z") == 1704164645100);
  CHECK(parse_timestamp("2024-01-02T03:04:05.123999999Z") == 1704164645123);  // truncated
  CHECK(parse_timestamp("2024-01-02t03:04:05z") == 1704164645000);
  CHECK(parse_timestamp("2024-01-02T05:04:05+02:00") == 1704164645000);
  CHECK(parse_timestamp("2024-01-02T05:04:05+0200") == 1704164645000);
  CHECK(parse_timestamp("2024-01-02T05:04:05+02") == 1704164645000);
  CHECK(parse_timestamp("2024-01-01T22:34:05-04:30") == 1704164645000);
  CHECK(parse_timestamp("2024-01-02T03:04:05") == 1704164645000);  // no offset: UTC
  CHECK(parse_timestamp("2024-01-02") == 1704153600000);
  CHECK(parse_timestamp("2024-01-02T00:30:00+01:00") == 1704151800000);  // previous day UTC
}

TEST_CASE("NAB timestamps (space separator, UTC)", "[io][timestamp]") {
  CHECK(parse_timestamp("2014-04-01 00:00:00") == 1396310400000);
  CHECK(parse_timestamp("2014-04-01 00:05:00.250") == 1396310700250);
}

TEST_CASE("leap years and dates before 1970", "[io][timestamp]") {
  CHECK(parse_timestamp("2024-02-29T00:00:00Z") == 1709164800000);
  CHECK(parse_timestamp("2000-02-29T00:00:00Z") == 951782400000);  // divisible by 400
  CHECK(parse_timestamp("1969-12-31T23:59:59Z") == -1000);
  CHECK(parse_timestamp("1969-12-31T23:59:59.999Z") == -1);
  CHECK(parse_timestamp("1900-01-01T00:00:00Z") == -2208988800000);
  CHECK(parse_timestamp("0000-01-01T00:00:00Z") == -62167219200000);
  CHECK(parse_timestamp("9999-12-31T23:59:59.999Z") == 253402300799999);
}

TEST_CASE("invalid dates are rejected", "[io][timestamp]") {
  for (const char* s : {"2024-02-30T00:00:00Z",
                        "2023-02-29T00:00:00Z",
                        "1900-02-29T00:00:00Z",
                        "2024-13-01",
                        "2024-00-10",
                        "2024-04-31",
                        "2024-01-00",
                        "2024-01-01T24:00:00Z",
                        "2024-01-01T23:60:00Z",
                        "2024-01-01T23:59:60Z",
                        "2024-01-01T00:00:00+24:00",
                        "2024-01-01T00:00:00+01:60",
                        "2024-01-01T00:00:00.Z",
                        "2024-01-01T00:00Z",
                        "2024-1-01",
                        "2024-01-01X00:00:00",
                        "2024-01-01T00:00:00ZZ",
                        "2024-01-01T00:00:00 Z",
                        "20240101T000000Z",
                        "2024-01-01T00:00:00+1"}) {
    INFO(s);
    CHECK(parse_timestamp(s) == std::nullopt);
  }
}

TEST_CASE("format_timestamp", "[io][timestamp]") {
  CHECK(format_timestamp(0) == "1970-01-01T00:00:00Z");
  CHECK(format_timestamp(1704164645000) == "2024-01-02T03:04:05Z");
  CHECK(format_timestamp(1704164645123) == "2024-01-02T03:04:05.123Z");
  CHECK(format_timestamp(1704164645007) == "2024-01-02T03:04:05.007Z");
  CHECK(format_timestamp(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(format_timestamp(-86400000) == "1969-12-31T00:00:00Z");
  CHECK(format_timestamp(951782400000) == "2000-02-29T00:00:00Z");
}

TEST_CASE("format_timestamp round trip", "[io][timestamp]") {
  // A stride through 0000..9999 that hits odd milliseconds and every month.
  for (int64_t t = -62167219200000; t <= 253402300799999; t += 7'777'777'777'777 / 13) {
    INFO(t);
    REQUIRE(parse_timestamp(format_timestamp(t)) == t);
  }
  for (int64_t t : {int64_t{-1}, int64_t{0}, int64_t{1}, int64_t{1709164799999},
                    int64_t{253402300799999}, int64_t{-62167219200000}}) {
    REQUIRE(parse_timestamp(format_timestamp(t)) == t);
  }
}
