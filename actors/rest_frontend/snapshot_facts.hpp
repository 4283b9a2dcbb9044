// Facts the REST answers derive from a node_snapshot, each in one place so that the health
// checks, GET /patroni and GET /cluster agree. Pure; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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

// Patroni's Cluster.is_synchronous_mode(): `synchronous_mode` in the dynamic configuration,
// read as Patroni's check_mode does, with parse_bool (true, "on", "yes", 1, any case).
bool is_synchronous_mode(const cluster_view& v);
// `synchronous_mode: quorum` (Patroni 4's quorum commit).
bool is_quorum_commit_mode(const cluster_view& v);

// The sync key of `v` names `name` as a standby: Python's `name in cluster.sync.members`, an
// exact comparison (the leader of the key does not count).
bool named_sync_standby(const cluster_view& v, std::string_view name);

// Patroni's `sync_standby` of GET /patroni, which the /sync, /async and /read-only-sync health
// checks and the patroni_sync_standby metric read too: PostgreSQL answers queries, the reported
// role is "replica", and the fresh view (fresh_view, Patroni's `dcs.cluster`) is in
// synchronous mode (not quorum commit) with a sync key naming this member.
bool is_sync_standby(const node_snapshot& s, std::int64_t now_ms);
// The same in quorum commit mode: Patroni 4's `quorum_standby` (/quorum, /read-only-quorum).
bool is_quorum_standby(const node_snapshot& s, std::int64_t now_ms);

// The member carries a truthy `noloadbalance` tag.
bool has_noloadbalance(const node_snapshot& s);

}  // namespace praetor::rest
