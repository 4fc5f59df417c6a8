// Shared by both loops: budget bookkeeping, files, transcript pieces.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "omen/llm.h"

namespace omen::llm::internal {

/// Reads a whole file; false with `*error` ("cannot read PATH: reason").
/// Reads a document of at most `max_bytes` (reading stops there; a longer one is an error).
/// Invalid UTF-8 is replaced by U+FFFD; `replaced` (optional) receives how many bytes were.
/// The largest document (--docs) or current rule file read.
inline constexpr size_t kMaxDocumentBytes = 1 << 20;

bool read_text(const std::string& path, std::string* out, std::string* error,
               size_t* replaced = nullptr, size_t max_bytes = kMaxDocumentBytes);

/// Cuts `text` to at most `max` bytes (at a line end when possible), saying so.
std::string clip(const std::string& text, size_t max);

/// Iterations, tokens and wall time of one loop.
class BudgetClock {
 public:
  BudgetClock(const Budget& budget, const Client& client);
  /// "" while the budget lasts; else the reason ("iterations", "tokens", "time").
  std::string exhausted(int iterations_done) const;
  /// A sentence describing the exhausted budget.
  std::string describe(const std::string& reason, int iterations_done) const;
  /// Milliseconds left of max_seconds (at least 1).
  int64_t remaining_ms() const;
  double seconds() const;

 private:
  Budget budget_;
  const Client& client_;
  std::chrono::steady_clock::time_point start_;
};

/// The accounting of `after` minus `before` (one loop's share of a shared client).
Usage usage_since(const Usage& before, const Usage& after);

/// Accounting as JSON (for transcripts).
nlohmann::json usage_json(const Usage& u);

/// The conversation sent on each turn: the system prompt, the task, then at most `keep`
/// earlier (assistant reply, feedback) exchanges, so prompts stay bounded.
std::vector<Message> conversation(const std::string& system, const std::string& task,
                                  const std::vector<std::pair<std::string, std::string>>& exchanges,
                                  size_t keep);

/// A response's record for the transcript (never contains the key: the client has none).
nlohmann::json response_json(const ChatResponse& r);

}  // namespace omen::llm::internal
