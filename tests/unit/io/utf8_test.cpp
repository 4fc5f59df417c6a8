// UTF-8 validation, lenient decoding and the size-limited reader (docs/reliability.md).
#include <cstdio>
#include <string>

#include <catch2/catch.hpp>

#include "core/io/dataset.h"
#include "core/io/text_file.h"
#include "core/io/utf8.h"

using namespace omen::io;

TEST_CASE("find_invalid_utf8: valid text, every length of sequence", "[io][utf8]") {
  CHECK(find_invalid_utf8("") == std::string::npos);
  CHECK(find_invalid_utf8("plain ascii\n") == std::string::npos);
  CHECK(find_invalid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == std::string::npos);
  CHECK(find_invalid_utf8("\xF4\x8F\xBF\xBF") == std::string::npos);  // U+10FFFF
}

TEST_CASE("find_invalid_utf8: the first bad byte", "[io][utf8]") {
  CHECK(find_invalid_utf8("caf\xE9 au lait") == 3);   // Latin-1
  CHECK(find_invalid_utf8("\xFF") == 0);              // never valid
  CHECK(find_invalid_utf8("ab\xC3") == 2);            // truncated
  CHECK(find_invalid_utf8("\xC0\xAF") == 0);          // overlong '/'
  CHECK(find_invalid_utf8("\xE0\x80\xAF") == 0);      // overlong, 3 bytes
  CHECK(find_invalid_utf8("x\xED\xA0\x80") == 1);     // surrogate U+D800
  CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0);  // above U+10FFFF
  CHECK(find_invalid_utf8("\xE2\x82"
                          "A") == 0);                                     // bad continuation
  CHECK(find_invalid_utf8(std::string("a\0b", 3)) == std::string::npos);  // NUL is ASCII
}

TEST_CASE("replace_invalid_utf8: each bad byte becomes U+FFFD, counted", "[io][utf8]") {
  std::string s = "caf\xE9 \xFF\xFE ok \xC3\xA9";
  size_t first = 0;
  CHECK(replace_invalid_utf8(s, &first) == 3);
  CHECK(first == 3);
  CHECK(s == "caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD ok \xC3\xA9");
  CHECK(find_invalid_utf8(s) == std::string::npos);
  std::string good = "fine";
  CHECK(replace_invalid_utf8(good) == 0);
  CHECK(good == "fine");
}

TEST_CASE("text_pos: 1-based line and byte column", "[io][utf8]") {
  TextPos p = text_pos("ab\ncd\xE9", 5);
  CHECK(p.line == 2);
  CHECK(p.col == 3);
}

TEST_CASE("data files are decoded leniently, counted once", "[io][utf8]") {
  Dataset d;
  read_text("timestamp,\"x{host=\"\"caf\xE9\"\"}\"\n1704067200,5\n", "bad.csv", {}, d);
  REQUIRE(d.series.size() == 1);
  CHECK(omen::format_series(d.series[0]) == "x{host=\"caf\xEF\xBF\xBD\"}");
  CHECK(d.replaced_bytes == 1);
  CHECK(d.replaced_first == "bad.csv:1:24");
}

TEST_CASE("read_text_file stops at the limit", "[io][file]") {
  std::string out;
  CHECK(read_text_file("/dev/zero", 1 << 20, &out) == ReadStatus::TooLarge);
  CHECK(out.empty());
  int err = 0;
  CHECK(read_text_file("/nonexistent/omen", 10, &out, &err) == ReadStatus::Error);
  CHECK(err != 0);
  std::string path = std::string(OMEN_TEST_DIR) + "/hostile/r.omen";
  CHECK(read_text_file(path, 1 << 20, &out) == ReadStatus::Ok);
  CHECK(out.size() == 50);
  CHECK(read_text_file(path, 50, &out) == ReadStatus::Ok);
  CHECK(read_text_file(path, 49, &out) == ReadStatus::TooLarge);
}
