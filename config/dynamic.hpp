// The dynamic configuration (the `config` znode, docs/compatibility.md, "Dynamic configuration")
// with Patroni 3.0.2's defaults, and the PostgreSQL parameters Patroni forces or validates
// (docs/compatibility.md, "Dynamic configuration"). Reading follows Patroni's
// _safe_copy_dynamic_configuration: only known keys are taken, numbers are read as integers and
// mode flags as booleans (true/on/yes/1); a value that cannot be read keeps its default (and is
// logged). Pure functions (apart from that log line), any thread.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/node_config.hpp"

namespace praetor::config {

// {ttl: 30, loop_wait: 10, retry_timeout: 10, maximum_lag_on_failover: 1048576, ...,
//  postgresql: {use_slots: true, parameters: default_postgresql_parameters()}}.
boost::json::object dynamic_defaults();

// Patroni's defaults: max_connections 100, max_wal_senders 10, wal_level replica, hot_standby on,
// wal_keep_size 128MB, max_replication_slots 10, max_worker_processes 8, wal_log_hints on,
// max_locks_per_transaction 64, max_prepared_transactions 0, track_commit_timestamp off.
boost::json::object default_postgresql_parameters();

// Whether `name` (any case) is one of Patroni's command-line parameters, which only the dynamic
// configuration may set (listen_addresses, port, cluster_name, wal_level, hot_standby, ...).
bool is_command_line_parameter(const std::string& name);

// Whether the dynamic configuration may set command-line parameter `name` to `value`
// (e.g. max_connections >= 25). Forced ones (listen_addresses, port, cluster_name,
// hot_standby, wal_log_hints) are never accepted. Other parameter names are always accepted.
bool dynamic_parameter_accepted(const std::string& name, const boost::json::value& value);

// defaults <- `dynamic`, read Patroni-style (see above), then enforce_timing_rule() (logged).
boost::json::object effective_dynamic(const boost::json::object& dynamic);

// Makes loop_wait + 2*retry_timeout <= ttl hold, so that a primary that cannot reach the DCS
// demotes before its lock can expire: retry_timeout becomes (ttl - loop_wait) / 2 (at least 1),
// and loop_wait is lowered only when even that does not fit. Patroni 3.0.2 accepts such values
// without a word; the stored configuration stays what the user wrote, only the daemon uses
// these. Returns the warning sentence when it changed something. `dynamic` must hold integer
// ttl, loop_wait and retry_timeout where present (an effective_dynamic result).
std::optional<std::string> enforce_timing_rule(boost::json::object& dynamic);

// defaults <- (the `config` znode's value if present and not empty, else bootstrap.dcs). What
// the znode asks for that praetor does not carry out (unsupported_dynamic) is logged as errors.
boost::json::object effective_dynamic(const std::optional<boost::json::object>& from_dcs,
                                      const node_config& config);

// Effective postgresql.parameters: Patroni's defaults <- dynamic postgresql.parameters <- local
// postgresql.parameters without the command-line ones (only dynamic may set those).
// `dynamic` is an effective_dynamic() result.
boost::json::object effective_parameters(const boost::json::object& dynamic,
                                         const boost::json::object& local_parameters);

}  // namespace praetor::config
