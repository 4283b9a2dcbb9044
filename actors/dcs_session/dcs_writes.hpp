// The writes the HA decider asks of the DCS, one function per command, over any dcs::client
// (docs/compatibility.md, "ZooKeeper layout and values"). Each returns the dcs_result the decider
// gets: `op` names the command, a failure's `detail` names the znode and the error. Called on the
// client's owner thread (the dcs_session actor); blocking.
#pragma once

#include <string>

#include "backends/dcs/dcs_client.hpp"
#include "backends/dcs/paths.hpp"
#include "messages/dcs.hpp"

namespace praetor {

struct write_context {
  dcs::client& client;
  const dcs::paths& paths;
  const std::string& member_name;
};

// Create initialize = "" if absent; ok = we won the race.
dcs_result apply(write_context& w, const race_initialize& m);
// Set initialize = sysid, creating it when missing.
dcs_result apply(write_context& w, const write_initialize& m);
// Delete initialize (missing is fine).
dcs_result apply(write_context& w, const cancel_initialize& m);
// CAS on config with m.expected, or unconditional for -1 (creating a missing node only then).
dcs_result apply(write_context& w, const write_config& m);
// The same for the REST API, which must tell a lost compare-and-set (409) from a failure.
config_change_result apply(write_context& w, const change_config& m);
// Create the ephemeral leader znode holding our name; ok = we hold the lock.
dcs_result apply(write_context& w, const acquire_leader& m);
// Keep the lock: when leader names us but belongs to another session, delete and re-create it;
// when it is missing, create it; when it names someone else, fail.
dcs_result apply(write_context& w, const refresh_leader& m);
// Write status with the last optime, then restart the session (the server removes leader and
// our member record).
dcs_result apply(write_context& w, const release_leader& m);
// Member record upkeep (1.6): delete first when needed, create when missing, else set.
dcs_result apply(write_context& w, const publish_member& m);
// Set status = {"optime":N}, creating it when missing.
dcs_result apply(write_context& w, const publish_status& m);

// Set failover to the request's JSON ({} for an empty request), CAS on m.expected (-1: any),
// creating a missing node only for -1.
dcs_result apply(write_context& w, const write_failover& m);
// Set failover to {} if its version is m.expected; a missing node is already clear.
dcs_result apply(write_context& w, const clear_failover& m);

// Set history to the array, creating it when missing.
dcs_result apply(write_context& w, const write_history& m);
// Set failsafe to the members' object, creating it when missing (as Patroni: no CAS).
dcs_result apply(write_context& w, const write_failsafe& m);

// Set sync to Patroni's value, CAS on m.expected (-1: create it, failing if it appeared).
dcs_result apply(write_context& w, const write_sync& m);

// {"optime":N} with "slots":{name:N,...} when there are any, compact.
std::string status_value(lsn optime, const slot_positions& slots = {});

}  // namespace praetor
