#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "io_test_util.h"

using namespace omen::io;
using omen::io::test::error_of;
using omen::io::test::read;
using omen::io::test::read_skipping;
using omen::io::test::samples;
using Strings = std::vector<std::string>;

TEST_CASE("wide CSV: happy path", "[io][csv][wide]") {
  Dataset d = read(
      "timestamp,cpu,\"mem{host=\"\"a\"\"}\"\n"
      "1704067200,0.5,1024\n"
      "1704067260,,1030\n"
      "1704067320,NaN,\n");
  REQUIRE(d.series.size() == 2);
  CHECK(d.series[0] == omen::SeriesKey{"cpu", {}});
  CHECK(d.series[1] == omen::SeriesKey{"mem", {{"host", "a"}}});
  CHECK(samples(d) == Strings{"cpu@1704067200000=0.5", "mem{host=\"a\"}@1704067200000=1024",
                              "mem{host=\"a\"}@1704067260000=1030", "cpu@1704067320000=nan"});
  CHECK(std::isnan(d.v[3]));
  CHECK(d.skipped_rows == 0);
}

TEST_CASE("wide CSV: any time column name, spaces, signs, exponents", "[io][csv][wide]") {
  Dataset d = read("when , a , b\n2024-01-01T00:00:00Z, +1.5 , -2e3\n 0 ,inf,-Inf\n");
  CHECK(samples(d) ==
        Strings{"a@1704067200000=1.5", "b@1704067200000=-2000", "a@0=inf", "b@0=-inf"});
}

TEST_CASE("wide CSV: quoted fields with commas, quotes and line breaks", "[io][csv][wide]") {
  Dataset d = read(
      "time,\"cpu{instance=\"\"a,b\"\",job=\"\"x\"\"}\",\"plain\"\n"
      "\"1\",\"2\", 3\n");
  REQUIRE(d.series.size() == 2);
  CHECK(d.series[0] == omen::SeriesKey{"cpu", {{"instance", "a,b"}, {"job", "x"}}});
  CHECK(samples(d) == Strings{"cpu{instance=\"a,b\",job=\"x\"}@1000=2", "plain@1000=3"});

  // A quoted header cell may contain a line break (in a label value).
  Dataset e = read("t,\"m{a=\"\"x\ny\"\"}\"\n1,2\n3,\n");
  REQUIRE(e.series.size() == 1);
  CHECK(e.series[0].labels[0].second == "x\ny");
  CHECK(e.size() == 1);
}

TEST_CASE("wide CSV: CRLF, BOM, blank lines, no final newline", "[io][csv][wide]") {
  Dataset d = read("\xEF\xBB\xBFts,a\r\n\r\n1,1\r\n   \r\n2,2\r\n\r\n");
  CHECK(samples(d) == Strings{"a@1000=1", "a@2000=2"});
  Dataset e = read("ts,a\n1,1\n2,2");
  CHECK(samples(e) == Strings{"a@1000=1", "a@2000=2"});
  Dataset f = read("ts,a\r1,1\r2,2\r");  // old Mac line ends
  CHECK(samples(f) == Strings{"a@1000=1", "a@2000=2"});
  Dataset g = read("ts,a\n");  // a header alone is an empty data set, not an error
  CHECK(g.size() == 0);
  CHECK(g.series.size() == 1);
}

