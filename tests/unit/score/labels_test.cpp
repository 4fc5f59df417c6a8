// Label readers: the three formats, and their errors (each with file and line).
#include <catch2/catch.hpp>

#include "omen/score.h"
#include "test_util.h"

using namespace omen::score;
using Catch::Matchers::Contains;
using omen::TimeMs;

namespace {

TimeMs T(const char* s) {
  return *parse_time(s);
}

}  // namespace

TEST_CASE("NAB windows: the windows of one file key", "[score][labels]") {
  const auto r =
      read_labels("nab:" + test::fixture("nab_windows_excerpt.json"), "realTraffic/speed_7578.csv");
  REQUIRE(r.ok());
  const LabelSet& ls = r.value();
  CHECK(ls.axis == TimeAxis::kTimestamp);
  REQUIRE(ls.windows.size() == 4);
  CHECK(ls.windows[0] == Window{T("2015-09-11 15:34:00"), T("2015-09-11 17:54:00")});
  CHECK(ls.windows[3] == Window{T("2015-09-16 16:00:00"), T("2015-09-16 18:20:00")});
  CHECK_THAT(ls.source, Contains("#realTraffic/speed_7578.csv"));

  const auto none = read_labels("nab:" + test::fixture("nab_windows_excerpt.json"),
                                "artificialNoAnomaly/art_daily_no_noise.csv");
  REQUIRE(none.ok());
  CHECK(none.value().windows.empty());
}

TEST_CASE("NAB windows: every key at once", "[score][labels]") {
  const auto r = read_nab_windows_all(test::fixture("nab_windows_excerpt.json"));
  REQUIRE(r.ok());
  CHECK(r.value().size() == 3);
  CHECK(r.value().at("realKnownCause/nyc_taxi.csv").windows.size() == 5);
}

TEST_CASE("NAB windows: errors", "[score][labels]") {
  SECTION("unknown key, with a suggestion") {
    const auto r = read_labels("nab:" + test::fixture("nab_windows_excerpt.json"), "nyc_taxi.csv");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().str(), Contains("nab_windows_excerpt.json: error: unknown file key "
                                         "'nyc_taxi.csv' (did you mean "
                                         "'realKnownCause/nyc_taxi.csv'?)"));
  }
  SECTION("bad timestamp, with its line") {
    const std::string text =
        "{\n"
        "  \"a.csv\": [\n"
        "    [\"2015-09-11 15:34:00.000000\",\n"
        "     \"2015-09-11 17:61:00.000000\"]\n"
        "  ]\n"
        "}\n";
    const auto r = parse_nab_windows(text, "w.json", "a.csv");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().line == 4);
    CHECK_THAT(r.error().str(), Contains("w.json:4: error: in 'a.csv': bad timestamp "
                                         "'2015-09-11 17:61:00.000000'"));
  }
  SECTION("end before start") {
    const std::string text =
        "{\"b.csv\": [],\n"
        " \"a.csv\": [\n"
        "   [\"2015-09-11 15:34:00\", \"2015-09-11 17:54:00\"],\n"
        "   [\"2015-09-12 15:34:00\", \"2015-09-12 10:00:00\"]\n"
        " ]}\n";
    const auto r = parse_nab_windows(text, "w.json", "a.csv");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().line == 4);
    CHECK_THAT(r.error().message, Contains("window ends before it starts"));
  }
  SECTION("overlapping windows") {
    const std::string text =
        "{\"a.csv\": [\n"
        "   [\"2015-09-11 15:34:00\", \"2015-09-11 17:54:00\"],\n"
        "   [\"2015-09-11 17:00:00\", \"2015-09-11 18:00:00\"]\n"
        " ]}\n";
    const auto r = parse_nab_windows(text, "w.json", "a.csv");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().line == 3);
    CHECK_THAT(r.error().message, Contains("overlaps window [2015-09-11 15:34:00, "
                                           "2015-09-11 17:54:00] at line 2"));
  }
  SECTION("windows sharing an instant overlap too") {
    const std::string text =
        "{\"a.csv\": [[\"2015-09-11 15:34:00\", \"2015-09-11 17:54:00\"],\n"
        "             [\"2015-09-11 17:54:00\", \"2015-09-11 18:00:00\"]]}";
    const auto r = parse_nab_windows(text, "w.json", "a.csv");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().line == 2);
  }
  SECTION("invalid JSON, with its line") {
    const auto r =
        parse_nab_windows("{\n \"a.csv\": [\n  [\"x\", \"y\"],\n ]\n}", "w.json", "a.csv");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().line == 4);
    CHECK_THAT(r.error().message, Contains("invalid JSON"));
  }
  SECTION("wrong shapes") {
    CHECK_FALSE(parse_nab_windows("[1, 2]", "w.json", "a.csv").ok());
    CHECK_FALSE(parse_nab_windows("{\"a.csv\": 3}", "w.json", "a.csv").ok());
    const auto r = parse_nab_windows("{\"a.csv\": [[\"2015-09-11 15:34:00\"]]}", "w.json", "a.csv");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Contains("pair of timestamp strings"));
  }
  SECTION("missing file") {
    const auto r = read_labels("nab:/nonexistent/w.json", "a.csv");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().str(), Contains("/nonexistent/w.json: error: cannot read"));
  }
  SECTION("missing key argument and bad spec") {
    CHECK_THAT(read_labels("nab:" + test::fixture("nab_windows_excerpt.json")).error().message,
               Contains("--key"));
    CHECK_THAT(read_labels("csv:x.csv").error().message, Contains("nab:FILE"));
  }
}

