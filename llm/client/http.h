// One HTTP POST with libcurl: the only file that sees curl.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace omen::llm::internal {

struct HttpRequest {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"; may hold the Authorization header
  std::string body;
  int64_t connect_timeout_ms = 10'000;
  int64_t timeout_ms = 60'000;
  size_t max_body_bytes = 1 << 20;
};

struct HttpResult {
  enum class Outcome { Ok, Network, Timeout, TooLarge } outcome = Outcome::Network;
  int status = 0;  // HTTP status when outcome == Ok
  std::string body;
  std::string retry_after;  // the Retry-After header value, if any
  std::string error;        // curl's message; never includes request headers
};

/// POSTs `request`. http and https only; no redirects; no signals.
HttpResult http_post(const HttpRequest& request);

/// Parses a Retry-After value (delta-seconds or an HTTP date) into milliseconds from now;
/// -1 when it cannot be read.
int64_t parse_retry_after(const std::string& value);

}  // namespace omen::llm::internal
