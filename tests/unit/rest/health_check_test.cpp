// Every health-check rule of docs/compatibility.md, "REST API", for a primary and a replica
// snapshot.
#include "actors/rest_frontend/health_check.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/rest/snapshots.hpp"

using namespace praetor;
using namespace praetor::rest;
using praetor::rest::test::now_ms;

namespace {
int check(const node_snapshot& s, std::string_view path, query_params q = {}) {
  return health_status(path, q, s, now_ms);
}
}  // namespace

TEST_CASE("health checks on a running primary holding the lock", "[health]") {
  auto s = test::primary_snapshot();
  CHECK(check(s, "/") == 200);
  CHECK(check(s, "/primary") == 200);
  CHECK(check(s, "/master") == 200);
  CHECK(check(s, "/leader") == 200);
  CHECK(check(s, "/read-write") == 200);
  CHECK(check(s, "/read-only") == 200);
  CHECK(check(s, "/health") == 200);
  CHECK(check(s, "/read-only-sync") == 200);
  CHECK(check(s, "/replica") == 503);
  CHECK(check(s, "/standby-leader") == 503);
  CHECK(check(s, "/standby_leader") == 503);
  CHECK(check(s, "/sync") == 503);
  CHECK(check(s, "/async") == 503);
  CHECK(check(s, "/no-such-path") == 503);
  CHECK(check(s, "/patroni") == 503);  // HEAD /patroni goes to the health check: Patroni's quirk
  SECTION("leader-type paths ignore tag_ parameters") {
    CHECK(check(s, "/primary", {{"tag_zone", "nowhere"}}) == 200);
    CHECK(check(s, "/read-only", {{"tag_zone", "nowhere"}}) == 503);
  }
  SECTION("without the lock the primary paths fail") {
    s.has_lock = false;
    CHECK(check(s, "/primary") == 503);
    CHECK(check(s, "/leader") == 503);
    CHECK(check(s, "/read-only") == 503);
    CHECK(check(s, "/health") == 200);
  }
}

TEST_CASE("health checks on a running replica", "[health]") {
  auto s = test::replica_snapshot();
  CHECK(check(s, "/") == 503);
  CHECK(check(s, "/primary") == 503);
  CHECK(check(s, "/master") == 503);
  CHECK(check(s, "/leader") == 503);
  CHECK(check(s, "/read-write") == 503);
  CHECK(check(s, "/standby-leader") == 503);
  CHECK(check(s, "/replica") == 200);
  CHECK(check(s, "/read-only") == 200);
  CHECK(check(s, "/health") == 200);
  CHECK(check(s, "/async") == 200);
  CHECK(check(s, "/asynchronous") == 200);
  CHECK(check(s, "/sync") == 503);
  CHECK(check(s, "/read-only-sync") == 503);
  CHECK(check(s, "/anything") == 503);

  SECTION("lag: the leader's optime is 100 bytes ahead of replay") {
    CHECK(check(s, "/replica", {{"lag", "50"}}) == 503);
    CHECK(check(s, "/replica", {{"lag", "0"}}) == 503);
    CHECK(check(s, "/replica", {{"lag", "100"}}) == 200);
    CHECK(check(s, "/replica", {{"lag", "1kB"}}) == 200);
    CHECK(check(s, "/read-only", {{"lag", "10"}}) == 503);
    CHECK(check(s, "/replica", {{"lag", "garbage"}}) == 200);  // unparseable = unlimited
  }
  SECTION("tag_ parameters") {
    CHECK(check(s, "/replica", {{"tag_zone", "b"}}) == 200);
    CHECK(check(s, "/replica", {{"tag_zone", "a"}}) == 503);
    CHECK(check(s, "/replica", {{"tag_rack", "1"}}) == 503);
    CHECK(check(s, "/replica", {{"tag_ssd", "true"}}) == 200);
    CHECK(check(s, "/replica", {{"tag_ssd", "True"}}) == 503);
    CHECK(check(s, "/replica", {{"tag_weight", "5"}}) == 200);
    CHECK(check(s, "/read-only", {{"tag_zone", "b"}, {"tag_weight", "6"}}) == 503);
    CHECK(check(s, "/health", {{"tag_zone", "x"}}) == 503);
  }
  SECTION("noloadbalance takes a replica out of the pool") {
    s.tags["noloadbalance"] = true;
    CHECK(check(s, "/replica") == 503);
    CHECK(check(s, "/read-only") == 503);
    CHECK(check(s, "/health") == 200);
  }
  SECTION("a stale view: no cache, so no lag check and no /async") {
    s.dcs_last_seen_ms = now_ms - 31'000;
    CHECK(check(s, "/replica", {{"lag", "0"}}) == 200);
    CHECK(check(s, "/async") == 503);
  }
  SECTION("PostgreSQL not running") {
    s.pg.state = "starting";
    CHECK(check(s, "/replica") == 503);
    CHECK(check(s, "/health") == 503);
    s = test::stopped_snapshot();
    CHECK(check(s, "/replica") == 503);
    CHECK(check(s, "/read-only") == 503);
    CHECK(check(s, "/health") == 503);
  }
  SECTION("running but unreadable reports state unknown") {
    s.pg.role = pg_role::unknown;
    CHECK(check(s, "/health") == 503);
  }
}

