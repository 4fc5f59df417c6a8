// The chat client against the scripted server: request shape, retries, Retry-After, timeouts,
// malformed replies, structured-output fallback, the cache and the API key.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "omen/llm.h"
#include "test_server.h"

using namespace omen::llm;
using omen::llm::testing::Reply;
using omen::llm::testing::Server;

namespace {

ClientOptions options_for(const Server& s) {
  ClientOptions o;
  o.base_url = s.base_url();
  o.model = "test-model";
  o.api_key_env = "OMEN_LLM_TEST_KEY_UNSET";
  o.timeout_ms = 5000;
  o.connect_timeout_ms = 2000;
  o.max_retries = 2;
  o.backoff_initial_ms = 20;
  o.backoff_max_ms = 100;
  o.jitter_seed = 42;
  return o;
}

ChatRequest simple_request(const std::string& text = "hello") {
  ChatRequest r;
  r.messages = {{"system", "you write Omen"}, {"user", text}};
  r.schema_name = "omen_candidates";
  r.json_schema = candidates_schema();
  return r;
}

std::string temp_dir(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() /
           ("omen_llm_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("sha256 matches FIPS 180-4 test vectors", "[llm][client]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("a request carries model, sampling parameters and the JSON schema", "[llm][client]") {
  Server s({Reply::completion("ok", 12, 3)});
  Client c(options_for(s));
  ChatResponse r = c.chat(simple_request());
  REQUIRE(r.ok);
  CHECK(r.content == "ok");
  CHECK(r.structured);
  CHECK(r.prompt_tokens == 12);
  CHECK(r.completion_tokens == 3);
  CHECK_FALSE(r.tokens_estimated);
  auto reqs = s.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].method == "POST");
  CHECK(reqs[0].path == "/v1/chat/completions");
  const auto& j = reqs[0].json;
  CHECK(j["model"] == "test-model");
  CHECK(j["seed"] == 1);
  CHECK(j["max_tokens"] == 4096);
  CHECK(j["temperature"] == 0.2);
  CHECK(j["response_format"]["type"] == "json_schema");
  CHECK(j["response_format"]["json_schema"]["name"] == "omen_candidates");
  CHECK(j["response_format"]["json_schema"]["schema"]["required"][0] == "candidates");
  CHECK(reqs[0].headers.count("authorization") == 0);  // no key configured
  CHECK(c.usage().calls == 1);
  CHECK(c.usage().total_tokens() == 15);
}

TEST_CASE("the API key comes from the named variable and is never reported", "[llm][client]") {
  ::setenv("OMEN_LLM_TEST_KEY", "sekrit-key-123", 1);
  Server s({Reply::error(401, "bad key")});
  ClientOptions o = options_for(s);
  o.api_key_env = "OMEN_LLM_TEST_KEY";
  Client c(o);
  ChatResponse r = c.chat(simple_request());
  CHECK_FALSE(r.ok);
  CHECK(r.error_kind == "http");
  CHECK(r.error.find("401") != std::string::npos);
  CHECK(r.error.find("OMEN_LLM_TEST_KEY") != std::string::npos);
  CHECK(r.error.find("sekrit") == std::string::npos);
  REQUIRE(s.requests().size() == 1);  // 401 is not retried
  CHECK(s.requests()[0].headers.at("authorization") == "Bearer sekrit-key-123");
  ::unsetenv("OMEN_LLM_TEST_KEY");
}

TEST_CASE("HTTP 429 with Retry-After is retried after the delay", "[llm][client]") {
  Server s({Reply::error(429, "slow down", {"Retry-After: 1"}), Reply::completion("ok")});
  Client c(options_for(s));
  auto t0 = std::chrono::steady_clock::now();
  ChatResponse r = c.chat(simple_request());
  double took = seconds_since(t0);
  REQUIRE(r.ok);
  CHECK(r.attempts == 2);
  CHECK(c.usage().retries == 1);
  CHECK(took >= 0.95);  // honoured
  CHECK(took < 4.0);    // bounded
  CHECK(s.requests().size() == 2);
}

TEST_CASE("a Retry-After beyond the limit fails at once", "[llm][client]") {
  Server s({Reply::error(429, "come back tomorrow", {"Retry-After: 86400"})});
  ClientOptions o = options_for(s);
  o.max_retry_after_ms = 2000;
  Client c(o);
  auto t0 = std::chrono::steady_clock::now();
  ChatResponse r = c.chat(simple_request());
  CHECK_FALSE(r.ok);
  CHECK(r.error_kind == "retry-after");
  CHECK(r.error.find("86400") != std::string::npos);
  CHECK(seconds_since(t0) < 2.0);
}

TEST_CASE("5xx is retried with backoff until the retries run out", "[llm][client]") {
  Server s(
      {Reply::error(503, "busy"), Reply::error(502, "bad gateway"), Reply::error(500, "oops")});
  Client c(options_for(s));
  ChatResponse r = c.chat(simple_request());
  CHECK_FALSE(r.ok);
  CHECK(r.error_kind == "http");
  CHECK(r.attempts == 3);
  CHECK(r.error.find("HTTP 500") != std::string::npos);
  CHECK(r.error.find("after 3 attempts") != std::string::npos);
  CHECK(c.usage().failures == 1);
}

TEST_CASE("a timeout is retried, then the reply is used", "[llm][client]") {
  Reply slow = Reply::completion("too late");
  slow.delay_ms = 6000;
  Server s({slow, Reply::completion("in time")});
  ClientOptions o = options_for(s);
  o.timeout_ms = 300;
  Client c(o);
  auto t0 = std::chrono::steady_clock::now();
  ChatResponse r = c.chat(simple_request());
  REQUIRE(r.ok);
  CHECK(r.content == "in time");
  CHECK(r.attempts == 2);
  CHECK(seconds_since(t0) < 4.0);  // well under the 6 s the slow reply takes
}

TEST_CASE("timeouts on every attempt give a clear error", "[llm][client]") {
  Reply slow = Reply::completion("too late");
  slow.delay_ms = 6000;
  Server s({slow, slow});
  ClientOptions o = options_for(s);
  o.timeout_ms = 200;
  o.max_retries = 1;
  Client c(o);
  ChatResponse r = c.chat(simple_request());
  CHECK_FALSE(r.ok);
  CHECK(r.error_kind == "timeout");
  CHECK(r.error.find("no reply from") != std::string::npos);
  CHECK(r.error.find("within 200 ms") != std::string::npos);
}

TEST_CASE("the caller's time budget bounds the whole call", "[llm][client]") {
  Reply slow = Reply::completion("too late");
  slow.delay_ms = 6000;
  Server s({slow, slow, slow});
  Client c(options_for(s));
  auto t0 = std::chrono::steady_clock::now();
  ChatResponse r = c.chat(simple_request(), 400);
  CHECK_FALSE(r.ok);
  CHECK(seconds_since(t0) < 3.0);
}

TEST_CASE("a refused connection is a network error", "[llm][client]") {
  int port;
  {
    Server s({});
    port = s.port();
  }
  ClientOptions o;
  o.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  o.model = "m";
  o.max_retries = 1;
  o.backoff_initial_ms = 10;
  Client c(o);
  ChatResponse r = c.chat(simple_request());
  CHECK_FALSE(r.ok);
  CHECK(r.error_kind == "network");
  CHECK(r.error.find("cannot reach") != std::string::npos);
}

TEST_CASE("a body that is not a chat completion is 'malformed'", "[llm][client]") {
  Server s({Reply{200, "this is not json {", {}, 0}, Reply{200, R"({"choices": []})", {}, 0}});
  Client c(options_for(s));
  ChatResponse r = c.chat(simple_request());
  CHECK_FALSE(r.ok);
  CHECK(r.error_kind == "malformed");
  CHECK(r.error.find("not JSON") != std::string::npos);
  ChatResponse r2 = c.chat(simple_request("again"));
  CHECK_FALSE(r2.ok);
  CHECK(r2.error_kind == "malformed");
  CHECK(r2.error.find("choices[0].message") != std::string::npos);
}

TEST_CASE("a reply larger than the limit is refused", "[llm][client]") {
  Server s({Reply::completion(std::string(200000, 'x'))});
  ClientOptions o = options_for(s);
  o.max_reply_bytes = 10000;
  Client c(o);
  ChatResponse r = c.chat(simple_request());
  CHECK_FALSE(r.ok);
  CHECK(r.error_kind == "too-large");
}

TEST_CASE("a server without structured output is asked again in plain text", "[llm][client]") {
  Server s({Reply::error(400, "response_format json_schema is not supported"),
            Reply::completion("```omen\nconst a = 1\n```\n"), Reply::completion("second")});
  Client c(options_for(s));
  ChatResponse r = c.chat(simple_request());
  REQUIRE(r.ok);
  CHECK_FALSE(r.structured);
  auto reqs = s.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].json.contains("response_format"));
  CHECK_FALSE(reqs[1].json.contains("response_format"));
  // The rest of the session does not ask for it again.
  REQUIRE(c.chat(simple_request("next")).ok);
  CHECK_FALSE(s.requests()[2].json.contains("response_format"));
}

