// decide() in maintenance mode (`pause: true`, docs/architecture.md, "The main scenarios, room by
// room"): no automatic failover, no start of a stopped PostgreSQL, no demotion of a primary without
// the lock; a switchover to a named candidate still works; every reason carries Patroni's "PAUSE: "
// prefix.
#include <catch2/catch.hpp>

#include "actors/ha/apply_event.hpp"
#include "actors/ha/decide.hpp"
#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;
using praetor::ha::decide;

namespace {
ha_inputs paused(ha_inputs in) {
  in.settings.paused = true;
  return in;
}

ha_inputs leaderless_replica() {
  auto in = paused(running_node(pg_role::replica));
  add_member(in, member("n1", 5001));
  add_member(in, member("n2", 5002));
  in.memory.slots_sent = reconcile_slots{};
  return ha::apply_event(in, *in.view, t0);
}
}  // namespace

TEST_CASE("paused: a replica does not race for a free lock", "[decide][pause]") {
  auto d = decide(leaderless_replica());
  CHECK(count_commands<acquire_leader>(d) == 0);
  CHECK(count_commands<probe_peers>(d) == 0);
  CHECK(d.reason ==
        "PAUSE: not racing for the leader lock: automatic failover is off in maintenance mode");

  SECTION("unless a switchover names it") {
    auto in = leaderless_replica();
    in.view->failover = failover_request{"n2", "n1", "", znode_version{3}};
    auto named = decide(in);
    CHECK(count_commands<acquire_leader>(named) == 1);
  }
  SECTION("resumed: it asks the others and races again") {
    auto in = leaderless_replica();
    in.settings.paused = false;
    CHECK(count_commands<probe_peers>(decide(in)) == 1);
  }
}

TEST_CASE("paused: a stopped PostgreSQL is not started, and its lock goes", "[decide][pause]") {
  auto in = paused(running_node(pg_role::unknown));
  in.pg.state = "crashed";
  add_member(in, member("n2", 5002));
  SECTION("holding the lock: release it, start nothing") {
    set_leader(in, "n1", session_of_n1);
    auto d = decide(in);
    CHECK(count_commands<start_postgres>(d) == 0);
    CHECK(count_commands<release_leader>(d) == 1);
    CHECK(d.next.released_session == session_of_n1);
    CHECK(d.reason == "PAUSE: removed leader lock because postgres is not running");
  }
  SECTION("following another leader: no rejoin") {
    add_member(in, member("n3", 5003, "master"));
    set_leader(in, "n3", 0x3003);
    auto d = decide(in);
    CHECK(count_commands<rejoin_postgres>(d) == 0);
    CHECK(count_commands<start_postgres>(d) == 0);
    CHECK(d.reason == "PAUSE: postgres is not running: not starting it in maintenance mode");
  }
}

TEST_CASE("paused: a primary without the lock keeps running", "[decide][pause]") {
  auto in = paused(running_node(pg_role::primary));
  add_member(in, member("n2", 5002, "master"));
  set_leader(in, "n2", 0x2002);
  auto d = decide(in);
  CHECK(count_commands<demote_postgres>(d) == 0);
  CHECK(d.reason == "PAUSE: continue to run as primary without lock ('n2' holds it)");
}

TEST_CASE("paused: losing the DCS does not demote the primary", "[decide][pause]") {
  auto in = paused(running_node(pg_role::primary));
  set_leader(in, "n1", session_of_n1);
  in = ha::apply_event(
      in, dcs_session_status{session_state::disconnected, session_of_n1, t0, "connection loss"},
      t0);
  in.now_ms = t0 + 60'000;  // long past retry_timeout
  auto d = decide(in);
  CHECK(count_commands<demote_postgres>(d) == 0);
  CHECK_THAT(d.reason, Catch::StartsWith("PAUSE: DCS is not accessible"));
}

TEST_CASE("paused: the leader keeps its lock and refuses a switchover without a candidate",
          "[decide][pause]") {
  auto in = paused(running_node(pg_role::primary));
  add_member(in, member("n1", 5001, "master"));
  add_member(in, member("n2", 5002));
  set_leader(in, "n1", session_of_n1);
  auto steady = decide(in);
  CHECK(steady.reason == "PAUSE: no action. I am (n1), the leader with the lock");
  in.view->failover = failover_request{"n1", "", "", znode_version{4}};
  auto d = decide(in);
  CHECK(count_commands<demote_postgres>(d) == 0);
  auto* clear = find_command<clear_failover>(d);
  REQUIRE(clear);
  CHECK(clear->expected.value == 4);
  CHECK_THAT(d.reason, Catch::Contains("only a switchover to a named candidate"));
}

TEST_CASE("paused: a replica holding the lock without being named gives it back",
          "[decide][pause]") {
  auto in = paused(running_node(pg_role::replica));
  add_member(in, member("n1", 5001));
  set_leader(in, "n1", session_of_n1);
  auto d = decide(in);
  CHECK(count_commands<promote_postgres>(d) == 0);
  CHECK(count_commands<release_leader>(d) == 1);
}

TEST_CASE("paused: an empty data directory is neither bootstrapped nor cloned", "[decide][pause]") {
  auto in = paused(fresh_node());
  auto d = decide(in);
  CHECK(count_commands<race_initialize>(d) == 0);
  CHECK(count_commands<clone_postgres>(d) == 0);
  CHECK_THAT(d.reason, Catch::Contains("not bootstrapping or cloning in maintenance mode"));
}

TEST_CASE("the member record says pause and pending_restart", "[decide][pause]") {
  auto in = paused(running_node(pg_role::replica));
  in.pg.pending_restart = true;
  auto d = decide(in);
  auto* p = find_command<publish_member>(d);
  REQUIRE(p);
  CHECK(p->record.pause);
  CHECK(p->record.pending_restart);
}
