// The only translation unit of praetorctl that includes Boost.Beast and Asio (see
// http_client.hpp).
#include "apps/praetorctl/http_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace praetor::ctl {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string seconds_text(std::chrono::milliseconds d) {
  auto ms = d.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

}  // namespace

http_outcome http_send(const http_call& call) {
  // Each step is asynchronous only so that beast::tcp_stream can bound it in time; the caller
  // waits for the whole chain below.
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  const auto& t = call.target;
  const std::string where = t.host_header;

  http::request<http::string_body> request{http::string_to_verb(call.method), t.target, 11};
  if (request.method() == http::verb::unknown) request.method_string(call.method);
  request.set(http::field::host, t.host_header);
  request.set(http::field::user_agent, "Patroni/3.0.2 praetorctl");
  request.set(http::field::accept, "*/*");
  if (!call.authorization.empty()) request.set(http::field::authorization, call.authorization);
  if (!call.body.empty()) request.set(http::field::content_type, "application/json");
  request.body() = call.body;
  request.keep_alive(false);
  request.prepare_payload();

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1024 * 1024);  // the API answers a sentence or a small JSON
  http_outcome out;
  auto fail = [&](std::string why) {
    out.error = std::move(why);
    beast::error_code ignored;
    stream.socket().close(ignored);
  };

  resolver.async_resolve(
      t.host, t.port, tcp::resolver::numeric_service,
      [&](beast::error_code resolved, const tcp::resolver::results_type& results) {
        if (resolved) return fail("cannot resolve " + t.host + ": " + resolved.message());
        stream.expires_after(call.connect_timeout);
        stream.async_connect(results, [&](beast::error_code connected, const tcp::endpoint&) {
          if (connected == beast::error::timeout)
            return fail("cannot connect to " + where + " within " +
                        seconds_text(call.connect_timeout));
          if (connected) return fail("cannot connect to " + where + ": " + connected.message());
          stream.expires_after(call.answer_timeout);
          http::async_write(stream, request, [&](beast::error_code written, std::size_t) {
            if (written == beast::error::timeout)
              return fail("no answer from " + where + " within " +
                          seconds_text(call.answer_timeout));
            if (written)
              return fail("cannot send the request to " + where + ": " + written.message());
            out.delivered = true;
            // Patroni answers HTTP/1.0 without Content-Length and closes: the parser then
            // takes the body up to the end of the stream and completes without an error.
            http::async_read(stream, buffer, parser, [&](beast::error_code answered, std::size_t) {
              if (answered == beast::error::timeout)
                return fail("no answer from " + where + " within " +
                            seconds_text(call.answer_timeout));
              if (answered)
                return fail("cannot read the answer of " + where + ": " + answered.message());
              auto& response = parser.get();
              out.reply =
                  http_reply{static_cast<int>(response.result_int()), std::move(response.body())};
              beast::error_code ignored;
              stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
            });
          });
        });
      });

  // The stream's timer bounds connect, write and read; this bounds a name lookup that hangs.
  ioc.run_for(call.connect_timeout + call.answer_timeout + std::chrono::seconds(1));
  if (!out.reply && out.error.empty())
    out.error = "no answer from " + where + " within " +
                seconds_text(call.connect_timeout + call.answer_timeout);
  return out;
}

}  // namespace praetor::ctl
