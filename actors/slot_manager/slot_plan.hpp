// The slot_manager's pure part: given the desired physical slots and the ones that exist,
// which to create and which to drop. No I/O; unit-tested.
#pragma once

#include <string>
#include <vector>

namespace praetor {

struct existing_slot {
  std::string name;
  bool physical = true;
  bool active = false;
};

struct slot_plan {
  std::vector<std::string> create;  // desired, missing
  std::vector<std::string> drop;    // physical, not desired, inactive
};

// Logical slots are never touched; active undesired slots are kept until they go idle.
slot_plan plan_slots(const std::vector<std::string>& desired,
                     const std::vector<existing_slot>& existing);

}  // namespace praetor
