// The chat client: request bodies, the disk cache, retries with backoff, reply accounting.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "llm/client/http.h"
#include "omen/llm.h"

namespace omen::llm {

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// A short, single-line excerpt of a server's error body (its error.message when it is JSON).
std::string error_excerpt(const std::string& body) {
  std::string text = body;
  try {
    json j = json::parse(body);
    if (j.contains("error")) {
      const json& e = j["error"];
      if (e.is_object() && e.contains("message") && e["message"].is_string())
        text = e["message"].get<std::string>();
      else if (e.is_string())
        text = e.get<std::string>();
    }
  } catch (const std::exception&) {
  }
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (text.size() > 300) text = text.substr(0, 300) + "...";
  return text;
}

bool retryable_status(int status) {
  return status == 408 || status == 429 || status >= 500;
}

}  // namespace

struct Client::Impl {
  ClientOptions options;
  Usage usage;
  bool structured_supported = true;
  std::mt19937_64 rng;

  json body_json(const ChatRequest& request, bool with_schema) const {
    json messages = json::array();
    for (const auto& m : request.messages)
      messages.push_back({{"role", m.role}, {"content", m.content}});
    json body = {{"model", options.model},
                 {"messages", messages},
                 {"max_tokens", options.max_tokens},
                 {"temperature", options.temperature}};
    if (options.seed) body["seed"] = *options.seed;
    if (with_schema && !request.json_schema.empty()) {
      json schema;
      try {
        schema = json::parse(request.json_schema);
      } catch (const std::exception&) {
        schema = json::object();
      }
      body["response_format"] = {
          {"type", "json_schema"},
          {"json_schema",
           {{"name", request.schema_name.empty() ? "reply" : request.schema_name},
            {"strict", true},
            {"schema", schema}}}};
    }
    return body;
  }

