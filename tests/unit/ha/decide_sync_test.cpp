// decide(), synchronous mode: the lock holder's steps between synchronous_standby_names and the
// sync key (in the order that never lets the key name a standby a commit did not wait for), and
// who may be promoted when the key names standbys.
#include <catch2/catch.hpp>

#include "actors/ha/apply_event.hpp"
#include "actors/ha/decide.hpp"
#include "actors/ha/publication.hpp"
#include "actors/ha/sync_replication.hpp"
#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;
using praetor::ha::decide;

namespace {

replication_row walsender(const std::string& name, std::uint64_t flush,
                          const std::string& sync_state = "async") {
  replication_row r;
  r.application_name = name;
  r.state = "streaming";
  r.sync_state = sync_state;
  r.write_lsn = r.flush_lsn = r.replay_lsn = lsn{flush};
  return r;
}

// n1 is the primary holding the lock in synchronous mode; n2 and n3 stream from it.
ha_inputs sync_primary() {
  auto in = running_node(pg_role::primary);
  in.settings.synchronous_mode = true;
  add_member(in, member("n1", 5001, "master"));
  add_member(in, member("n2", 5002));
  add_member(in, member("n3", 5003));
  set_leader(in, "n1", session_of_n1);
  in.pg.wal_position = lsn{0x3000100};
  in.pg.replication = {walsender("n2", 0x3000100), walsender("n3", 0x3000000)};
  in.memory.published_optime = in.pg.wal_position;
  in.memory.published_optime_ms = in.now_ms;
  in.memory.slots_sent = reconcile_slots{{"n2", "n3"}, {}, true};
  mark_published(in, ha::build_member_record(in.settings, in.pg));
  return in;
}

// The primary now reports `ssn` in effect, with the rows it gives.
void reports(ha_inputs& in, const std::string& ssn, std::vector<replication_row> rows) {
  in.pg.synchronous_standby_names = ssn;
  in.pg.replication = std::move(rows);
}

void key_is(ha_inputs& in, const std::string& leader, std::vector<std::string> members,
            int version) {
  in.view->sync = sync_key{leader, std::move(members), znode_version{version}};
}

}  // namespace

TEST_CASE("synchronous_standby_names is written and read in Patroni's forms", "[sync]") {
  using ha::format_sync_standby_names;
  using ha::sync_standby_names_members;
  CHECK(format_sync_standby_names({}) == "");
  CHECK(format_sync_standby_names({"n2"}) == "n2");
  CHECK(format_sync_standby_names({"*"}) == "*");
  CHECK(format_sync_standby_names({"n2", "node-3"}) == "2 (n2,\"node-3\")");
  CHECK(sync_standby_names_members("") == std::vector<std::string>{});
  CHECK(sync_standby_names_members("n2") == std::vector<std::string>{"n2"});
  CHECK(sync_standby_names_members(" a , b ") == std::vector<std::string>{"a", "b"});
  CHECK(sync_standby_names_members("FIRST 2 (a, \"b c\")") == std::vector<std::string>{"a", "b c"});
  CHECK(sync_standby_names_members("ANY 1 (\"x\"\"y\", *)") ==
        std::vector<std::string>{"x\"y", "*"});
  CHECK(sync_standby_names_members("2 (n2,\"node-3\")") ==
        std::vector<std::string>{"n2", "node-3"});
  CHECK(sync_standby_names_members("a,").empty());  // unparseable: nobody
  CHECK(sync_standby_names_members("2 (,)").empty());
  CHECK(sync_standby_names_members("\"open").empty());
}

TEST_CASE("a standby joins synchronous_standby_names first, the sync key once confirmed",
          "[decide][sync][safety]") {
  auto in = sync_primary();
  auto d = decide(in);
  auto* ssn = find_command<set_synchronous_standby_names>(d);
  REQUIRE(ssn);
  CHECK(ssn->value == std::optional<std::string>("n2"));  // the most advanced
  CHECK(count_commands<write_sync>(d) == 0);
  CHECK_THAT(d.reason, Catch::Contains("Assigning synchronous standby status to ['n2']"));

  // Reloaded: n2 is listed, but not yet reported sync at the position of the change.
  in.memory = d.next;
  reports(in, "n2", {walsender("n2", 0x3000100, "async"), walsender("n3", 0x3000000)});
  auto waiting = decide(in);
  CHECK(count_commands<write_sync>(waiting) == 0);
  CHECK(count_commands<set_synchronous_standby_names>(waiting) == 0);  // asked once
  CHECK_THAT(waiting.reason, Catch::Contains("waiting for ['n2'] to become synchronous"));

  in.memory = waiting.next;
  reports(in, "n2", {walsender("n2", 0x3000100, "sync"), walsender("n3", 0x3000000, "async")});
  auto confirmed = decide(in);
  auto* w = find_command<write_sync>(confirmed);
  REQUIRE(w);
  CHECK(w->leader == "n1");
  CHECK(w->members == std::vector<std::string>{"n2"});
  CHECK(w->expected.value == -1);  // the key did not exist: create it
  CHECK_THAT(confirmed.reason, Catch::Contains("Synchronous standby status assigned to ['n2']"));

  // Written: the view shows it, nothing more to do.
  in.memory = confirmed.next;
  key_is(in, "n1", {"n2"}, 0);
  in = ha::apply_event(in, *in.view, in.now_ms);
  auto steady = decide(in);
  CHECK(count_commands<write_sync>(steady) == 0);
  CHECK(count_commands<set_synchronous_standby_names>(steady) == 0);
  CHECK_THAT(steady.reason, Catch::Contains("the leader with the lock"));
}

