#include "llm/loop_util.h"

#include <cstring>

#include <fmt/format.h>

#include "core/io/text_file.h"
#include "core/io/utf8.h"

namespace omen::llm::internal {

bool read_text(const std::string& path, std::string* out, std::string* error, size_t* replaced,
               size_t max_bytes) {
  int err = 0;
  switch (io::read_text_file(path, max_bytes, out, &err)) {
    case io::ReadStatus::Ok:
      break;
    case io::ReadStatus::TooLarge:
      *error = fmt::format("{} is over the limit of {} bytes", path, max_bytes);
      return false;
    case io::ReadStatus::Error:
      *error = fmt::format("cannot read {}: {}", path, std::strerror(err));
      return false;
  }
  size_t n = io::replace_invalid_utf8(*out);
  if (replaced) *replaced = n;
  return true;
}

std::string clip(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t cut = text.rfind('\n', max);
  if (cut == std::string::npos || cut < max / 2) cut = max;
  return text.substr(0, cut) + fmt::format("\n[... {} more bytes not shown]\n", text.size() - cut);
}

BudgetClock::BudgetClock(const Budget& budget, const Client& client)
    : budget_(budget), client_(client), start_(std::chrono::steady_clock::now()) {}

double BudgetClock::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

int64_t BudgetClock::remaining_ms() const {
  return std::max<int64_t>(1, static_cast<int64_t>((budget_.max_seconds - seconds()) * 1000));
}

std::string BudgetClock::exhausted(int iterations_done) const {
  if (iterations_done >= budget_.max_iterations) return "iterations";
  if (client_.usage().total_tokens() >= budget_.max_tokens) return "tokens";
  if (seconds() >= budget_.max_seconds) return "time";
  return "";
}

std::string BudgetClock::describe(const std::string& reason, int iterations_done) const {
  if (reason == "iterations")
    return fmt::format("the iteration budget ran out ({} of {} turns used)", iterations_done,
                       budget_.max_iterations);
  if (reason == "tokens")
    return fmt::format("the token budget ran out ({} of {} tokens used)",
                       client_.usage().total_tokens(), budget_.max_tokens);
  if (reason == "time")
    return fmt::format("the time budget ran out ({:.1f} of {:g} s used)", seconds(),
                       budget_.max_seconds);
  return reason;
}

Usage usage_since(const Usage& before, const Usage& after) {
  Usage u = after;
  u.calls -= before.calls;
  u.http_requests -= before.http_requests;
  u.retries -= before.retries;
  u.cache_hits -= before.cache_hits;
  u.failures -= before.failures;
  u.prompt_tokens -= before.prompt_tokens;
  u.completion_tokens -= before.completion_tokens;
  u.seconds -= before.seconds;
  return u;
}

nlohmann::json usage_json(const Usage& u) {
  return {{"calls", u.calls},
          {"http_requests", u.http_requests},
          {"retries", u.retries},
          {"cache_hits", u.cache_hits},
          {"failures", u.failures},
          {"prompt_tokens", u.prompt_tokens},
          {"completion_tokens", u.completion_tokens},
          {"total_tokens", u.total_tokens()},
          {"tokens_estimated", u.estimated},
          {"seconds", u.seconds}};
}

std::vector<Message> conversation(const std::string& system, const std::string& task,
                                  const std::vector<std::pair<std::string, std::string>>& exchanges,
                                  size_t keep) {
  std::vector<Message> m = {{"system", system}, {"user", task}};
  size_t first = exchanges.size() > keep ? exchanges.size() - keep : 0;
  for (size_t i = first; i < exchanges.size(); ++i) {
    m.push_back({"assistant", exchanges[i].first});
    m.push_back({"user", exchanges[i].second});
  }
  return m;
}

nlohmann::json response_json(const ChatResponse& r) {
  nlohmann::json j = {{"ok", r.ok},
                      {"cache_key", r.cache_key},
                      {"cached", r.cached},
                      {"structured", r.structured},
                      {"http_status", r.http_status},
                      {"attempts", r.attempts},
                      {"prompt_tokens", r.prompt_tokens},
                      {"completion_tokens", r.completion_tokens},
                      {"tokens_estimated", r.tokens_estimated},
                      {"millis", r.millis}};
  if (r.ok) {
    j["content"] = r.content;
    j["finish_reason"] = r.finish_reason;
  } else {
    j["error_kind"] = r.error_kind;
    j["error"] = r.error;
  }
  return j;
}

}  // namespace omen::llm::internal

namespace omen::llm {

std::string to_text(const Usage& u) {
  return fmt::format(
      "{} call{} ({} HTTP request{}, {} retr{}, {} from the cache, {} failed), {} tokens ({} "
      "prompt + {} completion{})",
      u.calls, u.calls == 1 ? "" : "s", u.http_requests, u.http_requests == 1 ? "" : "s", u.retries,
      u.retries == 1 ? "y" : "ies", u.cache_hits, u.failures, u.total_tokens(), u.prompt_tokens,
      u.completion_tokens, u.estimated ? ", partly estimated" : "");
}

}  // namespace omen::llm
