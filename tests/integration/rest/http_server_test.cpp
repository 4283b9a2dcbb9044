// The HTTP server over real loopback TCP: Patroni's answers, keep-alive, status-only bytes,
// bad or silent clients that must not disturb the others, requests handed over and answered
// later, and restapi.authentication.
#include "actors/rest_frontend/http_server.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <mutex>
#include <thread>

#include "actors/rest_frontend/router.hpp"
#include "tests/integration/rest/raw_client.hpp"
#include "tests/unit/rest/snapshots.hpp"

using namespace praetor;
using namespace praetor::rest;
using namespace std::chrono_literals;
using test::raw_client;
namespace json = boost::json;

namespace {

// The unit snapshots are pinned to a fixed "now"; over real time their view would be stale.
node_snapshot live(node_snapshot s) {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  if (s.view) s.view->loaded_at_ms = now;
  s.dcs_last_seen_ms = now;
  s.next_loop_ms = now + 10'000;
  return s;
}

struct running_server {
  explicit running_server(node_snapshot s, http_limits limits = {})
      : server(rest::test::loopback_api(0), limits) {
    server.set_snapshot(std::make_shared<const node_snapshot>(live(std::move(s))));
    auto error = server.start();
    if (error) FAIL("server did not start: " << *error);
    REQUIRE(server.port() > 0);
  }
  void use(node_snapshot s) {
    server.set_snapshot(std::make_shared<const node_snapshot>(live(std::move(s))));
  }
  http_server server;  // its destructor stops it, also when an assertion fails
};

}  // namespace

TEST_CASE("GET /health over HTTP/1.0 answers the status JSON and closes", "[http]") {
  running_server srv(test::primary_snapshot());
  raw_client c(srv.server.port());
  c.send("GET /health HTTP/1.0\r\nHost: x\r\n\r\n");
  std::string r = c.read_to_close();
  CHECK(r.starts_with("HTTP/1.0 200 OK\r\n"));
  CHECK(test::has_header(r, "Content-Type: application/json"));
  auto body = json::parse(test::body_of(r)).as_object();
  CHECK(body.at("role") == "master");
  CHECK(body.at("xlog").at("location").to_number<std::uint64_t>() == 50331744u);
  CHECK(body.at("patroni").at("version") == "3.0.2");
}

TEST_CASE("OPTIONS /primary answers the bare status line HAProxy expects", "[http]") {
  running_server srv(test::primary_snapshot());
  {
    raw_client c(srv.server.port());
    c.send("OPTIONS /primary HTTP/1.0\r\n\r\n");
    CHECK(c.read_to_close() == "HTTP/1.0 200 OK\r\n\r\n");
  }
  srv.use(test::replica_snapshot());
  {
    raw_client c(srv.server.port());
    c.send("OPTIONS /primary HTTP/1.0\r\n\r\n");
    CHECK(c.read_to_close() == "HTTP/1.0 503 Service Unavailable\r\n\r\n");
  }
  {
    raw_client c(srv.server.port());
    c.send("HEAD /replica HTTP/1.0\r\n\r\n");
    CHECK(c.read_to_close() == "HTTP/1.0 200 OK\r\n\r\n");
  }
  {
    raw_client c(srv.server.port());
    c.send("GET /liveness HTTP/1.0\r\n\r\n");
    CHECK(c.read_to_close() == "HTTP/1.0 200 OK\r\n\r\n");
  }
  SECTION("over HTTP/1.1: a normal empty response, and the connection stays open") {
    raw_client c(srv.server.port());
    c.send("OPTIONS /primary HTTP/1.1\r\nHost: x\r\n\r\n");
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->starts_with("HTTP/1.1 503 Service Unavailable\r\n"));
    CHECK(test::has_header(*r, "Content-Length: 0"));
    CHECK(test::body_of(*r).empty());
    c.send("OPTIONS /replica HTTP/1.1\r\nHost: x\r\n\r\n");
    r = c.read_response();
    REQUIRE(r);
    CHECK(test::status_of(*r) == 200);
  }
}

