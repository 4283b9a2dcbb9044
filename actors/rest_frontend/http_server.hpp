// The REST API's HTTP listener: Boost.Beast on an asio io_context that runs on one thread of
// its own. This header stays free of Beast and Asio (they cost ~17 s per translation unit);
// http_server.cpp is the only file that includes them.
//
// Behaviour (Patroni's, where it matters to its clients):
// - HTTP/1.1 requests get HTTP/1.1 answers with Content-Length, and keep-alive is honoured.
//   HTTP/1.0 requests get the connection closed after the answer, as Patroni does.
// - Status-only answers (HEAD, OPTIONS, GET /liveness, GET /readiness): to an HTTP/1.0 request
//   exactly "HTTP/1.0 <code> <reason>\r\n\r\n" (HAProxy's `option httpchk` reads that); to an
//   HTTP/1.1 request a normal response with no body (Content-Length: 0), keep-alive as asked.
// - The unsafe methods (POST, PUT, PATCH, DELETE) need restapi.authentication's credentials
//   when it is set (basic_auth.hpp), checked before anything else.
// - Requests the router cannot answer from the snapshot (switchover, failover) go to the
//   request handler given at construction, with a reply function; the connection waits for
//   the reply without blocking any other client. Without a handler they get 501.
// - Malformed request line or headers -> 400 {"error": ...}; headers over the limit -> 431;
//   body over the limit -> 413; each closes that connection only. A client that sends nothing
//   (or too slowly) is dropped after read_timeout; connections over max_connections are closed
//   at once. None of these block other clients.
// - HTTPS only when restapi.certfile is set (tls_server_context.hpp; the key is in certfile
//   when keyfile is not set), as Patroni: every rule above holds inside TLS. The handshake
//   counts against read_timeout; a failed one (a plain-HTTP client, say) closes that
//   connection only, logged at debug.
//
// Threads: start(), stop(), port() and the destructor from the owning thread (the actor);
// set_snapshot() from any thread; requests are answered on the server's own thread, which also
// calls the request handler (so it must return at once); a reply may come from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "messages/http.hpp"
#include "messages/rest.hpp"
#include "messages/settings.hpp"

namespace praetor::rest {

struct http_limits {
  std::chrono::milliseconds read_timeout{10'000};  // a whole request, and idle keep-alive
  std::size_t max_connections = 256;
  std::size_t header_limit = 16 * 1024;  // bytes of request line plus headers
  std::size_t body_limit = 64 * 1024;    // bytes of body
};

// Takes a handed-over request; answers it later (or at once) through the reply.
using request_handler = std::function<void(http_request, http_reply)>;

class http_server {
 public:
  explicit http_server(rest_settings settings, http_limits limits = {},
                       request_handler handler = {});
  ~http_server();  // stop()s
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // Loads the TLS certificate and key when restapi.certfile is set, binds
  // listen_host:listen_port (port 0 picks a free one), listens and starts the server's thread.
  // Returns nullopt on success, else a sentence naming the address, or the TLS file, and the
  // cause.
  // REQUIRES: called once.
  std::optional<std::string> start();

  // Closes the listener and every connection, then joins the thread. Idempotent.
  void stop();

  // The bound port (useful after port 0); 0 before a successful start().
  int port() const;

  // restapi.authentication from `settings` for every request from now on (the rest of the
  // settings is the server's for good).
  void set_authentication(const rest_settings& settings);

  // The snapshot every answer is computed from from now on. Before the first call the server
  // answers from a default snapshot (PostgreSQL stopped, no lock: health checks say 503).
  void set_snapshot(std::shared_ptr<const node_snapshot> snapshot);

  struct impl;  // opaque: defined in http_server.cpp, where the connections need it

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace praetor::rest
