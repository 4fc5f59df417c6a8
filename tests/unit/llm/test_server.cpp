#include "test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

namespace omen::llm::testing {

using json = nlohmann::json;

Reply Reply::completion(const std::string& content, int prompt_tokens, int completion_tokens) {
  json body = {{"id", "chatcmpl-test"},
               {"object", "chat.completion"},
               {"model", "test-model"},
               {"choices",
                {{{"index", 0},
                  {"message", {{"role", "assistant"}, {"content", content}}},
                  {"finish_reason", "stop"}}}},
               {"usage",
                {{"prompt_tokens", prompt_tokens},
                 {"completion_tokens", completion_tokens},
                 {"total_tokens", prompt_tokens + completion_tokens}}}};
  return Reply{200, body.dump(), {}, 0};
}

Reply Reply::candidates(const std::vector<std::string>& sources) {
  json c = json::array();
  for (const auto& s : sources) c.push_back({{"source", s}, {"rationale", "scripted"}});
  return completion(json{{"candidates", c}}.dump());
}

Reply Reply::fenced(const std::vector<std::string>& sources) {
  std::string text = "Here you go.\n\n";
  for (const auto& s : sources) text += "```omen\n" + s + "```\n\n";
  return completion(text);
}

Reply Reply::error(int status, const std::string& message, std::vector<std::string> headers) {
  json body = {{"error", {{"message", message}, {"type", "test"}}}};
  return Reply{status, body.dump(), std::move(headers), 0};
}

std::string Request::text() const {
  std::string out;
  if (json.is_object() && json.contains("messages"))
    for (const auto& m : json["messages"]) out += m.value("content", "") + "\n";
  return out;
}

std::string Request::last() const {
  if (json.is_object() && json.contains("messages") && !json["messages"].empty())
    return json["messages"].back().value("content", "");
  return "";
}

Server::Server(std::vector<Reply> script, int max_seconds, int max_connections)
    : script_(std::move(script)), max_seconds_(max_seconds), max_connections_(max_connections) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // a free port
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0) {
    problems_.push_back(std::string("cannot listen: ") + std::strerror(errno));
    return;
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

Server::~Server() {
  stop();
}

std::string Server::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v1";
}

std::vector<Request> Server::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::vector<std::string> Server::problems() const {
  std::lock_guard<std::mutex> lock(mu_);
  return problems_;
}

void Server::stop() {
  if (stopping_.exchange(true)) return;
  cv_.notify_all();
  if (acceptor_.joinable()) acceptor_.join();
  for (auto& t : handlers_)
    if (t.joinable()) t.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

void Server::accept_loop() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(max_seconds_);
  int connections = 0;
  while (!stopping_ && std::chrono::steady_clock::now() < deadline) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    if (++connections > max_connections_) {
      ::close(fd);
      continue;
    }
    handlers_.emplace_back([this, fd] { handle(fd); });
  }
}

void Server::handle(int fd) {
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  auto send_all = [&](const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
      ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return;
      off += static_cast<size_t>(n);
    }
  };
  std::string data;
  char buf[8192];
  size_t header_end = std::string::npos;
  while ((header_end = data.find("\r\n\r\n")) == std::string::npos && data.size() < (1 << 20)) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  Request req;
  if (header_end == std::string::npos) {
    std::lock_guard<std::mutex> lock(mu_);
    problems_.push_back("unreadable request");
    ::close(fd);
    return;
  }
  std::istringstream head(data.substr(0, header_end));
  std::string line;
  std::getline(head, line);
  std::istringstream first(line);
  first >> req.method >> req.path;
  size_t length = 0;
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    req.headers[name] = value;
    if (name == "content-length") length = std::stoul(value);
  }
  if (req.headers.count("expect")) send_all("HTTP/1.1 100 Continue\r\n\r\n");
  req.body = data.substr(header_end + 4);
  while (req.body.size() < length) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    req.body.append(buf, static_cast<size_t>(n));
  }
  req.json = json::parse(req.body, nullptr, false);
  if (req.json.is_discarded()) req.json = nullptr;
  Reply reply;
  {
    std::unique_lock<std::mutex> lock(mu_);
    requests_.push_back(req);
    if (next_ < script_.size()) {
      reply = script_[next_++];
    } else {
      problems_.push_back("script exhausted at request " + std::to_string(requests_.size()));
      reply = Reply::error(500, "test server: script exhausted");
    }
    if (reply.delay_ms > 0)
      cv_.wait_for(lock, std::chrono::milliseconds(reply.delay_ms),
                   [&] { return stopping_.load(); });
  }
  std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " Scripted\r\n" +
                    "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                    std::to_string(reply.body.size()) + "\r\n";
  for (const auto& h : reply.headers) out += h + "\r\n";
  out += "\r\n" + reply.body;
  send_all(out);
  ::close(fd);
}

std::string fixture_path(const std::string& relative) {
  return std::string(OMEN_TEST_DIR) + "/llm/" + relative;
}

std::string fixture(const std::string& relative) {
  std::ifstream f(fixture_path(relative), std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace omen::llm::testing
