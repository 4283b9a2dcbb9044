// POST /switchover, POST /failover and DELETE /switchover end to end (rest_over_memory_dcs.hpp):
// the test pushes the snapshots, so it decides what the waiting requests see.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "tests/integration/rest/rest_over_memory_dcs.hpp"
#include "tests/unit/rest/snapshots.hpp"

using namespace praetor;
using namespace std::chrono_literals;
using praetor::test::request;
using praetor::test::rest_over_memory_dcs;
using rest::test::raw_client;
namespace json = boost::json;

namespace {

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