TEST_CASE("replies are cached by request and replayed offline", "[llm][client]") {
  std::string dir = temp_dir("cache");
  std::string key;
  {
    Server s({Reply::completion("cached answer", 7, 5)});
    ClientOptions o = options_for(s);
    o.cache_dir = dir;
    Client c(o);
    ChatResponse r = c.chat(simple_request());
    REQUIRE(r.ok);
    CHECK_FALSE(r.cached);
    key = r.cache_key;
    CHECK(key == c.cache_key(simple_request()));
    CHECK(std::filesystem::exists(std::filesystem::path(dir) / (key + ".json")));
  }
  ClientOptions o;
  o.base_url = "http://127.0.0.1:9/v1";  // nothing listens there; offline never connects
  o.model = "test-model";
  o.cache_dir = dir;
  o.offline = true;
  Client c(o);
  ChatResponse r = c.chat(simple_request());
  REQUIRE(r.ok);
  CHECK(r.cached);
  CHECK(r.content == "cached answer");
  CHECK(r.prompt_tokens == 7);
  CHECK(c.usage().cache_hits == 1);
  CHECK(c.usage().http_requests == 0);
  // A different request misses, and offline says so.
  ChatResponse miss = c.chat(simple_request("something else"));
  CHECK_FALSE(miss.ok);
  CHECK(miss.error_kind == "offline");
  CHECK(miss.error.find("no cached reply") != std::string::npos);
  // The key depends on the model and sampling parameters, not on the URL.
  ClientOptions other = o;
  other.base_url = "http://example.invalid/v1";
  CHECK(Client(other).cache_key(simple_request()) == key);
  other.model = "another-model";
  CHECK(Client(other).cache_key(simple_request()) != key);
  other = o;
  other.temperature = 0.7;
  CHECK(Client(other).cache_key(simple_request()) != key);
  std::filesystem::remove_all(dir);
}

