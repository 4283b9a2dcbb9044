// A tiny HTTP server for peer_probe tests, on 127.0.0.1 and a free port (bound to port 0): it
// answers every request with the same canned bytes the way Patroni 3.0.2 does (HTTP/1.0, no
// Content-Length, then close), or, in `hang` mode, accepts and reads but never answers.
// It records each request's head so that tests can check what the prober sent.
//
// Threads: construct, port(), requests() and destroy from the test thread; connections are
// served on the server's own thread. The destructor stops the thread and closes every socket.
#pragma once

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace praetor::test {

class canned_http_server {
 public:
  enum class mode { answer, hang };

  // REQUIRES: in answer mode, `body` is what GET /patroni should return.
  explicit canned_http_server(mode m, std::string body = {}, int status = 200);
  ~canned_http_server();
  canned_http_server(const canned_http_server&) = delete;
  canned_http_server& operator=(const canned_http_server&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path = "/patroni") const;
  std::vector<std::string> requests() const;  // request heads seen so far

 private:
  void serve();

  mode mode_;
  std::string response_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  int port_ = 0;
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

// A loopback port where nothing listens (bound, read back, closed): connecting is refused.
int closed_loopback_port();

}  // namespace praetor::test
