#include <catch2/catch.hpp>

#include "actors/slot_manager/slot_plan.hpp"

using namespace praetor;

TEST_CASE("slot plan creates missing and drops inactive unwanted physical slots",
          "[postgres][slots]") {
  std::vector<existing_slot> have = {{"node_1", true, true},   // wanted, exists
                                     {"old_idle", true, false},  // unwanted, idle -> drop
                                     {"old_busy", true, true},   // unwanted, active -> keep
                                     {"logical_x", false, false}};  // logical -> never touched
  auto plan = plan_slots({"node_1", "node_3"}, have);
  CHECK(plan.create == std::vector<std::string>{"node_3"});
  CHECK(plan.drop == std::vector<std::string>{"old_idle"});
}
