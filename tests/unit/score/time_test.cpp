#include <catch2/catch.hpp>

#include "omen/score.h"

using omen::score::format_time;
using omen::score::parse_time;

TEST_CASE("parse_time reads NAB timestamps as UTC milliseconds", "[score][time]") {
  CHECK(parse_time("1970-01-01 00:00:00") == 0);
  CHECK(parse_time("1970-01-02 00:00:01") == 86'401'000);
  // 2014-10-30 15:30:00 UTC = 1414683000 s.
  CHECK(parse_time("2014-10-30 15:30:00.000000") == 1'414'683'000'000);
  CHECK(parse_time("2014-10-30T15:30:00Z") == 1'414'683'000'000);
  CHECK(parse_time("2014-10-30 15:30:00.25") == 1'414'683'000'250);
  CHECK(parse_time("2014-10-30 15:30:00.123999") == 1'414'683'000'123);  // truncated
  CHECK(parse_time("2016-02-29 00:00:00").has_value());
  CHECK(parse_time("1969-12-31 23:59:59") == -1000);
}

TEST_CASE("parse_time rejects malformed timestamps", "[score][time]") {
  for (const char* bad :
       {"", "2014-10-30 15:30", "2014-13-01 00:00:00", "2015-02-29 00:00:00", "2014-10-30 24:00:00",
        "2014-10-30 15:60:00", "2014-10-30 15:30:00.", "14-10-30 15:30:00", "2014/10/30 15:30:00",
        "2014-10-30 15:30:00+1", "1414681800"}) {
    INFO(bad);
    CHECK_FALSE(parse_time(bad).has_value());
  }
}

TEST_CASE("parse_time takes the date forms omen run takes", "[score][time]") {
  const auto t = parse_time("2014-10-30 15:30:00");
  REQUIRE(t);
  CHECK(parse_time("2014-10-30T15:30:00Z") == t);
  CHECK(parse_time("2014-10-30T16:30:00+01:00") == t);
  CHECK(parse_time("2014-10-30 15:30:00 ") == t);
  CHECK(parse_time("2014-10-30") == *t - (15 * 60 + 30) * 60'000);
}

TEST_CASE("format_time round-trips", "[score][time]") {
  CHECK(format_time(0) == "1970-01-01 00:00:00");
  CHECK(format_time(1'414'683'000'250) == "2014-10-30 15:30:00.250");
  CHECK(format_time(-1000) == "1969-12-31 23:59:59");
  for (const char* s : {"2015-09-16 18:20:00", "2000-02-29 12:34:56", "2099-12-31 23:59:59"}) {
    CHECK(format_time(*parse_time(s)) == s);
  }
}
