// The peer_probe actor in a real actor system against real HTTP servers on loopback: canned
// Patroni 3.0.2 answers, a port where nothing listens, a server that never answers, and
// praetor's own REST API (the rest_frontend actor). A fake decider collects the peer_statuses.
#include "actors/peer_probe/peer_probe.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "actors/rest_frontend/rest_frontend.hpp"
#include "tests/integration/peer_probe/canned_http_server.hpp"
#include "tests/integration/peer_probe/peer_statuses_inbox.hpp"
#include "tests/support/loopback_port.hpp"

using namespace praetor;
using namespace std::chrono_literals;
using praetor::test::canned_http_server;
using steady = std::chrono::steady_clock;

namespace {

// What Patroni 3.0.2's GET /patroni says on a running primary and a streaming replica.
const std::string primary_body =
    R"({"state": "running", "postmaster_start_time": "2023-05-02 10:00:00.123456+00:00", )"
    R"("role": "master", "server_version": 150002, "xlog": {"location": 67109256}, )"
    R"("timeline": 3, "replication": [{"usename": "replicator", "application_name": "node2", )"
    R"("client_addr": "127.0.0.1", "state": "streaming", "sync_state": "async", )"
    R"("sync_priority": 0}], "dcs_last_seen": 1683021600, "database_system_identifier": )"
    R"("7228401893453352417", "patroni": {"version": "3.0.2", "scope": "demo"}})";
const std::string replica_body =
    R"({"state": "running", "postmaster_start_time": "2023-05-02 10:00:01+00:00", )"
    R"("role": "replica", "server_version": 150002, "xlog": {"received_location": 67109000, )"
    R"("replayed_location": 67108000, "replayed_timestamp": null, "paused": false}, )"
    R"("timeline": 3, "dcs_last_seen": 1683021600, "tags": {"nofailover": true}, )"
    R"("watchdog_failed": true, "patroni": {"version": "3.0.2", "scope": "demo"}})";
const std::string stopped_body =
    R"({"state": "stopped", "role": "replica", "dcs_last_seen": 1683021600, )"
    R"("cluster_unlocked": true, "patroni": {"version": "3.0.2", "scope": "demo"}})";

member_record member(std::string name, std::string api_url) {
  member_record m;
  m.name = std::move(name);
  m.api_url = std::move(api_url);
  return m;
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

// One actor system with a fake decider and the peer_probe actor; both are stopped (and
// waited for) when the fixture goes, also when a test fails.
struct probe_fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  std::shared_ptr<test::peer_statuses_inbox> inbox = std::make_shared<test::peer_statuses_inbox>();
  ha_decider_actor decider = sys.spawn(test::fake_decider, inbox);
  peer_probe_actor probe =
      sys.spawn(peer_probe, decider, peers::tls_client_options{}, std::string());

  ~probe_fixture() {
    caf::anon_send_exit(probe, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(decider, caf::exit_reason::user_shutdown);
    caf::scoped_actor self{sys};
    self->wait_for(probe, decider);
  }

  steady::time_point ask(probe_peers request) {
    auto sent = steady::now();
    caf::anon_send(probe, std::move(request));
    return sent;
  }
};

std::chrono::milliseconds since(steady::time_point from, steady::time_point to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from);
}

}  // namespace

