#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "io_test_util.h"

using namespace omen::io;
using omen::io::test::error_of;
using omen::io::test::read;
using omen::io::test::samples;
using Strings = std::vector<std::string>;

namespace {

const std::string kFixtures = std::string(OMEN_TEST_DIR) + "/unit/io/fixtures/";

Dataset load(const std::string& file, ReadOptions options = {}) {
  Dataset d;
  read_file(kFixtures + file, options, d);
  return d;
}

}  // namespace

TEST_CASE("read_file: wide CSV fixture", "[io][file]") {
  Dataset d = load("wide.csv");
  REQUIRE(d.series.size() == 3);
  CHECK(omen::format_series(d.series[1]) == "cpu{instance=\"a\",job=\"node\"}");
  CHECK(d.size() == 7);  // 3 + 2 + 2: empty cells are no sample
}

TEST_CASE("read_file: long CSV fixture", "[io][file]") {
  Dataset d = load("long.csv");
  CHECK(samples(d) == Strings{"cpu{instance=\"a\",job=\"node\"}@1704067200000=0.25",
                              "cpu{instance=\"b\",job=\"node\"}@1704067200000=0.5",
                              "cpu{instance=\"a\",job=\"node\"}@1704067260000=0.3",
                              "up@1704067260000=1"});
}

TEST_CASE("read_file: JSON lines fixture", "[io][file]") {
  Dataset d = load("metrics.jsonl");
  CHECK(samples(d) == Strings{"cpu{instance=\"a\"}@1704067200000=0.25", "mem@1704067200000=1024",
                              "cpu{instance=\"a\"}@1704067260500=0.3"});
  CHECK(d.series.size() == 3);  // swap: null, no sample, but the series exists
}

TEST_CASE("read_file: NAB file", "[io][file]") {
  Dataset d = load("nab_sample.csv");
  CHECK(samples(d) == Strings{"value@1396310400000=19.761252", "value@1396310700000=20.500833",
                              "value@1396311000000=19.961641"});
}

TEST_CASE("read_file: CRLF with a BOM", "[io][file]") {
  Dataset d = load("crlf_bom.csv");
  CHECK(samples(d) == Strings{"a@1000=1", "b@1000=2", "a@2000=3", "b@2000=4"});
}

TEST_CASE("read_file: unknown extension is sniffed", "[io][file]") {
  CHECK(samples(load("jsonl_data.txt")) == Strings{"x@1000=1", "x@2000=2"});
  CHECK(samples(load("csv_data.txt")) == Strings{"x@1000=1", "x@2000=2"});
  // Extensions are case-insensitive; .json holding JSON lines is JSON lines.
  CHECK(read("{\"ts\": 1, \"x\": 1}\n", "A.JSONL").size() == 1);
  CHECK(read("{\"ts\": 1, \"x\": 1}\n", "a.json").size() == 1);
  // A .csv is CSV even if it starts with '{' (a series key column would not, but a name could).
  CHECK_THROWS_AS(read("{\"ts\": 1}\n", "a.csv"), DataError);
  // Format given explicitly wins over the extension.
  ReadOptions o;
  o.format = Format::JsonLines;
  CHECK(read("{\"ts\": 1, \"x\": 1}\n", "a.csv", o).size() == 1);
}

TEST_CASE("read_file: a file that cannot be read", "[io][file]") {
  Dataset d;
  try {
    read_file(kFixtures + "no-such-file.csv", {}, d);
    FAIL("expected a DataError");
  } catch (const DataError& e) {
    CHECK(e.line() == 0);
    CHECK(e.message() == "cannot read file: No such file or directory");
    CHECK(std::string(e.what()) ==
          kFixtures + "no-such-file.csv: cannot read file: No such file or directory");
  }
  ReadOptions skip;
  skip.skip_bad_rows = true;
  try {
    read_file(kFixtures, skip, d);  // a directory
    FAIL("expected a DataError");
  } catch (const DataError& e) {
    CHECK(e.message() == "cannot read file: Is a directory");
  }
}

TEST_CASE("DataError renders file:line:col", "[io][file]") {
  CHECK(std::string(DataError("f.csv", 3, 7, "boom").what()) == "f.csv:3:7: boom");
  CHECK(std::string(DataError("f.csv", 3, 0, "boom").what()) == "f.csv:3: boom");
  CHECK(std::string(DataError("f.csv", 0, 0, "boom").what()) == "f.csv: boom");
}

TEST_CASE("Dataset::intern", "[io][file]") {
  Dataset d;
  CHECK(d.intern({"a", {}}) == 0);
  CHECK(d.intern({"a", {{"x", "1"}}}) == 1);
  CHECK(d.intern({"a", {}}) == 0);
  d.series.push_back({"b", {}});  // appended directly: picked up by the index
  CHECK(d.intern({"b", {}}) == 2);
  CHECK(d.intern({"c", {}}) == 3);
  d.series.clear();  // shrunk: index rebuilt
  CHECK(d.intern({"c", {}}) == 0);
  CHECK(d.series.size() == 1);
}
