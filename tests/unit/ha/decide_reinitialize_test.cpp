// POST /reinitialize as decide() and the shell's check see it (docs/compatibility.md, "REST API"):
// a replica of a live leader re-clones from the leader (or a clonefrom member); the leader, a
// leaderless cluster, a lost DCS and a running action refuse in Patroni's words, and force
// lets a running action be cancelled.
#include <catch2/catch.hpp>

#include "actors/ha/apply_event.hpp"
#include "actors/ha/decide.hpp"
#include "actors/ha/reinitialize.hpp"
#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;
using praetor::ha::decide;
using praetor::ha::reinitialize_refusal;

namespace {
// n1 is a streaming replica of n2.
ha_inputs replica_of_n2() {
  auto in = running_node(pg_role::replica);
  add_member(in, member("n1", 5001));
  add_member(in, member("n2", 5002, "master"));
  add_member(in, member("n3", 5003));
  set_leader(in, "n2", 0x2002);
  in.memory.slots_sent = reconcile_slots{};
  return in;
}

ha_inputs asked(ha_inputs in, bool force = false) {
  return ha::apply_event(std::move(in), reinitialize_request{force}, t0 + 1000);
}
}  // namespace

TEST_CASE("reinitialize: a replica re-clones from the leader", "[decide][reinitialize]") {
  auto in = asked(replica_of_n2());
  CHECK(in.memory.reinitialize_wanted);
  auto d = decide(in);
  const auto* cmd = find_command<reinitialize_postgres>(d);
  REQUIRE(cmd);
  CHECK(cmd->source == upstream_member{"n2", "127.0.0.1", 5002});
  CHECK_FALSE(cmd->force);
  CHECK(cmd->seq == in.memory.last_pg_seq + 1);
  CHECK_FALSE(d.next.reinitialize_wanted);
  CHECK(d.reason ==
        "reinitializing: removing the data directory and cloning again from leader 'n2'");

  SECTION("the next decision waits for it") {
    auto after = in;
    after.memory = d.next;
    after.pg.action = "reinitialize";
    auto next = decide(after);
    CHECK(count_commands<reinitialize_postgres>(next) == 0);
    CHECK(count_commands<start_postgres>(next) == 0);
  }
}

TEST_CASE("reinitialize: a running clonefrom member is the source", "[decide][reinitialize]") {
  auto in = replica_of_n2();
  in.view->members[2].tags = boost::json::object{{"clonefrom", true}};
  auto d = decide(asked(in));
  const auto* cmd = find_command<reinitialize_postgres>(d);
  REQUIRE(cmd);
  CHECK(cmd->source.name == "n3");
  CHECK(d.reason.ends_with("from replica 'n3'"));
}

TEST_CASE("reinitialize: refused in Patroni's words", "[decide][reinitialize]") {
  SECTION("the leader") {
    auto in = running_node(pg_role::primary);
    add_member(in, member("n1", 5001, "master"));
    set_leader(in, "n1", session_of_n1);
    CHECK(reinitialize_refusal(in, false) == "I am the leader, can not reinitialize");
    auto d = decide(asked(in));
    CHECK(count_commands<reinitialize_postgres>(d) == 0);
    CHECK_FALSE(d.next.reinitialize_wanted);
    CHECK(d.reason == "reinitialize refused: I am the leader, can not reinitialize");
  }
  SECTION("no leader") {
    auto in = replica_of_n2();
    in.view->leader.reset();
    CHECK(reinitialize_refusal(in, false) == "Cluster has no leader, can not reinitialize");
  }
  SECTION("no DCS") {
    auto in = replica_of_n2();
    in.session.state = session_state::disconnected;
    CHECK(reinitialize_refusal(in, true) == "DCS is not accessible, can not reinitialize");
  }
  SECTION("an action runs: refused unless forced") {
    auto in = replica_of_n2();
    in.pg.action = "start";
    CHECK(reinitialize_refusal(in, false) == "start already in progress");
    CHECK_FALSE(reinitialize_refusal(in, true));
    auto d = decide(asked(in, true));
    const auto* cmd = find_command<reinitialize_postgres>(d);
    REQUIRE(cmd);
    CHECK(cmd->force);
  }
}
