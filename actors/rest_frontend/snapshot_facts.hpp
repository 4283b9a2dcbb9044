// Facts the REST answers derive from a node_snapshot, each in one place so that the health
// checks, GET /patroni and GET /cluster agree. Pure; any thread.
#pragma once

#include <cstdint>
#include <string>

#include "messages/cluster_flags.hpp"
#include "messages/rest.hpp"

namespace praetor::rest {

// The role Patroni 3.0.2 reports: "master" for a primary, "replica", "standby_leader" for the
// lock-holding replica of a standby cluster; when the role is unknown, "uninitialized" (empty
// data directory) or "replica".
std::string reported_role(const node_snapshot& s);

// The state GET /patroni reports: pg.state, except "unknown" for a postmaster that is running
// but whose status we cannot read (role unknown), as Patroni does when its query fails.
std::string reported_state(const pg_status& pg);

// Whether PostgreSQL is up enough to answer the status query (Patroni queries it in the states
// running, restarting and starting). When false, GET /patroni is the short {state, role} form.
bool pg_answers_queries(const pg_status& pg);

// Patroni's `dcs.cluster`: the view, but only while it was known current (dcs_last_seen)
// less than ttl ago. Null otherwise.
const cluster_view* fresh_view(const node_snapshot& s, std::int64_t now_ms);

// `pause: true` in the dynamic configuration of the latest view (of any age, as Patroni's HA
// object keeps its last cluster).
bool is_paused(const node_snapshot& s);

// The dynamic configuration has a standby_cluster section with host, port or restore_command.
bool is_standby_cluster(const node_snapshot& s);

// The member carries a truthy `noloadbalance` tag.
bool has_noloadbalance(const node_snapshot& s);

}  // namespace praetor::rest