TEST_CASE("wide CSV: errors name line, column and cell", "[io][csv][wide]") {
  auto e = error_of("timestamp,cpu,\"cpu{instance=\"\"a\"\"}\"\n1,2,3\n2,5,12abc\n");
  CHECK(e.line() == 3);
  CHECK(e.col() == 5);
  CHECK(e.message() == "bad value \"12abc\" in column 3 (cpu{instance=\"a\"})");
  CHECK(std::string(e.what()) ==
        "t.csv:3:5: bad value \"12abc\" in column 3 (cpu{instance=\"a\"})");

  e = error_of("ts,a\n2024-13-01,1\n");
  CHECK((e.line() == 2 && e.col() == 1));
  CHECK(e.message() == "bad timestamp \"2024-13-01\"");

  e = error_of("ts,a\n,1\n");
  CHECK(e.message() == "bad timestamp \"\"");

  e = error_of("ts,a,b,c\n1,2,3\n");
  CHECK((e.line() == 2 && e.col() == 6));  // where the missing field would start
  CHECK(e.message() == "expected 4 fields, found 3");

  e = error_of("ts,a\n\n1,2,3\n");
  CHECK((e.line() == 3 && e.col() == 5));  // at the first extra field
  CHECK(e.message() == "expected 2 fields, found 3");

  e = error_of("ts,a\n1,\"2\n3,4\n");
  CHECK((e.line() == 2 && e.col() == 3));
  CHECK(e.message() == "unterminated quoted field");

  e = error_of("ts,a\n1,\"2\"x\n");
  CHECK((e.line() == 2 && e.col() == 6));
  CHECK(e.message() == "unexpected character after closing quote");

  e = error_of("ts,a\n1,1e999\n");
  CHECK(e.message() == "bad value \"1e999\" in column 2 (a)");

  e = error_of("ts,a\n1,\"\"\"\"\n");
  CHECK(e.message() == "bad value \"\"\" in column 2 (a)");
}

TEST_CASE("wide CSV: line numbers count line breaks inside quotes", "[io][csv][wide]") {
  auto e = error_of("ts,\"m{a=\"\"x\ny\"\"}\",b\n1,2,3\n2,3,oops\n");
  CHECK((e.line() == 4 && e.col() == 5));
  e = error_of("ts,a,b\n1,\"1\",\"x\ny\"\n");
  CHECK((e.line() == 2 && e.col() == 7));
}

TEST_CASE("wide CSV: header errors are always errors", "[io][csv][wide]") {
  ReadOptions skip;
  skip.skip_bad_rows = true;
  auto e = error_of("ts\n1\n", "t.csv", skip);
  CHECK((e.line() == 1 && e.col() == 1));
  CHECK(e.message() == "expected a time column and at least one series column in the header");

  e = error_of("ts,cpu{,b\n", "t.csv", skip);
  CHECK((e.line() == 1 && e.col() == 4));
  CHECK(e.message() == "bad series name \"cpu{\" in column 2: missing '}' at offset 3");

  e = error_of("ts,a,,b\n", "t.csv", skip);
  CHECK((e.line() == 1 && e.col() == 6));
  CHECK(e.message() == "empty series name in column 3");

  e = error_of("ts,\"a{x=\"\"1\"\",y=\"\"2\"\"}\",\"a{y=\"\"2\"\",x=\"\"1\"\"}\"\n", "t.csv", skip);
  CHECK(e.message() == "duplicate series a{x=\"1\",y=\"2\"} in columns 2 and 3");

  e = error_of("ts,\"a\n", "t.csv", skip);
  CHECK(e.message() == "bad header: unterminated quoted field");

  e = error_of("", "t.csv", skip);
  CHECK((e.line() == 1 && e.col() == 1));
  CHECK(e.message() == "empty file");
  CHECK(error_of("\xEF\xBB\xBF \r\n\n", "t.csv", skip).message() == "empty file");
}

