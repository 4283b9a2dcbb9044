// The settings each resource-owning actor is spawned with (messages/settings.hpp,
// messages/ha.hpp), built from a node's configuration and an effective_dynamic() result.
// Assumes validate() passed: malformed values give defaults here, not errors.
// Pure functions, any thread.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "config/node_config.hpp"
#include "messages/ha.hpp"
#include "messages/settings.hpp"

namespace praetor::config {

// "/" + namespace + "/" + scope with runs of '/' collapsed, no trailing '/':
// ("/service/", "batman") -> "/service/batman".
std::string dcs_base_path(const std::string& dcs_namespace, const std::string& scope);

// parameters = effective_parameters(dynamic, local) plus the forced listen_addresses, port
// and cluster_name; use_slots and loop_wait from `dynamic`.
postgres_settings to_postgres_settings(const node_config& config,
                                       const boost::json::object& dynamic);

// hosts from zookeeper.hosts; ttl/loop_wait/retry_timeout from `dynamic`.
dcs_settings to_dcs_settings(const node_config& config, const boost::json::object& dynamic);

// listen host kept as written ("*" and "" mean all addresses; the REST front end decides how
// to bind them).
rest_settings to_rest_settings(const node_config& config);

// conn_url "postgres://<postgresql.connect_address>/<database>", api_url
// "http(s)://<restapi.connect_address>/patroni", tags without false nofailover /
// noloadbalance / clonefrom / nosync, can_bootstrap = a bootstrap section exists.
ha_settings to_ha_settings(const node_config& config, const boost::json::object& dynamic);

// All of the above that follow the dynamic configuration, for the `config` znode's value
// (nullopt or {} = not written yet: bootstrap.dcs stands in, as in Patroni).
node_settings to_node_settings(const node_config& config,
                               const std::optional<boost::json::object>& from_dcs);

}  // namespace praetor::config
