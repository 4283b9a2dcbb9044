// The rest_frontend actor in a real actor system: snapshots it receives change the answers;
// a taken port makes it quit with an error instead of running deaf.
#include "actors/rest_frontend/rest_frontend.hpp"

#include <boost/json/parse.hpp>
#include <caf/all.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "actors/rest_frontend/basic_auth.hpp"
#include "actors/rest_frontend/metrics_text.hpp"
#include "tests/integration/rest/raw_client.hpp"
#include "tests/unit/rest/snapshots.hpp"

using namespace praetor;
using namespace std::chrono_literals;
using rest::test::raw_client;

namespace {

// A listening socket on a free loopback port, held for as long as the object lives.
struct held_port {
  held_port() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd, 1) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  ~held_port() { release(); }
  void release() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  int fd = -1;
  int port = 0;
};

// The whole response, "" when nothing listens (yet).
std::string response_at(int port, const std::string& request) {
  try {
    raw_client c(port);
    c.send(request);
    return c.read_to_close(2s);
  } catch (const std::exception&) {
    return "";
  }
}

int status_at(int port, const std::string& request) {
  return rest::test::status_of(response_at(port, request));
}

}  // namespace

TEST_CASE("rest_frontend serves the snapshots it is sent", "[rest_frontend]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  held_port free_port;
  const int port = free_port.port;
  free_port.release();  // a tiny race with other processes; acceptable on loopback in tests

  auto actor =
      sys.spawn(rest_frontend, rest::test::loopback_api(port), rest_peers{});
  const std::string options_primary = "OPTIONS /primary HTTP/1.0\r\n\r\n";

  int code = 0;
  for (int i = 0; i < 50 && code == 0; ++i) {
    code = status_at(port, options_primary);
    if (code == 0) std::this_thread::sleep_for(50ms);
  }
  CHECK(code == 503);  // the default snapshot: nothing is running

  caf::anon_send(actor, rest::test::primary_snapshot());
  for (int i = 0; i < 50 && code != 200; ++i) {
    std::this_thread::sleep_for(20ms);
    code = status_at(port, options_primary);
  }
  CHECK(code == 200);

  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  caf::scoped_actor self{sys};
  self->wait_for(actor);
  CHECK(status_at(port, options_primary) == 0);  // the listener is gone with the actor
}

TEST_CASE("rest_frontend quits with an error when its port is taken", "[rest_frontend]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  held_port taken;

  caf::scoped_actor self{sys};
  auto actor = self->spawn<caf::monitored>(
      rest_frontend, rest::test::loopback_api(taken.port), rest_peers{});
  bool got_down = false;
  self->receive(
      [&](const caf::down_msg& down) {
        got_down = true;
        CHECK(down.reason == caf::sec::cannot_open_port);
      },
      caf::after(5s) >> [] {});
  CHECK(got_down);
}

TEST_CASE("rest_frontend serves GET /metrics over HTTP", "[rest_frontend]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  held_port free_port;
  const int port = free_port.port;
  free_port.release();

  auto actor =
      sys.spawn(rest_frontend, rest::test::loopback_api(port), rest_peers{});
  const auto snapshot = rest::test::primary_snapshot();
  caf::anon_send(actor, snapshot);

  const std::string get_metrics = "GET /metrics HTTP/1.0\r\n\r\n";
  const std::string primary_line = R"(patroni_primary{scope="demo"} 1)";
  std::string response;
  for (int i = 0; i < 100 && response.find(primary_line) == std::string::npos; ++i) {
    if (i > 0) std::this_thread::sleep_for(20ms);
    response = response_at(port, get_metrics);
  }
  CHECK(rest::test::status_of(response) == 200);
  CHECK(rest::test::has_header(response, "Content-Type: text/plain"));
  const std::string body = rest::test::body_of(response);
  CHECK(body.find("patroni_xlog_location{scope=\"demo\"} 50331744\n") != std::string::npos);
  CHECK(body.find("patroni_postgres_server_version {scope=\"demo\"} 150002\n") !=
        std::string::npos);
  // The snapshot's view is from 2024, so it is stale now: the front end says unlocked.
  CHECK(body.find("patroni_cluster_unlocked{scope=\"demo\"} 1\n") != std::string::npos);
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  // Patroni's metrics (nothing in them depends on the second), then praetor's own per actor:
  // here the only actor is the front end itself.
  CHECK(body.starts_with(rest::metrics_text(snapshot, now_ms)));
  CHECK(body.find("# TYPE praetor_actor_messages_total counter\n") != std::string::npos);
  CHECK(
      body.find(R"(praetor_actor_messages_total{actor="rest_frontend",type="node_snapshot"} 1)") !=
      std::string::npos);
  CHECK(
      body.find(
          R"(praetor_actor_message_handling_seconds_count{actor="rest_frontend",type="rest_call"})") !=
      std::string::npos);

  // GET /actors: the same for people, as JSON.
  auto actors = response_at(port, "GET /actors HTTP/1.0\r\n\r\n");
  CHECK(rest::test::status_of(actors) == 200);
  auto view = boost::json::parse(rest::test::body_of(actors));
  CHECK(view.at("rest_frontend").at("messages").at("node_snapshot").at("count") == 1);

  // HEAD /metrics is Patroni's health check on an unknown path: the bare status line.
  CHECK(response_at(port, "HEAD /metrics HTTP/1.0\r\n\r\n") ==
        "HTTP/1.0 503 Service Unavailable\r\n\r\n");

  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  caf::scoped_actor self{sys};
  self->wait_for(actor);
}

