#include "tests/integration/praetorctl/recording_http_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace praetor::test {

namespace {

int bind_loopback(int backlog) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
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

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Patroni 3.0.2's answer as BaseHTTPRequestHandler writes it.
std::string patroni_response(int status, const std::string& reason, const std::string& body) {
  return "HTTP/1.0 " + std::to_string(status) + " " + reason +
         "\r\nServer: BaseHTTP/0.6 Python/3.11.2\r\nContent-Type: text/html\r\n\r\n" + body;
}

}  // namespace

std::string recorded_request::header(const std::string& name) const {
  const auto wanted = lower(name) + ":";
  for (std::size_t start = head.find("\r\n"); start != std::string::npos;) {
    start += 2;
    auto end = head.find("\r\n", start);
    auto line = head.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (lower(line).starts_with(wanted)) {
      auto value = line.substr(wanted.size());
      value.erase(0, value.find_first_not_of(' '));
      return value;
    }
    start = end;
  }
  return "";
}

int refused_loopback_port() {
  int fd = bind_loopback(0);
  int port = port_of(fd);
  ::close(fd);
  return port;
}

recording_http_server::recording_http_server(int status, std::string reason, std::string body) {
  if (status != 0) response_ = patroni_response(status, reason, body);
  listen_fd_ = bind_loopback(16);
  port_ = port_of(listen_fd_);
  if (::pipe2(stop_pipe_, O_CLOEXEC) != 0) throw std::runtime_error("pipe2() failed");
  thread_ = std::thread([this] { serve(); });
}

recording_http_server::~recording_http_server() {
  char byte = 'x';
  (void)!::write(stop_pipe_[1], &byte, 1);
  thread_.join();
  ::close(listen_fd_);
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
}

void recording_http_server::answer(const std::string& request_line_start, int status,
                                   const std::string& reason, const std::string& body) {
  std::lock_guard lock(mutex_);
  for (auto& [start, responses] : routes_)
    if (start == request_line_start) {
      responses.push_back(patroni_response(status, reason, body));
      return;
    }
  routes_.push_back({request_line_start, {patroni_response(status, reason, body)}});
}

std::string recording_http_server::api_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/patroni";
}

std::vector<recorded_request> recording_http_server::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void recording_http_server::serve() {
  while (true) {
    pollfd fds[2] = {{stop_pipe_[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) continue;
    if (fds[0].revents) return;
    if (!(fds[1].revents & POLLIN)) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    handle(fd);
    ::close(fd);
  }
}

// Reads one request (5 s at most between reads), records it, answers.
void recording_http_server::handle(int fd) {
  std::string data;
  std::size_t head_end = std::string::npos, wanted = 0;
  while (true) {
    if (head_end == std::string::npos) {
      head_end = data.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        recorded_request probe;
        probe.head = data.substr(0, head_end);
        auto length = probe.header("content-length");
        wanted = head_end + 4 + (length.empty() ? 0 : std::stoul(length));
      }
    }
    if (head_end != std::string::npos && data.size() >= wanted) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) return;  // a client that stalls gets no answer
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return;
    data.append(buf, static_cast<std::size_t>(n));
  }
  recorded_request r;
  r.head = data.substr(0, head_end);
  r.request_line = r.head.substr(0, r.head.find("\r\n"));
  r.body = data.substr(head_end + 4, wanted - head_end - 4);
  std::string response = response_;
  {
    std::lock_guard lock(mutex_);
    for (auto& [start, responses] : routes_)
      if (r.request_line.starts_with(start)) {
        response = responses.front();
        if (responses.size() > 1) responses.pop_front();
        break;
      }
    requests_.push_back(std::move(r));
  }
  if (!response.empty()) (void)!::write(fd, response.data(), response.size());
  ::shutdown(fd, SHUT_WR);
}

}  // namespace praetor::test
