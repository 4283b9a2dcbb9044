// An HTTP/1.1 GET client for election probes: Boost.Beast on an asio io_context that runs on a
// thread of its own, so that waiting for peers never occupies a CAF scheduler thread. This
// header stays free of Beast and Asio (they cost ~17 s per translation unit); http_prober.cpp
// is the only file that includes them.
//
// Each get_all() is one round: every URL is fetched in parallel (resolve, connect, send,
// read), each bounded by the same deadline (now + timeout, fixed when get_all() is called), no
// retry. The round's callback runs once, on the prober's thread, when every fetch has answered,
// failed or hit the deadline, so at most timeout plus a few milliseconds after the call. Rounds
// are independent: several may be in flight at once, and each completes on its own.
//
// https:// URLs are fetched over TLS as the options say (tls_client.hpp: by default nothing is
// verified, as a Patroni daemon whose own API is plain http); the handshake counts against the
// same deadline. Options whose files cannot be loaded fail every https fetch, naming the file.
//
// Threads: construct, get_all() and destroy from one owning thread (the actor). The callback
// runs on the prober's thread: keep it short (an anon_send). The destructor cancels rounds in
// flight (their callbacks never run) and joins the thread. One caveat: a peer whose host is a
// name still being resolved by getaddrinfo can delay the destructor until the lookup ends.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actors/peer_probe/peer_answer.hpp"
#include "actors/peer_probe/tls_client.hpp"

namespace praetor::peers {

struct http_limits {
  std::size_t body_limit = 1024 * 1024;  // a status JSON is ~1 KiB; more is not a status
};

struct post_spec;  // http_prober.cpp

class http_prober {
 public:
  // answers[i] belongs to urls[i].
  using round_done = std::function<void(std::vector<http_answer> answers)>;

  explicit http_prober(http_limits limits = {}, tls_client_options tls = {});
  ~http_prober();
  http_prober(const http_prober&) = delete;
  http_prober& operator=(const http_prober&) = delete;

  // GETs every URL in parallel; see the header comment. A URL that is not http:// or
  // https:// or has no host is answered at once with an error saying so.
  void get_all(std::vector<std::string> urls, std::chrono::milliseconds timeout, round_done done);
  // The same round with POST `path` (replacing each URL's path), a JSON `body` and, unless
  // empty, an Authorization header (failsafe mode's POST /failsafe).
  void post_all(std::vector<std::string> urls, std::string path, std::string body,
                std::string authorization, std::chrono::milliseconds timeout, round_done done);

  struct impl;  // opaque: defined in http_prober.cpp

 private:
  void start_round(std::vector<std::string> urls, std::chrono::milliseconds timeout,
                   round_done done, std::shared_ptr<const post_spec> post);
  std::unique_ptr<impl> impl_;
};

}  // namespace praetor::peers
