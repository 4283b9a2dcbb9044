// The only translation unit of praetor_peer_probe that includes Boost.Beast and Asio (see
// http_prober.hpp).
#include "actors/peer_probe/http_prober.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>
#include <variant>

#include "actors/peer_probe/peer_url.hpp"

namespace praetor::peers {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

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

// One GET. Every step and the deadline timer hold a shared_ptr to it; the first of "response
// read", "step failed" and "deadline" finishes it, and the others then find it finished.
class fetch final : public std::enable_shared_from_this<fetch> {
 public:
  fetch(asio::io_context& ioc, http_target target, steady::time_point deadline,
        std::chrono::milliseconds timeout, const http_limits& limits,
        std::shared_ptr<round_state> round, std::size_t index)
      : resolver_(ioc),
        socket_(ioc),
        timer_(ioc),
        target_(std::move(target)),
        deadline_(deadline),
        timeout_(timeout),
        round_(std::move(round)),
        index_(index) {
    parser_.body_limit(limits.body_limit);
  }

  void start() {
    timer_.expires_at(deadline_);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->fail("no answer within " + std::to_string(self->timeout_.count()) + " ms");
    });
    resolver_.async_resolve(
        target_.host, target_.port, tcp::resolver::numeric_service,
        [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type results) {
          if (self->finished_) return;
          if (ec) return self->fail("cannot resolve " + self->target_.host + ": " + ec.message());
          self->connect(results);
        });
  }

 private:
  void connect(const tcp::resolver::results_type& results) {
    asio::async_connect(socket_, results,
                        [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
                          if (self->finished_) return;
                          if (ec) return self->fail("cannot connect: " + ec.message());
                          self->send();
                        });
  }

  void send() {
    request_.method(http::verb::get);
    request_.target(target_.target);
    request_.version(11);
    request_.set(http::field::host, target_.host_header);
    request_.set(http::field::user_agent, "Patroni/3.0.2 praetor");
    request_.set(http::field::accept, "application/json");
    request_.keep_alive(false);
    http::async_write(socket_, request_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (self->finished_) return;
                        if (ec) return self->fail("cannot send the request: " + ec.message());
                        self->receive();
                      });
  }

  void receive() {
    // Patroni answers HTTP/1.0 without Content-Length and closes: the parser then takes the
    // body up to the end of the stream and completes without an error.
    http::async_read(socket_, buffer_, parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (self->finished_) return;
                       if (ec) return self->fail("cannot read the answer: " + ec.message());
                       auto& res = self->parser_.get();
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
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    round_->complete(index_, std::move(answer));
  }

  tcp::resolver resolver_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  http_target target_;
  steady::time_point deadline_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<round_state> round_;
  std::size_t index_;
  bool finished_ = false;
  http::request<http::empty_body> request_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
};

}  // namespace

struct http_prober::impl {
  http_limits limits;
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  std::thread thread;
};

http_prober::http_prober(http_limits limits) : impl_(std::make_unique<impl>()) {
  impl_->limits = limits;
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

http_prober::~http_prober() {
  // Stop at once: rounds in flight are dropped with their handlers when the io_context goes.
  impl_->ioc.stop();
  impl_->thread.join();
}

void http_prober::get_all(std::vector<std::string> urls, std::chrono::milliseconds timeout,
                          round_done done) {
  const auto deadline = steady::now() + timeout;
  asio::post(impl_->ioc, [this, urls = std::move(urls), timeout, deadline,
                          done = std::move(done)]() mutable {
    auto round = std::make_shared<round_state>();
    round->answers.resize(urls.size());
    round->pending = urls.size() + 1;  // +1 until every fetch is started, so none completes it
    round->done = std::move(done);
    for (std::size_t i = 0; i < urls.size(); ++i) {
      auto target = parse_http_url(urls[i]);
      if (auto* error = std::get_if<std::string>(&target)) {
        http_answer answer;
        answer.error = *error;
        round->complete(i, std::move(answer));
        continue;
      }
      std::make_shared<fetch>(impl_->ioc, std::get<http_target>(std::move(target)),
                              deadline, timeout, impl_->limits, round, i)
          ->start();
    }
    round->settle();  // the +1
  });
}

}  // namespace praetor::peers
