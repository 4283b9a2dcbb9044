#include "tests/integration/peer_probe/canned_http_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace praetor::test {

namespace {

int bind_loopback(int backlog) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      (backlog > 0 && ::listen(fd, backlog) != 0)) {
    ::close(fd);
    throw std::runtime_error("cannot bind 127.0.0.1:0");
  }
  return fd;
}

int port_of(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

}  // namespace

int closed_loopback_port() {
  int fd = bind_loopback(0);
  int port = port_of(fd);
  ::close(fd);
  return port;
}

canned_http_server::canned_http_server(mode m, std::string body, int status) : mode_(m) {
  response_ = "HTTP/1.0 " + std::to_string(status) +
              (status == 200 ? " OK" : " Service Unavailable") +
              "\r\nServer: BaseHTTP/0.6 Python/3.11.2\r\nContent-Type: application/json\r\n\r\n" +
              body;
  listen_fd_ = bind_loopback(16);
  port_ = port_of(listen_fd_);
  if (::pipe2(stop_pipe_, O_CLOEXEC) != 0) throw std::runtime_error("pipe2() failed");
  thread_ = std::thread([this] { serve(); });
}

canned_http_server::~canned_http_server() {
  char byte = 'x';
  (void)!::write(stop_pipe_[1], &byte, 1);
  thread_.join();
  ::close(listen_fd_);
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
}

std::string canned_http_server::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<std::string> canned_http_server::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

// One thread polls the listener, the stop pipe and every open connection.
void canned_http_server::serve() {
  struct connection {
    int fd;
    std::string head;
    bool seen = false;  // the whole head arrived
  };
  std::vector<connection> open;
  while (true) {
    std::vector<pollfd> fds{{stop_pipe_[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    for (auto& c : open) fds.push_back({c.fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[0].revents) break;
    if (fds[1].revents & POLLIN) {
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) open.push_back({fd, {}});
    }
    for (std::size_t i = 2; i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      auto& c = open[i - 2];
      char buf[4096];
      ssize_t n = ::read(c.fd, buf, sizeof buf);
      if (n <= 0) {  // the client went away
        ::close(c.fd);
        c.fd = -1;
        continue;
      }
      if (c.seen) continue;  // hang mode: read on and ignore
      c.head.append(buf, static_cast<std::size_t>(n));
      auto end = c.head.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      c.seen = true;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(c.head.substr(0, end));
      }
      if (mode_ == mode::hang) continue;  // never answer
      (void)!::write(c.fd, response_.data(), response_.size());
      ::shutdown(c.fd, SHUT_WR);
      ::close(c.fd);
      c.fd = -1;
    }
    std::erase_if(open, [](const connection& c) { return c.fd < 0; });
  }
  for (auto& c : open) ::close(c.fd);
}

}  // namespace praetor::test
