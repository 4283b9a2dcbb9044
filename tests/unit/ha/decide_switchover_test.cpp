// decide(), the manual switchover and failover rows (docs/architecture.md, "The main scenarios,
// room by room"): the lock holder acting on the failover key, and the members of a cluster whose
// leader gave the lock up.
#include <catch2/catch.hpp>

#include "actors/ha/apply_event.hpp"
#include "actors/ha/decide.hpp"
#include "messages/iso_time.hpp"
#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;
using praetor::ha::decide;

namespace {

constexpr std::int64_t session_of_n2 = 0x2002;

// n1 is the primary holding the lock; n2 and n3 stream from it.
ha_inputs leader_with_two_replicas() {
  auto in = running_node(pg_role::primary);
  add_member(in, member("n1", 5001, "master"));
  add_member(in, member("n2", 5002));
  add_member(in, member("n3", 5003));
  set_leader(in, "n1", session_of_n1);
  in.memory.slots_sent = reconcile_slots{{"n2", "n3"}, {}, true};
  in.memory.published_optime = in.pg.wal_position;
  in.memory.published_optime_ms = in.now_ms;
  return in;
}

ha_inputs with_request(ha_inputs in, const std::string& leader, const std::string& member,
                       const std::string& at = "", int version = 3) {
  in.view->failover = failover_request{leader, member, at, znode_version{version}};
  return in;
}

peer_status replica_peer(const std::string& name, std::uint64_t wal) {
  return {name, true, true, lsn{wal}, timeline{1}, false, false, ""};
}

// Runs decide(), keeps its memory, and answers the probe it sent (if any) with `answers`.
ha_inputs answer_probe(ha_inputs in, const decision& d, std::vector<peer_status> answers) {
  in.memory = d.next;
  auto* probe = find_command<probe_peers>(d);
  REQUIRE(probe);
  return ha::apply_event(in, peer_statuses{probe->round, std::move(answers)}, in.now_ms + 40);
}

// n1 is a replica of a cluster whose leader n2 released the lock for a switchover.
ha_inputs leaderless_after_release(const std::string& candidate) {
  auto in = running_node(pg_role::replica);
  add_member(in, member("n1", 5001));
  add_member(in, member("n2", 5002, "demoted", "stopped"));
  add_member(in, member("n3", 5003));
  in.view->optime = lsn{0x3000060};
  in.view->failover = failover_request{"n2", candidate, "", znode_version{5}};
  in.memory.slots_sent = reconcile_slots{};
  return ha::apply_event(in, *in.view, t0);
}

}  // namespace

TEST_CASE("switchover request to a named replica: ask it, then demote gracefully, keep the key",
          "[decide][switchover]") {
  auto in = with_request(leader_with_two_replicas(), "n1", "n2");
  auto d = decide(in);
  auto* probe = find_command<probe_peers>(d);
  REQUIRE(probe);
  REQUIRE(probe->members.size() == 1);
  CHECK(probe->members[0].name == "n2");
  CHECK(count_commands<demote_postgres>(d) == 0);

  in = answer_probe(in, d, {replica_peer("n2", 0x3000060)});
  auto demote = decide(in);
  auto* cmd = find_command<demote_postgres>(demote);
  REQUIRE(cmd);
  CHECK(cmd->mode == demote_mode::graceful);
  CHECK(count_commands<clear_failover>(demote) == 0);
  CHECK(demote.next.switchover_demote);
  CHECK_THAT(demote.reason, Catch::Contains("manual failover: demoting myself"));
}

TEST_CASE("switchover to any: the best replica that answers is enough", "[decide][switchover]") {
  auto in = with_request(leader_with_two_replicas(), "n1", "");
  auto d = decide(in);
  REQUIRE(find_command<probe_peers>(d)->members.size() == 2);
  auto down = peer_status{"n2", false, true, {}, {}, false, false, "refused"};
  in = answer_probe(in, d, {down, replica_peer("n3", 0x3000000)});
  auto demote = decide(in);
  REQUIRE(find_command<demote_postgres>(demote));
  CHECK_THAT(demote.reason, Catch::Contains("'n3' can take over"));
}