TEST_CASE("one round: every member answered, in the order asked, within the timeout",
          "[peer_probe]") {
  canned_http_server primary(canned_http_server::mode::answer, primary_body);
  canned_http_server replica(canned_http_server::mode::answer, replica_body);
  canned_http_server stopped(canned_http_server::mode::answer, stopped_body);
  canned_http_server garbage(canned_http_server::mode::answer, "<html>Bad Gateway</html>", 502);
  canned_http_server silent(canned_http_server::mode::hang);
  const std::string dead_url =
      "http://127.0.0.1:" + std::to_string(test::closed_loopback_port()) + "/patroni";

  probe_fixture f;
  const int timeout_ms = 1000;
  auto sent = f.ask(probe_peers{7,
                                {member("node1", primary.url()), member("node2", replica.url()),
                                 member("node3", dead_url), member("node4", silent.url()),
                                 member("node5", stopped.url()), member("node6", garbage.url())},
                                timeout_ms});
  auto got = f.inbox->next(5s);
  REQUIRE(got);
  // The silent member holds the round until its deadline, and no longer.
  CHECK(since(sent, got->at) >= std::chrono::milliseconds(timeout_ms - 50));
  CHECK(since(sent, got->at) < std::chrono::milliseconds(timeout_ms + 500));

  const peer_statuses& r = got->statuses;
  CHECK(r.round == 7);
  REQUIRE(r.peers.size() == 6);

  peer_status want_primary;
  want_primary.name = "node1";
  want_primary.reachable = true;
  want_primary.in_recovery = false;
  want_primary.wal_position = lsn{67109256};
  want_primary.tl = timeline{3};
  CHECK(r.peers[0] == want_primary);

  peer_status want_replica;
  want_replica.name = "node2";
  want_replica.reachable = true;
  want_replica.in_recovery = true;
  want_replica.wal_position = lsn{67109000};  // received is ahead of replayed
  want_replica.tl = timeline{3};
  want_replica.nofailover = true;
  want_replica.watchdog_failed = true;
  CHECK(r.peers[1] == want_replica);

  const peer_status& dead = r.peers[2];
  CHECK(dead.name == "node3");
  CHECK_FALSE(dead.reachable);
  CHECK(contains(dead.error, "member node3"));
  CHECK(contains(dead.error, dead_url));
  CHECK(contains(dead.error, "refused"));

  const peer_status& hung = r.peers[3];
  CHECK(hung.name == "node4");
  CHECK_FALSE(hung.reachable);
  CHECK(contains(hung.error, "member node4"));
  CHECK(contains(hung.error, silent.url()));
  CHECK(contains(hung.error, "no answer within 1000 ms"));

  const peer_status& down = r.peers[4];
  CHECK(down.name == "node5");
  CHECK_FALSE(down.reachable);
  CHECK(contains(down.error, "member node5"));
  CHECK(contains(down.error, "neither \"wal\" nor \"xlog\""));

  const peer_status& junk = r.peers[5];
  CHECK(junk.name == "node6");
  CHECK_FALSE(junk.reachable);
  CHECK(contains(junk.error, "member node6"));
  CHECK(contains(junk.error, "HTTP 502"));
  CHECK(contains(junk.error, "not JSON"));

  // Exactly one answer per round.
  CHECK_FALSE(f.inbox->next(300ms));

  // Each peer was asked once, with a proper GET of its api_url's path.
  auto asked = primary.requests();
  REQUIRE(asked.size() == 1);
  CHECK(asked[0].rfind("GET /patroni HTTP/1.1\r\n", 0) == 0);
  CHECK(contains(asked[0], "Host: 127.0.0.1:" + std::to_string(primary.port())));
  CHECK(silent.requests().size() == 1);
}

TEST_CASE("a round whose members all answer ends long before the timeout", "[peer_probe]") {
  canned_http_server primary(canned_http_server::mode::answer, primary_body);
  canned_http_server replica(canned_http_server::mode::answer, replica_body);
  probe_fixture f;
  // A host name works too (resolved on the prober's thread; the server is on 127.0.0.1 only).
  const std::string by_name = "http://localhost:" + std::to_string(replica.port()) + "/patroni";
  auto sent =
      f.ask(probe_peers{1, {member("node2", by_name), member("node1", primary.url())}, 5000});
  auto got = f.inbox->next(10s);
  REQUIRE(got);
  CHECK(since(sent, got->at) < 1000ms);
  REQUIRE(got->statuses.peers.size() == 2);
  CHECK(got->statuses.peers[0].name == "node2");  // the order asked, not the order answered
  CHECK(got->statuses.peers[0].reachable);
  CHECK(got->statuses.peers[0].in_recovery);
  CHECK(got->statuses.peers[1].name == "node1");
  CHECK(got->statuses.peers[1].reachable);
  CHECK_FALSE(got->statuses.peers[1].in_recovery);
}

