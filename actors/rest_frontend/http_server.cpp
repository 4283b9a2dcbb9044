// The only translation unit that includes Boost.Beast and Asio (see http_server.hpp).
#include "actors/rest_frontend/http_server.hpp"

#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <ctime>
#include <mutex>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include "actors/rest_frontend/basic_auth.hpp"
#include "actors/rest_frontend/router.hpp"
#include "actors/rest_frontend/tls_server_context.hpp"

namespace praetor::rest {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string http_date() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

}  // namespace

// What the server needs of a live connection: a way to drop it, and to send the answer to a
// request it handed over.
struct open_connection {
  virtual void close() = 0;
  virtual void answer_handed_over(http_response response) = 0;

 protected:
  ~open_connection() = default;
};

// How a reply from another thread reaches the server thread. Outlives the server (replies
// hold it); stop() cuts it, after which replies are dropped.
struct reply_channel {
  std::mutex mu;
  http_server::impl* server = nullptr;  // null once the server stops
};

struct http_server::impl {
  // Declared before the io_context so that they outlive it: destroying the io_context
  // destroys any handler still queued, and with it a session that reads these.
  rest_settings settings;
  http_limits limits;
  request_handler handler;
  // Set by start() when restapi.certfile is: every connection is then TLS. Shared by them all.
  std::shared_ptr<asio::ssl::context> tls;
  std::unordered_set<open_connection*> connections;  // server thread only
  // Connections waiting for a reply, kept alive here (server thread only), so that a reply
  // never holds a connection and never destroys one on another thread.
  std::unordered_map<std::uint64_t, std::shared_ptr<open_connection>> waiting;
  std::uint64_t next_call = 1;
  std::shared_ptr<reply_channel> channel = std::make_shared<reply_channel>();
  int bound_port = 0;

  mutable std::mutex snapshot_mutex;  // guards snapshot and auth, which another thread sets
  std::shared_ptr<const node_snapshot> snapshot = std::make_shared<const node_snapshot>();
  std::shared_ptr<const basic_auth> auth;

  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  std::thread thread;

  std::shared_ptr<const node_snapshot> current_snapshot() const {
    std::lock_guard lock(snapshot_mutex);
    return snapshot;
  }
  std::shared_ptr<const basic_auth> current_auth() const {
    std::lock_guard lock(snapshot_mutex);
    return auth;
  }

  void accept_next();
  // Hands a request over to the handler; `c` waits in `waiting` for the reply. Server thread.
  void hand_over(std::shared_ptr<open_connection> c, http_request request);
  // Delivers a reply to connection `call`, if it is still waiting. Server thread.
  void deliver(std::uint64_t call, http_response response);
};

namespace {

// Owned by the reply function: delivers once, and answers 503 if it is dropped unanswered, so
// that a connection never waits for a reply that cannot come.
class pending_reply {
 public:
  pending_reply(std::shared_ptr<reply_channel> channel, std::uint64_t call)
      : channel_(std::move(channel)), call_(call) {}
  ~pending_reply() {
    if (!done_) send(text_response(503, "the request was dropped before it was answered"));
  }
  pending_reply(const pending_reply&) = delete;
  pending_reply& operator=(const pending_reply&) = delete;

  void send(http_response response) {
    std::lock_guard lock(channel_->mu);
    if (done_) return;
    done_ = true;
    if (!channel_->server) return;
    asio::post(channel_->server->ioc,
               [server = channel_->server, call = call_, response = std::move(response)]() mutable {
                 server->deliver(call, std::move(response));
               });
  }

 private:
  std::shared_ptr<reply_channel> channel_;
  std::uint64_t call_;
  bool done_ = false;  // under channel_->mu
};

}  // namespace

