// decide(), the failover rows of the decision table: the leader race (docs/architecture.md, "The
// main scenarios, room by room"), promotion of the winner, and self-demotion when the DCS cannot
// confirm the lock.
#include <catch2/catch.hpp>

#include "actors/ha/apply_event.hpp"
#include "actors/ha/decide.hpp"
#include "actors/ha/publication.hpp"
#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;
using praetor::ha::decide;

namespace {
// n1 runs a replica at 0/3000060; n2 and n3 are replicas too; the leader is gone.
ha_inputs leaderless_replica() {
  auto in = running_node(pg_role::replica);
  add_member(in, member("n1", 5001));
  add_member(in, member("n2", 5002));
  add_member(in, member("n3", 5003));
  in.view->optime = lsn{0x3000000};
  in.memory.slots_sent = reconcile_slots{};
  in = ha::apply_event(in, *in.view, t0);
  return in;
}

peer_status replica_peer(const std::string& name, std::uint64_t wal) {
  return {name, true, true, lsn{wal}, timeline{1}, false, false, ""};
}

// Answers the probe decide() just sent with `answers`.
ha_inputs answered(ha_inputs in, const decision& d, std::vector<peer_status> answers) {
  in.memory = d.next;
  auto* probe = find_command<probe_peers>(d);
  REQUIRE(probe);
  return ha::apply_event(in, peer_statuses{probe->round, std::move(answers)}, in.now_ms + 50);
}
}  // namespace

TEST_CASE("no leader: ask the other members first, once", "[decide][failover]") {
  auto in = leaderless_replica();
  auto d = decide(in);
  auto* probe = find_command<probe_peers>(d);
  REQUIRE(probe);
  REQUIRE(probe->members.size() == 2);
  CHECK(probe->members[0].name == "n2");
  CHECK(probe->members[1].name == "n3");
  CHECK(count_commands<acquire_leader>(d) == 0);
  in.memory = d.next;
  auto again = decide(in);
  CHECK(count_commands<probe_peers>(again) == 0);
  CHECK_THAT(again.reason, Catch::Contains("waiting for the other members' answers"));
}

TEST_CASE("no leader, every peer behind or unreachable: take the lock", "[decide][failover]") {
  auto in = leaderless_replica();
  auto d = decide(in);
  auto unreachable = peer_status{"n3", false, true, {}, {}, false, false, "connection refused"};
  in = answered(in, d, {replica_peer("n2", 0x3000000), unreachable});
  auto race = decide(in);
  CHECK(count_commands<acquire_leader>(race) == 1);
  CHECK_THAT(race.reason,
             Catch::StartsWith("acquiring the leader lock: I am the healthiest member"));
  in.memory = race.next;
  CHECK(count_commands<acquire_leader>(decide(in)) == 0);  // asked once
}

TEST_CASE("a peer ahead of me wins: I do not race", "[decide][failover]") {
  auto in = leaderless_replica();
  in = answered(in, decide(in), {replica_peer("n2", 0x3000100), replica_peer("n3", 0x3000000)});
  auto d = decide(in);
  CHECK(count_commands<acquire_leader>(d) == 0);
  CHECK_THAT(d.reason, Catch::Contains("'n2' is ahead of me"));
}

TEST_CASE("a peer still running as primary: Primary is still alive", "[decide][failover][safety]") {
  auto in = leaderless_replica();
  auto primary = replica_peer("n2", 0x3000000);
  primary.in_recovery = false;
  in = answered(in, decide(in), {primary, replica_peer("n3", 0)});
  auto d = decide(in);
  CHECK(count_commands<acquire_leader>(d) == 0);
  CHECK_THAT(d.reason, Catch::Contains("Primary is still alive"));
}

