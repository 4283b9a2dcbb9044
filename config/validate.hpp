// Checks a node's configuration and reports every problem with its key path, sorted by path
// (print each as `path: message`). Touches the file system read-only (data_dir, bin_dir);
// otherwise pure. Any thread.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/config_error.hpp"
#include "config/node_config.hpp"

namespace praetor::config {

// Missing required keys (scope, name, restapi.listen, restapi.connect_address, zookeeper.hosts,
// postgresql.listen, postgresql.connect_address, postgresql.data_dir,
// postgresql.authentication.superuser.username, ...replication.username), wrongly typed
// values, malformed host:port, bootstrap.dcs (see validate_dynamic), an unusable data_dir,
// a bin_dir without postgres/initdb, refused initdb/basebackup options. Unknown keys are
// only logged (warn), as Patroni ignores them.
std::vector<config_error> validate(const node_config& config);

// A dynamic configuration (bootstrap.dcs, or a new value for the `config` znode): types of the
// known keys, ttl/loop_wait/retry_timeout positive. Paths start with `prefix` ("bootstrap.dcs",
// or "" for the znode). The timing rule is not an error (Patroni accepts any timing): see
// timing_warning.
std::vector<config_error> validate_dynamic(const boost::json::object& dynamic,
                                           const std::string& prefix);

// When loop_wait + 2*retry_timeout > ttl on defaults <- `dynamic`: the values the daemon will
// use instead (enforce_timing_rule's sentence), at `prefix`.retry_timeout. The stored values
// stay as written. Nothing when the rule holds or a value is unreadable (an error then).
std::optional<config_error> timing_warning(const boost::json::object& dynamic,
                                           const std::string& prefix);

// What a valid configuration may still want said: the timing rule of bootstrap.dcs, and a
// boolean tag written as a quoted "false" (true, as in Patroni).
std::vector<config_error> warnings(const node_config& config);

}  // namespace praetor::config