TEST_CASE("a standby not at the position of the change is not confirmed",
          "[decide][sync][safety]") {
  auto in = sync_primary();
  in.memory = decide(in).next;
  reports(in, "n2", {walsender("n2", 0x3000100, "sync")});
  in.memory.ssn_seen = "";  // the change is seen now, at 0/3000200
  in.pg.wal_position = lsn{0x3000200};
  auto d = decide(in);
  CHECK(count_commands<write_sync>(d) == 0);
}

TEST_CASE("a leaving standby leaves the sync key before synchronous_standby_names",
          "[decide][sync][safety]") {
  auto in = sync_primary();
  key_is(in, "n1", {"n2"}, 4);
  in.memory.ssn_seen = "n2";
  reports(in, "n2", {walsender("n3", 0x3000000, "async")});  // n2 disconnected
  auto d = decide(in);
  auto* w = find_command<write_sync>(d);
  REQUIRE(w);
  CHECK(w->members.empty());
  CHECK(w->expected.value == 4);
  CHECK(count_commands<set_synchronous_standby_names>(d) == 0);
  CHECK_THAT(d.reason, Catch::Contains("from ['n2'] to []"));

  // Until the view shows the shrunk key, nothing is sent again.
  in.memory = d.next;
  CHECK(count_commands<write_sync>(decide(in)) == 0);

  key_is(in, "n1", {}, 5);
  in = ha::apply_event(in, *in.view, in.now_ms);
  auto next = decide(in);
  auto* ssn = find_command<set_synchronous_standby_names>(next);
  REQUIRE(ssn);
  CHECK(ssn->value == std::optional<std::string>("n3"));
}

TEST_CASE("a failed sync key write is sent again", "[decide][sync]") {
  auto in = sync_primary();
  key_is(in, "n1", {"n2"}, 4);
  reports(in, "n2", {walsender("n3", 0x3000000)});
  auto d = decide(in);
  REQUIRE(count_commands<write_sync>(d) == 1);
  in.memory = d.next;
  in = ha::apply_event(in, dcs_result{"write_sync", false, "connection loss"}, in.now_ms);
  CHECK(count_commands<write_sync>(decide(in)) == 1);
}

TEST_CASE("nosync members, lagging members and the node count shape the choice", "[decide][sync]") {
  auto in = sync_primary();
  SECTION("nosync is never chosen") {
    in.view->members[1].tags["nosync"] = true;  // n2
    auto d = decide(in);
    auto* ssn = find_command<set_synchronous_standby_names>(d);
    REQUIRE(ssn);
    CHECK(ssn->value == std::optional<std::string>("n3"));
  }
  SECTION("maximum_lag_on_syncnode skips a standby lagging the most advanced") {
    in.settings.maximum_lag_on_syncnode = 0x80;
    in.pg.replication = {walsender("n2", 0x3000000, "sync"), walsender("n3", 0x3000100)};
    auto d = decide(in);
    auto* ssn = find_command<set_synchronous_standby_names>(d);
    REQUIRE(ssn);
    CHECK(ssn->value == std::optional<std::string>("n3"));
  }
  SECTION("synchronous_node_count 2 names both") {
    in.settings.synchronous_node_count = 2;
    auto d = decide(in);
    auto* ssn = find_command<set_synchronous_standby_names>(d);
    REQUIRE(ssn);
    CHECK(ssn->value == std::optional<std::string>("2 (n2,n3)"));
  }
  SECTION("a count larger than the standbys names those there are") {
    in.settings.synchronous_node_count = 5;
    auto d = decide(in);
    auto* ssn = find_command<set_synchronous_standby_names>(d);
    REQUIRE(ssn);
    CHECK(ssn->value == std::optional<std::string>("2 (n2,n3)"));
  }
  SECTION("a member that is not running is not chosen") {
    in.view->members[1].state = "stopped";
    auto d = decide(in);
    auto* ssn = find_command<set_synchronous_standby_names>(d);
    REQUIRE(ssn);
    CHECK(ssn->value == std::optional<std::string>("n3"));
  }
}

TEST_CASE("strict mode without a standby: '*', so that commits wait", "[decide][sync][safety]") {
  auto in = sync_primary();
  in.settings.synchronous_mode_strict = true;
  in.pg.replication.clear();
  auto d = decide(in);
  auto* ssn = find_command<set_synchronous_standby_names>(d);
  REQUIRE(ssn);
  CHECK(ssn->value == std::optional<std::string>("*"));
  CHECK_THAT(d.reason, Catch::Contains("No standbys available!"));
  in.memory = d.next;
  reports(in, "*", {});
  auto steady = decide(in);
  CHECK(count_commands<set_synchronous_standby_names>(steady) == 0);
  CHECK(count_commands<write_sync>(steady) == 0);
}

