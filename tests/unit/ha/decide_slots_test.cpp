// decide(), permanent slots (the dynamic `slots`): which slots the lock holder and the replicas
// keep, the positions the lock holder publishes in <base>/status, and when a replica copies
// logical slots from the primary (Patroni 3.0.2's get_replication_slots and copy_logical_slots).
#include <catch2/catch.hpp>

#include "actors/ha/apply_event.hpp"
#include "actors/ha/decide.hpp"
#include "actors/ha/slot_set.hpp"
#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;
using praetor::ha::decide;

namespace {

const permanent_slot physical_slot{"keep_wal", "physical", "", ""};
const permanent_slot cdc{"cdc", "logical", "postgres", "test_decoding"};

// n1 holds the lock; n2 and n3 replicate from it; the configuration has two permanent slots.
ha_inputs leader_node() {
  auto in = running_node(pg_role::primary);
  in.settings.permanent_slots = {cdc, physical_slot};
  in.pg.server_version = 150002;
  add_member(in, member("n1", 5001, "master"));
  add_member(in, member("n2", 5002));
  add_member(in, member("n3", 5003));
  set_leader(in, "n1", session_of_n1);
  return in;
}

// n1, a replica of n2.
ha_inputs replica_node() {
  auto in = running_node(pg_role::replica);
  in.settings.permanent_slots = {cdc, physical_slot};
  in.pg.server_version = 150002;
  in.pg.upstream = "127.0.0.1:5002";
  add_member(in, member("n1", 5001));
  add_member(in, member("n2", 5002, "master"));
  set_leader(in, "n2", 0x2002);
  in.view->slots = {{"cdc", lsn{0x3000100}}};
  return in;
}

}  // namespace

TEST_CASE("the lock holder keeps member slots and every permanent slot", "[decide][slots]") {
  auto in = leader_node();
  auto d = decide(in);
  const auto* slots = find_command<reconcile_slots>(d);
  REQUIRE(slots);
  CHECK(slots->primary);
  CHECK(slots->physical == std::vector<std::string>{"keep_wal", "n2", "n3"});
  REQUIRE(slots->logical.size() == 1);
  CHECK(slots->logical[0] == logical_slot{"cdc", "postgres", "test_decoding", {}});

  SECTION("a permanent slot named like a member's slot is the member's") {
    in.settings.permanent_slots = {{"n2", "logical", "postgres", "test_decoding"},
                                   {"n1", "physical", "", ""}};
    auto s = ha::leader_slots(in.settings, *in.view, 150002);
    CHECK(s.physical == std::vector<std::string>{"n2", "n3"});  // not n1: our own name
    CHECK(s.logical.empty());
  }
  SECTION("logical slots need PostgreSQL 11") {
    CHECK(ha::leader_slots(in.settings, *in.view, 100012).logical.empty());
  }
  SECTION("use_slots off: the permanent physical slots only, as Patroni") {
    in.settings.use_slots = false;
    auto s = ha::leader_slots(in.settings, *in.view, 150002);
    CHECK(s.physical == std::vector<std::string>{"keep_wal"});
    CHECK(s.logical.empty());
  }
}

TEST_CASE("the slot of a member whose key went is kept for member_slots_ttl", "[decide][slots]") {
  auto in = leader_node();
  in.settings.member_slots_ttl = 60;
  in.memory = decide(in).next;
  in.view->members.erase(in.view->members.begin() + 2);  // n3's key is gone (a restart)
  in.now_ms += 1000;
  auto d = decide(in);
  CHECK(find_command<reconcile_slots>(d) == nullptr);  // the set it keeps is the same
  CHECK(d.next.member_slots_kept.count("n3") == 1);

  SECTION("back in time: forgotten, the slot never went") {
    in.memory = d.next;
    add_member(in, member("n3", 5003));
    in.now_ms += 30'000;
    auto back = decide(in);
    CHECK(find_command<reconcile_slots>(back) == nullptr);
    CHECK(back.next.member_slots_kept.empty());
  }
  SECTION("away longer than member_slots_ttl: the slot goes") {
    in.memory = d.next;
    in.now_ms += 60'000;
    auto gone = decide(in);
    const auto* slots = find_command<reconcile_slots>(gone);
    REQUIRE(slots);
    CHECK(slots->physical == std::vector<std::string>{"keep_wal", "n2"});
    CHECK(gone.next.member_slots_kept.empty());
  }
  SECTION("a permanent slot taken out of the configuration goes at once") {
    in.memory = d.next;
    in.settings.permanent_slots = {cdc};
    auto changed = decide(in);
    const auto* slots = find_command<reconcile_slots>(changed);
    REQUIRE(slots);
    CHECK(slots->physical == std::vector<std::string>{"n2", "n3"});
  }
}

