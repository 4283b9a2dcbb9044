// POST /switchover, POST /failover and DELETE /switchover end to end: the real rest_frontend
// actor over loopback HTTP, a real dcs_session actor over the in-memory DCS, and a fake
// decider. The test plays the decider's part of pushing snapshots to the REST actor, so it
// decides what the waiting requests see.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "actors/dcs_session/dcs_session.hpp"
#include "actors/rest_frontend/basic_auth.hpp"
#include "actors/rest_frontend/rest_frontend.hpp"
#include "backends/dcs/memory/memory_client.hpp"
#include "tests/integration/dcs/decider_probe.hpp"
#include "tests/integration/rest/raw_client.hpp"
#include "tests/support/loopback_port.hpp"
#include "tests/unit/rest/snapshots.hpp"

using namespace praetor;
using namespace std::chrono_literals;
using rest::test::raw_client;
namespace json = boost::json;

namespace {

constexpr const char* failover_path = "/service/demo/failover";

std::string request(const std::string& method, const std::string& path,
                    std::optional<std::string> body, const std::string& auth) {
  std::string r = method + " " + path + " HTTP/1.0\r\nHost: x\r\n";
  if (!auth.empty()) r += "Authorization: " + auth + "\r\n";
  if (body) r += "Content-Length: " + std::to_string(body->size()) + "\r\n";
  return r + "\r\n" + body.value_or("");
}

// A dcs_session over the memory store, a fake decider, and the rest_frontend under test with
// restapi.authentication admin:secret. Every actor is stopped when the test ends.
struct rest_over_memory_dcs {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<dcs::memory_store> store = std::make_shared<dcs::memory_store>();
  std::shared_ptr<test::decider_inbox> box = std::make_shared<test::decider_inbox>();
  ha_decider_actor decider;
  dcs_session_actor session;
  rest_frontend_actor rest;
  int port = 0;
  const std::string good_auth = "Basic " + rest::base64_encode("admin:secret");

