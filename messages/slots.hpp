// The slot_manager's vocabulary: the replication slots this instance should have, and what the
// manager did about it.
#pragma once

#include <boost/describe.hpp>
#include <boost/json/fwd.hpp>
#include <map>
#include <string>
#include <vector>

#include "messages/wal.hpp"

namespace praetor {

// Slot name -> position, as Patroni sends them (in <base>/status and POST /failsafe): {"name":
// LSN as an integer}.
using slot_positions = std::map<std::string, lsn>;

// One entry of the dynamic configuration's `slots` (permanent slots), as validated: a
// physical slot, or a logical one with its database and output plugin.
struct permanent_slot {
  std::string name;
  std::string type = "physical";  // physical | logical
  std::string database;           // logical only
  std::string plugin;             // logical only
  bool operator==(const permanent_slot&) const = default;
};
BOOST_DESCRIBE_STRUCT(permanent_slot, (), (name, type, database, plugin))

// A permanent logical slot this instance should have. On a replica, `advance_to` is the
// confirmed_flush_lsn the primary published for it (0 = none yet): the replica's copy is
// moved up to it, so that it can serve its consumers where the primary left off after a
// failover.
struct logical_slot {
  std::string name;
  std::string database;
  std::string plugin;
  lsn advance_to;
  bool operator==(const logical_slot&) const = default;
};
BOOST_DESCRIBE_STRUCT(logical_slot, (), (name, database, plugin, advance_to))

// The complete desired set of replication slots; every other slot is dropped (when inactive,
// unless ignore_slots matches it), and so is one whose type, database or plugin changed.
// Sent by the decider whenever the set may have changed. A primary creates the missing logical
// slots; a replica cannot (PostgreSQL decodes nothing in recovery), it reports them missing
// and copies them from the primary.
struct reconcile_slots {
  std::vector<std::string> physical;  // slot names, sorted
  std::vector<logical_slot> logical;  // sorted by name
  bool primary = false;
  bool operator==(const reconcile_slots&) const = default;
};
BOOST_DESCRIBE_STRUCT(reconcile_slots, (), (physical, logical, primary))

struct slot_report {
  std::vector<std::string> created;
  std::vector<std::string> dropped;
  std::vector<std::string> errors;  // one sentence per failure, naming the slot
  // The desired logical slots that exist here, with their confirmed_flush_lsn (the primary
  // publishes them in <base>/status "slots").
  slot_positions confirmed;
  // A replica: desired logical slots it lacks, or whose WAL is gone, that the primary published
  // a position for: to be copied from the primary.
  std::vector<std::string> missing;
  bool operator==(const slot_report&) const = default;
};
BOOST_DESCRIBE_STRUCT(slot_report, (), (created, dropped, errors, confirmed, missing))

// Patroni's slot name for a member: lower-case, '-' and '.' become '_', any other character
// outside [a-z0-9_] becomes 'u' + its code point in 4 decimal digits; at most 63 characters.
std::string slot_name_for_member(std::string_view member_name);

// Reading skips entries that are no such integer; anything but an object is {}.
boost::json::object slot_positions_to_json(const slot_positions& p);
slot_positions slot_positions_from_json(const boost::json::value* v);

// What PostgreSQL accepts as a slot name: 1 to 63 of [a-z0-9_].
bool valid_slot_name(std::string_view name);

}  // namespace praetor
