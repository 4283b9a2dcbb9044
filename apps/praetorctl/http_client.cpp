// The only translation unit of praetorctl that includes Boost.Beast and Asio (see
// http_client.hpp).
#include "apps/praetorctl/http_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <type_traits>

#include "actors/peer_probe/tls_client_context.hpp"

namespace praetor::ctl {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

namespace {

std::string seconds_text(std::chrono::milliseconds d) {
  auto ms = d.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

// One request over `stream` (a beast::tcp_stream, or a tls_stream whose handshake follows the
// connect), run to its end on `ioc`.
template <class Stream>
http_outcome exchange(asio::io_context& ioc, Stream& stream, const http_call& call) {
  constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;
  // Each step is asynchronous only so that beast::tcp_stream can bound it in time; the caller
  // waits for the whole chain below.
  tcp::resolver resolver(ioc);
  beast::tcp_stream& lowest = beast::get_lowest_layer(stream);
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
    lowest.socket().close(ignored);
  };

  auto read_answer = [&] {
    // Patroni answers HTTP/1.0 without Content-Length and closes: the parser then takes the
    // body up to the end of the stream and completes without an error. Over TLS that end may
    // come without close_notify; such a body is taken as whole too (tls_client_context.hpp).
    http::async_read(stream, buffer, parser, [&](beast::error_code answered, std::size_t) {
      if (is_tls && peers::is_cut_tls_stream(answered) && parser.is_header_done() &&
          parser.need_eof()) {
        answered = {};
        parser.put_eof(answered);
      }
      if (answered == beast::error::timeout)
        return fail("no answer from " + where + " within " + seconds_text(call.answer_timeout));
      if (answered) return fail("cannot read the answer of " + where + ": " + answered.message());
      auto& response = parser.get();
      out.reply = http_reply{static_cast<int>(response.result_int()), std::move(response.body())};
      beast::error_code ignored;
      lowest.socket().shutdown(tcp::socket::shutdown_both, ignored);
    });
  };

  auto send_request = [&] {
    lowest.expires_after(call.answer_timeout);
    http::async_write(stream, request, [&](beast::error_code written, std::size_t) {
      if (written == beast::error::timeout)
        return fail("no answer from " + where + " within " + seconds_text(call.answer_timeout));
      if (written) return fail("cannot send the request to " + where + ": " + written.message());
      out.delivered = true;
      read_answer();
    });
  };

  auto handshake = [&] {
    if constexpr (is_tls) {
      if (!peers::prepare_client_connection(stream.native_handle(), t.host, call.tls_options))
        return fail("cannot set up TLS for " + where);
      stream.async_handshake(asio::ssl::stream_base::client, [&](beast::error_code shook) {
        if (shook == beast::error::timeout)
          return fail("no TLS handshake with " + where + " within " +
                      seconds_text(call.connect_timeout));
        if (shook)
          return fail("TLS handshake with " + where +
                      " failed: " + peers::handshake_failure(stream.native_handle(), shook));
        send_request();
      });
    }
  };

  resolver.async_resolve(
      t.host, t.port, tcp::resolver::numeric_service,
      [&](beast::error_code resolved, const tcp::resolver::results_type& results) {
        if (resolved) return fail("cannot resolve " + t.host + ": " + resolved.message());
        // One budget for connect and handshake: the request is not sent before both are done.
        lowest.expires_after(call.connect_timeout);
        lowest.async_connect(results, [&](beast::error_code connected, const tcp::endpoint&) {
          if (connected == beast::error::timeout)
            return fail("cannot connect to " + where + " within " +
                        seconds_text(call.connect_timeout));
          if (connected) return fail("cannot connect to " + where + ": " + connected.message());
          if constexpr (is_tls)
            handshake();
          else
            send_request();
        });
      });

  // The stream's timer bounds connect, write and read; this bounds a name lookup that hangs.
  ioc.run_for(call.connect_timeout + call.answer_timeout + std::chrono::seconds(1));
  if (!out.reply && out.error.empty())
    out.error = "no answer from " + where + " within " +
                seconds_text(call.connect_timeout + call.answer_timeout);
  return out;
}

}  // namespace

http_outcome http_send(const http_call& call) {
  asio::io_context ioc;
  if (!call.tls) {
    beast::tcp_stream stream(ioc);
    return exchange(ioc, stream, call);
  }
  auto made = peers::make_client_tls_context(call.tls_options);
  if (auto* why = std::get_if<std::string>(&made))
    return {std::nullopt, "cannot speak TLS to " + call.target.host_header + ": " + *why, false};
  tls_stream stream(ioc, *std::get<std::shared_ptr<asio::ssl::context>>(made));
  return exchange(ioc, stream, call);
}

}  // namespace praetor::ctl