  rest_over_memory_dcs() {
    sys = std::make_unique<caf::actor_system>(cfg);
    decider = sys->spawn(test::fake_decider, box);
    dcs_settings d;
    d.base_path = "/service/demo";
    d.member_name = "node1";
    d.loop_wait = 10;
    session = sys->spawn<caf::detached>(
        dcs_session, decider, d,
        std::shared_ptr<dcs::client>(std::make_shared<dcs::memory_client>(store)));
    REQUIRE(box->wait([](test::decider_inbox& b) {
      return !b.statuses.empty() && b.statuses.back().state == session_state::connected;
    }));
    port = test::free_loopback_port();
    rest = sys->spawn(rest_frontend, rest_settings{"127.0.0.1", port, "admin", "secret", "", ""},
                      session);
    push(rest::test::primary_snapshot());
    for (int i = 0; i < 100 && !get_ok(); ++i) std::this_thread::sleep_for(20ms);
    REQUIRE(get_ok());
  }
  ~rest_over_memory_dcs() {
    caf::anon_send_exit(rest, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(session, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(decider, caf::exit_reason::user_shutdown);
    // A detached actor's thread ends only when its last handle is gone.
    rest = nullptr;
    session = nullptr;
    decider = nullptr;
    sys.reset();
  }

  bool get_ok() {
    try {
      raw_client c(port);
      c.send("GET /patroni HTTP/1.0\r\n\r\n");
      return rest::test::status_of(c.read_to_close(2s)) == 200;
    } catch (const std::exception&) {
      return false;
    }
  }
  void push(node_snapshot s) { caf::anon_send(rest, std::move(s)); }

  // Sends a request and reads the whole answer (HTTP/1.0: the server closes after it).
  std::string call(const std::string& method, const std::string& path,
                   std::optional<std::string> body, std::optional<std::string> auth = {}) {
    raw_client c(port);
    c.send(request(method, path, std::move(body), auth.value_or(good_auth)));
    return c.read_to_close(10s);
  }

  std::optional<json::object> failover_key() const {
    auto node = store->peek(failover_path);
    if (!node) return std::nullopt;
    return json::parse(node->data).as_object();
  }
  int failover_version() const { return store->peek(failover_path)->stat.version; }

  // The latest view dcs_session loaded, once it satisfies `pred`.
  template <class Pred>
  cluster_view view_where(Pred pred) {
    cluster_view out;
    REQUIRE(box->wait([&](test::decider_inbox& b) {
      if (b.views.empty() || !pred(b.views.back())) return false;
      out = b.views.back();
      return true;
    }));
    return out;
  }
};

node_snapshot with_leader(std::string leader, std::optional<failover_request> key) {
  auto s = rest::test::primary_snapshot();
  s.view->leader = leader_lock{std::move(leader), 9};
  s.view->failover = std::move(key);
  return s;
}

}  // namespace

TEST_CASE("unsafe endpoints need the configured credentials", "[rest][switchover]") {
  rest_over_memory_dcs t;
  const std::string body = R"({"leader":"node1","candidate":"node2"})";
  auto r = t.call("POST", "/switchover", body, "");
  CHECK(rest::test::status_of(r) == 401);
  CHECK(rest::test::body_of(r) == "no auth header received");
  CHECK(rest::test::has_header(r, "WWW-Authenticate: Basic realm=\"Patroni\""));
  CHECK(rest::test::has_header(r, "Content-Type: text/html"));

  r = t.call("DELETE", "/switchover", std::nullopt, "Basic " + rest::base64_encode("admin:nope"));
  CHECK(rest::test::status_of(r) == 401);
  CHECK(rest::test::body_of(r) == "not authenticated");
  CHECK(rest::test::has_header(r, "WWW-Authenticate: Basic realm=\"Patroni\""));

  CHECK_FALSE(t.failover_key());  // nothing was written
  CHECK(t.get_ok());              // reading needs no credentials
}

TEST_CASE("requests refused before anything is written", "[rest][switchover]") {
  rest_over_memory_dcs t;
  auto r = t.call("POST", "/switchover", std::nullopt);
  CHECK(rest::test::status_of(r) == 411);
  r = t.call("POST", "/failover", std::string("{\"candidate\":"));
  CHECK(rest::test::status_of(r) == 400);
  r = t.call("POST", "/switchover", std::string(R"({"candidate":"node2"})"));
  CHECK(rest::test::status_of(r) == 400);
  CHECK(rest::test::body_of(r) == "Switchover could be performed only from a specific leader");
  r = t.call("POST", "/switchover", std::string(R"({"leader":"node2","candidate":"node1"})"));
  CHECK(rest::test::status_of(r) == 412);
  CHECK(rest::test::body_of(r) == "leader name does not match");
  r = t.call("POST", "/failover", std::string(R"({"candidate":"node7"})"));
  CHECK(rest::test::status_of(r) == 412);
  CHECK(rest::test::body_of(r) == "candidate does not exists");
  r = t.call("POST", "/switchover",
             std::string(R"({"leader":"node1","scheduled_at":"2001-01-01T00:00:00Z"})"));
  CHECK(rest::test::status_of(r) == 422);
  CHECK(rest::test::body_of(r) == "Cannot schedule switchover in the past");
  CHECK_FALSE(t.failover_key());
}

TEST_CASE("a scheduled switchover is written, then deleted once", "[rest][switchover]") {
  rest_over_memory_dcs t;
  auto r = t.call("POST", "/switchover",
                  std::string(R"({"leader":"node1","candidate":"node2",)"
                              R"("scheduled_at":"2099-06-01T12:30:00+02:00"})"));
  CHECK(rest::test::status_of(r) == 202);
  CHECK(rest::test::body_of(r) == "Switchover scheduled");
  auto key = t.failover_key();
  REQUIRE(key);
  CHECK(*key == json::object{{"leader", "node1"},
                             {"member", "node2"},
                             {"scheduled_at", "2099-06-01T10:30:00+00:00"}});

  // What the decider would push: the view dcs_session loaded after the write.
  auto view = t.view_where([](const cluster_view& v) { return v.failover.has_value(); });
  auto s = rest::test::primary_snapshot();
  s.view->failover = view.failover;
  t.push(s);
  r = t.call("DELETE", "/switchover", std::nullopt);
  CHECK(rest::test::status_of(r) == 200);
  CHECK(rest::test::body_of(r) == "scheduled switchover deleted");
  CHECK(*t.failover_key() == json::object{});

  t.push(rest::test::primary_snapshot());  // the key is empty now
  r = t.call("DELETE", "/switchover", std::nullopt);
  CHECK(rest::test::status_of(r) == 404);
  CHECK(rest::test::body_of(r) == "no switchover is scheduled");
}

TEST_CASE("DELETE /switchover of a request that changed meanwhile is a conflict",
          "[rest][switchover]") {
  rest_over_memory_dcs t;
  const std::string later = R"({"leader":"node1","scheduled_at":"2099-01-01T00:00:00Z"})";
  REQUIRE(rest::test::status_of(t.call("POST", "/switchover", later)) == 202);
  auto seen = t.view_where([](const cluster_view& v) { return v.failover.has_value(); });
  REQUIRE(rest::test::status_of(t.call("POST", "/switchover", later)) == 202);  // a new version
  REQUIRE(t.failover_version() != seen.failover->version.value);

  auto s = rest::test::primary_snapshot();
  s.view->failover = seen.failover;  // a snapshot from before the second write
  t.push(s);
  auto r = t.call("DELETE", "/switchover", std::nullopt);
  CHECK(rest::test::status_of(r) == 409);
  CHECK(t.failover_key()->contains("scheduled_at"));  // left in place
}

TEST_CASE("an immediate switchover waits for the new leader, serving others meanwhile",
          "[rest][switchover]") {
  rest_over_memory_dcs t;
  raw_client waiting(t.port);
  waiting.send(request("POST", "/switchover", std::string(R"({"leader":"node1","member":"node2"})"),
                       t.good_auth));

  // The key is written while the request waits.
  auto view = t.view_where([](const cluster_view& v) { return v.failover.has_value(); });
  CHECK(view.failover->leader == "node1");
  CHECK(view.failover->member == "node2");
  CHECK(view.failover->scheduled_at.empty());
  CHECK(*t.failover_key() == json::object{{"leader", "node1"}, {"member", "node2"}});

  CHECK(t.get_ok());  // another client is answered meanwhile
  CHECK_FALSE(waiting.closed_by_server(300ms));

  t.push(with_leader("node1", view.failover));  // the leader has not acted yet
  CHECK_FALSE(waiting.closed_by_server(300ms));
  t.push(with_leader("node2", std::nullopt));  // node2 took the lock and cleared the key
  auto r = waiting.read_to_close(5s);
  CHECK(rest::test::status_of(r) == 200);
  CHECK(rest::test::body_of(r) == "Successfully switched over to \"node2\"");
  CHECK(rest::test::has_header(r, "Content-Type: text/html"));
}

TEST_CASE("an immediate failover whose key is cleared without a new leader failed",
          "[rest][switchover]") {
  rest_over_memory_dcs t;
  raw_client waiting(t.port);
  waiting.send(request("POST", "/failover", std::string(R"({"candidate":"node2"})"), t.good_auth));
  auto view = t.view_where([](const cluster_view& v) { return v.failover.has_value(); });
  CHECK(*t.failover_key() == json::object{{"member", "node2"}});

  t.push(with_leader("node1", view.failover));
  CHECK_FALSE(waiting.closed_by_server(300ms));
  t.push(with_leader("node1", std::nullopt));  // the leader gave up and cleared it
  auto r = waiting.read_to_close(5s);
  CHECK(rest::test::status_of(r) == 503);
  CHECK(rest::test::body_of(r) == "Failover failed");
}

TEST_CASE("a key that cannot be written is a 503", "[rest][switchover]") {
  rest_over_memory_dcs t;
  std::int64_t session_id = 0;
  {
    std::lock_guard l(t.box->mu);
    session_id = t.box->statuses.back().session_id;
  }
  t.store->set_connected(session_id, false);
  auto r = t.call("POST", "/switchover", std::string(R"({"leader":"node1"})"));
  CHECK(rest::test::status_of(r) == 503);
  CHECK(rest::test::body_of(r) == "failed to write switchover key into DCS");
  t.store->set_connected(session_id, true);
}

TEST_CASE("a switchover without an outcome ends as status unknown", "[rest][switchover]") {
  rest_over_memory_dcs t;  // loop_wait 10: the wait is 20 s
  raw_client waiting(t.port);
  const auto start = std::chrono::steady_clock::now();
  waiting.send(request("POST", "/switchover", std::string(R"({"leader":"node1"})"), t.good_auth));
  auto r = waiting.read_to_close(30s);
  const auto waited = std::chrono::steady_clock::now() - start;
  CHECK(rest::test::status_of(r) == 503);
  CHECK(rest::test::body_of(r) == "Switchover status unknown");
  CHECK(waited >= 19s);
}