TEST_CASE("GET /health and keep-alive: two requests on one connection", "[http]") {
  running_server srv(test::replica_snapshot());
  raw_client c(srv.server.port());
  c.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  auto first = c.read_response();
  REQUIRE(first);
  CHECK(first->starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(json::parse(test::body_of(*first)).at("state") == "running");
  c.send("GET /primary HTTP/1.1\r\nHost: x\r\n\r\n");
  auto second = c.read_response();
  REQUIRE(second);
  CHECK(test::status_of(*second) == 503);
  CHECK(json::parse(test::body_of(*second)).at("role") == "replica");
  c.send("GET /cluster HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto third = c.read_response();
  REQUIRE(third);
  CHECK(json::parse(test::body_of(*third)).at("members").as_array().size() == 2);
  CHECK(c.closed_by_server(2s));
}

TEST_CASE("a malformed request gets 400 and the server still answers others", "[http]") {
  running_server srv(test::primary_snapshot());
  {
    raw_client bad(srv.server.port());
    bad.send("THIS IS NOT HTTP\r\n\r\n");
    std::string r = bad.read_to_close();
    CHECK(test::status_of(r) == 400);
    CHECK(json::parse(test::body_of(r)).as_object().contains("error"));
  }
  {
    raw_client bad(srv.server.port());
    bad.send("GET /health HTTP/1.1\r\nBroken header line\r\n\r\n");
    CHECK(test::status_of(bad.read_to_close()) == 400);
  }
  raw_client good(srv.server.port());
  good.send("GET /primary HTTP/1.0\r\n\r\n");
  CHECK(test::status_of(good.read_to_close()) == 200);
}

TEST_CASE("other methods get 501 and oversized bodies 413", "[http]") {
  running_server srv(test::primary_snapshot(), http_limits{10s, 256, 16 * 1024, 1024});
  {
    raw_client c(srv.server.port());
    c.send("POST /switchover HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(test::status_of(*r) == 501);
    CHECK(test::body_of(*r) == R"({"error":"Unsupported method"})");
  }
  {
    raw_client c(srv.server.port());
    // Far more than the limit and than socket buffers: the answer must survive the excess.
    c.send("POST /restart HTTP/1.1\r\nHost: x\r\nContent-Length: 400000\r\n\r\n" +
           std::string(400000, 'x'));
    std::string r = c.read_to_close();
    CHECK(test::status_of(r) == 413);
  }
  {
    raw_client c(srv.server.port());
    c.send("GET /patroni HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'y') + "\r\n\r\n");
    CHECK(test::status_of(c.read_to_close()) == 431);
  }
}

TEST_CASE("a silent client neither blocks others nor stays forever", "[http]") {
  running_server srv(test::primary_snapshot(), http_limits{500ms, 256, 16 * 1024, 64 * 1024});
  raw_client silent(srv.server.port());
  raw_client half(srv.server.port());
  half.send("GET /patroni HTTP/1.1\r\nHost:");  // and then nothing more

  auto started = std::chrono::steady_clock::now();
  raw_client other(srv.server.port());
  other.send("GET /primary HTTP/1.0\r\n\r\n");
  CHECK(test::status_of(other.read_to_close(2s)) == 200);
  CHECK(std::chrono::steady_clock::now() - started < 400ms);

  CHECK(silent.closed_by_server(3s));
  CHECK(half.closed_by_server(3s));
}

TEST_CASE("connections over the cap are closed at once, stop() drops the rest", "[http]") {
  auto srv = std::make_unique<running_server>(test::primary_snapshot(),
                                              http_limits{30s, 2, 16 * 1024, 64 * 1024});
  raw_client a(srv->server.port());
  raw_client b(srv->server.port());
  std::this_thread::sleep_for(200ms);  // let the server accept both
  raw_client c(srv->server.port());
  CHECK(c.closed_by_server(2s));
  CHECK_FALSE(a.closed_by_server(200ms));

  auto started = std::chrono::steady_clock::now();
  srv->server.stop();
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  CHECK(a.closed_by_server(2s));
  CHECK(b.closed_by_server(2s));
}

TEST_CASE("a taken port is reported as an error value naming the address", "[http]") {
  running_server first(test::primary_snapshot());
  http_server second(rest::test::loopback_api(first.server.port()));
  auto error = second.start();
  REQUIRE(error);
  CHECK_THAT(*error, Catch::Contains("127.0.0.1:" + std::to_string(first.server.port())));
  CHECK(second.port() == 0);
}

TEST_CASE("curl sees Patroni's codes", "[http][curl]") {
  running_server srv(test::replica_snapshot());
  auto code_of = [&](const std::string& path, const std::string& extra = "") {
    std::string cmd = "curl -s -o /dev/null -w '%{http_code}' " + extra +
                      " 'http://127.0.0.1:" + std::to_string(srv.server.port()) + path + "'";
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    char buf[16] = {};
    std::size_t n = std::fread(buf, 1, sizeof buf - 1, p);
    ::pclose(p);
    return std::string(buf, n);
  };
  CHECK(code_of("/replica") == "200");
  CHECK(code_of("/replica?lag=1") == "503");
  CHECK(code_of("/replica?tag_zone=b") == "200");
  CHECK(code_of("/primary") == "503");
  CHECK(code_of("/primary", "-X OPTIONS") == "503");
  CHECK(code_of("/read-only", "--http1.0 -I") == "200");
  CHECK(code_of("/health") == "200");
}

namespace {

// Collects the requests a server hands over, with their replies, for the test to answer.
struct handed_over_calls {
  std::mutex mu;
  std::vector<std::pair<http_request, http_reply>> calls;

  request_handler handler() {
    return [this](http_request r, http_reply reply) {
      std::lock_guard l(mu);
      calls.emplace_back(std::move(r), std::move(reply));
    };
  }
  std::size_t count() {
    std::lock_guard l(mu);
    return calls.size();
  }
  bool wait_for(std::size_t n) {
    for (int i = 0; i < 250 && count() < n; ++i) std::this_thread::sleep_for(20ms);
    return count() >= n;
  }
};

}  // namespace

TEST_CASE("a handed-over request is answered later while others are served", "[http]") {
  handed_over_calls handed;
  http_server server(rest::test::loopback_api(0),
                     http_limits{300ms, 256, 16 * 1024, 64 * 1024}, handed.handler());
  server.set_snapshot(std::make_shared<const node_snapshot>(live(test::primary_snapshot())));
  REQUIRE_FALSE(server.start());

  raw_client waiting(server.port());
  waiting.send(
      "POST /switchover?x=1 HTTP/1.1\r\nHost: x\r\nX-Test: yes\r\nContent-Length: 2\r\n\r\n{}");
  REQUIRE(handed.wait_for(1));
  {
    std::lock_guard l(handed.mu);
    const auto& r = handed.calls[0].first;
    CHECK(r.method == "POST");
    CHECK(r.target == "/switchover?x=1");
    CHECK(r.body == "{}");
    CHECK(header_value(r, "x-test") == "yes");
    CHECK(r.peer.starts_with("127.0.0.1:"));
  }

  raw_client other(server.port());
  other.send("GET /primary HTTP/1.0\r\n\r\n");
  CHECK(test::status_of(other.read_to_close(2s)) == 200);

  // Waiting for the reply is not idling: the read timeout does not apply.
  CHECK_FALSE(waiting.closed_by_server(600ms));
  std::thread([&] {
    std::lock_guard l(handed.mu);
    handed.calls[0].second(text_response(200, "done"));
  }).join();
  auto r = waiting.read_response(2s);
  REQUIRE(r);
  CHECK(r->starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(test::body_of(*r) == "done");
  waiting.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");  // keep-alive goes on
  r = waiting.read_response(2s);
  REQUIRE(r);
  CHECK(test::status_of(*r) == 200);
}

TEST_CASE("a dropped reply answers 503, a reply after stop() is harmless", "[http]") {
  handed_over_calls handed;
  http_server server(rest::test::loopback_api(0), http_limits{},
                     handed.handler());
  REQUIRE_FALSE(server.start());

  raw_client dropped(server.port());
  dropped.send("POST /failover HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}");
  REQUIRE(handed.wait_for(1));
  {
    std::lock_guard l(handed.mu);
    handed.calls.clear();  // the handler's owner forgets the reply
  }
  auto answer = dropped.read_to_close(2s);
  CHECK(test::status_of(answer) == 503);
  CHECK(test::body_of(answer) == "the request was dropped before it was answered");

  raw_client late(server.port());
  late.send("DELETE /switchover HTTP/1.0\r\n\r\n");
  REQUIRE(handed.wait_for(1));
  server.stop();
  CHECK(late.closed_by_server(2s));
  std::lock_guard l(handed.mu);
  handed.calls[0].second(text_response(200, "too late"));  // must neither crash nor hang
  handed.calls.clear();
}

TEST_CASE("with restapi.authentication the unsafe methods need it", "[http][auth]") {
  handed_over_calls handed;
  http_server server(
      rest::test::loopback_api(0, "admin", "secret"), http_limits{},
      handed.handler());
  REQUIRE_FALSE(server.start());
  auto send = [&](const std::string& bytes) {
    raw_client c(server.port());
    c.send(bytes);
    return c.read_to_close(2s);
  };

  auto r = send("POST /switchover HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}");
  CHECK(test::status_of(r) == 401);
  CHECK(test::body_of(r) == "no auth header received");
  CHECK(test::has_header(r, "WWW-Authenticate: Basic realm=\"Patroni\""));
  r = send(
      "PATCH /config HTTP/1.0\r\nAuthorization: Basic YWRtaW46c2VjcmV0MQ==\r\n"
      "Content-Length: 2\r\n\r\n{}");
  CHECK(test::status_of(r) == 401);
  CHECK(test::body_of(r) == "not authenticated");
  CHECK(handed.count() == 0);

  CHECK(test::status_of(send("GET /primary HTTP/1.0\r\n\r\n")) == 503);  // reads need none
  CHECK(test::status_of(send("POST /nonsense HTTP/1.0\r\nAuthorization: Basic "
                             "YWRtaW46c2VjcmV0\r\nContent-Length: 0\r\n\r\n")) == 501);

  raw_client ok(server.port());
  ok.send(
      "POST /switchover HTTP/1.0\r\nAuthorization: Basic YWRtaW46c2VjcmV0\r\n"
      "Content-Length: 2\r\n\r\n{}");
  CHECK(handed.wait_for(1));
  std::lock_guard l(handed.mu);
  for (auto& [req, reply] : handed.calls) reply(text_response(200, "ok"));
}
