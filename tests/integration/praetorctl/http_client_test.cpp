// http_send against peer_probe's canned HTTP server: a Patroni-style answer (HTTP/1.0, no
// Content-Length, close), a server that never answers, and a port where nothing listens.
#include "apps/praetorctl/http_client.hpp"

#include <catch2/catch.hpp>
#include <chrono>

#include "apps/praetorctl/failover_plan.hpp"
#include "tests/integration/peer_probe/canned_http_server.hpp"

using namespace praetor;
using namespace std::chrono_literals;

namespace {
ctl::http_call call_to(const std::string& api_url, const std::string& method) {
  auto target = ctl::endpoint_target(api_url, "switchover");
  REQUIRE(std::holds_alternative<peers::api_target>(target));
  ctl::http_call c;
  c.method = method;
  c.target = std::get<peers::api_target>(target).http;
  return c;
}
}  // namespace

TEST_CASE("http_send reads an answer that ends with the connection", "[praetorctl][http]") {
  test::canned_http_server server(test::canned_http_server::mode::answer,
                                  "Successfully switched over to \"node2\"", 503);
  auto c = call_to(server.url(), "DELETE");
  c.authorization = "Basic YWRtaW46czNjcmV0";
  auto out = ctl::http_send(c);
  INFO(out.error);
  REQUIRE(out.reply);
  CHECK(out.reply->status == 503);
  CHECK(out.reply->body == "Successfully switched over to \"node2\"");
  auto heads = server.requests();
  REQUIRE(heads.size() == 1);
  CHECK(heads[0].starts_with("DELETE /switchover HTTP/1.1\r\n"));
  CHECK(heads[0].find("\r\nAuthorization: Basic YWRtaW46czNjcmV0") != std::string::npos);
  CHECK(heads[0].find("\r\nHost: 127.0.0.1:" + std::to_string(server.port())) != std::string::npos);
}

TEST_CASE("http_send gives up on a server that does not answer", "[praetorctl][http]") {
  test::canned_http_server server(test::canned_http_server::mode::hang);
  auto c = call_to(server.url(), "POST");
  c.body = R"({"leader":"node1","candidate":null,"scheduled_at":null})";
  c.answer_timeout = 500ms;
  auto t0 = std::chrono::steady_clock::now();
  auto out = ctl::http_send(c);
  auto took = std::chrono::steady_clock::now() - t0;
  CHECK_FALSE(out.reply);
  CHECK(out.delivered);  // the server has the request and may act on it
  CHECK(out.error ==
        "no answer from 127.0.0.1:" + std::to_string(server.port()) + " within 500 ms");
  CHECK(took >= 450ms);
  CHECK(took < 3s);
  REQUIRE(server.requests().size() == 1);
  CHECK(server.requests()[0].find("\r\nContent-Length: 55") != std::string::npos);
}

TEST_CASE("http_send reports a refused connection", "[praetorctl][http]") {
  auto port = test::closed_loopback_port();
  auto out =
      ctl::http_send(call_to("http://127.0.0.1:" + std::to_string(port) + "/patroni", "POST"));
  CHECK_FALSE(out.reply);
  CHECK_FALSE(out.delivered);
  CHECK(out.error ==
        "cannot connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
}