TEST_CASE("health checks while paused without a fresh view use the role", "[health]") {
  auto s = test::primary_snapshot();
  s.has_lock = false;
  (*s.view->config)["pause"] = true;
  s.dcs_last_seen_ms = now_ms - 60'000;
  CHECK(check(s, "/primary") == 200);
  CHECK(check(s, "/leader") == 200);
  CHECK(check(s, "/standby-leader") == 503);
  s.dcs_last_seen_ms = now_ms;  // fresh again: the lock flag decides
  CHECK(check(s, "/primary") == 503);
}

TEST_CASE("health checks in a standby cluster", "[health]") {
  auto s = test::replica_snapshot();
  (*s.view->config)["standby_cluster"] = boost::json::object{{"host", "10.0.0.9"}};
  s.has_lock = true;
  CHECK(check(s, "/standby-leader") == 200);
  CHECK(check(s, "/standby_leader") == 200);
  CHECK(check(s, "/leader") == 200);
  CHECK(check(s, "/primary") == 503);
  CHECK(check(s, "/replica") == 503);
  CHECK(check(s, "/read-only") == 200);
}

TEST_CASE("synchronous standby health checks", "[health][sync]") {
  // sync_view: synchronous_mode on, the sync key {leader: node1, sync_standby: node2}.
  SECTION("the standby the sync key names is synchronous") {
    auto s = test::sync_replica_snapshot("node2");
    CHECK(check(s, "/sync") == 200);
    CHECK(check(s, "/synchronous") == 200);
    CHECK(check(s, "/async") == 503);
    CHECK(check(s, "/asynchronous") == 503);
    CHECK(check(s, "/read-only-sync") == 200);
    CHECK(check(s, "/read-only-synchronous") == 200);
    CHECK(check(s, "/replica") == 200);
    CHECK(check(s, "/read-only") == 200);
    // The replica rules still apply: lag, tags, noloadbalance.
    CHECK(check(s, "/sync", {{"lag", "0"}}) == 503);
    CHECK(check(s, "/sync", {{"tag_zone", "b"}}) == 200);
    CHECK(check(s, "/sync", {{"tag_zone", "a"}}) == 503);
    CHECK(check(s, "/read-only-sync", {{"tag_zone", "a"}}) == 503);
    s.tags["noloadbalance"] = true;
    CHECK(check(s, "/sync") == 503);
    CHECK(check(s, "/read-only-sync") == 503);
  }
  SECTION("a replica the sync key does not name is asynchronous") {
    auto s = test::sync_replica_snapshot("node3");
    CHECK(check(s, "/sync") == 503);
    CHECK(check(s, "/synchronous") == 503);
    CHECK(check(s, "/async") == 200);
    CHECK(check(s, "/asynchronous") == 200);
    CHECK(check(s, "/read-only-sync") == 503);
    CHECK(check(s, "/replica") == 200);
  }
  SECTION("synchronous mode off: a name in the sync key does not make a sync standby") {
    auto s = test::sync_replica_snapshot("node2");
    s.view->config->erase("synchronous_mode");
    CHECK(check(s, "/sync") == 503);
    CHECK(check(s, "/async") == 200);
    CHECK(check(s, "/read-only-sync") == 503);
    (*s.view->config)["synchronous_mode"] = false;
    CHECK(check(s, "/sync") == 503);
    // Patroni reads the flag with parse_bool: "off" is false, "on" true, whatever Python's
    // truth says of a non-empty string.
    (*s.view->config)["synchronous_mode"] = "off";
    CHECK(check(s, "/sync") == 503);
    CHECK(check(s, "/async") == 200);
    (*s.view->config)["synchronous_mode"] = "on";
    CHECK(check(s, "/sync") == 200);
    CHECK(check(s, "/async") == 503);
  }
  SECTION("the sync key's leader and its case do not count") {
    auto s = test::sync_replica_snapshot("node2");
    s.view->sync.members = {"NODE2"};  // Python's `in` compares exactly
    CHECK(check(s, "/sync") == 503);
    s.view->sync = sync_key{"node2", {}, znode_version{4}};
    CHECK(check(s, "/sync") == 503);
    CHECK(check(s, "/async") == 200);
  }
  SECTION("a stale view answers 503 to all of them") {
    auto s = test::sync_replica_snapshot("node2");
    s.dcs_last_seen_ms = now_ms - 31'000;
    CHECK(check(s, "/sync") == 503);
    CHECK(check(s, "/async") == 503);
    CHECK(check(s, "/read-only-sync") == 503);
  }
  SECTION("a sync standby whose PostgreSQL does not answer is not synchronous") {
    auto s = test::sync_replica_snapshot("node2");
    s.pg.role = pg_role::unknown;  // running but unreadable
    CHECK(check(s, "/sync") == 503);
    CHECK(check(s, "/read-only-sync") == 503);
  }
  SECTION("the primary: /read-only-sync yes, /sync and /async no, even if named") {
    auto s = test::sync_primary_snapshot();
    s.view->sync.members = {"node1", "node2"};
    CHECK(check(s, "/read-only-sync") == 200);
    CHECK(check(s, "/read-only-synchronous") == 200);
    CHECK(check(s, "/sync") == 503);
    CHECK(check(s, "/async") == 503);
  }
}

