// cluster_view: one consistent snapshot of the cluster as the DCS holds it (the znodes of
// docs/compatibility.md, "ZooKeeper layout and values", parsed). The dcs_session actor builds one
// after every watch event or write and pushes it to the HA decider; nothing else reads the DCS for
// decisions.
#pragma once

#include <boost/describe.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "messages/member.hpp"
#include "messages/slots.hpp"
#include "messages/wal.hpp"

namespace praetor {

// The holder of <base>/leader.
struct leader_lock {
  std::string name;                // the znode's value: the holder's member name
  std::int64_t owner_session = 0;  // ephemeralOwner, to tell our old session from the new one
  bool operator==(const leader_lock&) const = default;
};

// The <base>/failover request (switchover/failover), empty fields omitted in JSON.
struct failover_request {
  std::string leader;        // the current leader it applies to, optional
  std::string member;        // the candidate, optional
  std::string scheduled_at;  // ISO-8601 with timezone, optional
  znode_version version;     // for the CAS clear
  bool operator==(const failover_request&) const = default;
};

// <base>/sync: who may be promoted without losing a commit acknowledged in synchronous mode.
// The lock holder writes it by compare-and-set: names join it only once PostgreSQL counts them
// as synchronous, and leave it before PostgreSQL stops waiting for them.
struct sync_key {
  std::string leader;                // "" = empty ({}, missing or garbage)
  std::vector<std::string> members;  // sync_standby split on ','
  znode_version version;             // -1 when the znode is missing
  // Quorum commit (Patroni 4's "quorum" field): a candidate must hear from this many of the
  // members and the leader. 0 when the field is missing or garbage.
  int quorum = 0;
  bool empty() const { return leader.empty(); }
  // The leader or one of the members, case-insensitively (Patroni's SyncState.matches).
  bool matches(std::string_view name) const;
  // One of the members (not the leader), case-insensitively.
  bool names_standby(std::string_view name) const;
  bool operator==(const sync_key&) const = default;
};

struct cluster_view {
  // <base>/initialize: absent = nobody started a bootstrap; "" = a bootstrap is running;
  // otherwise the database system identifier.
  std::optional<std::string> initialize;
  // <base>/config, parsed; absent or unparseable = nullopt.
  std::optional<boost::json::object> config;
  znode_version config_version;
  std::optional<leader_lock> leader;
  std::vector<member_record> members;  // sorted by name
  lsn optime;                          // <base>/status "optime" (0 when missing or garbage)
  // <base>/status "slots": the confirmed_flush_lsn of each permanent logical slot on the
  // primary, which the replicas advance their copies to; entries that are no LSN are left out.
  slot_positions slots;
  std::optional<failover_request> failover;
  sync_key sync;
  boost::json::array history;  // <base>/history entries, [] when missing
  // <base>/failsafe: member name -> api_url, as the leader last wrote it in failsafe mode;
  // nullopt when missing or not a JSON object.
  std::optional<boost::json::object> failsafe;
  std::int64_t loaded_at_ms = 0;  // wall clock of the load, ms since the epoch

  const member_record* find_member(std::string_view name) const;
  const member_record* leader_member() const;
  bool operator==(const cluster_view&) const = default;
};

// A number of one line of <base>/history ([parent timeline, branch LSN, reason, time, new
// leader]; Patroni writes the first two as integers): nullopt when the line is not an array or
// the field is missing or not a non-negative integer.
std::optional<std::uint64_t> history_number(const boost::json::value& line, std::size_t i);

// Patroni's compact JSON of <base>/failover, and its reader (legacy "leader:candidate" too).
boost::json::object failover_to_json(const failover_request& f);
std::optional<failover_request> failover_from_znode(std::string_view data, znode_version version);

// Patroni's value of <base>/sync: {"leader":L,"sync_standby":"a,b"} with the names sorted, or
// null for none; an empty leader gives {} (synchronous mode off).
// `quorum` < 0 leaves the field out (Patroni 3.0.2's form).
std::string sync_to_znode(const std::string& leader, std::vector<std::string> members,
                          int quorum = -1);
// Reads it back; anything but an object with a string leader is the empty key.
sync_key sync_from_znode(std::string_view data, znode_version version);

// JSON forms for traces come from these descriptions through Boost.JSON.
BOOST_DESCRIBE_STRUCT(leader_lock, (), (name, owner_session))
BOOST_DESCRIBE_STRUCT(failover_request, (), (leader, member, scheduled_at, version))
BOOST_DESCRIBE_STRUCT(sync_key, (), (leader, members, version, quorum))
BOOST_DESCRIBE_STRUCT(cluster_view, (),
                      (initialize, config, config_version, leader, members, optime, slots, failover,
                       sync, history, failsafe, loaded_at_ms))

}  // namespace praetor
