#include "llm/client/http.h"
#include "omen/llm.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <mutex>

#include <curl/curl.h>

namespace omen::llm::internal {

namespace {

struct Sink {
  std::string* body;
  size_t max;
  bool too_large = false;
  std::string retry_after;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<Sink*>(user);
  size_t bytes = size * n;
  if (s->body->size() + bytes > s->max) {
    s->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  s->body->append(data, bytes);
  return bytes;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<Sink*>(user);
  std::string line(data, size * n);
  static const std::string name = "retry-after:";
  if (line.size() > name.size()) {
    std::string head = line.substr(0, name.size());
    std::transform(head.begin(), head.end(), head.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (head == name) {
      std::string v = line.substr(name.size());
      auto not_space = [](unsigned char c) { return !std::isspace(c); };
      v.erase(v.begin(), std::find_if(v.begin(), v.end(), not_space));
      v.erase(std::find_if(v.rbegin(), v.rend(), not_space).base(), v.end());
      s->retry_after = v;
    }
  }
  return size * n;
}

}  // namespace

HttpResult http_post(const HttpRequest& request) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  HttpResult r;
  CURL* curl = curl_easy_init();
  if (!curl) {
    r.error = "cannot initialise libcurl";
    return r;
  }
  curl_slist* headers = nullptr;
  for (const auto& h : request.headers) headers = curl_slist_append(headers, h.c_str());
  Sink sink{&r.body, request.max_body_bytes};
  char errbuf[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::max<int64_t>(1, request.connect_timeout_ms)));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(std::max<int64_t>(1, request.timeout_ms)));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // whatever curl can decode
  CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  r.status = static_cast<int>(status);
  r.retry_after = sink.retry_after;
  if (sink.too_large) {
    r.outcome = HttpResult::Outcome::TooLarge;
    r.error = "the response is larger than " + std::to_string(request.max_body_bytes) + " bytes";
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    r.outcome = HttpResult::Outcome::Timeout;
    r.error = errbuf[0] ? errbuf : curl_easy_strerror(code);
  } else if (code != CURLE_OK) {
    r.outcome = HttpResult::Outcome::Network;
    r.error = errbuf[0] ? errbuf : curl_easy_strerror(code);
  } else {
    r.outcome = HttpResult::Outcome::Ok;
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return r;
}

int64_t parse_retry_after(const std::string& value) {
  if (value.empty()) return -1;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (value.size() > 9) return INT64_MAX / 4;
    return std::stoll(value) * 1000;
  }
  time_t when = curl_getdate(value.c_str(), nullptr);
  if (when < 0) return -1;
  int64_t delta = (static_cast<int64_t>(when) - static_cast<int64_t>(std::time(nullptr))) * 1000;
  return std::max<int64_t>(0, delta);
}

}  // namespace omen::llm::internal

namespace omen::llm {

std::string redact_url(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  size_t host = scheme + 3;
  size_t end = url.find_first_of("/?#", host);
  size_t at = url.rfind('@', end == std::string::npos ? url.size() : end);
  if (at == std::string::npos || at < host) return url;
  return url.substr(0, host) + "***" + url.substr(at);
}

}  // namespace omen::llm