TEST_CASE("the lock holder publishes its logical slots' positions with the optime",
          "[decide][slots]") {
  auto in = leader_node();
  in = ha::apply_event(
      in, slot_report{{}, {}, {}, {{"cdc", lsn{0x3000040}}, {"stray", lsn{7}}}, {}}, in.now_ms);
  auto d = decide(in);
  const auto* status = find_command<publish_status>(d);
  REQUIRE(status);
  CHECK(status->optime == in.pg.wal_position);
  // only the configured logical slots: Patroni's /status "slots"
  CHECK(status->slots == slot_positions{{"cdc", lsn{0x3000040}}});

  // the WAL stands still but a consumer confirmed more: published at the next loop
  in.memory = d.next;
  in =
      ha::apply_event(in, slot_report{{}, {}, {}, {{"cdc", lsn{0x3000050}}}, {}}, in.now_ms + 1000);
  in.now_ms += 1000;
  CHECK(find_command<publish_status>(decide(in)) == nullptr);
  in.now_ms += 10'000;
  auto later = decide(in);
  const auto* moved = find_command<publish_status>(later);
  REQUIRE(moved);
  CHECK(moved->slots == slot_positions{{"cdc", lsn{0x3000050}}});
}

TEST_CASE("a replica keeps the permanent logical slots at the primary's positions",
          "[decide][slots]") {
  auto in = replica_node();
  auto d = decide(in);
  const auto* slots = find_command<reconcile_slots>(d);
  REQUIRE(slots);
  CHECK_FALSE(slots->primary);
  CHECK(slots->physical.empty());  // Patroni 3.0.2 keeps no permanent physical slot on replicas
  REQUIRE(slots->logical.size() == 1);
  CHECK(slots->logical[0].advance_to == lsn{0x3000100});

  SECTION("not when tagged nofailover: it never becomes the primary") {
    in.settings.nofailover = true;
    auto n = decide(in);
    const auto* none = find_command<reconcile_slots>(n);
    REQUIRE(none);
    CHECK(none->logical.empty());
  }
  SECTION("in failsafe mode, the positions the failsafe primary sent") {
    in.settings.failsafe_mode = true;
    in = ha::apply_event(in,
                         failsafe_notice{"n2",
                                         "postgres://127.0.0.1:5002/postgres",
                                         "http://127.0.0.1:6002/patroni",
                                         {{"cdc", lsn{0x3000200}}}},
                         in.now_ms);
    auto f = decide(in);
    const auto* fs = find_command<reconcile_slots>(f);
    REQUIRE(fs);
    CHECK(fs->logical[0].advance_to == lsn{0x3000200});
  }
}

TEST_CASE("a replica lacking a logical slot copies it from the primary, once per ttl",
          "[decide][slots]") {
  auto in = replica_node();
  in.memory = decide(in).next;  // the slots were sent
  in = ha::apply_event(in, slot_report{{}, {}, {}, {}, {"cdc"}}, in.now_ms);
  auto d = decide(in);
  const auto* copy = find_command<copy_logical_slots>(d);
  REQUIRE(copy);
  CHECK(copy->upstream.name == "n2");
  CHECK(copy->upstream.port == 5002);
  REQUIRE(copy->slots.size() == 1);
  CHECK(copy->slots[0].name == "cdc");
  CHECK(d.reason ==
        "Copying logical slots [cdc] from the primary 'n2' (PostgreSQL restarts to "
        "load them)");

  in.memory = d.next;
  in.pg.accepted_seq = in.memory.last_pg_seq;
  in.now_ms += 10'000;
  CHECK(find_command<copy_logical_slots>(decide(in)) == nullptr);
  in.now_ms += 30'000;  // ttl later and still missing: again
  CHECK(find_command<copy_logical_slots>(decide(in)) != nullptr);

  SECTION("not while PostgreSQL is busy") {
    in.pg.action = "restart";
    CHECK(find_command<copy_logical_slots>(decide(in)) == nullptr);
  }
  SECTION("not while failsafe mode is active (the primary may be out of reach for it)") {
    in.settings.failsafe_mode = true;
    in.memory.failsafe_active_ms = in.now_ms - 1'000;
    CHECK(find_command<copy_logical_slots>(decide(in)) == nullptr);
    in.memory.failsafe_active_ms = in.now_ms - std::int64_t{in.settings.ttl} * 1000;  // over
    CHECK(find_command<copy_logical_slots>(decide(in)) != nullptr);
  }
}
