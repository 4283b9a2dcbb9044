// decide() with watchdog.mode required and a watchdog that cannot be used
// (pg_status.watchdog_failed, from the supervisor), as Patroni 3.0.2's ha.py: such a member does
// not race for a free lock (is_healthiest_node), a lock holder about to promote gives the lock back
// and one already primary demotes (enforce_primary_role); maintenance mode leaves the watchdog out
// of it.
#include <catch2/catch.hpp>

#include "actors/ha/apply_event.hpp"
#include "actors/ha/decide.hpp"
#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;
using praetor::ha::decide;

namespace {
ha_inputs with_two_replicas(pg_role role) {
  auto in = running_node(role);
  add_member(in, member("n1", 5001, role == pg_role::primary ? "master" : "replica"));
  add_member(in, member("n2", 5002));
  add_member(in, member("n3", 5003));
  in.memory.slots_sent = reconcile_slots{};
  in.pg.watchdog_failed = true;
  return ha::apply_event(in, *in.view, t0);
}
}  // namespace

TEST_CASE("watchdog failed, no leader: not racing, not even asking the others",
          "[decide][watchdog]") {
  auto in = with_two_replicas(pg_role::replica);
  auto d = decide(in);
  CHECK(count_commands<acquire_leader>(d) == 0);
  CHECK(count_commands<probe_peers>(d) == 0);
  CHECK(d.reason == "not racing for the leader lock: Watchdog device is not usable");

  SECTION("a healthy watchdog races as usual") {
    in.pg.watchdog_failed = false;
    CHECK(count_commands<probe_peers>(decide(in)) == 1);
  }
  SECTION("paused: the maintenance-mode reason comes first") {
    in.settings.paused = true;
    CHECK(decide(in).reason ==
          "PAUSE: not racing for the leader lock: automatic failover is off in maintenance mode");
  }
  SECTION("a switchover naming me is judged on its own: I take the lock") {
    in.view->failover = failover_request{"n2", "n1", "", znode_version{3}};
    auto named = decide(in);
    CHECK(count_commands<acquire_leader>(named) == 1);
  }
}

TEST_CASE("watchdog failed, the lock won as a replica: release it instead of promoting",
          "[decide][watchdog]") {
  auto in = with_two_replicas(pg_role::replica);
  set_leader(in, "n1", session_of_n1);
  auto d = decide(in);
  CHECK(count_commands<promote_postgres>(d) == 0);
  CHECK(count_commands<release_leader>(d) == 1);
  CHECK(d.next.released_session == session_of_n1);
  CHECK(d.reason == "Not promoting self because watchdog could not be activated");

  SECTION("the lock released, it is no longer ours: no second release") {
    in.memory = d.next;
    auto after = decide(in);
    CHECK(count_commands<release_leader>(after) == 0);
    CHECK(count_commands<promote_postgres>(after) == 0);
  }
  SECTION("a healthy watchdog promotes") {
    in.pg.watchdog_failed = false;
    auto promoted = decide(in);
    CHECK(count_commands<promote_postgres>(promoted) == 1);
    CHECK(count_commands<release_leader>(promoted) == 0);
  }
}

TEST_CASE("watchdog failed while primary with the lock: demote immediately, then give the lock up",
          "[decide][watchdog][safety]") {
  auto in = with_two_replicas(pg_role::primary);
  set_leader(in, "n1", session_of_n1);
  auto d = decide(in);
  auto* demote = find_command<demote_postgres>(d);
  REQUIRE(demote);
  CHECK(demote->mode == demote_mode::immediate);
  CHECK(demote->upstream.host.empty());  // nobody else leads yet: restart as a lone replica
  CHECK(count_commands<publish_status>(d) == 0);
  CHECK(count_commands<release_leader>(d) == 0);  // not while PostgreSQL is still writable
  CHECK(d.reason == "Demoting self because watchdog could not be activated");

  // Restarted as a replica, still holding the lock: the lock goes.
  in.memory = d.next;
  in.pg.accepted_seq = d.next.last_pg_seq;
  in.pg.role = pg_role::replica;
  auto next = decide(in);
  CHECK(count_commands<release_leader>(next) == 1);
  CHECK(count_commands<promote_postgres>(next) == 0);
  CHECK(next.reason == "Not promoting self because watchdog could not be activated");
}

TEST_CASE("watchdog failed in maintenance mode: the primary keeps its lock and role",
          "[decide][watchdog][pause]") {
  auto in = with_two_replicas(pg_role::primary);
  in.settings.paused = true;
  set_leader(in, "n1", session_of_n1);
  auto d = decide(in);
  CHECK(count_commands<demote_postgres>(d) == 0);
  CHECK(count_commands<release_leader>(d) == 0);
  CHECK(d.reason == "PAUSE: no action. I am (n1), the leader with the lock");
}

TEST_CASE("watchdog failed after the bootstrap: give the cluster up, as Patroni cancels it",
          "[decide][watchdog][bootstrap]") {
  auto in = running_node(pg_role::primary);
  in.view->initialize = "";
  in.memory.race = initialize_race::won;
  in.memory.bootstrapping = true;
  in.memory.last_pg_seq = 1;
  in.pg.accepted_seq = 1;
  in.pg.watchdog_failed = true;
  auto d = decide(in);
  CHECK(count_commands<acquire_leader>(d) == 0);
  CHECK(find_command<cancel_initialize>(d));
  CHECK(find_command<abandon_bootstrap>(d));
  CHECK(d.next.bootstrap_failure == "watchdog activation failed");
  CHECK(d.reason ==
        "removing initialize key after failed attempt to bootstrap the cluster: watchdog "
        "activation failed");
}
