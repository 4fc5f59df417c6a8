// A small OpenAI-compatible HTTP server for the LLM tests: listens on 127.0.0.1 (a free port
// chosen by the kernel), answers POST /v1/chat/completions with scripted replies in order,
// and records every request for the test to check. Bounded: at most `max_connections`
// connections and `max_seconds` of life; it stops by itself and on destruction.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace omen::llm::testing {

struct Reply {
  int status = 200;
  std::string body;                  // the HTTP response body
  std::vector<std::string> headers;  // extra "Name: value" headers (e.g. Retry-After)
  int delay_ms = 0;                  // wait before answering (timeouts); cut short by stop()

  /// A chat completion whose message content is `content`, with token usage.
  static Reply completion(const std::string& content, int prompt_tokens = 1000,
                          int completion_tokens = 200);
  /// A completion whose content is JSON {"candidates": [{"source", "rationale"}...]}.
  static Reply candidates(const std::vector<std::string>& sources);
  /// A completion whose content puts each source in a ```omen fence.
  static Reply fenced(const std::vector<std::string>& sources);
  /// A plain error status with an OpenAI-style error body.
  static Reply error(int status, const std::string& message, std::vector<std::string> headers = {});
};

struct Request {
  std::string method, path, body;
  std::map<std::string, std::string> headers;  // names lower-cased
  nlohmann::json json;                         // the body parsed (null if not JSON)
  /// All message contents joined (what the model was shown).
  std::string text() const;
  /// The content of the last message.
  std::string last() const;
};

class Server {
 public:
  explicit Server(std::vector<Reply> script, int max_seconds = 60, int max_connections = 64);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const { return port_; }
  /// http://127.0.0.1:PORT/v1
  std::string base_url() const;
  /// Requests received so far, in arrival order.
  std::vector<Request> requests() const;
  /// Problems seen by the server (script exhausted, unreadable request).
  std::vector<std::string> problems() const;
  void stop();

 private:
  void accept_loop();
  void handle(int fd);

  std::vector<Reply> script_;
  size_t next_ = 0;
  int listen_fd_ = -1;
  int port_ = 0;
  int max_seconds_;
  int max_connections_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Request> requests_;
  std::vector<std::string> problems_;
  std::thread acceptor_;
  std::vector<std::thread> handlers_;
};

/// Reads a file under tests/llm/ (the fixtures).
std::string fixture(const std::string& relative);
/// Absolute path of a file under tests/llm/.
std::string fixture_path(const std::string& relative);

}  // namespace omen::llm::testing
