// Healing: a running replica whose timeline forked from the leader's before its replay position
// is stopped and rejoined (the supervisor rewinds or re-clones it); a member that could not be
// healed says why and is not stopped or rejoined again against the same leader.
#include <catch2/catch.hpp>

#include "actors/ha/decide.hpp"
#include "tests/unit/ha/scenario.hpp"

using namespace praetor;
using namespace praetor::ha;
using namespace praetor::test;

namespace {

// n1 a replica on timeline 1 that replayed to 0/3000100 and does not stream; n2 the leader on
// timeline 2, which branched off timeline 1 at `branch` (the history key's line).
ha_inputs replica_left_on_timeline_1(std::uint64_t branch) {
  auto in = running_node(pg_role::replica);
  in.pg.streaming = false;
  in.pg.replayed_location = lsn{0x3000100};
  in.pg.received_location = lsn{0x3000100};
  in.settings.divergence.use_pg_rewind = true;
  auto leader = member("n2", 5002, "master");
  leader.tl = timeline{2};
  add_member(in, leader);
  add_member(in, member("n3", 5003));
  set_leader(in, "n2", 0x2002);
  in.view->history = boost::json::array{boost::json::array{
      1, branch, "no recovery target specified", "2026-12-07T10:00:00+00:00", "n2"}};
  in.pg.upstream = "127.0.0.1:5002";
  return in;
}

// The decision once the replica has not streamed for `ms`: the first look starts the clock.
decision after_not_streaming(ha_inputs& in, std::int64_t ms) {
  auto first = decide(in);
  in.memory = first.next;
  in.now_ms += ms;
  return decide(in);
}

}  // namespace

