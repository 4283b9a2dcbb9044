// decide(), cascading replication: tags.replicatefrom chooses what a replica streams from, and
// the replication slots follow that choice (Patroni's _get_node_to_follow and
// get_replication_slots).
#include <catch2/catch.hpp>

#include "actors/ha/decide.hpp"
#include "actors/ha/slot_set.hpp"
#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;
using praetor::ha::decide;

namespace {

member_record cascading(const std::string& name, int port, const std::string& from) {
  auto m = member(name, port);
  m.tags["replicatefrom"] = from;
  return m;
}

// n1, a replica tagged replicatefrom `from`, in a cluster led by n2 with n3 a replica.
ha_inputs replica_of(const std::string& from) {
  auto in = running_node(pg_role::replica);
  in.settings.tags["replicatefrom"] = from;
  add_member(in, cascading("n1", 5001, from));
  add_member(in, member("n2", 5002, "master"));
  add_member(in, member("n3", 5003));
  set_leader(in, "n2", 0x2002);
  in.pg.upstream = "127.0.0.1:5002";
  return in;
}

}  // namespace

TEST_CASE("a replica tagged replicatefrom streams from that member", "[decide][cascading]") {
  auto in = replica_of("n3");
  auto d = decide(in);
  auto* fo = find_command<follow_upstream>(d);
  REQUIRE(fo);
  CHECK(fo->upstream.name == "n3");
  CHECK(fo->upstream.port == 5003);
  CHECK(d.reason == "following 'n3' at 127.0.0.1:5003 (tags.replicatefrom)");

  in.memory = d.next;
  in.pg.accepted_seq = in.memory.last_pg_seq;
  in.pg.upstream = "127.0.0.1:5003";
  auto settled = decide(in);
  CHECK(count_commands<follow_upstream>(settled) == 0);
  CHECK(settled.reason == "no action. I am (n1), a secondary, and following a leader (n2)");
}

TEST_CASE("replicatefrom naming a member the view lacks, or me: follow the leader",
          "[decide][cascading]") {
  auto in = replica_of(GENERATE(std::string("gone"), std::string("n1")));
  in.pg.upstream = "127.0.0.1:5003";
  auto d = decide(in);
  auto* fo = find_command<follow_upstream>(d);
  REQUIRE(fo);
  CHECK(fo->upstream.name == "n2");
}

TEST_CASE("slots follow the cascade: on the member streamed from, not on the leader",
          "[decide][cascading]") {
  auto leader = running_node(pg_role::primary);
  add_member(leader, member("n1", 5001, "master"));
  add_member(leader, member("n2", 5002));
  add_member(leader, cascading("n3", 5003, "n2"));
  add_member(leader, cascading("n4", 5004, "n1"));       // from the leader itself: a slot here
  add_member(leader, cascading("n5", 5005, "missing"));  // falls back to the leader: a slot here
  set_leader(leader, "n1", session_of_n1);
  CHECK(ha::leader_slots(leader.settings, *leader.view).physical ==
        std::vector<std::string>{"n2", "n4", "n5"});

  // n2, a replica: keeps n3's slot
  auto in = replica_of("");
  in.settings.name = "n2x";  // any replica name; the members below decide
  in.settings.tags = {};
  in.view->members.clear();
  // the leader never gets a slot on a replica, even tagged (it cascaded before a failover)
  auto lead = cascading("n0", 5000, "n2x");
  lead.role = "master";
  add_member(in, lead);
  add_member(in, member("n2x", 5001));
  add_member(in, cascading("n3", 5003, "n2x"));
  set_leader(in, "n0", 0x2002);
  in.pg.upstream = "127.0.0.1:5000";
  auto d = decide(in);
  auto* slots = find_command<reconcile_slots>(d);
  REQUIRE(slots);
  CHECK(slots->physical == std::vector<std::string>{"n3"});

  SECTION("use_slots off: none") {
    in.settings.use_slots = false;
    in.memory.slots_sent = reconcile_slots{{"n3"}, {}, false};
    auto off = decide(in);
    auto* none = find_command<reconcile_slots>(off);
    REQUIRE(none);
    CHECK(none->physical.empty());
  }
}
