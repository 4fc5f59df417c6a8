#include "llm/client/http.h"
#include "omen/llm.h"

#include <dlfcn.h>

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

// libcurl, loaded on the first request: linked normally it brings about 30 shared objects
// (TLS, Kerberos, LDAP, IDN, ...) into every `omen` process, ~20 ms of start-up that only
// `omen propose` needs. Only the functions below are used, through these pointers.
struct Curl {
  CURLcode (*global_init)(long);
  CURL* (*easy_init)();
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  const char* (*easy_strerror)(CURLcode);
  void (*easy_cleanup)(CURL*);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
  time_t (*getdate)(const char*, const time_t*);
  std::string error;  // why libcurl could not be loaded ("" if it was)
};

const Curl& curl_library() {
  static const Curl c = [] {
    Curl c{};
    void* h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char* e = dlerror();
      c.error = std::string("cannot load libcurl (libcurl4 package): ") + (e ? e : "dlopen failed");
      return c;
    }
    bool ok = true;
    auto sym = [&](auto& fn, const char* name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(h, name));
      if (!fn && ok) {
        ok = false;
        c.error = std::string("libcurl has no ") + name;
      }
    };
    sym(c.global_init, "curl_global_init");
    sym(c.easy_init, "curl_easy_init");
    sym(c.easy_setopt, "curl_easy_setopt");
    sym(c.easy_perform, "curl_easy_perform");
    sym(c.easy_getinfo, "curl_easy_getinfo");
    sym(c.easy_strerror, "curl_easy_strerror");
    sym(c.easy_cleanup, "curl_easy_cleanup");
    sym(c.slist_append, "curl_slist_append");
    sym(c.slist_free_all, "curl_slist_free_all");
    sym(c.getdate, "curl_getdate");
    if (ok) c.global_init(CURL_GLOBAL_DEFAULT);
    return c;
  }();
  return c;
}

}  // namespace

HttpResult http_post(const HttpRequest& request) {
  HttpResult r;
  const Curl& lib = curl_library();
  if (!lib.error.empty()) {
    r.outcome = HttpResult::Outcome::Network;
    r.error = lib.error;
    return r;
  }
  // curl.h's type-checking curl_easy_setopt() macro calls whatever this name is in scope:
  // here, the loaded function.
  auto curl_easy_setopt = lib.easy_setopt;
  CURL* curl = lib.easy_init();
  if (!curl) {
    r.error = "cannot initialise libcurl";
    return r;
  }
  curl_slist* headers = nullptr;
  for (const auto& h : request.headers) headers = lib.slist_append(headers, h.c_str());
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
  CURLcode code = lib.easy_perform(curl);
  long status = 0;
  lib.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  r.status = static_cast<int>(status);
  r.retry_after = sink.retry_after;
  if (sink.too_large) {
    r.outcome = HttpResult::Outcome::TooLarge;
    r.error = "the response is larger than " + std::to_string(request.max_body_bytes) + " bytes";
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    r.outcome = HttpResult::Outcome::Timeout;
    r.error = errbuf[0] ? errbuf : lib.easy_strerror(code);
  } else if (code != CURLE_OK) {
    r.outcome = HttpResult::Outcome::Network;
    r.error = errbuf[0] ? errbuf : lib.easy_strerror(code);
  } else {
    r.outcome = HttpResult::Outcome::Ok;
  }
  lib.slist_free_all(headers);
  lib.easy_cleanup(curl);
  return r;
}

int64_t parse_retry_after(const std::string& value) {
  if (value.empty()) return -1;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (value.size() > 9) return INT64_MAX / 4;
    return std::stoll(value) * 1000;
  }
  const Curl& lib = curl_library();
  if (!lib.error.empty()) return -1;
  time_t when = lib.getdate(value.c_str(), nullptr);
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