TEST_CASE("a replica that replayed past the leader's branch point is stopped and rejoined",
          "[decide][heal]") {
  auto in = replica_left_on_timeline_1(0x3000000);
  // Not at once: a replica just restarted looks the same until its WAL receiver streams.
  auto first = decide(in);
  CHECK(count_commands<rejoin_postgres>(first) == 0);
  CHECK(first.wake_at_ms == in.now_ms + 20'000);  // 2 loop_waits, at least 10 s
  auto d = after_not_streaming(in, 20'000);
  INFO(d.reason);
  auto* r = find_command<rejoin_postgres>(d);
  REQUIRE(r);
  CHECK(r->stop_first);
  CHECK(r->upstream.name == "n2");
  CHECK(r->policy.use_pg_rewind);
  CHECK_THAT(d.reason, Catch::Contains("diverged from the leader") &&
                           Catch::Contains("branched off timeline 1 at 0/3000000"));

  SECTION("once: the same position against the same leader is not stopped again") {
    in.memory = d.next;
    in.pg.accepted_seq = d.next.last_pg_seq;
    in.pg.last_error = "rejoin: pg_rewind from n2 failed";
    auto again = after_not_streaming(in, 20'000);
    CHECK(count_commands<rejoin_postgres>(again) == 0);
    CHECK_THAT(again.reason, Catch::Contains("a rejoin did not heal it") &&
                                 Catch::Contains("pg_rewind from n2 failed"));
  }
}

TEST_CASE("a replica behind the branch point is left to follow the new timeline itself",
          "[decide][heal]") {
  auto in = replica_left_on_timeline_1(0x3000100);  // replayed exactly to the branch point
  auto d = after_not_streaming(in, 20'000);
  CHECK(count_commands<rejoin_postgres>(d) == 0);
  CHECK(d.next.heal_not_streaming_since_ms == 0);
  in = replica_left_on_timeline_1(0x3000000);
  in.pg.streaming = true;  // PostgreSQL streams: whatever its timeline says, it follows
  d = after_not_streaming(in, 20'000);
  CHECK(count_commands<rejoin_postgres>(d) == 0);
  in = replica_left_on_timeline_1(0x3000000);
  in.view->members[0].tl = timeline{1};  // level with the leader
  d = after_not_streaming(in, 20'000);
  CHECK(count_commands<rejoin_postgres>(d) == 0);
}

TEST_CASE("a history that skips the replica's timeline proves it diverged", "[decide][heal]") {
  auto in = replica_left_on_timeline_1(0);
  in.view->history = boost::json::array{boost::json::array{2, 0x4000000, "r"}};
  in.view->members[0].tl = timeline{3};
  auto d = after_not_streaming(in, 20'000);
  INFO(d.reason);
  CHECK(find_command<rejoin_postgres>(d));
  CHECK_THAT(d.reason, Catch::Contains("skips timeline 1"));
}

TEST_CASE("without a history line for its timeline, a replica is stopped after 30 s",
          "[decide][heal]") {
  auto in = replica_left_on_timeline_1(0);
  in.view->history = boost::json::array{};
  auto d = decide(in);
  CHECK(count_commands<rejoin_postgres>(d) == 0);
  CHECK(d.next.heal_not_streaming_since_ms == in.now_ms);
  CHECK(d.wake_at_ms == in.now_ms + 30'000);
  in.memory = d.next;
  in.now_ms += 29'000;
  CHECK(count_commands<rejoin_postgres>(decide(in)) == 0);
  in.now_ms += 1'000;
  auto due = decide(in);
  INFO(due.reason);
  auto* r = find_command<rejoin_postgres>(due);
  REQUIRE(r);
  CHECK(r->stop_first);
  CHECK_THAT(due.reason, Catch::Contains("may have diverged"));
  CHECK(due.next.heal_not_streaming_since_ms == 0);

  SECTION("streaming again resets the clock") {
    in.pg.streaming = true;
    auto d2 = decide(in);
    CHECK(d2.next.heal_not_streaming_since_ms == 0);
  }
}

TEST_CASE("maintenance mode reports a diverged replica and leaves PostgreSQL running",
          "[decide][heal]") {
  auto in = replica_left_on_timeline_1(0x3000000);
  in.settings.paused = true;
  auto d = after_not_streaming(in, 20'000);
  CHECK(count_commands<rejoin_postgres>(d) == 0);
  CHECK_THAT(d.reason, Catch::Contains("maintenance mode") && Catch::Contains("diverged"));
}

TEST_CASE("a member left diverged by a failed rejoin says why and waits for another leader",
          "[decide][heal]") {
  auto in = running_node(pg_role::unknown);
  in.pg.state = "stopped";
  in.settings.divergence.use_pg_rewind = false;
  auto leader = member("n2", 5002, "master");
  leader.tl = timeline{2};
  add_member(in, leader);
  set_leader(in, "n2", 0x2002);
  auto first = decide(in);
  auto* r = find_command<rejoin_postgres>(first);
  REQUIRE(r);
  CHECK_FALSE(r->stop_first);
  CHECK_FALSE(r->policy.use_pg_rewind);

  in.memory = first.next;
  in.pg.accepted_seq = first.next.last_pg_seq;
  in.pg.state = "diverged";
  in.pg.last_error =
      "rejoin: diverged: checkpoint at 0/3000100 on timeline 1, and use_pg_rewind is off";
  auto refused = decide(in);
  CHECK(count_commands<rejoin_postgres>(refused) == 0);
  CHECK_THAT(refused.reason, Catch::Contains("not rejoining leader 'n2'") &&
                                 Catch::Contains("use_pg_rewind is off"));
  // The published record carries the state, for GET /patroni and praetorctl list.
  CHECK(refused.next.published_member);
  if (refused.next.published_member) CHECK(refused.next.published_member->state == "diverged");

  SECTION("a new leader is tried again") {
    in.memory = refused.next;
    in.view->members[0].tl = timeline{3};
    CHECK(find_command<rejoin_postgres>(decide(in)));
  }
  SECTION("a failed pg_rewind is not tried again against the same leader either") {
    in.memory = refused.next;
    in.pg.state = "rewind failed";
    CHECK(count_commands<rejoin_postgres>(decide(in)) == 0);
  }
}

TEST_CASE("a primary that lost its lock demotes with the rejoin's divergence policy",
          "[decide][heal]") {
  auto in = running_node(pg_role::primary);
  in.settings.divergence = {true, false, true};
  add_member(in, member("n2", 5002, "master"));
  set_leader(in, "n2", 0x2002);
  auto d = decide(in);
  auto* dm = find_command<demote_postgres>(d);
  REQUIRE(dm);
  CHECK(dm->mode == demote_mode::immediate_nolock);
  CHECK(dm->upstream.name == "n2");
  CHECK(dm->policy == divergence_policy{true, false, true});
}

TEST_CASE("a rejoin that failed is tried again once per loop_wait, not at every status",
          "[decide][heal]") {
  auto in = running_node(pg_role::unknown);
  in.pg.state = "stopped";
  add_member(in, member("n2", 5002, "master"));
  set_leader(in, "n2", 0x2002);
  in.pg.last_error = "rejoin: single-user crash recovery failed (exit 1)";
  auto first = decide(in);
  REQUIRE(find_command<rejoin_postgres>(first));
  in.memory = first.next;
  in.pg.accepted_seq = first.next.last_pg_seq;
  in.now_ms += 50;
  auto soon = decide(in);
  CHECK(count_commands<rejoin_postgres>(soon) == 0);
  CHECK_THAT(soon.reason, Catch::Contains("the last attempt failed") &&
                              Catch::Contains("crash recovery failed"));
  CHECK(soon.wake_at_ms == first.next.start_retry_at_ms);
  in.memory = soon.next;
  in.now_ms = first.next.start_retry_at_ms;
  CHECK(find_command<rejoin_postgres>(decide(in)));
}