void http_server::impl::hand_over(std::shared_ptr<open_connection> c, http_request request) {
  if (!handler) {
    c->answer_handed_over(error_json(501, "Unsupported method"));
    return;
  }
  const std::uint64_t call = next_call++;
  waiting.emplace(call, std::move(c));
  auto pending = std::make_shared<pending_reply>(channel, call);
  try {
    handler(std::move(request), [pending](http_response r) { pending->send(std::move(r)); });
  } catch (const std::exception& e) {
    spdlog::error("REST API: handing a request over failed: {}", e.what());
    pending->send(error_json(500, "Internal error"));
  }
}

void http_server::impl::deliver(std::uint64_t call, http_response response) {
  auto it = waiting.find(call);
  if (it == waiting.end()) return;  // stop() closed it meanwhile
  auto c = std::move(it->second);
  waiting.erase(it);
  c->answer_handed_over(std::move(response));
}

namespace {

using tls_stream = beast::ssl_stream<beast::tcp_stream>;

// One client connection: read a request, answer it, repeat while keep-alive holds. Lives on
// the server thread only; its handlers keep it alive through shared_from_this.
//
// Stream is beast::tcp_stream (plain HTTP) or tls_stream (HTTPS, when restapi.certfile is set).
// Over TLS the handshake comes first, under the same read_timeout as a request, and a failed
// one closes this connection only. A connection that ends after its last answer sends TLS's
// close_notify before the TCP close: a client that reads an answer up to the end of the stream
// (HTTP/1.0, the status-only bytes) needs it to tell a whole answer from a cut one.
template <class Stream>
class session final : public std::enable_shared_from_this<session<Stream>>, public open_connection {
  static constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;

 public:
  // `tls`: the server's TLS context, for a tls_stream only.
  template <class... TlsContext>
  session(tcp::socket socket, http_server::impl& server, TlsContext&... tls)
      : stream_(std::move(socket), tls...), server_(server) {
    server_.connections.insert(this);
    beast::error_code ec;
    auto ep = lowest().socket().remote_endpoint(ec);
    peer_ = ec ? std::string("?") : ep.address().to_string() + ":" + std::to_string(ep.port());
  }
  ~session() { server_.connections.erase(this); }

  void start() {
    if constexpr (is_tls) {
      lowest().expires_after(server_.limits.read_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](
                                                                  beast::error_code ec) {
        if (ec) {
          spdlog::debug("REST API: TLS handshake with {} failed: {}", self->peer_, ec.message());
          return self->close();
        }
        self->read_request();
      });
    } else {
      read_request();
    }
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  // Patroni's check_access: with restapi.verify_client optional or required, an unsafe request
  // needs a client certificate that the handshake verified.
  bool lacks_client_certificate() {
    if constexpr (is_tls) {
      if (!wants_client_certificate(server_.settings.verify_client)) return false;
      SSL* ssl = stream_.native_handle();
      return SSL_get0_peer_certificate(ssl) == nullptr || SSL_get_verify_result(ssl) != X509_V_OK;
    } else {
      return false;
    }
  }

