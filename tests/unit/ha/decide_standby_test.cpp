// decide(), a standby cluster (the dynamic standby_cluster section): the bootstrap clones the
// remote primary, the lock holder follows it as the standby leader instead of promoting, a
// primary demotes, and removing the section promotes the standby leader (Patroni 3.0.2).
#include <catch2/catch.hpp>

#include "actors/ha/decide.hpp"
#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;
using praetor::ha::decide;

namespace {

const standby_cluster_config remote{"10.1.0.5", 5433, "pm_1"};

ha_inputs standby_node(pg_role role) {
  auto in = running_node(role);
  in.settings.standby_cluster = remote;
  in.settings.permanent_slots = {{"pm_1", "physical", "", ""},
                                 {"cdc", "logical", "postgres", "test_decoding"}};
  add_member(in, member("n1", 5001));
  add_member(in, member("n2", 5002));
  return in;
}

}  // namespace

TEST_CASE("a standby cluster's bootstrap clones the remote primary", "[decide][standby]") {
  auto in = fresh_node();
  in.settings.standby_cluster = remote;
  in.memory.race = initialize_race::won;
  auto d = decide(in);
  const auto* clone = find_command<clone_postgres>(d);
  REQUIRE(clone);
  CHECK(clone->source.host == "10.1.0.5");
  CHECK(clone->source.port == 5433);
  CHECK(clone->source.remote);
  CHECK(clone->source.remote_slot == "pm_1");
  CHECK(count_commands<bootstrap_postgres>(d) == 0);
  CHECK(d.next.bootstrapping);

  // the clone runs as a replica of the remote primary: the bootstrap is complete
  auto done = standby_node(pg_role::replica);
  done.view->initialize = "";
  done.view->config.reset();
  done.memory = d.next;
  done.memory.last_pg_seq = 0;
  auto finished = decide(done);
  CHECK(find_command<write_initialize>(finished));
  CHECK(find_command<write_config>(finished));
  CHECK(find_command<acquire_leader>(finished));
}

TEST_CASE("the standby leader follows the remote primary and never promotes", "[decide][standby]") {
  auto in = standby_node(pg_role::replica);
  set_leader(in, "n1", session_of_n1);
  auto d = decide(in);
  CHECK(count_commands<promote_postgres>(d) == 0);
  const auto* follow = find_command<follow_upstream>(d);
  REQUIRE(follow);
  CHECK(follow->standby_leader);
  CHECK(follow->upstream.remote);
  CHECK(follow->upstream.host == "10.1.0.5");
  CHECK(d.reason == "promoted self to a standby leader by acquiring session lock");
  // its slots: the members' and the permanent physical ones, no logical one (in recovery)
  const auto* slots = find_command<reconcile_slots>(d);
  REQUIRE(slots);
  CHECK(slots->physical == std::vector<std::string>{"n2", "pm_1"});
  CHECK(slots->logical.empty());
  const auto* record = find_command<publish_member>(d);
  REQUIRE(record);
  CHECK(record->record.role == "standby_leader");

  in.memory = d.next;
  in.pg.accepted_seq = in.memory.last_pg_seq;
  in.pg.upstream = "10.1.0.5:5433";
  auto steady = decide(in);
  CHECK(count_commands<follow_upstream>(steady) == 0);
  CHECK(steady.reason == "no action. I am (n1), the standby leader with the lock");

  SECTION("the section removed: the standby leader is promoted") {
    in.settings.standby_cluster.reset();
    auto promoted = decide(in);
    CHECK(find_command<promote_postgres>(promoted));
  }
}

TEST_CASE("a primary in a standby cluster demotes to follow the remote primary",
          "[decide][standby]") {
  auto in = standby_node(pg_role::primary);
  set_leader(in, "n1", session_of_n1);
  auto d = decide(in);
  const auto* demote = find_command<demote_postgres>(d);
  REQUIRE(demote);
  CHECK(demote->upstream.remote);
  CHECK(demote->upstream.port == 5433);
  CHECK(d.reason == "demoting self: cannot be a real primary in standby cluster");
}

TEST_CASE("a stopped member of a standby cluster without a leader follows the remote primary",
          "[decide][standby]") {
  auto in = standby_node(pg_role::unknown);
  in.pg.state = "stopped";
  auto d = decide(in);
  const auto* rejoin = find_command<rejoin_postgres>(d);
  REQUIRE(rejoin);
  CHECK(rejoin->upstream.remote);
  CHECK(d.reason == "trying to follow a remote member because standby cluster is unhealthy");

  SECTION("with another member leading, it follows that member") {
    set_leader(in, "n2", 0x2002);
    auto follow = decide(in);
    const auto* r = find_command<rejoin_postgres>(follow);
    REQUIRE(r);
    CHECK(r->upstream.name == "n2");
    CHECK_FALSE(r->upstream.remote);
  }
}
