// The slot_manager's pure part: given the desired physical slots and the ones that exist,
// which to create and which to drop. No I/O; unit-tested.
#pragma once

#include <string>
#include <vector>

#include "messages/settings.hpp"

namespace praetor {

struct existing_slot {
  std::string name;
  bool physical = true;
  bool active = false;
  std::string database;  // logical slots
  std::string plugin;
};

struct slot_plan {
  std::vector<std::string> create;  // desired physical slots that are missing
  std::vector<std::string> drop;    // not desired, not ignored, inactive
};

// Whether an ignore_slots entry matches the slot: every field it gives equals the slot's.
bool matches(const slot_matcher& m, const existing_slot& slot);

// Patroni's _drop_incorrect_slots: a slot that is not desired (physical or logical) goes once
// it is inactive, unless an ignore_slots entry matches it; in maintenance mode (`paused`)
// nothing goes. Active undesired slots are kept until they go idle.
slot_plan plan_slots(const std::vector<std::string>& desired,
                     const std::vector<existing_slot>& existing,
                     const std::vector<slot_matcher>& ignore = {}, bool paused = false);

}  // namespace praetor
