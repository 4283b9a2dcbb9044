// The slot_manager's pure part: given the desired slots and the ones that exist, which to
// create, drop, advance or copy from the primary. No I/O; unit-tested.
#pragma once

#include <string>
#include <vector>

#include "messages/settings.hpp"
#include "messages/slots.hpp"

namespace praetor {

struct existing_slot {
  std::string name;
  bool physical = true;
  bool active = false;
  std::string database;  // logical slots
  std::string plugin;
  lsn confirmed_flush;  // logical slots
};

struct slot_plan {
  std::vector<std::string> create;           // desired physical slots that are missing
  std::vector<logical_slot> create_logical;  // a primary: desired logical slots that are missing
  std::vector<std::string> drop;             // inactive, and not desired or desired otherwise
  std::vector<logical_slot> advance;  // a replica: logical slots behind the primary's position
  std::vector<std::string> missing;   // a replica: logical slots to copy from the primary
  slot_positions confirmed;           // desired logical slots that exist as desired
};

// Whether an ignore_slots entry matches the slot: every field it gives equals the slot's.
bool matches(const slot_matcher& m, const existing_slot& slot);

// Patroni 3.0.2's sync_replication_slots. A slot that is not desired (physical or logical)
// goes once it is inactive, unless an ignore_slots entry matches it; in maintenance mode
// (`paused`) nothing undesired goes. A desired slot of another type, database or plugin goes
// too (when inactive) and comes back as desired. Active undesired slots are kept until they
// go idle. A primary creates its logical slots; a replica advances those it has to the
// primary's published position and lists those it lacks (when the primary published one).
slot_plan plan_slots(const reconcile_slots& desired, const std::vector<existing_slot>& existing,
                     const std::vector<slot_matcher>& ignore = {}, bool paused = false);

}  // namespace praetor
