// parse_peer_answer against the bodies Patroni 3.0.2's GET /patroni produces (api.py
// get_postgresql_status), read as _MemberStatus.from_api_response reads them.
#include "actors/peer_probe/peer_answer.hpp"

#include <catch2/catch.hpp>

using praetor::lsn;
using praetor::peer_status;
using praetor::timeline;
using praetor::peers::http_answer;
using praetor::peers::parse_peer_answer;
using praetor::peers::peer_status_from;

namespace {
bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("a running primary: not in recovery, WAL position = xlog.location", "[peer_answer]") {
  const char* body = R"({"state": "running", "postmaster_start_time": "2023-05-02 10:00:00.1+00:00",
    "role": "master", "server_version": 150002, "xlog": {"location": 67109256},
    "timeline": 3, "replication": [{"usename": "replicator", "application_name": "node2",
    "client_addr": "10.0.0.2", "state": "streaming", "sync_state": "async", "sync_priority": 0}],
    "dcs_last_seen": 1683021600, "tags": {"clonefrom": true}, "database_system_identifier":
    "7228401893453352417", "patroni": {"version": "3.0.2", "scope": "demo"}})";
  peer_status st = parse_peer_answer("node1", 200, body, "http://10.0.0.1:8008/patroni");
  CHECK(st.name == "node1");
  CHECK(st.reachable);
  CHECK_FALSE(st.in_recovery);
  CHECK(st.wal_position == lsn{67109256});
  CHECK(st.tl == timeline{3});
  CHECK_FALSE(st.nofailover);
  CHECK_FALSE(st.watchdog_failed);
  CHECK(st.error.empty());
}

TEST_CASE("a streaming replica: in recovery, WAL position = max(received, replayed)",
          "[peer_answer]") {
  const char* body = R"({"state": "running", "postmaster_start_time": "2023-05-02 10:00:01+00:00",
    "role": "replica", "server_version": 150002, "xlog": {"received_location": 67109256,
    "replayed_location": 67109000, "replayed_timestamp": null, "paused": false},
    "timeline": 3, "dcs_last_seen": 1683021600, "tags": {"nofailover": true},
    "watchdog_failed": true, "patroni": {"version": "3.0.2", "scope": "demo"}})";
  peer_status st = parse_peer_answer("node2", 200, body);
  CHECK(st.reachable);
  CHECK(st.in_recovery);
  CHECK(st.wal_position == lsn{67109256});
  CHECK(st.tl == timeline{3});
  CHECK(st.nofailover);
  CHECK(st.watchdog_failed);

  SECTION("replay ahead of receive (archive recovery): the larger one") {
    peer_status archive = parse_peer_answer(
        "node2", 200, R"({"xlog": {"received_location": 10, "replayed_location": 99}})");
    CHECK(archive.reachable);
    CHECK(archive.wal_position == lsn{99});
    CHECK(archive.tl == timeline{0});  // no timeline: unknown
  }
  SECTION("missing locations count as 0, as Python's .get(key, 0)") {
    peer_status empty = parse_peer_answer("node2", 200, R"({"xlog": {}})");
    CHECK(empty.reachable);
    CHECK(empty.in_recovery);
    CHECK(empty.wal_position == lsn{0});
  }
  SECTION("a null timeline (Patroni's uncached replica timeline) is unknown") {
    peer_status st2 =
        parse_peer_answer("node2", 200, R"({"xlog": {"received_location": 5}, "timeline": null})");
    CHECK(st2.reachable);
    CHECK(st2.tl == timeline{0});
  }
}

TEST_CASE("\"wal\" is read like \"xlog\" and wins over it", "[peer_answer]") {
  peer_status st = parse_peer_answer(
      "node3", 200, R"({"wal": {"location": 500}, "xlog": {"received_location": 7}})");
  CHECK(st.reachable);
  CHECK_FALSE(st.in_recovery);
  CHECK(st.wal_position == lsn{500});
}

