// The only translation unit of praetor_peer_probe that includes Boost.Beast and Asio (see
// http_prober.hpp).
#include "actors/peer_probe/http_prober.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <thread>
#include <type_traits>
#include <variant>

#include "actors/peer_probe/api_url.hpp"
#include "actors/peer_probe/tls_client_context.hpp"

namespace praetor::peers {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

// A POST instead of the GET: the path replaces the URL's, the body is JSON.
struct post_spec {
  std::string path;
  std::string body;
  std::string authorization;
};

namespace {

// One round's answers; lives on the prober's thread only.
struct round_state {
  std::vector<http_answer> answers;
  std::size_t pending = 0;
  http_prober::round_done done;

  void complete(std::size_t index, http_answer answer) {
    answers[index] = std::move(answer);
    settle();
  }
  void settle() {
    if (--pending == 0 && done) {
      auto callback = std::move(done);
      done = nullptr;
      callback(std::move(answers));
    }
  }
};

using tls_socket = asio::ssl::stream<tcp::socket>;

// One GET. Every step and the deadline timer hold a shared_ptr to it; the first of "response
// read", "step failed" and "deadline" finishes it, and the others then find it finished.
// Stream is tcp::socket (http://) or tls_socket (https://: a TLS handshake follows connect).
template <class Stream>
class fetch final : public std::enable_shared_from_this<fetch<Stream>> {
  static constexpr bool is_tls = std::is_same_v<Stream, tls_socket>;

 public:
  // `tls`: the prober's TLS context and options, for a tls_socket only.
  template <class... TlsContext>
  fetch(asio::io_context& ioc, http_target target, std::shared_ptr<const post_spec> post,
        steady::time_point deadline, std::chrono::milliseconds timeout, const http_limits& limits,
        std::shared_ptr<round_state> round, std::size_t index, const tls_client_options& options,
        TlsContext&... tls)
      : post_(std::move(post)),
        resolver_(ioc),
        stream_(ioc, tls...),
        timer_(ioc),
        target_(std::move(target)),
        deadline_(deadline),
        timeout_(timeout),
        round_(std::move(round)),
        index_(index),
        options_(options) {
    parser_.body_limit(limits.body_limit);
  }

  void start() {
    timer_.expires_at(deadline_);
    timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (!ec) self->fail("no answer within " + std::to_string(self->timeout_.count()) + " ms");
    });
    resolver_.async_resolve(
        target_.host, target_.port, tcp::resolver::numeric_service,
        [self = this->shared_from_this()](beast::error_code ec,
                                          tcp::resolver::results_type results) {
          if (self->finished_) return;
          if (ec) return self->fail("cannot resolve " + self->target_.host + ": " + ec.message());
          self->connect(results);
        });
  }

 private:
  tcp::socket& socket() {
    if constexpr (is_tls)
      return stream_.next_layer();
    else
      return stream_;
  }

  void connect(const tcp::resolver::results_type& results) {
    asio::async_connect(
        socket(), results,
        [self = this->shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
          if (self->finished_) return;
          if (ec) return self->fail("cannot connect: " + ec.message());
          if constexpr (is_tls)
            self->handshake();
          else
            self->send();
        });
  }

  void handshake() {
    if (!prepare_client_connection(stream_.native_handle(), target_.host, options_))
      return fail("cannot set up TLS for " + target_.host);
    stream_.async_handshake(
        asio::ssl::stream_base::client, [self = this->shared_from_this()](beast::error_code ec) {
          if (self->finished_) return;
          if (ec)
            return self->fail("TLS handshake failed: " +
                              handshake_failure(self->stream_.native_handle(), ec));
          self->send();
        });
  }

  void send() {
    request_.method(post_ ? http::verb::post : http::verb::get);
    request_.target(post_ ? post_->path : target_.target);
    request_.version(11);
    request_.set(http::field::host, target_.host_header);
    request_.set(http::field::user_agent, "Patroni/3.0.2 praetor");
    request_.set(http::field::accept, "application/json");
    if (post_) {
      request_.set(http::field::content_type, "application/json");
      if (!post_->authorization.empty())
        request_.set(http::field::authorization, post_->authorization);
      request_.body() = post_->body;
    }
    request_.keep_alive(false);
    request_.prepare_payload();
    http::async_write(stream_, request_,
                      [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                        if (self->finished_) return;
                        if (ec) return self->fail("cannot send the request: " + ec.message());
                        self->receive();
                      });
  }

