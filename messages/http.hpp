// The request and response values that cross between the REST API's HTTP server (the only
// Beast code) and everything that answers: the Beast-free router on the server's thread, and
// the rest_frontend actor for the requests it answers itself. Plain data, copied or moved
// between threads, never shared.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace praetor {

struct http_request {
  std::string method;  // "GET", "HEAD", "OPTIONS", "POST", ... as sent
  std::string target;  // the request target as sent: path plus optional "?query"
  int version = 11;    // 10 for HTTP/1.0, 11 for HTTP/1.1
  std::string body;    // empty for the read-only methods
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent (any case)
  std::string peer;  // "host:port" of the client, for the log
};

struct http_response {
  int status = 200;
  // Patroni's status-only answer: the status line and nothing else (every HEAD and OPTIONS,
  // GET /liveness, GET /readiness). HAProxy's `option httpchk OPTIONS /primary` reads it.
  bool status_only = false;
  std::string content_type;  // "application/json", "text/html", "text/plain"
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. auth
};

// Answers one request that was handed over: callable once, from any thread; harmless when the
// client or the whole server is gone by then.
using http_reply = std::function<void(http_response)>;

}  // namespace praetor
