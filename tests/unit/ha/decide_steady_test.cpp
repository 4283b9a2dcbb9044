// decide(), steady-state rows: the leader keeps its lock and publishes, replicas follow.
#include <catch2/catch.hpp>

#include "actors/ha/decide.hpp"
#include "actors/ha/publication.hpp"
#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;
using praetor::ha::decide;

namespace {
ha_inputs leader_with_two_replicas() {
  auto in = running_node(pg_role::primary);
  add_member(in, member("n1", 5001, "master"));
  add_member(in, member("n2", 5002));
  add_member(in, member("n3", 5003));
  set_leader(in, "n1", session_of_n1);
  return in;
}
}  // namespace

TEST_CASE("leader with the lock: publish optime and keep one slot per replica",
          "[decide][steady]") {
  auto in = leader_with_two_replicas();
  auto d = decide(in);
  auto* st = find_command<publish_status>(d);
  REQUIRE(st);
  CHECK(st->optime == in.pg.wal_position);
  auto* slots = find_command<reconcile_slots>(d);
  REQUIRE(slots);
  CHECK(slots->physical == std::vector<std::string>{"n2", "n3"});
  CHECK(d.reason == "no action. I am (n1), the leader with the lock");
  CHECK(count_commands<acquire_leader>(d) == 0);
  CHECK(count_commands<stop_postgres>(d) == 0);

  SECTION("nothing changed within loop_wait: nothing written") {
    in.memory = d.next;
    in.pg.wal_position = lsn{0x3000100};
    in.now_ms += 2000;
    auto again = decide(in);
    CHECK(again.commands.empty());
  }
  SECTION("a changed optime is published once loop_wait has passed") {
    in.memory = d.next;
    in.pg.wal_position = lsn{0x3000100};
    in.now_ms += 10'000;
    auto later = decide(in);
    auto* st2 = find_command<publish_status>(later);
    REQUIRE(st2);
    CHECK(st2->optime == lsn{0x3000100});
  }
}

TEST_CASE("a member that leaves takes its slot with it (member_slots_ttl 0, Patroni 3.0.2)",
          "[decide][steady]") {
  auto in = leader_with_two_replicas();
  in.settings.member_slots_ttl = 0;
  in.memory = decide(in).next;
  in.view->members.erase(in.view->members.begin() + 2);  // n3 gone
  auto d = decide(in);
  auto* slots = find_command<reconcile_slots>(d);
  REQUIRE(slots);
  CHECK(slots->physical == std::vector<std::string>{"n2"});
}

TEST_CASE("use_slots off: no member slots (they are dropped, as Patroni drops them)",
          "[decide][steady]") {
  auto in = leader_with_two_replicas();
  in.settings.use_slots = false;
  auto d = decide(in);
  const auto* slots = find_command<reconcile_slots>(d);
  REQUIRE(slots);
  CHECK(slots->physical.empty());
  CHECK(slots->logical.empty());
}

TEST_CASE("the leader znode names us but belongs to an old session: re-create it",
          "[decide][steady]") {
  auto in = leader_with_two_replicas();
  set_leader(in, "n1", 0x999);
  auto d = decide(in);
  CHECK(find_command<refresh_leader>(d));
  CHECK(count_commands<publish_status>(d) == 0);
  CHECK_FALSE(ha::holds_leader_lock(in));
}

TEST_CASE("primary and nobody holds the lock: acquire it once", "[decide][steady]") {
  auto in = leader_with_two_replicas();
  in.view->leader.reset();
  auto d = decide(in);
  CHECK(count_commands<acquire_leader>(d) == 1);
  in.memory = d.next;
  CHECK(count_commands<acquire_leader>(decide(in)) == 0);
}

TEST_CASE("primary while another member holds the lock: stop it (no two primaries)",
          "[decide][steady][safety]") {
  auto in = leader_with_two_replicas();
  set_leader(in, "n2", 0x2002);
  auto d = decide(in);
  auto* demote = find_command<demote_postgres>(d);
  REQUIRE(demote);
  CHECK(demote->mode == demote_mode::immediate_nolock);
  CHECK(demote->upstream.name == "n2");
  CHECK_THAT(d.reason, Catch::StartsWith("demoting self because 'n2' holds the leader lock"));
}

TEST_CASE("replica following the leader: no action", "[decide][steady]") {
  auto in = running_node(pg_role::replica);
  add_member(in, member("n1", 5001));
  add_member(in, member("n2", 5002, "master"));
  set_leader(in, "n2", 0x2002);
  in.pg.upstream = "127.0.0.1:5002";
  in.memory.slots_sent = reconcile_slots{};
  auto d = decide(in);
  CHECK(count_commands<follow_upstream>(d) == 0);
  CHECK(d.reason == "no action. I am (n1), a secondary, and following a leader (n2)");

  SECTION("pointing elsewhere: follow the leader") {
    in.pg.upstream = "127.0.0.1:5003";
    auto f = decide(in);
    auto* fo = find_command<follow_upstream>(f);
    REQUIRE(fo);
    CHECK(fo->upstream.port == 5002);
  }
}

