// A deliberately dumb HTTP client over a plain loopback socket, so that the tests control
// every byte (HTTP/1.0 vs 1.1, garbage, silence) and need no Beast of their own.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>

namespace praetor::rest::test {

class raw_client {
 public:
  explicit raw_client(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + " failed");
  }
  ~raw_client() {
    if (fd_ >= 0) ::close(fd_);
  }
  raw_client(const raw_client&) = delete;
  raw_client& operator=(const raw_client&) = delete;

  void send(const std::string& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
      auto n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      off += static_cast<std::size_t>(n);
    }
  }

  // Everything until the server closes the connection (or the deadline passes).
  std::string read_to_close(std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
    std::string out = std::move(pending_);
    pending_.clear();
    while (auto chunk = read_some(deadline)) {
      if (chunk->empty()) break;
      out += *chunk;
    }
    return out;
  }

  // One response framed by Content-Length (keep-alive); nullopt on timeout or early close.
  std::optional<std::string> read_response(
      std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
    std::string& buf = pending_;
    for (;;) {
      auto end = buf.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t length = 0;
        auto cl = buf.find("Content-Length: ");
        if (cl != std::string::npos && cl < end)
          length = std::strtoul(buf.c_str() + cl + 16, nullptr, 10);
        if (buf.size() >= end + 4 + length) {
          std::string response = buf.substr(0, end + 4 + length);
          buf.erase(0, end + 4 + length);
          return response;
        }
      }
      auto chunk = read_some(deadline);
      if (!chunk || chunk->empty()) return std::nullopt;
      buf += *chunk;
    }
  }

  // True when the server closed the connection within the deadline.
  bool closed_by_server(std::chrono::milliseconds deadline) {
    auto chunk = read_some(deadline);
    return chunk && chunk->empty();
  }

 private:
  // "" = closed by the peer; nullopt = nothing within the deadline.
  std::optional<std::string> read_some(std::chrono::milliseconds deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(deadline.count())) <= 0) return std::nullopt;
    char buf[16384];
    auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return std::string();
    return std::string(buf, static_cast<std::size_t>(n));
  }

  int fd_ = -1;
  std::string pending_;
};

inline int status_of(const std::string& response) {
  auto sp = response.find(' ');
  return sp == std::string::npos ? 0 : std::atoi(response.c_str() + sp + 1);
}

inline std::string body_of(const std::string& response) {
  auto end = response.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : response.substr(end + 4);
}

inline bool has_header(const std::string& response, const std::string& line) {
  auto end = response.find("\r\n\r\n");
  auto at = response.find("\r\n" + line + "\r\n");
  return at != std::string::npos && at < end;
}

}  // namespace praetor::rest::test
