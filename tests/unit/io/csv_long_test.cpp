#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "io_test_util.h"

using namespace omen::io;
using omen::io::test::error_of;
using omen::io::test::read;
using omen::io::test::read_skipping;
using omen::io::test::samples;
using Strings = std::vector<std::string>;

TEST_CASE("long CSV: happy path, all label forms", "[io][csv][long]") {
  Dataset d = read(
      "timestamp,series,labels,value\n"
      "1704067200,cpu,host=a;dc=eu,0.5\n"
      "1704067200,cpu,\"{host=\"\"b\"\"}\",0.7\n"
      "1704067260,\"mem{host=\"\"a\"\"}\",,1024\n"
      "1704067260,cpu, dc = eu ; host = a ;,0.6\n"  // same series as row 2, other raw text
      "1704067320,cpu,\"{dc=\"\"eu\"\",host=\"\"a\"\"}\",NaN\n"
      "1704067380,cpu,,\n");  // empty value: series, no sample
  REQUIRE(d.series.size() == 4);
  CHECK(d.series[0] == omen::SeriesKey{"cpu", {{"dc", "eu"}, {"host", "a"}}});
  CHECK(d.series[1] == omen::SeriesKey{"cpu", {{"host", "b"}}});
  CHECK(d.series[2] == omen::SeriesKey{"mem", {{"host", "a"}}});
  CHECK(d.series[3] == omen::SeriesKey{"cpu", {}});
  CHECK(samples(d) ==
        Strings{"cpu{dc=\"eu\",host=\"a\"}@1704067200000=0.5", "cpu{host=\"b\"}@1704067200000=0.7",
                "mem{host=\"a\"}@1704067260000=1024", "cpu{dc=\"eu\",host=\"a\"}@1704067260000=0.6",
                "cpu{dc=\"eu\",host=\"a\"}@1704067320000=nan"});
}

TEST_CASE("long CSV: header is case-insensitive, CRLF and BOM", "[io][csv][long]") {
  Dataset d = read("\xEF\xBB\xBFTimestamp, Series ,LABELS,Value\r\n2024-01-01 00:00:00,x,,1\r\n");
  CHECK(samples(d) == Strings{"x@1704067200000=1"});
}

TEST_CASE("long CSV: series and labels cells are merged", "[io][csv][long]") {
  Dataset d = read(
      "timestamp,series,labels,value\n1,\"m{a=\"\"1\"\"}\",b=2,3\n"
      "1,\"m{a=\"\"1\"\"}\",a=1,4\n");
  REQUIRE(d.series.size() == 2);
  CHECK(d.series[0] == omen::SeriesKey{"m", {{"a", "1"}, {"b", "2"}}});
  CHECK(d.series[1] == omen::SeriesKey{"m", {{"a", "1"}}});
  auto e = error_of("timestamp,series,labels,value\n1,\"m{a=\"\"1\"\"}\",a=2,3\n");
  CHECK((e.line() == 2 && e.col() == 16));
  CHECK(
      e.message() ==
      "bad labels \"a=2\" in column 3: label \"a\" is \"1\" in the series but \"2\" in the labels");
}

TEST_CASE("long CSV: errors", "[io][csv][long]") {
  const std::string h = "timestamp,series,labels,value\n";
  auto e = error_of(h + "1,cpu,,12abc\n");
  CHECK((e.line() == 2 && e.col() == 8));
  CHECK(e.message() == "bad value \"12abc\" in column 4 (value)");

  e = error_of(h + "1,cpu,\n");
  CHECK((e.line() == 2 && e.col() == 7));
  CHECK(e.message() == "expected 4 fields, found 3");

  e = error_of(h + "2024-02-30T00:00:00Z,cpu,,1\n");
  CHECK((e.line() == 2 && e.col() == 1));
  CHECK(e.message() == "bad timestamp \"2024-02-30T00:00:00Z\"");

  e = error_of(h + "1,cpu usage,,1\n");
  CHECK((e.line() == 2 && e.col() == 3));
  CHECK(e.message() == "bad series \"cpu usage\" in column 2: unexpected 'u' at offset 4");

  e = error_of(h + "1,cpu,host,1\n");
  CHECK((e.line() == 2 && e.col() == 7));
  CHECK(e.message() ==
        "bad labels \"host\" in column 3: expected name=value, found \"host\" at offset 0");

  e = error_of(h + "1,cpu,a=1;9b=2,1\n");
  CHECK(e.message() == "bad labels \"a=1;9b=2\" in column 3: bad label name \"9b\" at offset 4");

  e = error_of(h + "1,cpu,a=1;a=2,1\n");
  CHECK(e.message() == "bad labels \"a=1;a=2\" in column 3: duplicate label \"a\" at offset 4");

  e = error_of(h + "1,cpu,\"{a=\"\"1\"\"} x\",1\n");
  CHECK(e.message() ==
        "bad labels \"{a=\"1\"} x\" in column 3: unexpected 'x' after '}' at offset 8");
}

TEST_CASE("long CSV: forced long format needs the long header", "[io][csv][long]") {
  ReadOptions o;
  o.format = Format::CsvLong;
  auto e = error_of("time,series,labels,value\n", "t.csv", o);
  CHECK((e.line() == 1 && e.col() == 1));
  CHECK(e.message() == "expected the long CSV header \"timestamp,series,labels,value\"");
}

TEST_CASE("long CSV: skip_bad_rows", "[io][csv][long]") {
  Dataset d = read_skipping(
      "timestamp,series,labels,value\n"
      "1,a,,1\n"
      "2,a b,,2\n"
      "3,a,x,3\n"
      "4,a,,z\n"
      "5,a,,5\n");
  CHECK(samples(d) == Strings{"a@1000=1", "a@5000=5"});
  CHECK(d.skipped_rows == 3);
  CHECK(d.series.size() == 1);  // series of bad rows are not added
  CHECK(d.skipped_examples ==
        Strings{
            "t.csv:3:3: bad series \"a b\" in column 2: unexpected 'b' at offset 2",
            "t.csv:4:5: bad labels \"x\" in column 3: expected name=value, found \"x\" at offset 0",
            "t.csv:5:6: bad value \"z\" in column 4 (value)"});
}

TEST_CASE("long CSV: many series keep distinct identities", "[io][csv][long]") {
  std::string text = "timestamp,series,labels,value\n";
  for (int i = 0; i < 1000; ++i) {
    text += std::to_string(i) + ",m,i=" + std::to_string(i % 100) + "," + std::to_string(i) + "\n";
  }
  Dataset d = read(text);
  REQUIRE(d.series.size() == 100);
  REQUIRE(d.size() == 1000);
  for (size_t i = 0; i < d.size(); ++i) {
    REQUIRE(d.series[d.sid[i]].labels[0].second == std::to_string(i % 100));
  }
}