TEST_CASE("stopped PostgreSQL with data: rejoin the leader (rewinding if it diverged)",
          "[decide][steady]") {
  auto in = running_node(pg_role::unknown);
  in.pg.state = "stopped";
  in.settings.divergence.use_pg_rewind = true;
  add_member(in, member("n2", 5002, "master"));
  set_leader(in, "n2", 0x2002);
  auto d = decide(in);
  auto* r = find_command<rejoin_postgres>(d);
  REQUIRE(r);
  CHECK(r->upstream.name == "n2");
  CHECK(r->policy.use_pg_rewind);
  CHECK(count_commands<start_postgres>(d) == 0);
}

TEST_CASE("stopped PostgreSQL while we hold the lock: start it as primary", "[decide][steady]") {
  auto in = running_node(pg_role::unknown);
  in.pg.state = "crashed";
  set_leader(in, "n1", session_of_n1);
  auto d = decide(in);
  auto* s = find_command<start_postgres>(d);
  REQUIRE(s);
  CHECK(s->as_primary);
}

TEST_CASE("a start that failed is tried again once per loop_wait, not at every status",
          "[decide][steady][bad-input]") {
  auto in = running_node(pg_role::unknown);
  in.pg.state = "start failed";
  in.pg.last_error = "postmaster exited during start-up (exit code 1)";
  add_member(in, member("n2", 5002, "master"));
  set_leader(in, "n2", 0x2002);
  auto first = decide(in);
  REQUIRE(find_command<rejoin_postgres>(first));
  CHECK(first.next.start_retry_at_ms == in.now_ms + 10'000);

  in.memory = first.next;
  in.pg.accepted_seq = in.memory.last_pg_seq;  // it failed again at once
  in.now_ms += 300;
  auto again = decide(in);
  CHECK(count_commands<rejoin_postgres>(again) == 0);
  CHECK(count_commands<start_postgres>(again) == 0);
  CHECK(again.wake_at_ms == in.memory.start_retry_at_ms);
  CHECK(again.reason ==
        "postgres failed to start (postmaster exited during start-up (exit code "
        "1)); trying again in 10 s");

  in.memory = again.next;
  in.now_ms = in.memory.start_retry_at_ms;
  CHECK(find_command<rejoin_postgres>(decide(in)));
}

TEST_CASE("data of another cluster: refuse to run", "[decide][steady][safety]") {
  auto in = running_node(pg_role::unknown);
  in.pg.state = "stopped";
  in.view->initialize = "7399999999999999999";
  add_member(in, member("n2", 5002, "master"));
  set_leader(in, "n2", 0x2002);
  auto d = decide(in);
  CHECK(count_commands<start_postgres>(d) == 0);
  CHECK_THAT(d.reason, Catch::StartsWith("refusing to run"));
}

TEST_CASE("member record: state changes go out at once, WAL positions once per loop",
          "[decide][publish]") {
  auto in = leader_with_two_replicas();
  auto rec = ha::build_member_record(in.settings, in.pg);
  CHECK(rec.role == "master");
  CHECK(rec.xlog_location == in.pg.wal_position);
  mark_published(in, rec);
  in.pg.wal_position = lsn{0x4000000};
  CHECK_FALSE(ha::member_publication(in, ha::build_member_record(in.settings, in.pg)));
  in.now_ms += 10'000;
  CHECK(ha::member_publication(in, ha::build_member_record(in.settings, in.pg)));
  in.now_ms -= 10'000;
  in.pg.state = "stopping";
  CHECK(ha::member_publication(in, ha::build_member_record(in.settings, in.pg)));
}

TEST_CASE("member record: checkpoint_after_promote false until the first checkpoint after it",
          "[decide][publish]") {
  auto in = leader_with_two_replicas();
  in.pg.tl = timeline{3};
  in.pg.checkpoint_tl = timeline{2};
  auto rec = ha::build_member_record(in.settings, in.pg);
  CHECK(rec.checkpoint_after_promote == std::optional<bool>(false));
  in.pg.checkpoint_tl = timeline{3};
  CHECK_FALSE(ha::build_member_record(in.settings, in.pg).checkpoint_after_promote);
  in.pg.checkpoint_tl = timeline{};  // unknown: nothing said
  CHECK_FALSE(ha::build_member_record(in.settings, in.pg).checkpoint_after_promote);
  // The change goes out at once: a member about to rewind from us is waiting for it.
  in.pg.checkpoint_tl = timeline{2};
  mark_published(in, ha::build_member_record(in.settings, in.pg));
  in.pg.checkpoint_tl = timeline{3};
  CHECK(ha::member_publication(in, ha::build_member_record(in.settings, in.pg)));
}

TEST_CASE("member record missing from the view (e.g. after a session expiry): publish it",
          "[decide][publish]") {
  auto in = leader_with_two_replicas();
  mark_published(in, ha::build_member_record(in.settings, in.pg));
  in.view->members.erase(in.view->members.begin());  // n1's record vanished
  in.view->loaded_at_ms = in.memory.published_member_ms;
  CHECK_FALSE(ha::member_publication(in, ha::build_member_record(in.settings, in.pg)));
  in.view->loaded_at_ms = in.memory.published_member_ms + 1;  // a newer view still lacks it
  CHECK(ha::member_publication(in, ha::build_member_record(in.settings, in.pg)));
}