TEST_CASE("parse_reply reads JSON candidates, fenced blocks, and says what is wrong",
          "[llm][reply]") {
  ParsedReply j = parse_reply(R"({"candidates": [{"source": "const a = 1", "rationale": "r"},
                                                 {"source": "const b = 2", "rationale": ""}]})");
  REQUIRE(j.ok);
  CHECK(j.from_json);
  REQUIRE(j.sources.size() == 2);
  CHECK(j.sources[1] == "const b = 2");
  CHECK(j.rationales[0] == "r");

  ParsedReply f =
      parse_reply("Sure!\n```omen\nconst a = 1\n```\ntext\n  ```omen\nconst b = 2\n  ```\n");
  REQUIRE(f.ok);
  CHECK_FALSE(f.from_json);
  REQUIRE(f.sources.size() == 2);
  CHECK(f.sources[0] == "const a = 1\n");

  ParsedReply in_json_fence = parse_reply("```json\n{\"candidates\": [{\"source\": \"x\"}]}\n```");
  REQUIRE(in_json_fence.ok);
  CHECK(in_json_fence.sources[0] == "x");

  ParsedReply broken = parse_reply(R"({"candidates": [{"source": "rule )");
  CHECK_FALSE(broken.ok);
  CHECK(broken.error.find("not valid JSON") != std::string::npos);

  ParsedReply wrong = parse_reply(R"({"answer": 42})");
  CHECK_FALSE(wrong.ok);
  CHECK(wrong.error.find("no \"candidates\" array") != std::string::npos);

  ParsedReply prose = parse_reply("You should alert when CPU is high.");
  CHECK_FALSE(prose.ok);
  CHECK(prose.error.find("contains no Omen code") != std::string::npos);

  ParsedReply python = parse_reply("```python\nprint(1)\n```");
  CHECK_FALSE(python.ok);

  ParsedReply cut = parse_reply("```omen\nrule A {\n  on x");
  CHECK_FALSE(cut.ok);
  CHECK(cut.error.find("never closed") != std::string::npos);

  CHECK_FALSE(parse_reply("   ").ok);
}

TEST_CASE("credentials in a base URL are never shown", "[llm][client]") {
  CHECK(redact_url("https://user:pw@api.example.com/v1") == "https://***@api.example.com/v1");
  CHECK(redact_url("http://127.0.0.1:8080/v1") == "http://127.0.0.1:8080/v1");
  CHECK(redact_url("http://host/v1?next=a@b") == "http://host/v1?next=a@b");
  ClientOptions o;
  o.base_url = "http://user:pw@127.0.0.1:9/v1";
  o.model = "m";
  o.max_retries = 0;
  o.connect_timeout_ms = 500;
  Client c(o);
  ChatResponse r = c.chat(simple_request());
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("pw") == std::string::npos);
  CHECK(r.error.find("***@127.0.0.1") != std::string::npos);
}