TEST_CASE("a peer tagged nofailover does not stop me even when ahead", "[decide][failover]") {
  auto in = leaderless_replica();
  auto ahead = replica_peer("n2", 0x9000000);
  ahead.nofailover = true;
  in = answered(in, decide(in), {ahead, replica_peer("n3", 0)});
  CHECK(count_commands<acquire_leader>(decide(in)) == 1);
}

TEST_CASE("lagging the last leader optime by more than maximum_lag_on_failover: no race",
          "[decide][failover]") {
  auto in = leaderless_replica();
  in.view->optime = lsn{0x3000060 + 2 * 1048576};
  in = answered(in, decide(in), {replica_peer("n2", 0), replica_peer("n3", 0)});
  auto d = decide(in);
  CHECK(count_commands<acquire_leader>(d) == 0);
  CHECK_THAT(d.reason, Catch::Contains("maximum_lag_on_failover"));
}

TEST_CASE("tagged nofailover: never race, never probe", "[decide][failover]") {
  auto in = leaderless_replica();
  in.settings.nofailover = true;
  auto d = decide(in);
  CHECK(count_commands<probe_peers>(d) == 0);
  CHECK(count_commands<acquire_leader>(d) == 0);
  CHECK_THAT(d.reason, Catch::Contains("nofailover"));
}

TEST_CASE("old answers do not count for a new leaderless episode", "[decide][failover]") {
  auto in = leaderless_replica();
  in = answered(in, decide(in), {replica_peer("n2", 0), replica_peer("n3", 0)});
  in.now_ms += 20'000;  // a loop later the answers are stale: ask again
  auto d = decide(in);
  CHECK(count_commands<probe_peers>(d) == 1);
  CHECK(count_commands<acquire_leader>(d) == 0);
}

TEST_CASE("won the race as a replica: promote", "[decide][failover]") {
  auto in = leaderless_replica();
  set_leader(in, "n1", session_of_n1);
  auto d = decide(in);
  auto* promote = find_command<promote_postgres>(d);
  REQUIRE(promote);
  CHECK(promote->received_at_least == lsn{});  // the dead leader's WAL will not come: no wait
  CHECK(d.reason == "promoted self to leader by acquiring session lock");
}