  void read_request() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.limits.header_limit));
    parser_->body_limit(server_.limits.body_limit);
    lowest().expires_after(server_.limits.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_read(ec);
                     });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted) {
      return close();
    }
    if (ec == beast::error::timeout) {
      spdlog::debug("REST API: closing connection from {}: no complete request within {} ms", peer_,
                    server_.limits.read_timeout.count());
      return close();
    }
    if (ec == http::error::partial_message) return close();  // the client went away mid-request
    if (ec == http::error::body_limit) {
      return answer_error(error_json(413, "Request body too large"));
    }
    if (ec == http::error::header_limit) {
      return answer_error(error_json(431, "Request header too large"));
    }
    if (ec && ec.category() != http::make_error_code(http::error::bad_target).category()) {
      // A socket or TLS error (reset, closed by stop(), cut TLS stream): nobody to answer.
      spdlog::debug("REST API: connection from {} ended: {}", peer_, ec.message());
      return close();
    }
    if (ec) {
      spdlog::info("REST API: bad request from {}: {}", peer_, ec.message());
      return answer_error(error_json(400, "Bad request: " + ec.message()));
    }

    auto& req = parser_->get();
    http_request request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.version = req.version();
    request.body = std::move(req.body());
    for (const auto& field : req)
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    request.peer = peer_;
    const bool keep_alive = req.version() >= 11 && req.keep_alive();

    if (is_unsafe_method(request.method)) {
      if (lacks_client_certificate()) {
        spdlog::info("REST API: {} {} from {} refused: no client certificate", request.method,
                     request.target, peer_);
        return write(text_response(403, "client certificate required"), request.version,
                     keep_alive);
      }
      if (auto denied = server_.current_auth()->check(request)) {
        spdlog::info("REST API: {} {} from {} refused: {}", request.method, request.target, peer_,
                     denied->body);
        return write(std::move(*denied), request.version, keep_alive);
      }
    }
    auto snapshot = server_.current_snapshot();
    auto routed = route(request, *snapshot, now_ms());
    if (std::holds_alternative<hand_over>(routed)) {
      pending_version_ = request.version;
      pending_keep_alive_ = keep_alive;
      return server_.hand_over(this->shared_from_this(), std::move(request));
    }
    auto& response = std::get<http_response>(routed);
    spdlog::debug("REST API: {} \"{} {} HTTP/{}.{}\" {}", peer_, request.method, request.target,
                  request.version / 10, request.version % 10, response.status);
    write(std::move(response), request.version, keep_alive);
  }

  void answer_handed_over(http_response response) override {
    write(std::move(response), pending_version_, pending_keep_alive_);
  }

  // Answers a request we could not read properly, then closes: the stream cannot be trusted.
  void answer_error(http_response response) {
    linger_ = true;
    write(std::move(response), 11, false);
  }

  // After an error answer the client may still be sending (an oversized body): closing with
  // unread input would make the kernel reset the connection and could destroy the answer in
  // flight. So stop sending, drain what arrives for a moment, then close. Over TLS the drain
  // reads the raw TCP bytes (no close_notify: the answer has a Content-Length, so it is whole).
  void drain_then_close() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    lowest().expires_after(std::chrono::seconds(2));  // for the whole drain, not per read
    drain_more();
  }
  void drain_more() {
    buffer_.clear();
    lowest().async_read_some(buffer_.prepare(16 * 1024),
                             [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                               if (ec) return self->close();
                               self->drain_more();
                             });
  }

  void write(http_response response, int version, bool keep_alive) {
    lowest().expires_after(server_.limits.read_timeout);
    if (response.status_only && version < 11) {
      // Exactly Patroni's bytes: "HTTP/1.0 200 OK\r\n\r\n", then the connection closes.
      raw_ = "HTTP/1.0 " + std::to_string(response.status) + " " + reason_phrase(response.status) +
             "\r\n\r\n";
      asio::async_write(stream_, asio::buffer(raw_),
                        [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                          if (ec) return self->close();
                          self->end();
                        });
      return;
    }

    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(version < 11 ? 10 : 11);
    res->result(static_cast<unsigned>(response.status));
    res->reason(reason_phrase(response.status));
    res->set(http::field::server, "praetor");
    res->set(http::field::date, http_date());
    if (!response.status_only && !response.content_type.empty())
      res->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) res->set(name, value);
    if (!response.status_only) res->body() = std::move(response.body);
    res->keep_alive(keep_alive);
    res->prepare_payload();
    http::async_write(
        stream_, *res,
        [self = this->shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
          if (!ec && self->linger_) return self->drain_then_close();
          if (ec) return self->close();
          if (!keep_alive) return self->end();
          self->read_request();
        });
  }

  // The last answer is written: end the connection. Over TLS send close_notify first, bounded
  // in time (the client's own close_notify or its TCP close ends the wait, else 2 s do).
  void end() {
    if constexpr (is_tls) {
      lowest().expires_after(std::chrono::seconds(2));
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->close(); });
    } else {
      close();
    }
  }

  void close() override {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    lowest().close();  // also cancels the timeout timer
  }

  Stream stream_;
  http_server::impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string raw_;
  std::string peer_;
  bool linger_ = false;              // drain before closing (after an error answer)
  int pending_version_ = 11;         // of the request handed over
  bool pending_keep_alive_ = false;  //
};

}  // namespace

