// A stand-in for a member's REST API in praetorctl tests, on 127.0.0.1 and a free port: it
// records every request whole (head and body, read to its Content-Length) and answers each
// with one canned status and text the way Patroni 3.0.2 does (HTTP/1.0, no Content-Length,
// then close), or one per request line given to answer(). peer_probe's canned_http_server keeps
// only request heads; these tests must see the JSON body praetorctl sent.
//
// Threads: construct, port(), requests() and destroy from the test thread; connections are
// served one after the other on the server's own thread. The destructor stops it.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace praetor::test {

struct recorded_request {
  std::string request_line;  // "POST /switchover HTTP/1.1"
  std::string head;          // request line and headers, without the blank line
  std::string body;

  // The value of header `name` (case-insensitive), "" when absent.
  std::string header(const std::string& name) const;
};

class recording_http_server {
 public:
  // status 0: read each request, record it and close the connection without an answer.
  recording_http_server(int status, std::string reason, std::string body);
  ~recording_http_server();
  recording_http_server(const recording_http_server&) = delete;
  recording_http_server& operator=(const recording_http_server&) = delete;

  // Requests whose request line starts with `request_line_start` ("GET /patroni") get this
  // answer instead of the constructor's. Called again for the same start, answers queue up:
  // each is given once, the last one from then on.
  void answer(const std::string& request_line_start, int status, const std::string& reason,
              const std::string& body);

  int port() const { return port_; }
  std::string api_url() const;  // http://127.0.0.1:<port>/patroni, as a member record has it
  std::vector<recorded_request> requests() const;

 private:
  void serve();
  void handle(int fd);

  std::string response_;  // "" = no answer
  // answer(): request line starts and their queued responses, under mutex_
  std::vector<std::pair<std::string, std::deque<std::string>>> routes_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  int port_ = 0;
  mutable std::mutex mutex_;
  std::vector<recorded_request> requests_;
  std::thread thread_;
};

// A loopback port where nothing listens (bound, read back, closed): connecting is refused.
int refused_loopback_port();

}  // namespace praetor::test