  void receive() {
    // Patroni answers HTTP/1.0 without Content-Length and closes: the parser then takes the
    // body up to the end of the stream and completes without an error. Over TLS that end may
    // come without close_notify; such a body is taken as whole too (tls_client_context.hpp).
    http::async_read(
        stream_, buffer_, parser_,
        [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
          if (self->finished_) return;
          auto& parser = self->parser_;
          if (is_tls && is_cut_tls_stream(ec) && parser.is_header_done() && parser.need_eof()) {
            ec = {};
            parser.put_eof(ec);
          }
          if (ec) return self->fail("cannot read the answer: " + ec.message());
          auto& res = parser.get();
          http_answer answer;
          answer.answered = true;
          answer.http_status = static_cast<int>(res.result_int());
          answer.body = std::move(res.body());
          self->finish(std::move(answer));
        });
  }

  void fail(std::string why) {
    http_answer answer;
    answer.error = std::move(why);
    finish(std::move(answer));
  }

  void finish(http_answer answer) {
    if (finished_) return;
    finished_ = true;
    beast::error_code ignored;
    timer_.cancel();
    resolver_.cancel();
    // No close_notify: the answer is read (or given up on), and nothing more will be sent.
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
    round_->complete(index_, std::move(answer));
  }

  std::shared_ptr<const post_spec> post_;  // null for the probes' GET
  tcp::resolver resolver_;
  Stream stream_;
  asio::steady_timer timer_;
  http_target target_;
  steady::time_point deadline_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<round_state> round_;
  std::size_t index_;
  const tls_client_options& options_;  // the prober's, which outlives every fetch
  bool finished_ = false;
  http::request<http::string_body> request_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
};

}  // namespace

struct http_prober::impl {
  http_limits limits;
  tls_client_options tls_options;
  // For https:// URLs: the context, or why it could not be made (then every https fetch fails
  // with that sentence). Made at the first https URL, on the io thread, which alone uses it: a
  // cluster whose members speak plain http never pays for OpenSSL's set-up (about 2 MB of
  // resident pages). Declared before the io_context, so that it outlives every fetch.
  std::optional<std::variant<std::shared_ptr<asio::ssl::context>, std::string>> tls;
  const std::variant<std::shared_ptr<asio::ssl::context>, std::string>& tls_context() {
    if (!tls) tls = make_client_tls_context(tls_options);
    return *tls;
  }
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  std::thread thread;
};

http_prober::http_prober(http_limits limits, tls_client_options tls)
    : impl_(std::make_unique<impl>()) {
  impl_->limits = limits;
  impl_->tls_options = std::move(tls);
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

http_prober::~http_prober() {
  // Stop at once: rounds in flight are dropped with their handlers when the io_context goes.
  impl_->ioc.stop();
  impl_->thread.join();
}

void http_prober::get_all(std::vector<std::string> urls, std::chrono::milliseconds timeout,
                          round_done done) {
  start_round(std::move(urls), timeout, std::move(done), nullptr);
}

void http_prober::post_all(std::vector<std::string> urls, std::string path, std::string body,
                           std::string authorization, std::chrono::milliseconds timeout,
                           round_done done) {
  start_round(std::move(urls), timeout, std::move(done),
              std::make_shared<const post_spec>(
                  post_spec{std::move(path), std::move(body), std::move(authorization)}));
}

void http_prober::start_round(std::vector<std::string> urls, std::chrono::milliseconds timeout,
                              round_done done, std::shared_ptr<const post_spec> post) {
  const auto deadline = steady::now() + timeout;
  asio::post(impl_->ioc, [this, urls = std::move(urls), timeout, deadline, done = std::move(done),
                          post = std::move(post)]() mutable {
    auto round = std::make_shared<round_state>();
    round->answers.resize(urls.size());
    round->pending = urls.size() + 1;  // +1 until every fetch is started, so none completes it
    round->done = std::move(done);
    for (std::size_t i = 0; i < urls.size(); ++i) {
      auto parsed = parse_api_url(urls[i]);
      std::string error;
      if (auto* why = std::get_if<std::string>(&parsed))
        error = *why;
      else if (std::get<api_target>(parsed).tls)
        if (const auto* tls_error = std::get_if<std::string>(&impl_->tls_context()))
          error = "cannot speak TLS: " + *tls_error;
      if (!error.empty()) {
        http_answer answer;
        answer.error = std::move(error);
        round->complete(i, std::move(answer));
        continue;
      }
      auto target = std::get<api_target>(std::move(parsed));
      if (target.tls) {
        std::make_shared<fetch<tls_socket>>(
            impl_->ioc, std::move(target.http), post, deadline, timeout, impl_->limits, round, i,
            impl_->tls_options,
            *std::get<std::shared_ptr<asio::ssl::context>>(impl_->tls_context()))
            ->start();
      } else {
        std::make_shared<fetch<tcp::socket>>(impl_->ioc, std::move(target.http), post, deadline,
                                             timeout, impl_->limits, round, i, impl_->tls_options)
            ->start();
      }
    }
    round->settle();  // the +1
  });
}

}  // namespace praetor::peers