void http_server::impl::accept_next() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) {
      spdlog::warn("REST API: accept on {}:{} failed: {}", settings.listen_host, bound_port,
                   ec.message());
    } else if (connections.size() >= limits.max_connections) {
      spdlog::warn("REST API: {} connections open, the limit: refusing a new one",
                   connections.size());
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      if (tls)
        std::make_shared<session<tls_stream>>(std::move(socket), *this, *tls)->start();
      else
        std::make_shared<session<beast::tcp_stream>>(std::move(socket), *this)->start();
    }
    accept_next();
  });
}

http_server::http_server(rest_settings settings, http_limits limits, request_handler handler)
    : impl_(std::make_unique<impl>()) {
  impl_->auth = std::make_shared<const basic_auth>(settings);
  impl_->settings = std::move(settings);
  impl_->limits = limits;
  impl_->handler = std::move(handler);
  impl_->channel->server = impl_.get();
}

http_server::~http_server() {
  stop();
}

std::optional<std::string> http_server::start() {
  auto& s = impl_->settings;
  const std::string where = s.listen_host + ":" + std::to_string(s.listen_port);
  if (s.listen_port < 0 || s.listen_port > 65535)
    return "cannot listen on " + where + ": the port is out of range";
  if (auto files = server_tls_files_of(s)) {
    auto made = make_server_tls_context(*files);
    if (auto* why = std::get_if<std::string>(&made)) return *why;
    impl_->tls = std::get<std::shared_ptr<asio::ssl::context>>(std::move(made));
  }
  beast::error_code ec;
  tcp::resolver resolver(impl_->ioc);
  auto endpoints = resolver.resolve(s.listen_host, std::to_string(s.listen_port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty())
    return "cannot listen on " + where + ": cannot resolve the host (" + ec.message() + ")";
  tcp::endpoint endpoint = endpoints.begin()->endpoint();

  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor.close(ignored);
    return "cannot listen on " + where + ": " + ec.message();
  }
  impl_->bound_port = acceptor.local_endpoint().port();
  impl_->accept_next();
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
  spdlog::info("REST API listening on {}:{}{}", s.listen_host, impl_->bound_port,
               impl_->tls ? " (HTTPS)" : "");
  return std::nullopt;
}

void http_server::stop() {
  {
    // From now on replies are dropped instead of posted.
    std::lock_guard lock(impl_->channel->mu);
    impl_->channel->server = nullptr;
  }
  if (!impl_->thread.joinable()) return;
  // Cancel everything on the server thread; run() returns once the cancelled handlers ran.
  asio::post(impl_->ioc, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    auto open = impl_->connections;  // a session may end (and erase itself) meanwhile
    for (open_connection* c : open) c->close();
    impl_->waiting.clear();  // their sessions end here, on this thread
  });
  impl_->thread.join();
}

int http_server::port() const {
  return impl_->bound_port;
}

void http_server::set_authentication(const rest_settings& settings) {
  auto auth = std::make_shared<const basic_auth>(settings);
  std::lock_guard lock(impl_->snapshot_mutex);
  impl_->auth = std::move(auth);
}

void http_server::set_snapshot(std::shared_ptr<const node_snapshot> snapshot) {
  if (!snapshot) return;
  std::lock_guard lock(impl_->snapshot_mutex);
  impl_->snapshot = std::move(snapshot);
}

}  // namespace praetor::rest
