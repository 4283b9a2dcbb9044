// decide(), quorum commit (synchronous_mode: quorum): the lock holder's steps towards
// 'ANY n (standbys)' and the sync key's voters and quorum, and the votes a candidate needs.
#include <catch2/catch.hpp>

#include "actors/ha/apply_event.hpp"
#include "actors/ha/decide.hpp"
#include "actors/ha/publication.hpp"
#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;
using praetor::ha::decide;

namespace {

replication_row walsender(const std::string& name, std::uint64_t flush) {
  replication_row r;
  r.application_name = name;
  r.state = "streaming";
  r.sync_state = "quorum";
  r.write_lsn = r.flush_lsn = r.replay_lsn = lsn{flush};
  return r;
}

void quorum_mode(ha_inputs& in) {
  in.settings.synchronous_mode = true;
  in.settings.synchronous_quorum = true;
}

void key_is(ha_inputs& in, const std::string& leader, std::vector<std::string> members, int quorum,
            int version) {
  in.view->sync = sync_key{leader, std::move(members), znode_version{version}, quorum};
}

// n1 is the primary holding the lock; n2 and n3 stream from it.
ha_inputs quorum_primary() {
  auto in = running_node(pg_role::primary);
  quorum_mode(in);
  add_member(in, member("n1", 5001, "master"));
  add_member(in, member("n2", 5002));
  add_member(in, member("n3", 5003));
  set_leader(in, "n1", session_of_n1);
  in.pg.wal_position = lsn{0x3000100};
  in.pg.replication = {walsender("n2", 0x3000100), walsender("n3", 0x3000100)};
  in.memory.published_optime = in.pg.wal_position;
  in.memory.published_optime_ms = in.now_ms;
  in.memory.slots_sent = reconcile_slots{{"n2", "n3"}, {}, true};
  mark_published(in, ha::build_member_record(in.settings, in.pg));
  return in;
}

}  // namespace

TEST_CASE("quorum commit: the lock holder takes the key, then ANY 1 of both, then the voters",
          "[decide][sync][quorum][safety]") {
  auto in = quorum_primary();
  auto d = decide(in);
  auto* w = find_command<write_sync>(d);
  REQUIRE(w);
  CHECK(w->leader == "n1");
  CHECK(w->members.empty());
  CHECK(w->quorum == 0);  // Patroni 4's form, with the field
  CHECK(count_commands<set_synchronous_standby_names>(d) == 0);

  in.memory = d.next;
  key_is(in, "n1", {}, 0, 0);
  in = ha::apply_event(in, *in.view, in.now_ms);
  d = decide(in);
  auto* ssn = find_command<set_synchronous_standby_names>(d);
  REQUIRE(ssn);
  CHECK(ssn->value == std::optional<std::string>("ANY 1 (n2,n3)"));
  CHECK(count_commands<write_sync>(d) == 0);

  // In effect; the standbys are at the primary's position of the change: they vote from now.
  in.memory = d.next;
  in.pg.synchronous_standby_names = "ANY 1 (n2,n3)";
  d = decide(in);
  w = find_command<write_sync>(d);
  REQUIRE(w);
  CHECK(w->members == std::vector<std::string>{"n2", "n3"});
  CHECK(w->quorum == 1);
  CHECK(w->expected.value == 0);
  CHECK_THAT(d.reason, Catch::Contains("Setting quorum to 1 of (n2, n3)"));

  in.memory = d.next;
  key_is(in, "n1", {"n2", "n3"}, 1, 1);
  in = ha::apply_event(in, *in.view, in.now_ms);
  d = decide(in);
  CHECK(count_commands<write_sync>(d) == 0);
  CHECK(count_commands<set_synchronous_standby_names>(d) == 0);
}

TEST_CASE("quorum commit: a standby that stops streaming stops holding commits up at once",
          "[decide][sync][quorum]") {
  auto in = quorum_primary();
  key_is(in, "n1", {"n2", "n3"}, 1, 4);
  in.pg.synchronous_standby_names = "ANY 1 (n2,n3)";
  in.memory.ssn_seen = in.pg.synchronous_standby_names;
  in = ha::apply_event(in, *in.view, in.now_ms);
  REQUIRE(count_commands<write_sync>(decide(in)) == 0);

  in.pg.replication = {walsender("n2", 0x3000100)};  // n3 gone
  auto d = decide(in);
  auto* ssn = find_command<set_synchronous_standby_names>(d);
  REQUIRE(ssn);
  CHECK(ssn->value == std::optional<std::string>("ANY 1 (n2)"));
  CHECK(count_commands<write_sync>(d) == 0);  // the key follows once n2 is past the change

  in.memory = d.next;
  in.pg.synchronous_standby_names = "ANY 1 (n2)";
  in.pg.wal_position = lsn{0x3000200};  // the change is observed at this position
  d = decide(in);
  CHECK(count_commands<write_sync>(d) == 0);
  CHECK_THAT(d.reason, Catch::Contains("waiting for n2"));
  in.memory = d.next;
  in.pg.replication = {walsender("n2", 0x3000200)};
  d = decide(in);
  auto* w = find_command<write_sync>(d);
  REQUIRE(w);
  CHECK(w->members == std::vector<std::string>{"n2"});
  CHECK(w->quorum == 0);
}

TEST_CASE("quorum commit: a candidate needs votes from `quorum` voters, none ahead",
          "[decide][sync][quorum][failover][safety]") {
  auto in = running_node(pg_role::replica);
  quorum_mode(in);
  add_member(in, member("n1", 5001));
  add_member(in, member("n2", 5002));
  add_member(in, member("n3", 5003));
  key_is(in, "n3", {"n1", "n2"}, 1, 3);  // n3 led; I am n1
  in.memory.slots_sent = reconcile_slots{};
  mark_published(in, ha::build_member_record(in.settings, in.pg));
  in = ha::apply_event(in, *in.view, t0);
  auto d = decide(in);
  auto* probe = find_command<probe_peers>(d);
  REQUIRE(probe);
  REQUIRE(probe->members.size() == 2);  // n2 and the old leader n3
  in.memory = d.next;
  const auto mine = in.pg.wal_position;

  SECTION("nobody answers: no quorum, no lock") {
    in = ha::apply_event(in,
                         peer_statuses{probe->round,
                                       {{"n2", false, true, lsn{}, timeline{1}, false, false, ""},
                                        {"n3", false, true, lsn{}, timeline{1}, false, false, ""}}},
                         in.now_ms + 10);
    d = decide(in);
    CHECK(count_commands<acquire_leader>(d) == 0);
    CHECK_THAT(d.reason, Catch::Contains("Quorum requirement 1 can not be reached"));
  }
  SECTION("n2 answers, not ahead: one vote is the quorum") {
    in = ha::apply_event(in,
                         peer_statuses{probe->round,
                                       {{"n2", true, true, mine, timeline{1}, false, false, ""},
                                        {"n3", false, true, lsn{}, timeline{1}, false, false, ""}}},
                         in.now_ms + 10);
    CHECK(count_commands<acquire_leader>(decide(in)) == 1);
  }
  SECTION("n2 answers ahead of me: it may have a commit I lack") {
    in = ha::apply_event(
        in,
        peer_statuses{probe->round,
                      {{"n2", true, true, lsn{mine.value + 8}, timeline{1}, false, false, ""}}},
        in.now_ms + 10);
    CHECK(count_commands<acquire_leader>(decide(in)) == 0);
  }
}
