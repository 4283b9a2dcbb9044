// Patroni's dynamic configuration cache: <data_dir>/patroni.dynamic.json holds the cluster's
// last known dynamic configuration, so that a member starting while ZooKeeper has no config
// key (or cannot be reached) uses the cluster's settings rather than its bootstrap.dcs, and a
// member that bootstraps or adopts a cluster writes them to the config key. Saved only once the
// data directory holds a cluster (an empty one must stay empty for a clone), atomically.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

namespace praetor::config {

std::string dynamic_cache_path(const std::string& data_dir);

// The cached configuration; nullopt when there is no readable JSON object there.
std::optional<boost::json::object> read_dynamic_cache(const std::string& data_dir);

// Writes it (temporary file, then rename) when the data directory holds a cluster (PG_VERSION):
// true when written; false with `error` when it could not be, false with no error when there is
// no cluster there yet.
bool save_dynamic_cache(const std::string& data_dir, const boost::json::object& dynamic,
                        std::string& error);

}  // namespace praetor::config
