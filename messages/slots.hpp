// The slot_manager's vocabulary: the physical slots this instance should have, and what the
// manager did about it.
#pragma once

#include <boost/describe.hpp>
#include <string>
#include <vector>

namespace praetor {

// The complete desired set of physical replication slots; every other slot is dropped
// (when inactive). Sent by the decider whenever the set may have changed.
struct reconcile_slots {
  std::vector<std::string> physical;  // slot names, sorted
  bool operator==(const reconcile_slots&) const = default;
};
BOOST_DESCRIBE_STRUCT(reconcile_slots, (), (physical))

struct slot_report {
  std::vector<std::string> created;
  std::vector<std::string> dropped;
  std::vector<std::string> errors;  // one sentence per failure, naming the slot
  bool operator==(const slot_report&) const = default;
};
BOOST_DESCRIBE_STRUCT(slot_report, (), (created, dropped, errors))

// Patroni's slot name for a member: lower-case, '-' and '.' become '_', any other character
// outside [a-z0-9_] becomes 'u' + its code point in 4 decimal digits; at most 63 characters.
std::string slot_name_for_member(std::string_view member_name);

}  // namespace praetor