TEST_CASE("point labels: Argos layout value,label,index", "[score][labels]") {
  const auto r = read_labels("points:" + test::fixture("argos_points.csv"));
  REQUIRE(r.ok());
  const LabelSet& ls = r.value();
  CHECK(ls.axis == TimeAxis::kIndex);
  REQUIRE(ls.windows.size() == 2);
  CHECK(ls.windows[0] == Window{3, 4});
  CHECK(ls.windows[1] == Window{9, 9});
}

TEST_CASE("point labels: timestamps, and a segment running to the end", "[score][labels]") {
  const std::string text =
      "timestamp,value,label\n"
      "2024-01-01 00:00:00,1,0\n"
      "2024-01-01 00:01:00,1,1\n"
      "2024-01-01 00:02:00,1,1.0\n"
      "2024-01-01 00:03:00,1,0\n"
      "\n"
      "2024-01-01 00:04:00,1,1\n";
  const auto r = parse_point_labels(text, "p.csv");
  REQUIRE(r.ok());
  CHECK(r.value().axis == TimeAxis::kTimestamp);
  REQUIRE(r.value().windows.size() == 2);
  CHECK(r.value().windows[0] == Window{T("2024-01-01 00:01:00"), T("2024-01-01 00:02:00")});
  CHECK(r.value().windows[1] == Window{T("2024-01-01 00:04:00"), T("2024-01-01 00:04:00")});
}

TEST_CASE("point labels: no column names the time: rows are indices", "[score][labels]") {
  const auto r = parse_point_labels("value,label\n1,0\n2,1\n3,1\n", "p.csv");
  REQUIRE(r.ok());
  CHECK(r.value().axis == TimeAxis::kIndex);
  REQUIRE(r.value().windows.size() == 1);
  CHECK(r.value().windows[0] == Window{1, 2});
}

TEST_CASE("point labels: errors", "[score][labels]") {
  SECTION("a label that is not 0/1") {
    const auto r = parse_point_labels("value,label,index\n1,0,0\n2,2,1\n", "p.csv");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().str() == "p.csv:3: error: label must be 0 or 1, found '2'");
  }
  SECTION("no label column") {
    const auto r = parse_point_labels("value,index\n1,0\n", "p.csv");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().line == 1);
    CHECK_THAT(r.error().message, Contains("no 'label' column"));
  }
  SECTION("bad timestamp") {
    const auto r =
        parse_point_labels("timestamp,label\n2024-01-01 00:00:00,0\nyesterday,1\n", "p.csv");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().line == 3);
  }
  SECTION("index going backwards") {
    const auto r = parse_point_labels("value,label,index\n1,0,5\n1,0,4\n", "p.csv");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().line == 3);
    CHECK_THAT(r.error().message, Contains("goes backwards"));
  }
  SECTION("ragged row") {
    const auto r = parse_point_labels("value,label,index\n1,0,5\n1,0\n", "p.csv");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().str() ==
          "p.csv:3: error: column 4: expected 3 fields (as in the header), found 2");
  }
  SECTION("empty file") {
    CHECK_FALSE(parse_point_labels("", "p.csv").ok());
  }
}

TEST_CASE("window CSV: timestamps, listed in any order", "[score][labels]") {
  const auto r = read_labels("windows:" + test::fixture("windows.csv"));
  REQUIRE(r.ok());
  CHECK(r.value().axis == TimeAxis::kTimestamp);
  REQUIRE(r.value().windows.size() == 2);
  CHECK(r.value().windows[0].start == T("2015-09-11 15:34:00"));
  CHECK(r.value().windows[1].start == T("2015-09-15 13:26:00"));
}

TEST_CASE("window CSV: integers are row indices; quoted fields", "[score][labels]") {
  const auto r = parse_window_csv("\"start\",\"end\"\r\n10,20\r\n\"30\", 31\r\n", "w.csv");
  REQUIRE(r.ok());
  CHECK(r.value().axis == TimeAxis::kIndex);
  REQUIRE(r.value().windows.size() == 2);
  CHECK(r.value().windows[1] == Window{30, 31});
}

TEST_CASE("window CSV: errors", "[score][labels]") {
  SECTION("bad timestamp") {
    const auto r = parse_window_csv(
        "start,end\n2015-09-11 15:34:00,2015-09-11 17:54:00\n2015-09-31,2015-09-12 10:00:00\n",
        "w.csv");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().line == 3);
    CHECK_THAT(r.error().message, Contains("bad start timestamp '2015-09-31'"));
  }
  SECTION("end before start") {
    const auto r = parse_window_csv("start,end\n10,20\n40,30\n", "w.csv");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().str() == "w.csv:3: error: window ends before it starts: [40, 30]");
  }
  SECTION("overlap is reported at the later line even when listed out of order") {
    const auto r = parse_window_csv("start,end\n50,60\n10,20\n15,25\n", "w.csv");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().line == 4);
    CHECK_THAT(r.error().message, Contains("[15, 25] overlaps window [10, 20] at line 3"));
  }
  SECTION("missing columns") {
    const auto r = parse_window_csv("from,to\n1,2\n", "w.csv");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().line == 1);
  }
}

TEST_CASE("no windows at all is valid", "[score][labels]") {
  const auto r = parse_window_csv("start,end\n", "w.csv");
  REQUIRE(r.ok());
  CHECK(r.value().windows.empty());
}
