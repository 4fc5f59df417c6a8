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

TEST_CASE("JSON lines: long rows", "[io][json]") {
  Dataset d = read(
      "{\"timestamp\": \"2024-01-01T00:00:00Z\", \"series\": \"cpu\", \"labels\": {\"host\": "
      "\"a\"}, \"value\": 0.5}\n"
      "{\"ts\": 1704067260, \"name\": \"cpu\", \"labels\": {\"host\": \"a\"}, \"value\": 1}\n"
      "{\"time\": 1704067320000, \"series\": \"mem{host=\\\"b\\\"}\", \"value\": null}\n"
      "{\"time\": 1704067320.5, \"series\": \"mem{host=\\\"b\\\"}\", \"value\": \"NaN\"}\n",
      "d.jsonl");
  REQUIRE(d.series.size() == 2);
  CHECK(d.series[1] == omen::SeriesKey{"mem", {{"host", "b"}}});
  CHECK(samples(d) == Strings{"cpu{host=\"a\"}@1704067200000=0.5",
                              "cpu{host=\"a\"}@1704067260000=1",
                              "mem{host=\"b\"}@1704067320500=nan"});
}

TEST_CASE("JSON lines: wide rows keep key order, non-numbers are ignored", "[io][json]") {
  Dataset d = read(
      "{\"ts\": 1, \"zeta\": 1, \"alpha\": 2, \"note\": \"x\", \"ok\": true}\r\n"
      "\r\n"
      "{\"alpha\": null, \"ts\": \"1970-01-01T00:00:02Z\", \"cpu{instance=\\\"a\\\"}\": 3}\n"
      "{\"ts\": 3}",
      "d.ndjson");
  REQUIRE(d.series.size() == 3);
  CHECK(d.series[0].name == "zeta");
  CHECK(d.series[1].name == "alpha");
  CHECK(samples(d) == Strings{"zeta@1000=1", "alpha@1000=2", "cpu{instance=\"a\"}@2000=3"});
}

TEST_CASE("JSON lines: name without value is a wide row", "[io][json]") {
  Dataset d = read("{\"ts\": 1, \"name\": \"host-a\", \"cpu\": 2}\n", "d.jsonl");
  CHECK(samples(d) == Strings{"cpu@1000=2"});
}

TEST_CASE("JSON lines: errors", "[io][json]") {
  auto e = error_of("{\"ts\": 1, \"a\": 1}\n{\"ts\": 2, \"a\": }\n", "d.jsonl");
  CHECK((e.line() == 2 && e.col() == 16));
  CHECK(e.message().rfind("bad JSON: syntax error while parsing value", 0) == 0);

  e = error_of("{\"ts\": 1, \"a\": 1\n", "d.jsonl");
  CHECK(e.line() == 1);
  CHECK(e.message().rfind("bad JSON: ", 0) == 0);

  e = error_of("[1, 2]\n", "d.json");
  CHECK(e.message() == "a JSON array is not supported: expected JSON lines (one object per line)");

  e = error_of("{\"ts\": 1}\n  42\n", "d.jsonl");
  CHECK((e.line() == 2 && e.col() == 3));
  CHECK(e.message() == "expected a JSON object");

  e = error_of("{\"a\": 1}\n", "d.jsonl");
  CHECK((e.line() == 1 && e.col() == 1));
  CHECK(e.message() == "missing time field (\"timestamp\", \"ts\" or \"time\")");

  e = error_of("{\"a\": 1, \"timestamp\":  \"2024-13-01\"}\n", "d.jsonl");
  CHECK((e.line() == 1 && e.col() == 24));
  CHECK(e.message() == "bad timestamp \"2024-13-01\"");

  e = error_of("{\"ts\": true, \"a\": 1}\n", "d.jsonl");
  CHECK(e.message() == "bad timestamp \"true\"");

  e = error_of("{\"ts\": 1, \"series\": \"cpu\"}\n", "d.jsonl");
  CHECK(e.message() == "missing \"value\"");

  e = error_of("{\"ts\": 1, \"series\": 5, \"value\": 1}\n", "d.jsonl");
  CHECK((e.line() == 1 && e.col() == 21));
  CHECK(e.message() == "\"series\" must be a string");

  e = error_of("{\"ts\": 1, \"series\": \"cpu\", \"value\": \"12abc\"}\n", "d.jsonl");
  CHECK((e.line() == 1 && e.col() == 37));
  CHECK(e.message() == "bad value \"12abc\"");

  e = error_of("{\"ts\": 1, \"series\": \"cpu{\", \"value\": 1}\n", "d.jsonl");
  CHECK(e.message() == "bad series \"cpu{\": missing '}' at offset 3");

  e = error_of("{\"ts\": 1, \"series\": \"cpu\", \"labels\": {\"a\": 1}, \"value\": 1}\n",
               "d.jsonl");
  CHECK(e.message() == "label \"a\" must be a string, found 1");

  e = error_of("{\"ts\": 1, \"series\": \"cpu\", \"labels\": [], \"value\": 1}\n", "d.jsonl");
  CHECK(e.message() == "\"labels\" must be an object of strings");

  e = error_of("{\"ts\": 1, \"cpu usage\": 1}\n", "d.jsonl");
  CHECK((e.line() == 1 && e.col() == 11));
  CHECK(e.message() == "bad series name \"cpu usage\": unexpected 'u' at offset 4");
}

TEST_CASE("JSON lines: skip_bad_rows", "[io][json]") {
  Dataset d = read_skipping(
      "{\"ts\": 1, \"a\": 1}\n"
      "{\"ts\": 2, \"a\": 2, \"b c\": 2}\n"  // bad key: the whole row goes
      "not json\n"
      "{\"ts\": 4, \"a\": 4}\n",
      "d.jsonl");
  CHECK(samples(d) == Strings{"a@1000=1", "a@4000=4"});
  CHECK(d.skipped_rows == 2);
  REQUIRE(d.skipped_examples.size() == 2);
  CHECK(d.skipped_examples[0].rfind("d.jsonl:2:19: bad series name \"b c\"", 0) == 0);
  CHECK(d.skipped_examples[1].rfind("d.jsonl:3:", 0) == 0);
}

TEST_CASE("JSON lines: empty file", "[io][json]") {
  auto e = error_of("\n  \n", "d.jsonl");
  CHECK(e.message() == "empty file");
}

TEST_CASE("JSON lines: numbers out of range", "[io][json]") {
  auto e = error_of("{\"ts\": 1, \"a\": 1e999}\n", "d.jsonl");
  CHECK(e.line() == 1);
  CHECK(e.message() == "bad JSON: number overflow parsing '1e999'");
  e = error_of("{\"ts\": 1e300, \"a\": 1}\n", "d.jsonl");
  CHECK(e.message() == "bad timestamp \"1e+300\"");
  e = error_of("{\"ts\": 18446744073709551615, \"a\": 1}\n", "d.jsonl");
  CHECK(e.message() == "bad timestamp \"18446744073709551615\"");
}

TEST_CASE("JSON lines: a pretty-printed object gets a hint", "[io][json]") {
  auto e = error_of("{\n  \"ts\": 1,\n  \"a\": 2\n}\n", "d.json");
  CHECK((e.line() == 1 && e.col() == 2));
  CHECK(e.message() ==
        "bad JSON: syntax error while parsing object key - unexpected end of input; expected "
        "string literal (JSON lines need one whole object per line)");
}
