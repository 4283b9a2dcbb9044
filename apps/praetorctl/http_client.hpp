// A small synchronous HTTP/1.1 client for praetorctl's calls to a member's REST API (POST
// /switchover, DELETE /switchover): one request per connection, over plain http or, for an
// https:// api_url, over TLS as patronictl speaks it (peers::patroni_client_tls: ctl.insecure,
// ctl.cacert / restapi.cafile, ctl.certfile / restapi.certfile). This header stays free of
// Beast and Asio, which cost many seconds per translation unit; http_client.cpp is the only
// file that includes them.
//
// Threads: any thread; each call runs its own io_context on the caller's thread and returns
// when the answer is read, a step failed, or a deadline passed.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "actors/peer_probe/api_url.hpp"
#include "actors/peer_probe/tls_client.hpp"

namespace praetor::ctl {

struct http_call {
  std::string method = "GET";  // GET, POST, DELETE, ...
  peers::http_target target;   // where, from endpoint_target()
  bool tls = false;            // https://: speak TLS as tls_options say
  peers::tls_client_options tls_options;
  std::string body;           // sent as application/json when not empty
  std::string authorization;  // the Authorization header; "" = none
  // Name resolution, TCP connect and the TLS handshake together.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  // Sending the request and reading the whole answer, once connected.
  std::chrono::milliseconds answer_timeout{std::chrono::seconds(30)};
};

struct http_reply {
  int status = 0;
  std::string body;
};

// Either a reply (any status) or, in `error`, why none came. `delivered` tells a request that
// never reached the server (it cannot have acted) from one sent whole but left unanswered (it
// may be acting on it).
struct http_outcome {
  std::optional<http_reply> reply;
  std::string error;
  bool delivered = false;
};

http_outcome http_send(const http_call& call);

}  // namespace praetor::ctl