  std::string logical_body(const ChatRequest& request) const {
    return body_json(request, options.structured_output)
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  std::filesystem::path cache_path(const std::string& key) const {
    return std::filesystem::path(options.cache_dir) / (key + ".json");
  }

  // A cached raw response body for `key`, if the entry is intact and for this request.
  std::optional<std::string> cache_get(const std::string& key, const std::string& body) const {
    if (options.cache_dir.empty()) return std::nullopt;
    std::ifstream f(cache_path(key), std::ios::binary);
    if (!f) return std::nullopt;
    std::stringstream ss;
    ss << f.rdbuf();
    try {
      json entry = json::parse(ss.str());
      if (entry.value("key", "") != key ||
          entry["request"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) !=
              json::parse(body).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        return std::nullopt;
      return entry.at("response").get<std::string>();
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }

  void cache_put(const std::string& key, const std::string& body, const std::string& response,
                 bool structured) {
    if (options.cache_dir.empty()) return;
    std::error_code ec;
    std::filesystem::create_directories(options.cache_dir, ec);
    json entry = {{"key", key},
                  {"model", options.model},
                  {"structured", structured},
                  {"request", json::parse(body)},
                  {"response", response}};
    auto path = cache_path(key);
    auto tmp = path;
    tmp += fmt::format(".tmp{}", static_cast<unsigned long long>(rng() & 0xffffff));
    {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      f << entry.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      if (!f) return;
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) std::filesystem::remove(tmp, ec);
  }

  // Reads a chat completion body into `out`; false with out.error set when it is not one.
  static bool read_completion(const std::string& body, ChatResponse& out) {
    json j;
    try {
      j = json::parse(body);
    } catch (const std::exception& e) {
      out.error_kind = "malformed";
      out.error = fmt::format("the server's reply is not JSON ({})", e.what());
      return false;
    }
    if (!j.is_object() || !j.contains("choices") || !j["choices"].is_array() ||
        j["choices"].empty() || !j["choices"][0].is_object() ||
        !j["choices"][0].contains("message") || !j["choices"][0]["message"].is_object()) {
      out.error_kind = "malformed";
      out.error = j.is_object() && j.contains("error")
                      ? "the server returned an error: " + error_excerpt(body)
                      : "the server's reply is not a chat completion (no choices[0].message)";
      return false;
    }
    const json& choice = j["choices"][0];
    const json& msg = choice["message"];
    if (msg.contains("content") && msg["content"].is_string())
      out.content = msg["content"].get<std::string>();
    else if (msg.contains("refusal") && msg["refusal"].is_string())
      out.content = msg["refusal"].get<std::string>();
    if (choice.contains("finish_reason") && choice["finish_reason"].is_string())
      out.finish_reason = choice["finish_reason"].get<std::string>();
    out.tokens_estimated = true;
    if (j.contains("usage") && j["usage"].is_object()) {
      const json& u = j["usage"];
      if (u.contains("prompt_tokens") && u["prompt_tokens"].is_number_integer() &&
          u.contains("completion_tokens") && u["completion_tokens"].is_number_integer()) {
        out.prompt_tokens = u["prompt_tokens"].get<int64_t>();
        out.completion_tokens = u["completion_tokens"].get<int64_t>();
        out.tokens_estimated = false;
      }
    }
    return true;
  }

  int64_t backoff_ms(int retry) {
    int64_t base = options.backoff_initial_ms;
    for (int i = 0; i < retry && base < options.backoff_max_ms; ++i) base *= 2;
    base = std::min(base, options.backoff_max_ms);
    // "Equal jitter": half fixed, half random, so retries of many clients spread out.
    std::uniform_int_distribution<int64_t> half(0, std::max<int64_t>(0, base / 2));
    return base - base / 2 + half(rng);
  }
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  uint64_t seed = impl_->options.jitter_seed;
  if (seed == 0) seed = static_cast<uint64_t>(Clock::now().time_since_epoch().count());
  impl_->rng.seed(seed);
}

Client::~Client() = default;

const Usage& Client::usage() const {
  return impl_->usage;
}
const ClientOptions& Client::options() const {
  return impl_->options;
}

std::string Client::cache_key(const ChatRequest& request) const {
  return sha256_hex(impl_->logical_body(request));
}

ChatResponse Client::chat(const ChatRequest& request, int64_t budget_ms) {
  Impl& im = *impl_;
  const ClientOptions& o = im.options;
  auto t0 = Clock::now();
  ChatResponse out;
  const std::string body = im.logical_body(request);
  out.cache_key = sha256_hex(body);
  ++im.usage.calls;
  auto finish = [&](ChatResponse& r) -> ChatResponse {
    r.millis = ms_since(t0);
    im.usage.seconds += r.millis / 1000;
    if (!r.ok) {
      ++im.usage.failures;
      r.content.clear();
    } else {
      if (r.tokens_estimated) {
        r.prompt_tokens = static_cast<int64_t>(body.size() / 4);
        r.completion_tokens = static_cast<int64_t>(r.content.size() / 4);
        im.usage.estimated = true;
      }
      im.usage.prompt_tokens += r.prompt_tokens;
      im.usage.completion_tokens += r.completion_tokens;
    }
    return std::move(r);
  };

  if (auto hit = im.cache_get(out.cache_key, body)) {
    if (Impl::read_completion(*hit, out)) {
      out.ok = true;
      out.cached = true;
      ++im.usage.cache_hits;
      return finish(out);
    }
    out = ChatResponse{};
    out.cache_key = sha256_hex(body);
  }
  if (o.offline) {
    out.error_kind = "offline";
    out.error =
        fmt::format("offline: no cached reply for request {} in '{}'", out.cache_key,
                    o.cache_dir.empty() ? std::string("(no --cache directory)") : o.cache_dir);
    return finish(out);
  }
  if (o.model.empty()) {
    out.error_kind = "http";
    out.error = "no model given (--model)";
    return finish(out);
  }

  internal::HttpRequest http;
  std::string base = o.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  http.url = base + "/chat/completions";
  const std::string shown_url = redact_url(http.url);
  // "Expect:" turns off curl's 100-continue handshake, which some servers never answer.
  http.headers = {"Content-Type: application/json", "Accept: application/json", "Expect:"};
  if (!o.api_key_env.empty()) {
    const char* key = std::getenv(o.api_key_env.c_str());
    if (key && *key) http.headers.push_back(std::string("Authorization: Bearer ") + key);
  }
  http.connect_timeout_ms = o.connect_timeout_ms;
  http.max_body_bytes = o.max_reply_bytes;
  auto remaining = [&]() -> int64_t {
    if (budget_ms <= 0) return INT64_MAX / 4;
    return budget_ms - static_cast<int64_t>(ms_since(t0));
  };

  int retry = 0;
  while (true) {
    bool structured =
        o.structured_output && im.structured_supported && !request.json_schema.empty();
    http.body = structured ? body
                           : im.body_json(request, false)
                                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    int64_t left = remaining();
    if (left <= 0) {
      out.error_kind = "budget";
      out.error = "the time budget ran out before the model replied";
      return finish(out);
    }
    http.timeout_ms = std::min(o.timeout_ms, left);
    http.connect_timeout_ms = std::min(o.connect_timeout_ms, left);
    ++out.attempts;
    ++im.usage.http_requests;
    internal::HttpResult r = internal::http_post(http);
    out.http_status = r.status;
    std::string failure, kind;
    int64_t wait = -1;
    if (r.outcome == internal::HttpResult::Outcome::TooLarge) {
      out.error_kind = "too-large";
      out.error = fmt::format("{} from {}", r.error, shown_url);
      return finish(out);
    } else if (r.outcome == internal::HttpResult::Outcome::Timeout) {
      kind = "timeout";
      failure = fmt::format("no reply from {} within {} ms", shown_url, http.timeout_ms);
    } else if (r.outcome == internal::HttpResult::Outcome::Network) {
      kind = "network";
      failure = fmt::format("cannot reach {}: {}", shown_url, r.error);
    } else if (r.status == 200) {
      if (!Impl::read_completion(r.body, out)) return finish(out);
      out.ok = true;
      out.structured = structured;
      im.cache_put(out.cache_key, body, r.body, structured);
      return finish(out);
    } else if (structured && (r.status == 400 || r.status == 422) &&
               (lower(r.body).find("response_format") != std::string::npos ||
                lower(r.body).find("json_schema") != std::string::npos)) {
      // The server does not do structured output: ask again in plain text (fenced replies).
      im.structured_supported = false;
      continue;
    } else if (retryable_status(r.status)) {
      kind = "http";
      failure = fmt::format("HTTP {} from {}: {}", r.status, shown_url, error_excerpt(r.body));
      wait = internal::parse_retry_after(r.retry_after);
      if (wait > o.max_retry_after_ms) {
        out.error_kind = "retry-after";
        out.error = fmt::format(
            "HTTP {} from {}: the server asks to retry after {} s, more than the {} s allowed "
            "(max_retry_after_ms)",
            r.status, shown_url, wait / 1000, o.max_retry_after_ms / 1000);
        return finish(out);
      }
    } else {
      out.error_kind = "http";
      std::string hint;
      if (r.status == 401 || r.status == 403)
        hint = fmt::format(" (check the API key in ${})", o.api_key_env);
      else if (r.status == 404)
        hint = " (check --base-url, which should end in /v1, and --model)";
      out.error =
          fmt::format("HTTP {} from {}: {}{}", r.status, shown_url, error_excerpt(r.body), hint);
      return finish(out);
    }
    if (retry >= o.max_retries) {
      out.error_kind = kind;
      out.error = fmt::format("{} (after {} attempt{})", failure, out.attempts,
                              out.attempts == 1 ? "" : "s");
      return finish(out);
    }
    int64_t delay = wait >= 0 ? wait : im.backoff_ms(retry);
    if (delay >= remaining()) {
      out.error_kind = "budget";
      out.error = fmt::format("{}; the time budget ends before the next attempt", failure);
      return finish(out);
    }
    ++retry;
    ++im.usage.retries;
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
  }
}

}  // namespace omen::llm