TEST_CASE("wide CSV: skip_bad_rows drops bad rows whole and keeps going", "[io][csv][wide]") {
  Dataset d = read_skipping(
      "ts,a,b\n"
      "1,1,1\n"
      "2,2,x\n"    // bad value in the last column: the good cell is dropped too
      "3,3\n"      // field count
      "bad,4,4\n"  // timestamp
      "6,6,6\n"
      "7,7,\"7\"z\n"  // junk after a closing quote
      "8,8,\"8\n"     // unterminated quote (no other quote follows): resumes on the next line
      "9,9,9\n");
  CHECK(samples(d) ==
        Strings{"a@1000=1", "b@1000=1", "a@6000=6", "b@6000=6", "a@9000=9", "b@9000=9"});
  CHECK(d.skipped_rows == 5);
  REQUIRE(d.skipped_examples.size() == 5);
  CHECK(d.skipped_examples[0] == "t.csv:3:5: bad value \"x\" in column 3 (b)");
  CHECK(d.skipped_examples[1] == "t.csv:4:4: expected 3 fields, found 2");
  CHECK(d.skipped_examples[2] == "t.csv:5:1: bad timestamp \"bad\"");
  CHECK(d.skipped_examples[3] == "t.csv:7:8: unexpected character after closing quote");
  CHECK(d.skipped_examples[4] == "t.csv:8:5: unterminated quoted field");
}

TEST_CASE("wide CSV: skipped_examples keeps only the first 5", "[io][csv][wide]") {
  std::string text = "ts,a\n";
  for (int i = 0; i < 8; ++i) text += "x,1\n";
  text += "1,1\n";
  Dataset d = read_skipping(text);
  CHECK(d.skipped_rows == 8);
  CHECK(d.skipped_examples.size() == 5);
  CHECK(d.size() == 1);
}

TEST_CASE("wide CSV: max_rows", "[io][csv][wide]") {
  ReadOptions o;
  o.max_rows = 2;
  CHECK(read("ts,a\n1,1\n\n2,2\n", "t.csv", o).size() == 2);
  auto e = error_of("ts,a\n1,1\n2,2\n3,3\n", "t.csv", o);
  CHECK((e.line() == 4 && e.col() == 1));
  CHECK(e.message() == "more than 2 data rows (ReadOptions::max_rows)");
  o.skip_bad_rows = true;  // bad rows count too, and the limit is not skippable
  CHECK_THROWS_AS(read("ts,a\n1,x\n2,x\n3,3\n", "t.csv", o), DataError);
}

TEST_CASE("wide CSV: appends to an existing data set and reuses its series", "[io][csv][wide]") {
  Dataset d = read("ts,a,b\n1,1,1\n");
  read_text("ts,b,c\n2,2,2\n", "u.csv", {}, d);
  REQUIRE(d.series.size() == 3);
  CHECK(samples(d) == Strings{"a@1000=1", "b@1000=1", "b@2000=2", "c@2000=2"});
}

TEST_CASE("wide CSV: forced format", "[io][csv][wide]") {
  ReadOptions o;
  o.format = Format::CsvWide;
  Dataset d = read("timestamp,series,labels,value\n1,2,3,4\n", "data.txt", o);
  CHECK(d.series.size() == 3);
  CHECK(d.size() == 3);
}

TEST_CASE("wide CSV: values are correctly rounded (same as strtod)", "[io][csv][wide]") {
  // Exercises both the short-decimal fast path and the from_chars fallback.
  std::string text = "ts,a\n";
  std::vector<std::string> cells;
  uint64_t x = 88172645463325252ULL;  // xorshift
  for (int i = 0; i < 5000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    std::string digits = std::to_string(x % 1'000'000'000'000'000'000ULL);
    size_t len = 1 + (x >> 40) % digits.size();
    std::string_view body = std::string_view(digits).substr(0, len);
    size_t dot = (x >> 20) % (body.size() + 1);  // 0: no decimal point
    std::string cell = fmt::format("{}{}{}{}", x & 1 ? "-" : "", body.substr(0, dot),
                                   dot > 0 ? "." : "", body.substr(dot));
    cells.push_back(cell);
    text += fmt::format("{},{}\n", i, cell);
  }
  Dataset d = read(text);
  REQUIRE(d.size() == cells.size());
  for (size_t i = 0; i < cells.size(); ++i) {
    INFO(cells[i]);
    REQUIRE(d.v[i] == std::strtod(cells[i].c_str(), nullptr));
  }
}