TEST_CASE("switchover refused by the holder: the key is cleared, the primary stays",
          "[decide][switchover]") {
  SECTION("the candidate lags more than maximum_lag_on_failover") {
    auto in = with_request(leader_with_two_replicas(), "n1", "n2");
    in.settings.maximum_lag_on_failover = 1024;
    in = answer_probe(in, decide(in), {replica_peer("n2", 0x1000000)});
    auto d = decide(in);
    CHECK(count_commands<demote_postgres>(d) == 0);
    auto* clear = find_command<clear_failover>(d);
    REQUIRE(clear);
    CHECK(clear->expected.value == 3);
    CHECK_THAT(d.reason, Catch::Contains("no healthy members found") && Catch::Contains("lagging"));
  }
  SECTION("the candidate is unreachable") {
    auto in = with_request(leader_with_two_replicas(), "n1", "n3");
    in = answer_probe(in, decide(in), {peer_status{"n3", false, true, {}, {}, false, false, "x"}});
    auto d = decide(in);
    CHECK(find_command<clear_failover>(d));
    CHECK(count_commands<demote_postgres>(d) == 0);
  }
  SECTION("the leader named is another member") {
    auto in = with_request(leader_with_two_replicas(), "n3", "n2");
    auto d = decide(in);
    CHECK(find_command<clear_failover>(d));
    CHECK_THAT(d.reason, Catch::Contains("leader name does not match"));
  }
  SECTION("the candidate is the leader itself") {
    auto in = with_request(leader_with_two_replicas(), "", "n1");
    auto d = decide(in);
    CHECK(find_command<clear_failover>(d));
    CHECK_THAT(d.reason, Catch::Contains("I am already the leader"));
  }
  SECTION("the candidate is not a member, or is tagged nofailover") {
    auto in = with_request(leader_with_two_replicas(), "n1", "n9");
    CHECK(find_command<clear_failover>(decide(in)));
    in = with_request(leader_with_two_replicas(), "n1", "n2");
    in.view->members[1].tags["nofailover"] = true;
    auto d = decide(in);
    CHECK(find_command<clear_failover>(d));
    CHECK(count_commands<probe_peers>(d) == 0);
  }
  SECTION("garbage in scheduled_at") {
    auto in = with_request(leader_with_two_replicas(), "n1", "n2", "tomorrow-ish");
    auto d = decide(in);
    CHECK(find_command<clear_failover>(d));
    CHECK_THAT(d.reason, Catch::Contains("cannot read scheduled_at"));
  }
}

TEST_CASE("the key is cleared once per version", "[decide][switchover]") {
  auto in = with_request(leader_with_two_replicas(), "n3", "n2");
  auto d = decide(in);
  REQUIRE(find_command<clear_failover>(d));
  in.memory = d.next;
  CHECK(count_commands<clear_failover>(decide(in)) == 0);
  in.view->failover->version = znode_version{4};  // a new request
  CHECK(count_commands<clear_failover>(decide(in)) == 1);
}