TEST_CASE("GET /patroni reads PostgreSQL through the supervisor, else answers the snapshot",
          "[rest_frontend]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  const auto snapshot = rest::test::primary_snapshot();
  // A supervisor that has read a WAL position newer than the snapshot's (only this request is
  // ever sent to it here), and one that answers nothing the front end asks.
  const lsn fresh_position{snapshot.pg.wal_position.value + 0x1000000};
  auto reading = caf::actor_cast<postgres_supervisor_actor>(
      sys.spawn([snapshot, fresh_position](caf::event_based_actor*) -> caf::behavior {
        return {[snapshot, fresh_position](pg_status_request) {
          pg_status st = snapshot.pg;
          st.wal_position = fresh_position;
          return st;
        }};
      }));
  auto deaf = caf::actor_cast<postgres_supervisor_actor>(
      sys.spawn([](caf::event_based_actor*) -> caf::behavior { return {[](int) {}}; }));

  auto xlog_location = [&](const postgres_supervisor_actor& supervisor) -> std::uint64_t {
    held_port free_port;
    const int port = free_port.port;
    free_port.release();
    rest_peers peers;
    peers.postgres = supervisor;
    auto actor = sys.spawn(rest_frontend, rest::test::loopback_api(port), peers);
    caf::anon_send(actor, snapshot);
    std::string response;
    for (int i = 0; i < 100 && rest::test::status_of(response) != 200; ++i) {
      if (i > 0) std::this_thread::sleep_for(20ms);
      response = response_at(port, "GET /patroni HTTP/1.0\r\n\r\n");
    }
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
    REQUIRE(rest::test::status_of(response) == 200);
    auto body = boost::json::parse(rest::test::body_of(response));
    CHECK(body.at("role") == "master");
    return body.at("xlog").at("location").to_number<std::uint64_t>();
  };
  CHECK(xlog_location(reading) == fresh_position.value);
  CHECK(xlog_location(deaf) == snapshot.pg.wal_position.value);
  caf::anon_send_exit(reading, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(deaf, caf::exit_reason::user_shutdown);
}

TEST_CASE("new restapi settings move the REST API, unusable ones leave it serving",
          "[rest_frontend]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  held_port first_port, second_port;
  const int first = first_port.port, second = second_port.port;
  first_port.release();
  second_port.release();
  const rest_settings initial = rest::test::loopback_api(first, "admin", "secret");
  auto actor = sys.spawn(rest_frontend, initial, rest_peers{});
  caf::anon_send(actor, rest::test::primary_snapshot());
  auto reload_as = [](int port, const std::string& user_password) {
    return status_at(port, "POST /reload HTTP/1.0\r\nAuthorization: Basic " +
                               rest::base64_encode(user_password) + "\r\n\r\n");
  };
  int code = 0;
  for (int i = 0; i < 50 && code != 202; ++i) {
    if (i > 0) std::this_thread::sleep_for(20ms);
    code = reload_as(first, "admin:secret");
  }
  REQUIRE(code == 202);

  // Another address and password: the old listener goes, the new one asks the new password.
  auto moved = initial;
  moved.listen_port = second;
  moved.password = "rotated";
  caf::anon_send(actor, moved);
  for (int i = 0; i < 50 && code != 401; ++i) {
    std::this_thread::sleep_for(20ms);
    code = reload_as(second, "admin:secret");
  }
  CHECK(code == 401);
  CHECK(reload_as(second, "admin:rotated") == 202);
  CHECK(status_at(first, "OPTIONS /primary HTTP/1.0\r\n\r\n") == 0);

  // Settings that cannot serve (a certificate file that is not there) change nothing.
  auto broken = moved;
  broken.certfile = "/nonexistent/praetor-test.crt";
  broken.keyfile = "/nonexistent/praetor-test.key";
  caf::anon_send(actor, broken);
  // Answered by the actor after it took the broken settings: still the server before them.
  CHECK(reload_as(second, "admin:rotated") == 202);
  auto same = moved;
  same.password = "again";  // only the credentials: the running server takes them
  caf::anon_send(actor, same);
  code = 0;
  for (int i = 0; i < 50 && code != 202; ++i) {
    if (i > 0) std::this_thread::sleep_for(20ms);
    code = reload_as(second, "admin:again");
  }
  CHECK(code == 202);
  CHECK(reload_as(second, "admin:rotated") == 401);
  CHECK(status_at(second, "OPTIONS /primary HTTP/1.0\r\n\r\n") == 200);

  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  caf::scoped_actor self{sys};
  self->wait_for(actor);
}