TEST_CASE("liveness and readiness", "[health]") {
  auto primary = test::primary_snapshot();
  auto replica = test::replica_snapshot();
  CHECK(liveness_status(primary, now_ms) == 200);
  primary.next_loop_ms = now_ms - 40'000;  // overdue by more than ttl (30 s)
  replica.next_loop_ms = now_ms - 40'000;  // a replica is given 2 x ttl
  CHECK(liveness_status(primary, now_ms) == 503);
  CHECK(liveness_status(replica, now_ms) == 200);
  replica.next_loop_ms = now_ms - 61'000;
  CHECK(liveness_status(replica, now_ms) == 503);
  (*replica.view->config)["pause"] = true;
  CHECK(liveness_status(replica, now_ms) == 200);

  CHECK(readiness_status(test::primary_snapshot(), now_ms) == 200);
  auto r = test::replica_snapshot();
  CHECK(readiness_status(r, now_ms) == 200);
  r.dcs_last_seen_ms = now_ms - 31'000;
  CHECK(readiness_status(r, now_ms) == 503);
  CHECK(readiness_status(test::stopped_snapshot(), now_ms) == 503);
}

TEST_CASE("lag values parse like Patroni's parse_int(value, 'B')", "[health]") {
  CHECK(parse_lag_bytes("1024") == 1024);
  CHECK(parse_lag_bytes(" 10 kB ") == 10240);
  CHECK(parse_lag_bytes("16MB") == 16 * 1024 * 1024);
  CHECK(parse_lag_bytes("1GB") == std::int64_t{1} << 30);
  CHECK(parse_lag_bytes("1TB") == std::int64_t{1} << 40);
  CHECK(parse_lag_bytes("1.5kB") == 1536);
  CHECK(parse_lag_bytes("1.5MB") == 1572864);
  CHECK(parse_lag_bytes("0x400") == 1024);
  CHECK(parse_lag_bytes("010") == 8);  // strtol base 0: octal
  CHECK(parse_lag_bytes("-1") == -1);
  CHECK(parse_lag_bytes("7B") == 7);
  CHECK_FALSE(parse_lag_bytes("").has_value());
  CHECK_FALSE(parse_lag_bytes("abc").has_value());
  CHECK_FALSE(parse_lag_bytes("1XB").has_value());
  CHECK_FALSE(parse_lag_bytes("5 s").has_value());
}