TEST_CASE("scheduled switchover: wait for its time, act on it, drop it when stale",
          "[decide][switchover]") {
  auto base = leader_with_two_replicas();
  SECTION("far ahead: carry on, no timer of its own") {
    auto in = with_request(base, "n1", "n2", format_iso_time(t0 + 3'600'000));
    auto d = decide(in);
    CHECK(count_commands<probe_peers>(d) == 0);
    CHECK(count_commands<clear_failover>(d) == 0);
    CHECK(d.wake_at_ms == 0);
    CHECK_THAT(d.reason, Catch::Contains("awaiting failover at"));
  }
  SECTION("within loop_wait: wake up at the exact time") {
    auto in = with_request(base, "n1", "n2", format_iso_time(t0 + 4'000));
    auto d = decide(in);
    CHECK(d.wake_at_ms == t0 + 4'000);
    CHECK(count_commands<probe_peers>(d) == 0);
    in.memory = d.next;
    in.now_ms = t0 + 4'000;
    CHECK(find_command<probe_peers>(decide(in)));
  }
  SECTION("more than 1.5 loop_wait late: stale, cleared") {
    auto in = with_request(base, "n1", "n2", format_iso_time(t0 - 16'000));
    auto d = decide(in);
    CHECK(find_command<clear_failover>(d));
    CHECK_THAT(d.reason, Catch::Contains("stale"));
  }
}

TEST_CASE("old peer answers do not count for a new request", "[decide][switchover]") {
  auto in = leader_with_two_replicas();
  in.memory.probe_round = 7;
  in.memory.probe_sent_ms = t0 - 1000;
  in.peers = peer_statuses{7, {replica_peer("n2", 0x3000060)}};
  in = with_request(in, "n1", "n2");
  auto d = decide(in);
  CHECK(count_commands<demote_postgres>(d) == 0);
  CHECK(find_command<probe_peers>(d));
}

TEST_CASE("after the graceful demote: release the lock with the shutdown checkpoint",
          "[decide][switchover][safety]") {
  auto in = with_request(leader_with_two_replicas(), "n1", "n2");
  in.memory.switchover_demote = true;
  in.pg.state = "stopped";
  in.pg.role = pg_role::unknown;
  in.pg.shutdown_checkpoint = lsn{0x3000100};
  auto d = decide(in);
  auto* release = find_command<release_leader>(d);
  REQUIRE(release);
  CHECK(release->last_optime == lsn{0x3000100});
  CHECK(count_commands<start_postgres>(d) == 0);  // never back as a primary
  CHECK_FALSE(d.next.switchover_demote);
  CHECK_THAT(d.reason, Catch::Contains("clean shutdown at 0/3000100"));

  SECTION("without the switchover, a stopped primary holding the lock restarts as primary") {
    in.memory.switchover_demote = false;
    auto crash = decide(in);
    auto* start = find_command<start_postgres>(crash);
    REQUIRE(start);
    CHECK(start->as_primary);
  }
}

TEST_CASE("in maintenance mode the demoted primary starts again as a replica, as Patroni's",
          "[decide][switchover][pause]") {
  auto in = with_request(leader_with_two_replicas(), "n1", "n2");
  in.settings.paused = true;
  in.memory.switchover_demote = true;
  in.pg.state = "stopped";
  in.pg.role = pg_role::unknown;
  in.pg.shutdown_checkpoint = lsn{0x3000100};
  auto released = decide(in);
  REQUIRE(find_command<release_leader>(released));
  CHECK(released.next.follow_after_demote);

  in.memory = released.next;
  auto follow = decide(in);
  auto* start = find_command<start_postgres>(follow);
  REQUIRE(start);
  CHECK_FALSE(start->as_primary);
  CHECK_FALSE(follow.next.follow_after_demote);

  SECTION("what stopped otherwise waits for the operator") {
    in.memory = follow.next;
    in.pg.accepted_seq = in.memory.last_pg_seq;
    auto waiting = decide(in);
    CHECK(count_commands<start_postgres>(waiting) == 0);
    CHECK(count_commands<rejoin_postgres>(waiting) == 0);
    CHECK_THAT(waiting.reason, Catch::Contains("not starting it in maintenance mode"));
  }
}

TEST_CASE("leaderless with a request naming me: take the lock without asking",
          "[decide][switchover]") {
  auto in = leaderless_after_release("n1");
  auto d = decide(in);
  CHECK(count_commands<acquire_leader>(d) == 1);
  CHECK(count_commands<probe_peers>(d) == 0);
  CHECK_THAT(d.reason, Catch::Contains("I am the candidate"));

  SECTION("tagged nofailover: never") {
    in.settings.nofailover = true;
    CHECK(count_commands<acquire_leader>(decide(in)) == 0);
  }
}

TEST_CASE("leaderless with a request naming another member", "[decide][switchover]") {
  auto in = leaderless_after_release("n3");
  auto d = decide(in);
  REQUIRE(find_command<probe_peers>(d));
  SECTION("the candidate answers: leave the lock to it, even when I am ahead") {
    auto later = answer_probe(in, d, {replica_peer("n3", 0x3000000)});
    auto race = decide(later);
    CHECK(count_commands<acquire_leader>(race) == 0);
    CHECK_THAT(race.reason, Catch::Contains("manual failover: to n3"));
  }
  SECTION("the candidate is gone: the healthiest of the rest takes over, the old leader aside") {
    auto gone = peer_status{"n3", false, true, {}, {}, false, false, "refused"};
    auto old_leader = replica_peer("n2", 0x4000000);  // ahead, but it is the one leaving
    auto later = answer_probe(in, d, {old_leader, gone});
    auto race = decide(later);
    CHECK(count_commands<acquire_leader>(race) == 1);
  }
}

TEST_CASE("the former leader waits for a healthy member, and takes the lock back without one",
          "[decide][switchover]") {
  auto in = leaderless_after_release("");
  in.settings.name = "n2";  // I am the member that gave the lock up
  in.session.session_id = session_of_n2;
  auto d = decide(in);
  REQUIRE(find_command<probe_peers>(d));
  SECTION("n3 is healthy: no") {
    auto race =
        decide(answer_probe(in, d, {replica_peer("n1", 0x3000060), replica_peer("n3", 0x3000060)}));
    CHECK(count_commands<acquire_leader>(race) == 0);
    CHECK_THAT(race.reason, Catch::Contains("I was the leader"));
  }
  SECTION("nobody answers: yes") {
    auto gone1 = peer_status{"n1", false, true, {}, {}, false, false, "refused"};
    auto gone3 = peer_status{"n3", false, true, {}, {}, false, false, "refused"};
    auto race = decide(answer_probe(in, d, {gone1, gone3}));
    CHECK(count_commands<acquire_leader>(race) == 1);
  }
}

TEST_CASE("the new leader clears the request as it promotes", "[decide][switchover][safety]") {
  auto in = leaderless_after_release("n1");
  set_leader(in, "n1", session_of_n1);
  auto d = decide(in);
  auto* promote = find_command<promote_postgres>(d);
  REQUIRE(promote);
  // Not before the old leader's shutdown checkpoint (in the status it wrote) is here.
  CHECK(promote->received_at_least == lsn{0x3000060});
  auto* clear = find_command<clear_failover>(d);
  REQUIRE(clear);
  CHECK(clear->expected.value == 5);
}

TEST_CASE("a failover that names no leader promotes without waiting for WAL",
          "[decide][switchover]") {
  auto in = leaderless_after_release("n1");
  in.view->failover->leader.clear();  // the leader died: nobody wrote a shutdown checkpoint
  set_leader(in, "n1", session_of_n1);
  auto d = decide(in);
  auto* promote = find_command<promote_postgres>(d);
  REQUIRE(promote);
  CHECK(promote->received_at_least == lsn{});
}

TEST_CASE(
    "after releasing the lock, a view that still shows it is not ours: no restart as "
    "primary, no re-creating it",
    "[decide][switchover][safety]") {
  auto in = with_request(leader_with_two_replicas(), "n1", "n2");
  in.memory.switchover_demote = true;
  in.pg.state = "stopped";
  in.pg.role = pg_role::unknown;
  in.pg.shutdown_checkpoint = lsn{0x3000100};
  auto release = decide(in);
  REQUIRE(find_command<release_leader>(release));
  in.memory = release.next;

  // The same session, before the session change arrives.
  auto next = decide(in);
  CHECK_FALSE(ha::holds_leader_lock(in));
  auto* start = find_command<start_postgres>(next);
  REQUIRE(start);
  CHECK_FALSE(start->as_primary);

  // The new session, with a view still naming us under the released session.
  in.session.session_id = session_of_n1 + 1;
  in.pg.state = "running";
  in.pg.role = pg_role::replica;
  auto later = decide(in);
  CHECK(count_commands<refresh_leader>(later) == 0);
  CHECK(count_commands<acquire_leader>(later) == 0);
  CHECK(count_commands<promote_postgres>(later) == 0);
}