TEST_CASE("overlapping rounds are each answered, a newer one not held up by an older",
          "[peer_probe]") {
  canned_http_server primary(canned_http_server::mode::answer, primary_body);
  canned_http_server silent(canned_http_server::mode::hang);
  probe_fixture f;
  auto sent = f.ask(probe_peers{1, {member("node4", silent.url())}, 1500});
  f.ask(probe_peers{2, {member("node1", primary.url())}, 1500});

  auto first = f.inbox->next(5s);
  REQUIRE(first);
  CHECK(first->statuses.round == 2);
  CHECK(since(sent, first->at) < 1000ms);
  REQUIRE(first->statuses.peers.size() == 1);
  CHECK(first->statuses.peers[0].reachable);

  auto second = f.inbox->next(5s);
  REQUIRE(second);
  CHECK(second->statuses.round == 1);
  CHECK(since(sent, second->at) >= 1450ms);
  CHECK(since(sent, second->at) < 2000ms);
  REQUIRE(second->statuses.peers.size() == 1);
  CHECK_FALSE(second->statuses.peers[0].reachable);
}

TEST_CASE("members that cannot be asked are unreachable at once, saying why", "[peer_probe]") {
  probe_fixture f;
  auto sent = f.ask(probe_peers{3,
                                {member("gopher", "gopher://127.0.0.1:8008/patroni"),
                                 member("none", ""), member("junk", "not a url at all")},
                                2000});
  auto got = f.inbox->next(5s);
  REQUIRE(got);
  CHECK(since(sent, got->at) < 500ms);
  const auto& p = got->statuses.peers;
  REQUIRE(p.size() == 3);
  CHECK(p[0].name == "gopher");
  CHECK_FALSE(p[0].reachable);
  CHECK(contains(p[0].error, "gopher"));
  CHECK(p[1].name == "none");
  CHECK_FALSE(p[1].reachable);
  CHECK(contains(p[1].error, "member none"));
  CHECK(contains(p[1].error, "no api_url"));
  CHECK(p[2].name == "junk");
  CHECK_FALSE(p[2].reachable);
  CHECK(contains(p[2].error, "not a URL"));

  SECTION("an empty round is answered with no peers") {
    f.ask(probe_peers{4, {}, 2000});
    auto empty = f.inbox->next(2s);
    REQUIRE(empty);
    CHECK(empty->statuses.round == 4);
    CHECK(empty->statuses.peers.empty());
  }
}

