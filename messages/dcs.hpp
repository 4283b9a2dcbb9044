// The dcs_session actor's vocabulary: the writes the HA decider asks for, what became of them,
// and the state of the session itself. The cluster snapshot it pushes is cluster_view.hpp.
#pragma once

#include <atomic>
#include <boost/describe.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "messages/cluster_view.hpp"
#include "messages/member.hpp"
#include "messages/wal.hpp"

namespace praetor {

enum class session_state {
  connecting,    // no session yet (start-up, or a new one after expiry)
  connected,     // the session is live: our ephemeral znodes exist
  disconnected,  // connection lost, the session may still live on the server
  expired        // the server ended the session: our ephemerals are gone
};
BOOST_DESCRIBE_ENUM(session_state, connecting, connected, disconnected, expired)

struct dcs_session_status {
  session_state state = session_state::connecting;
  std::int64_t session_id = 0;  // ZooKeeper session id; changes after an expiry
  std::int64_t since_ms = 0;    // wall clock when `state` was entered
  std::string detail;           // the last error, for the log
  // The session timeout the server granted (ZooKeeper caps the one asked for, ttl, between
  // its min and max session timeouts); 0 when unknown. The lock can pass this long after the
  // server last heard from us.
  std::int64_t timeout_ms = 0;
  // The order in which the DCS clients reported their statuses (next_status_seq()): the
  // decider hears them from the client's thread and copies with a new detail from dcs_session,
  // and CAF orders messages per sender only, so a copy of an older status can arrive last.
  std::uint64_t seq = 0;
  bool operator==(const dcs_session_status&) const = default;
};
BOOST_DESCRIBE_STRUCT(dcs_session_status, (),
                      (state, session_id, since_ms, detail, timeout_ms, seq))

// Process-wide, so that the statuses of a client that replaced another one count on.
inline std::uint64_t next_status_seq() {
  static std::atomic<std::uint64_t> last{0};
  return ++last;
}

// The leader in failsafe mode: <base>/failsafe := every member's api_url by name (its own
// too), written whenever it differs from the view's. Answered by a dcs_result.
struct write_failsafe {
  boost::json::object members;
  bool operator==(const write_failsafe&) const = default;
};
BOOST_DESCRIBE_STRUCT(write_failsafe, (), (members))

// Create <base>/initialize with "" if absent: the bootstrap race. Answered by a dcs_result.
struct race_initialize {
  bool operator==(const race_initialize&) const = default;
};
BOOST_DESCRIBE_STRUCT(race_initialize, (), ())

// Set <base>/initialize to the system identifier (create if missing).
struct write_initialize {
  std::string sysid;
  bool operator==(const write_initialize&) const = default;
};
BOOST_DESCRIBE_STRUCT(write_initialize, (), (sysid))

// Delete <base>/initialize after a failed bootstrap, so that another member may try.
struct cancel_initialize {
  bool operator==(const cancel_initialize&) const = default;
};
BOOST_DESCRIBE_STRUCT(cancel_initialize, (), ())

// Write <base>/config; version -1 writes unconditionally, else compare-and-set.
struct write_config {
  boost::json::object config;
  znode_version expected;
  bool operator==(const write_config&) const = default;
};
BOOST_DESCRIBE_STRUCT(write_config, (), (config, expected))

// Create the ephemeral <base>/leader holding our name. Answered by a dcs_result.
struct acquire_leader {
  bool operator==(const acquire_leader&) const = default;
};
BOOST_DESCRIBE_STRUCT(acquire_leader, (), ())

// The leader znode names us but belongs to an older session of ours: delete and re-create it.
struct refresh_leader {
  bool operator==(const refresh_leader&) const = default;
};
BOOST_DESCRIBE_STRUCT(refresh_leader, (), ())

// Give the lock up: write status with the final optime, then end the session.
struct release_leader {
  lsn last_optime;
  bool operator==(const release_leader&) const = default;
};
BOOST_DESCRIBE_STRUCT(release_leader, (), (last_optime))

// Create or update our ephemeral member record.
struct publish_member {
  member_record record;
  bool operator==(const publish_member&) const = default;
};
BOOST_DESCRIBE_STRUCT(publish_member, (), (record))

// Set <base>/status to {"optime": ...} (lock holder only).
struct publish_status {
  lsn optime;
  slot_positions slots;  // permanent logical slots' confirmed_flush_lsn; {} = none
  bool operator==(const publish_status&) const = default;
};
BOOST_DESCRIBE_STRUCT(publish_status, (), (optime, slots))

// Set <base>/failover to a switchover or failover request (REST POST /switchover and
// /failover, unconditionally as Patroni does), or to {} when the request is empty (DELETE
// /switchover, compare-and-set on `expected`; -1 = any version). The asker gets the dcs_result.
struct write_failover {
  failover_request request;
  znode_version expected;
  bool operator==(const write_failover&) const = default;
};
BOOST_DESCRIBE_STRUCT(write_failover, (), (request, expected))

// The decider is done with the request (acted on it, found it stale or impossible): set
// <base>/failover to {} if its version is still `expected` (-1 = any). Answered by a dcs_result.
struct clear_failover {
  znode_version expected;
  bool operator==(const clear_failover&) const = default;
};
BOOST_DESCRIBE_STRUCT(clear_failover, (), (expected))

// Set <base>/history (lock holder, after a promotion): Patroni's array of
// [parent timeline, switch LSN, reason, timestamp, new leader]. Answered by a dcs_result.
struct write_history {
  boost::json::array history;
  bool operator==(const write_history&) const = default;
};
BOOST_DESCRIBE_STRUCT(write_history, (), (history))

// Set <base>/sync (lock holder, synchronous mode): {"leader": leader, "sync_standby": the members
// joined, or null}; an empty leader writes {} (synchronous mode switched off). Compare-and-set on
// `expected` (-1: the node was missing, create it). Answered by a dcs_result.
struct write_sync {
  std::string leader;
  std::vector<std::string> members;
  znode_version expected;
  int quorum = -1;  // quorum commit: the "quorum" field; -1 leaves it out
  bool operator==(const write_sync&) const = default;
};
BOOST_DESCRIBE_STRUCT(write_sync, (), (leader, members, expected, quorum))

// Set <base>/config for the REST API: PATCH /config compare-and-sets on `expected`, PUT /config
// writes whatever is there (-1), creating a missing node. The asker gets a config_change_result.
struct change_config {
  boost::json::object config;
  znode_version expected;
  bool operator==(const change_config&) const = default;
};
BOOST_DESCRIBE_STRUCT(change_config, (), (config, expected))

// What became of a change_config: `conflict` when the node changed since it was read (HTTP 409),
// else `detail` names the failure.
struct config_change_result {
  bool ok = false;
  bool conflict = false;
  std::string detail;
  bool operator==(const config_change_result&) const = default;
};
BOOST_DESCRIBE_STRUCT(config_change_result, (), (ok, conflict, detail))

// What became of a write the decider asked for. `op` names the command
// ("race_initialize", "acquire_leader", ...); `ok` false with `detail` the reason.
struct dcs_result {
  std::string op;
  bool ok = false;
  std::string detail;
  bool operator==(const dcs_result&) const = default;
};
BOOST_DESCRIBE_STRUCT(dcs_result, (), (op, ok, detail))

}  // namespace praetor
