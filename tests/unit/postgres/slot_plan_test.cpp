#include "actors/slot_manager/slot_plan.hpp"

#include <catch2/catch.hpp>

using namespace praetor;

TEST_CASE("slot plan creates missing and drops inactive unwanted slots, as Patroni's",
          "[postgres][slots]") {
  std::vector<existing_slot> have = {{"node_1", true, true, "", "", {}},     // wanted, exists
                                     {"old_idle", true, false, "", "", {}},  // unwanted, idle
                                     {"old_busy", true, true, "", "", {}},   // unwanted, active
                                     {"logical_x", false, false, "db", "test_decoding", {}}};
  auto plan = plan_slots(reconcile_slots{{"node_1", "node_3"}, {}, true}, have);
  CHECK(plan.create == std::vector<std::string>{"node_3"});
  CHECK(plan.drop == std::vector<std::string>{"logical_x", "old_idle"});

  SECTION("maintenance mode drops nothing") {
    CHECK(plan_slots(reconcile_slots{{"node_1"}, {}, true}, have, {}, true).drop.empty());
  }
}

TEST_CASE("ignore_slots keeps the slots any of its entries matches", "[postgres][slots]") {
  std::vector<existing_slot> have = {{"unmanaged_0", false, false, "postgres", "test_decoding", {}},
                                     {"unmanaged_1", false, false, "postgres", "wal2json", {}},
                                     {"unmanaged_2", true, false, "", "", {}},
                                     {"dummy", false, false, "postgres", "test_decoding", {}}};
  // every field given must match; an absent one matches anything
  std::vector<slot_matcher> ignore = {{"unmanaged_0", "logical", "postgres", "test_decoding"},
                                      {"unmanaged_1", "", "postgres", ""},
                                      {"unmanaged_2", "", "", ""},
                                      {"dummy", "physical", "", ""}};  // wrong type: no match
  auto plan = plan_slots({}, have, ignore);
  CHECK(plan.drop == std::vector<std::string>{"dummy"});
  CHECK(matches({"", "logical", "", ""}, have[0]));
  CHECK_FALSE(matches({"", "logical", "other", ""}, have[0]));
}

TEST_CASE("a primary creates its permanent logical slots and reports their positions",
          "[postgres][slots]") {
  reconcile_slots want{
      {"node_2"}, {{"cdc", "postgres", "test_decoding", {}}, {"new", "app", "pgoutput", {}}}, true};
  std::vector<existing_slot> have = {{"node_2", true, true, "", "", {}},
                                     {"cdc", false, false, "postgres", "test_decoding", lsn{500}}};
  auto plan = plan_slots(want, have);
  CHECK(plan.create.empty());
  REQUIRE(plan.create_logical.size() == 1);
  CHECK(plan.create_logical[0].name == "new");
  CHECK(plan.create_logical[0].database == "app");
  CHECK(plan.drop.empty());
  CHECK(plan.advance.empty());
  CHECK(plan.missing.empty());
  CHECK(plan.confirmed == slot_positions{{"cdc", lsn{500}}});
}

TEST_CASE("a slot whose type, database or plugin changed is dropped to be made again",
          "[postgres][slots]") {
  reconcile_slots want{{"was_logical"}, {{"cdc", "postgres", "pgoutput", {}}}, true};
  std::vector<existing_slot> have = {
      {"was_logical", false, false, "postgres", "test_decoding", lsn{1}},
      {"cdc", false, false, "postgres", "test_decoding", lsn{2}}};
  auto plan = plan_slots(want, have, {}, true);  // even in maintenance mode: it is desired
  CHECK(plan.drop == std::vector<std::string>{"cdc", "was_logical"});
  CHECK(plan.confirmed.empty());
  SECTION("not while a consumer uses it") {
    have[1].active = true;
    CHECK(plan_slots(want, have).drop == std::vector<std::string>{"was_logical"});
  }
}

TEST_CASE("a replica advances its logical slots and lists those to copy from the primary",
          "[postgres][slots]") {
  reconcile_slots want{{},
                       {{"behind", "postgres", "test_decoding", lsn{900}},
                        {"ahead", "postgres", "test_decoding", lsn{100}},
                        {"absent", "postgres", "test_decoding", lsn{700}},
                        {"unpublished", "postgres", "test_decoding", {}}},
                       false};
  std::vector<existing_slot> have = {
      {"behind", false, false, "postgres", "test_decoding", lsn{800}},
      {"ahead", false, false, "postgres", "test_decoding", lsn{200}}};
  auto plan = plan_slots(want, have);
  CHECK(plan.create_logical.empty());  // PostgreSQL cannot create them in recovery
  REQUIRE(plan.advance.size() == 1);
  CHECK(plan.advance[0].name == "behind");
  CHECK(plan.advance[0].advance_to == lsn{900});
  // only what the primary published a position for can be copied
  CHECK(plan.missing == std::vector<std::string>{"absent"});
  CHECK(plan.confirmed == slot_positions{{"ahead", lsn{200}}, {"behind", lsn{800}}});
}