TEST_CASE("truthiness as Python reads it", "[peer_answer]") {
  SECTION("a location of 0 means no location: in recovery") {
    peer_status st = parse_peer_answer("n", 200, R"({"xlog": {"location": 0}})");
    CHECK(st.in_recovery);
  }
  SECTION("a truthy non-numeric location still means a live primary (the safe reading)") {
    peer_status st = parse_peer_answer("n", 200, R"({"xlog": {"location": "0/3000060"}})");
    CHECK(st.reachable);
    CHECK_FALSE(st.in_recovery);
    CHECK(st.wal_position == lsn{0});
  }
  SECTION("nofailover and watchdog_failed: falsy values are false, truthy ones true") {
    CHECK_FALSE(
        parse_peer_answer("n", 200, R"({"xlog": {}, "tags": {"nofailover": false}})").nofailover);
    CHECK(parse_peer_answer("n", 200, R"({"xlog": {}, "tags": {"nofailover": "yes"}})").nofailover);
    CHECK_FALSE(parse_peer_answer("n", 200, R"({"xlog": {}, "tags": "nofailover"})").nofailover);
    CHECK_FALSE(
        parse_peer_answer("n", 200, R"({"xlog": {}, "watchdog_failed": 0})").watchdog_failed);
  }
  SECTION("failover_priority: read from the tags, 1 by default, 0 or less means nofailover") {
    auto st = parse_peer_answer("n", 200, R"({"xlog": {}, "tags": {"failover_priority": 5}})");
    CHECK(st.failover_priority == 5);
    CHECK_FALSE(st.nofailover);
    CHECK(parse_peer_answer("n", 200, R"({"xlog": {}})").failover_priority == 1);
    CHECK(parse_peer_answer("n", 200, R"({"xlog": {}, "tags": {"failover_priority": 0}})")
              .nofailover);
  }
}

TEST_CASE("the HTTP status does not decide reachability, as in Patroni", "[peer_answer]") {
  peer_status st = parse_peer_answer("node2", 503, R"({"xlog": {"received_location": 42}})");
  CHECK(st.reachable);
  CHECK(st.wal_position == lsn{42});
}

TEST_CASE("a stopped member answers without xlog: unreachable, naming it", "[peer_answer]") {
  peer_status st = parse_peer_answer("node2", 200,
                                     R"({"state": "stopped", "role": "replica",
                                         "dcs_last_seen": 1683021600, "cluster_unlocked": true})",
                                     "http://10.0.0.2:8008/patroni");
  CHECK(st.name == "node2");
  CHECK_FALSE(st.reachable);
  CHECK(contains(st.error, "member node2"));
  CHECK(contains(st.error, "http://10.0.0.2:8008/patroni"));
  CHECK(contains(st.error, "neither \"wal\" nor \"xlog\""));
}

TEST_CASE("garbage is unreachable with an error naming the member", "[peer_answer]") {
  struct row {
    const char* body;
    const char* why;
  };
  const row rows[] = {
      {"<html>Bad Gateway</html>", "not JSON"},
      {"", "not JSON"},
      {R"({"xlog": {"location": 1})", "not JSON"},  // truncated
      {R"(["xlog", "wal"])", "not an object"},
      {R"("xlog")", "not an object"},
      {"42", "not an object"},
      {R"({"xlog": null})", "not an object"},
      {R"({"wal": [1, 2]})", "not an object"},
      {R"({"xlog": {"received_location": null}})", "non-numeric xlog.received_location"},
      {R"({"xlog": {"replayed_location": "0/1"}})", "non-numeric xlog.replayed_location"},
      {R"({"xlog": {"received_location": -5}})", "non-numeric xlog.received_location"},
  };
  for (const auto& r : rows) {
    INFO(r.body);
    peer_status st = parse_peer_answer("node9", 200, r.body);
    CHECK(st.name == "node9");
    CHECK_FALSE(st.reachable);
    CHECK(contains(st.error, "member node9"));
    CHECK(contains(st.error, r.why));
    CHECK(contains(st.error, "HTTP 200"));
  }
}

TEST_CASE("a transport failure becomes an unreachable status naming member, URL and cause",
          "[peer_answer]") {
  http_answer failed;
  failed.error = "cannot connect: Connection refused";
  peer_status st = peer_status_from("node4", "http://127.0.0.1:1/patroni", failed);
  CHECK(st.name == "node4");
  CHECK_FALSE(st.reachable);
  CHECK(st.error ==
        "member node4 (GET http://127.0.0.1:1/patroni): cannot connect: Connection "
        "refused");

  http_answer answered;
  answered.answered = true;
  answered.http_status = 200;
  answered.body = R"({"xlog": {"location": 9}})";
  peer_status ok = peer_status_from("node4", "http://127.0.0.1:1/patroni", answered);
  CHECK(ok.reachable);
  CHECK(ok.wal_position == lsn{9});
}
