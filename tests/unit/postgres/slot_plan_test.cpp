#include "actors/slot_manager/slot_plan.hpp"

#include <catch2/catch.hpp>

using namespace praetor;

TEST_CASE("slot plan creates missing and drops inactive unwanted slots, as Patroni's",
          "[postgres][slots]") {
  std::vector<existing_slot> have = {{"node_1", true, true, "", ""},     // wanted, exists
                                     {"old_idle", true, false, "", ""},  // unwanted, idle
                                     {"old_busy", true, true, "", ""},   // unwanted, active
                                     {"logical_x", false, false, "db", "test_decoding"}};
  auto plan = plan_slots({"node_1", "node_3"}, have);
  CHECK(plan.create == std::vector<std::string>{"node_3"});
  CHECK(plan.drop == std::vector<std::string>{"logical_x", "old_idle"});

  SECTION("maintenance mode drops nothing") {
    CHECK(plan_slots({"node_1"}, have, {}, true).drop.empty());
  }
}

TEST_CASE("ignore_slots keeps the slots any of its entries matches", "[postgres][slots]") {
  std::vector<existing_slot> have = {{"unmanaged_0", false, false, "postgres", "test_decoding"},
                                     {"unmanaged_1", false, false, "postgres", "wal2json"},
                                     {"unmanaged_2", true, false, "", ""},
                                     {"dummy", false, false, "postgres", "test_decoding"}};
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