TEST_CASE("synchronous mode switched off: the key is emptied, the parameter given back",
          "[decide][sync]") {
  auto in = sync_primary();
  in.settings.synchronous_mode = false;
  key_is(in, "n1", {"n2"}, 7);
  in.memory.ssn_requested = "n2";
  auto d = decide(in);
  auto* w = find_command<write_sync>(d);
  REQUIRE(w);
  CHECK(w->leader.empty());
  CHECK(w->expected.value == 7);
  auto* ssn = find_command<set_synchronous_standby_names>(d);
  REQUIRE(ssn);
  CHECK_FALSE(ssn->value.has_value());
  CHECK_THAT(d.reason, Catch::Contains("Disabled synchronous replication"));
}

TEST_CASE("the new lock holder writes the sync key before it promotes", "[decide][sync][safety]") {
  auto in = running_node(pg_role::replica);
  in.settings.synchronous_mode = true;
  add_member(in, member("n1", 5001));
  add_member(in, member("n2", 5002));
  set_leader(in, "n1", session_of_n1);
  key_is(in, "n2", {"n1"}, 9);
  in.memory.slots_sent = reconcile_slots{};
  mark_published(in, ha::build_member_record(in.settings, in.pg));
  auto d = decide(in);
  CHECK(count_commands<promote_postgres>(d) == 0);
  auto* w = find_command<write_sync>(d);
  REQUIRE(w);
  CHECK(w->leader == "n1");
  CHECK(w->members.empty());
  CHECK(w->expected.value == 9);
  CHECK_THAT(d.reason, Catch::Contains("Postponing promotion"));
  // No standby is synchronous for the new primary yet; this reaches the supervisor first.
  auto* none = find_command<set_synchronous_standby_names>(d);
  REQUIRE(none);
  CHECK(none->value == std::optional<std::string>(""));

  in.memory = d.next;
  key_is(in, "n1", {}, 10);
  in = ha::apply_event(in, *in.view, in.now_ms);
  auto promote = decide(in);
  REQUIRE(count_commands<promote_postgres>(promote) == 1);
  CHECK(count_commands<set_synchronous_standby_names>(promote) == 0);  // asked already
}

TEST_CASE("with the sync key naming standbys, only they race", "[decide][sync][failover][safety]") {
  auto in = running_node(pg_role::replica);
  in.settings.synchronous_mode = true;
  add_member(in, member("n1", 5001));
  add_member(in, member("n2", 5002));
  add_member(in, member("n3", 5003));
  in.memory.slots_sent = reconcile_slots{};
  mark_published(in, ha::build_member_record(in.settings, in.pg));
  SECTION("not named: no race, nobody asked") {
    key_is(in, "n3", {"n2"}, 3);
    in = ha::apply_event(in, *in.view, t0);
    auto d = decide(in);
    CHECK(count_commands<acquire_leader>(d) == 0);
    CHECK(count_commands<probe_peers>(d) == 0);
    CHECK_THAT(d.reason, Catch::Contains("I am not a synchronous standby"));
  }
  SECTION("named: only the key's members are asked; the former leader ahead does not stop me") {
    key_is(in, "n3", {"n1"}, 3);
    in = ha::apply_event(in, *in.view, t0);
    auto d = decide(in);
    auto* probe = find_command<probe_peers>(d);
    REQUIRE(probe);
    REQUIRE(probe->members.size() == 1);
    CHECK(probe->members[0].name == "n3");
    in.memory = d.next;
    in = ha::apply_event(
        in,
        peer_statuses{probe->round,
                      {{"n3", true, true, lsn{0x4000000}, timeline{1}, false, false, ""}}},
        in.now_ms + 10);
    CHECK(count_commands<acquire_leader>(decide(in)) == 1);
  }
  SECTION("synchronous mode off: the key does not matter") {
    in.settings.synchronous_mode = false;
    key_is(in, "n3", {"n2"}, 3);
    in = ha::apply_event(in, *in.view, t0);
    CHECK(count_commands<probe_peers>(decide(in)) == 1);
  }
}

TEST_CASE("a switchover in synchronous mode goes only to a synchronous standby",
          "[decide][sync][switchover]") {
  auto in = sync_primary();
  key_is(in, "n1", {"n2"}, 2);
  in.pg.synchronous_standby_names = "n2";
  in.memory.ssn_seen = "n2";
  in.memory.sync_confirmed = {"n2"};
  in.pg.replication = {walsender("n2", 0x3000100, "sync"), walsender("n3", 0x3000000)};
  failover_request f;
  f.leader = "n1";
  f.member = "n3";
  f.version = znode_version{1};
  in.view->failover = f;
  in = ha::apply_event(in, *in.view, in.now_ms);
  auto d = decide(in);
  CHECK(count_commands<demote_postgres>(d) == 0);
  CHECK(count_commands<clear_failover>(d) == 1);
  CHECK_THAT(d.reason, Catch::Contains("candidate 'n3' is not a synchronous standby"));
}
