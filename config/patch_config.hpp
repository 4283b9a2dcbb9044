// Patroni's patch_config: deep-merges one JSON object over another. Used for the directory
// form of the config file, for PATRONI_* environment overrides, and usable for a PATCH of the
// dynamic configuration. Pure function, any thread.
#pragma once

#include <boost/json/object.hpp>

namespace praetor::config {

// Merges `patch` into `target`: objects merge key by key, any other value replaces, and a null
// value removes the key (as in Patroni). Returns whether `target` changed.
bool patch_config(boost::json::object& target, const boost::json::object& patch);

}  // namespace praetor::config
