// The request and response values that cross between the HTTP server (the only Beast code)
// and the Beast-free routing logic. Plain data: built on the server's I/O thread, read by the
// router on that same thread; nothing here is shared between threads.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace praetor::rest {

struct http_request {
  std::string method;      // "GET", "HEAD", "OPTIONS", "POST", ... as sent
  std::string target;      // the request target as sent: path plus optional "?query"
  int version = 11;        // 10 for HTTP/1.0, 11 for HTTP/1.1
  std::string body;        // empty for the read-only methods
  std::vector<std::pair<std::string, std::string>> headers;  // for auth later (issue 4)
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

// The reason phrase Python's http.server writes for a code ("OK", "Service Unavailable", ...).
const char* reason_phrase(int status);

}  // namespace praetor::rest
