// The dynamic configuration's `slots` (permanent replication slots), read as Patroni 3.0.2 reads
// them: a null or empty value is a physical slot; a map without `type` is logical when it names
// a database and a plugin, physical otherwise.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "config/config_error.hpp"
#include "messages/slots.hpp"

namespace praetor::config {

struct permanent_slots_read {
  std::vector<permanent_slot> slots;  // the usable entries, sorted by name
  std::vector<config_error> errors;   // one per entry left out, naming the slot
};

// `prefix` goes before "slots" in the errors' paths.
permanent_slots_read read_permanent_slots(const boost::json::object& dynamic,
                                          const std::string& prefix = "");

}  // namespace praetor::config