TEST_CASE("praetor's own REST API answers election probes that praetor understands",
          "[peer_probe]") {
  node_snapshot replica;
  replica.scope = "demo";
  replica.name = "node2";
  replica.tags = boost::json::object{{"nofailover", true}};
  replica.pg.state = "running";
  replica.pg.role = pg_role::replica;
  replica.pg.data_dir_empty = false;
  replica.pg.tl = timeline{2};
  replica.pg.received_location = lsn{50331700};
  replica.pg.replayed_location = lsn{50331644};
  replica.pg.wal_position = lsn{50331700};
  replica.pg.server_version = 150002;

  node_snapshot primary;
  primary.scope = "demo";
  primary.name = "node1";
  primary.pg.state = "running";
  primary.pg.role = pg_role::primary;
  primary.pg.data_dir_empty = false;
  primary.pg.tl = timeline{2};
  primary.pg.wal_position = lsn{50331744};
  primary.pg.server_version = 150002;
  primary.has_lock = true;

  // The REST front end answers /patroni (with no supervisor to ask here: from the snapshot).
  probe_fixture f;
  const int replica_port = test::free_loopback_port();
  const int primary_port = test::free_loopback_port();
  const auto api = [](int port) {
    rest_settings s;
    s.listen_port = port;
    return s;
  };
  auto replica_api = f.sys.spawn(rest_frontend, api(replica_port), rest_peers{});
  auto primary_api = f.sys.spawn(rest_frontend, api(primary_port), rest_peers{});
  caf::anon_send(replica_api, replica);
  caf::anon_send(primary_api, primary);
  const auto url = [](int port) { return "http://127.0.0.1:" + std::to_string(port) + "/patroni"; };
  std::optional<test::peer_statuses_inbox::arrival> got;
  for (int round = 9; round < 60; ++round) {
    f.ask(probe_peers{static_cast<std::uint64_t>(round),
                      {member("node2", url(replica_port)), member("node1", url(primary_port))},
                      2000});
    got = f.inbox->next(5s);
    REQUIRE(got);
    if (got->statuses.peers.size() == 2 && got->statuses.peers[0].reachable &&
        got->statuses.peers[1].reachable)
      break;
    std::this_thread::sleep_for(20ms);  // the actors' listeners or snapshots are not there yet
  }
  caf::anon_send_exit(replica_api, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(primary_api, caf::exit_reason::user_shutdown);
  REQUIRE(got);
  REQUIRE(got->statuses.peers.size() == 2);

  peer_status want_replica;
  want_replica.name = "node2";
  want_replica.reachable = true;
  want_replica.in_recovery = true;
  want_replica.wal_position = lsn{50331700};
  want_replica.tl = timeline{2};
  want_replica.nofailover = true;
  CHECK(got->statuses.peers[0] == want_replica);

  peer_status want_primary;
  want_primary.name = "node1";
  want_primary.reachable = true;
  want_primary.in_recovery = false;
  want_primary.wal_position = lsn{50331744};
  want_primary.tl = timeline{2};
  CHECK(got->statuses.peers[1] == want_primary);
}

TEST_CASE("stopping the actor mid-round drops the round without waiting for its deadline",
          "[peer_probe]") {
  canned_http_server silent(canned_http_server::mode::hang);
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto inbox = std::make_shared<test::peer_statuses_inbox>();
  auto decider = sys.spawn(test::fake_decider, inbox);
  auto probe = sys.spawn(peer_probe, decider, peers::tls_client_options{}, std::string());
  caf::anon_send(probe, probe_peers{1, {member("node4", silent.url())}, 5000});
  for (int i = 0; i < 100 && silent.requests().empty(); ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(silent.requests().size() == 1);  // the round is in flight

  auto stopping = steady::now();
  caf::anon_send_exit(probe, caf::exit_reason::user_shutdown);
  {
    caf::scoped_actor self{sys};
    self->wait_for(probe);
  }
  CHECK(since(stopping, steady::now()) < 1000ms);
  CHECK_FALSE(inbox->next(300ms));  // dropped, not answered

  caf::anon_send_exit(decider, caf::exit_reason::user_shutdown);
  caf::scoped_actor self{sys};
  self->wait_for(decider);
}

TEST_CASE("failsafe mode's POST /failsafe: accepted only on 200 Accepted, with the credentials",
          "[peer_probe][failsafe]") {
  canned_http_server accepting(canned_http_server::mode::answer, "Accepted");
  canned_http_server leader(canned_http_server::mode::answer, "Running as a leader", 500);
  const std::string dead_url =
      "http://127.0.0.1:" + std::to_string(test::closed_loopback_port()) + "/patroni";
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto inbox = std::make_shared<test::peer_statuses_inbox>();
  auto decider = sys.spawn(test::fake_decider, inbox);
  auto probe = sys.spawn(peer_probe, decider, peers::tls_client_options{},
                         std::string("Basic YWRtaW46czNjcmV0"));
  caf::anon_send(probe, failsafe_ping{3,
                                      {member("node2", accepting.url()),
                                       member("node3", leader.url()), member("node4", dead_url)},
                                      R"({"name":"node1"})",
                                      1000});
  auto got = inbox->next_failsafe(5s);
  caf::anon_send_exit(probe, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(decider, caf::exit_reason::user_shutdown);
  REQUIRE(got);
  CHECK(got->round == 3);
  REQUIRE(got->answers.size() == 3);
  CHECK(got->answers[0] == failsafe_answer{"node2", true, ""});
  CHECK_FALSE(got->answers[1].accepted);
  CHECK(contains(got->answers[1].detail, "500 'Running as a leader'"));
  CHECK_FALSE(got->answers[2].accepted);
  CHECK_FALSE(got->answers[2].detail.empty());
  auto heads = accepting.requests();
  REQUIRE(heads.size() == 1);
  CHECK(contains(heads[0], "POST /failsafe HTTP/1.1"));
  CHECK(contains(heads[0], "Authorization: Basic YWRtaW46czNjcmV0"));
  CHECK(contains(heads[0], "Content-Type: application/json"));
  CHECK(contains(heads[0], "Content-Length: 16"));
}