TEST_CASE("DCS lost while primary: demote within retry_timeout, not before",
          "[decide][failover][safety]") {
  auto in = running_node(pg_role::primary);
  set_leader(in, "n1", session_of_n1);
  in = ha::apply_event(
      in, dcs_session_status{session_state::disconnected, session_of_n1, t0, "connection loss"},
      t0);
  auto early = decide(in);
  CHECK(count_commands<demote_postgres>(early) == 0);
  CHECK(early.wake_at_ms == t0 + 10'000);  // retry_timeout
  CHECK_THAT(early.reason, Catch::StartsWith("DCS is not accessible"));

  SECTION("an expiry and a new connection attempt do not restart the clock") {
    in = ha::apply_event(
        in, dcs_session_status{session_state::expired, session_of_n1, t0 + 4000, ""}, t0 + 4000);
    in = ha::apply_event(in, dcs_session_status{session_state::connecting, 0, t0 + 4001, ""},
                         t0 + 4001);
    CHECK(decide(in).wake_at_ms == t0 + 10'000);
  }
  SECTION("at retry_timeout: demote offline, with no upstream") {
    in.now_ms = t0 + 10'000;
    auto d = decide(in);
    auto* demote = find_command<demote_postgres>(d);
    REQUIRE(demote);
    CHECK(demote->mode == demote_mode::offline);
    CHECK(demote->upstream.host.empty());
    CHECK(d.reason == "demoting self because DCS is not accessible and I was a leader");
  }
}

TEST_CASE("DCS lost while replica: keep running, no action", "[decide][failover]") {
  auto in = running_node(pg_role::replica);
  in = ha::apply_event(in, dcs_session_status{session_state::disconnected, session_of_n1, t0, ""},
                       t0 + 60'000);
  auto d = decide(in);
  CHECK(d.commands.empty());
  CHECK(d.wake_at_ms == 0);
}

TEST_CASE("failover_priority breaks a tie of equal WAL, never a lead", "[decide][failover]") {
  auto in = leaderless_replica();  // n1 at 0/3000060, priority 1
  auto preferred = replica_peer("n2", 0x3000060);
  preferred.failover_priority = 2;
  auto race = decide(answered(in, decide(in), {preferred, replica_peer("n3", 0)}));
  CHECK(count_commands<acquire_leader>(race) == 0);
  CHECK_THAT(race.reason, Catch::Contains("higher failover_priority"));

  SECTION("my own higher priority wins the tie") {
    in.settings.failover_priority = 3;
    auto mine = decide(answered(in, decide(in), {preferred, replica_peer("n3", 0)}));
    CHECK(count_commands<acquire_leader>(mine) == 1);
  }
  SECTION("more WAL beats a higher priority") {
    auto behind = replica_peer("n2", 0x3000000);
    behind.failover_priority = 9;
    auto ahead = decide(answered(in, decide(in), {behind, replica_peer("n3", 0)}));
    CHECK(count_commands<acquire_leader>(ahead) == 1);
  }
}

TEST_CASE("check_timeline: a member behind the cluster's timeline does not race",
          "[decide][failover]") {
  auto in = leaderless_replica();  // n1 on timeline 1
  in.view->history =
      boost::json::array{boost::json::array{1, 0x3000000, "no recovery target specified"}};
  in.settings.check_timeline = true;
  auto behind = decide(answered(in, decide(in), {replica_peer("n2", 0), replica_peer("n3", 0)}));
  CHECK(count_commands<acquire_leader>(behind) == 0);
  CHECK_THAT(behind.reason, Catch::Contains("timeline 1 is behind last known cluster timeline 2"));

  in.settings.check_timeline = false;
  auto off = decide(answered(in, decide(in), {replica_peer("n2", 0), replica_peer("n3", 0)}));
  CHECK(count_commands<acquire_leader>(off) == 1);
}

TEST_CASE(
    "a daemon that stalled past the fence's lease confirms its lock before PostgreSQL is "
    "made writable",
    "[decide][failover][crash][safety]") {
  // Frozen 25 s: the fence killed PostgreSQL, another member may hold the lock by now, and the
  // first news after the thaw is PostgreSQL's death, judged on the view from before the freeze.
  auto in = running_node(pg_role::primary);
  in.settings.ttl = 10;
  in.settings.loop_wait = 2;
  add_member(in, member("n1", 5001, "master"));
  add_member(in, member("n2", 5002));
  set_leader(in, "n1", session_of_n1);
  in.pg.state = "crashed";
  in.pg.role = pg_role::unknown;
  in.now_ms += 25'000;
  auto d = decide(in);
  CHECK(count_commands<start_postgres>(d) == 0);
  CHECK(count_commands<refresh_leader>(d) == 1);
  CHECK_THAT(d.reason, Catch::Contains("confirming the leader lock before starting PostgreSQL as "
                                       "the primary: the last view of it is 25 s old"));
  // A view loaded since still shows the lock ours: start.
  in.memory = d.next;
  in.view->loaded_at_ms = in.now_ms;
  CHECK(find_command<start_postgres>(decide(in)));

  SECTION("the same before a promote") {
    auto r = running_node(pg_role::replica);
    add_member(r, member("n1", 5001));
    set_leader(r, "n1", session_of_n1);
    r.memory.slots_sent = reconcile_slots{};
    mark_published(r, ha::build_member_record(r.settings, r.pg));
    r.now_ms += 60'000;
    auto p = decide(r);
    CHECK(count_commands<promote_postgres>(p) == 0);
    CHECK(count_commands<refresh_leader>(p) == 1);
    r.view->loaded_at_ms = r.now_ms;
    CHECK(count_commands<promote_postgres>(decide(r)) == 1);
  }
}

TEST_CASE("the new leader makes its members' slots before it promotes, keeping its logical ones",
          "[decide][failover][slots]") {
  auto in = running_node(pg_role::replica);
  add_member(in, member("n1", 5001));
  add_member(in, member("n2", 5002));
  add_member(in, member("n3", 5003));
  set_leader(in, "n1", session_of_n1);
  in.settings.permanent_slots = {{"cdc", "logical", "postgres", "pgoutput"}};
  in.pg.server_version = 150002;
  in.memory.slots_sent = reconcile_slots{};
  mark_published(in, ha::build_member_record(in.settings, in.pg));
  auto d = decide(in);
  REQUIRE(count_commands<promote_postgres>(d) == 1);
  auto* slots = find_command<reconcile_slots>(d);
  REQUIRE(slots);
  CHECK(slots->physical == std::vector<std::string>{"n2", "n3"});
  CHECK_FALSE(slots->primary);  // still a replica: its logical slots are copies, kept
  REQUIRE(slots->logical.size() == 1);
  CHECK(slots->logical[0].name == "cdc");
}

TEST_CASE("primary crash: restart in place within primary_start_timeout, then hand the lock over",
          "[decide][failover][crash]") {
  auto in = running_node(pg_role::primary);
  add_member(in, member("n1", 5001, "master"));
  add_member(in, member("n2", 5002));
  set_leader(in, "n1", session_of_n1);
  in.pg.state = "crashed";
  in.pg.role = pg_role::unknown;
  in.settings.primary_start_timeout = 300;

  auto first = decide(in);
  auto* start = find_command<start_postgres>(first);
  REQUIRE(start);
  CHECK(start->as_primary);
  CHECK(first.next.crash_start_since_ms == in.now_ms);

  in.memory = first.next;
  in.memory.last_pg_seq = 0;  // the start was taken up and failed
  in.pg.state = "start failed";
  in.now_ms += 299'000;
  in.view->loaded_at_ms = in.now_ms;  // views keep coming meanwhile
  auto again = decide(in);
  CHECK(find_command<start_postgres>(again));
  CHECK(count_commands<release_leader>(again) == 0);

  in.memory = again.next;
  in.memory.last_pg_seq = 0;
  in.now_ms += 2'000;
  auto over = decide(in);
  CHECK(count_commands<start_postgres>(over) == 0);
  REQUIRE(find_command<release_leader>(over));
  CHECK_THAT(over.reason, Catch::Contains("primary_start_timeout") && Catch::Contains("'n2'"));
  CHECK(over.next.released_session == session_of_n1);  // the lock is not ours to act on now

  SECTION("no replica can take over: keep trying in place, once per loop_wait") {
    in.view->members[1].state = "stopped";
    CHECK(count_commands<start_postgres>(decide(in)) == 0);  // 2 s after the last attempt
    in.now_ms = in.memory.start_retry_at_ms;
    in.view->loaded_at_ms = in.now_ms;
    auto alone = decide(in);
    CHECK(find_command<start_postgres>(alone));
    CHECK(count_commands<release_leader>(alone) == 0);
  }
  SECTION("primary_start_timeout 0: fail over at once") {
    auto fresh = running_node(pg_role::primary);
    add_member(fresh, member("n1", 5001, "master"));
    add_member(fresh, member("n2", 5002));
    set_leader(fresh, "n1", session_of_n1);
    fresh.pg.state = "crashed";
    fresh.settings.primary_start_timeout = 0;
    auto d = decide(fresh);
    CHECK(find_command<release_leader>(d));
    CHECK_THAT(d.reason, Catch::Contains("Primary crashed. Failing over"));
  }
  SECTION("running again: the clock is reset") {
    in.pg.state = "running";
    in.pg.role = pg_role::primary;
    CHECK(decide(in).next.crash_start_since_ms == 0);
  }
}
