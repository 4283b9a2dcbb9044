// The postgres_supervisor's vocabulary: the commands it takes (each a long or short action on
// the local instance) and the pg_status it reports after every change and every heartbeat.
#pragma once

#include <boost/describe.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "messages/member.hpp"
#include "messages/slots.hpp"
#include "messages/wal.hpp"

namespace praetor {

enum class pg_role { unknown, primary, replica };

// One walsender, from pg_stat_replication on this instance.
struct replication_row {
  std::string usename;
  std::string application_name;
  std::string client_addr;
  std::string state;       // streaming, catchup, ...
  std::string sync_state;  // async, sync, potential, quorum
  int sync_priority = 0;
  int pid = 0;  // the walsender's
  // How far the standby has written, flushed and replayed; 0 when PostgreSQL reports none.
  lsn write_lsn;
  lsn flush_lsn;
  lsn replay_lsn;
  bool operator==(const replication_row&) const = default;
};

// One line of a timeline history file (pg_wal/<TL>.history): the parent timeline, where the
// child branched off, and PostgreSQL's reason text.
struct timeline_switch {
  timeline parent;
  lsn switchpoint;
  std::string reason;
  bool operator==(const timeline_switch&) const = default;
};

struct pg_status {
  // Patroni's PostgreSQL state: stopped, starting, running, stopping, crashed,
  // "initializing new cluster", "initdb failed", "creating replica", "start failed", ...
  std::string state = "stopped";
  pg_role role = pg_role::unknown;
  bool data_dir_empty = true;  // no PG_VERSION in the data directory
  std::string sysid;           // Database system identifier, "" when unknown
  timeline tl;
  lsn wal_position;        // primary: pg_current_wal_lsn(); replica: max(received, replayed)
  lsn received_location;   // replica only
  lsn replayed_location;   // replica only
  bool streaming = false;  // replica: a WAL receiver is streaming
  std::string upstream;    // replica: host:port the WAL receiver connects to, from config
  std::int64_t postmaster_start_ms = 0;      // 0 when not running
  int server_version = 0;                    // e.g. 150002
  std::vector<replication_row> replication;  // primary: pg_stat_replication
  // The settings synchronous replication reads (current_setting on the running instance).
  std::string synchronous_standby_names;
  std::string synchronous_commit;
  // The long action running now ("bootstrap", "clone", "start", "stop", "follow"), "" if none.
  std::string action;
  // The sequence number of the last command the supervisor accepted, so that the decider can
  // tell a command it sent from one the supervisor has already taken up.
  std::uint64_t accepted_seq = 0;
  std::string last_error;  // what the last failed action said, "" after a success
  // "Latest checkpoint location" from pg_controldata after our last stop or demote, when it
  // said "shut down" (a clean shutdown checkpoint, the last WAL a switchover candidate must
  // have received); 0 when unknown or the stop was not clean.
  lsn shutdown_checkpoint;
  // Primary on a timeline above 1: the lines of its timeline history file and the file's
  // modification time (when the promotion happened), for the DCS history key.
  std::vector<timeline_switch> history;
  std::int64_t history_mtime_ms = 0;
  // Some parameter changed in the configuration files needs a restart to take effect
  // (pg_settings.pending_restart after the last reload).
  bool pending_restart = false;
  // A restart waiting for its time (POST /restart with a schedule), in Patroni's member-record
  // form: {"schedule": ISO time, "postmaster_start_time": ..., and the request's filters};
  // empty when none is scheduled.
  boost::json::object scheduled_restart;
  // watchdog.mode is required and the kernel watchdog cannot be used (no writable device, a
  // ttl too short for loop_wait, or its activation failed): this member must not lead.
  // Patroni's watchdog_failed in GET /patroni.
  bool watchdog_failed = false;
  // The timeline of pg_control's latest checkpoint (0: unknown). A primary whose checkpoint is
  // still on the timeline before its promotion cannot be a pg_rewind source yet.
  timeline checkpoint_tl;
  bool operator==(const pg_status&) const = default;
};

// Synchronous mode (the lock holder): the value synchronous_standby_names must have, written to
// postgresql.conf and reloaded at once; kept across restarts of the postmaster. nullopt gives
// the parameter back to the configuration (synchronous mode switched off).
struct set_synchronous_standby_names {
  std::optional<std::string> value;
  bool operator==(const set_synchronous_standby_names&) const = default;
};

// The lock holder's lease (the decider's shell, whenever it confirms the lock): the fence guard
// stops PostgreSQL unless the lease is renewed within `ms`, and the kernel watchdog, when one is
// armed, is renewed with it; 0 ends the lease and disarms the watchdog (not the leader, or
// maintenance mode).
struct fence_lease {
  std::int64_t ms = 0;
  bool operator==(const fence_lease&) const = default;
};

// How to reach the member to clone from or follow.
struct upstream_member {
  std::string name;  // member name (the slot on the upstream is named after *us*)
  std::string host;
  int port = 0;
  // The primary of another cluster a standby cluster replicates from (standby_cluster): no
  // member of ours, so its slot is the configured primary_slot_name ("" = none), and only a
  // writable server will do (target_session_attrs=read-write).
  bool remote = false;
  std::string remote_slot;
  bool operator==(const upstream_member&) const = default;
};

// initdb with bootstrap.initdb options, pg_hba, start as primary, create the roles.
struct bootstrap_postgres {
  std::uint64_t seq = 0;
  bool operator==(const bootstrap_postgres&) const = default;
};
// After a failed bootstrap, as Patroni's cancel_initialization: stop PostgreSQL at once and
// move the data directory the bootstrap made aside (<data_dir>_<YYYY-MM-DD-HH-MM-SS>), so that
// the next start begins from nothing and no half-made cluster is ever started.
struct abandon_bootstrap {
  std::uint64_t seq = 0;
  bool operator==(const abandon_bootstrap&) const = default;
};
// pg_basebackup from the given member, then start as its replica.
struct clone_postgres {
  std::uint64_t seq = 0;
  upstream_member source;
  bool operator==(const clone_postgres&) const = default;
};
// Start the postmaster on existing data: as a replica of `upstream` (empty host = no upstream
// yet) or, when as_primary, out of recovery.
struct start_postgres {
  std::uint64_t seq = 0;
  bool as_primary = false;
  upstream_member upstream;
  bool operator==(const start_postgres&) const = default;
};
// Re-point a running replica at a new upstream (reload). `standby_leader`: this member holds
// the lock of a standby cluster and follows the remote primary; becoming one runs the
// on_role_change callback with the role standby_leader.
struct follow_upstream {
  std::uint64_t seq = 0;
  upstream_member upstream;
  bool standby_leader = false;
  bool operator==(const follow_upstream&) const = default;
};
enum class stop_mode { smart, fast, immediate };
struct stop_postgres {
  std::uint64_t seq = 0;
  stop_mode mode = stop_mode::fast;
  bool operator==(const stop_postgres&) const = default;
};

// Promote a running replica to primary (the lock holder asks), and report once it is out of
// recovery.
struct promote_postgres {
  std::uint64_t seq = 0;
  // A switchover: the old leader's shutdown checkpoint. The replica promotes once it has
  // received WAL up to there (waiting a few seconds at most), so that nothing the old leader
  // acknowledged is lost. 0 = promote at once.
  lsn received_at_least;
  bool operator==(const promote_postgres&) const = default;
};

// What may be done to data whose timeline diverged from the upstream's (the postgresql
// section's keys of the same names): pg_rewind it, and re-clone it when rewinding fails or when
// it is off. With none allowed the member stays stopped and says why.
struct divergence_policy {
  bool use_pg_rewind = false;
  bool remove_data_directory_on_rewind_failure = false;
  bool remove_data_directory_on_diverged_timelines = false;
  bool operator==(const divergence_policy&) const = default;
};

// Patroni's demote modes (docs/architecture.md, "The main scenarios, room by room"): how to stop,
// and whether a CHECKPOINT comes first. After the stop PostgreSQL starts again as a replica of
// `upstream` (empty host = no upstream yet), except after `graceful` (a switchover): it stays
// stopped, so that the decider can release the lock with the shutdown checkpoint before the new
// leader is known. With an upstream, the stopped data is checked against it first, as a rejoin
// does: a primary that lost its lock may have written what the new leader never received.
enum class demote_mode { offline, graceful, immediate, immediate_nolock };
struct demote_postgres {
  std::uint64_t seq = 0;
  demote_mode mode = demote_mode::graceful;
  upstream_member upstream;
  divergence_policy policy;
  bool operator==(const demote_postgres&) const = default;
};

// Bring a former primary (or a replica on an old timeline) back as a replica of `upstream`:
// check for divergence against it, then pg_rewind or re-clone it as `policy` allows, and start
// following it. A running PostgreSQL is refused unless `stop_first` (a running replica the
// decider found diverged): it is then stopped (fast) before the check.
struct rejoin_postgres {
  std::uint64_t seq = 0;
  upstream_member upstream;
  divergence_policy policy;
  bool stop_first = false;
  bool operator==(const rejoin_postgres&) const = default;
};

// A replica lacks permanent logical slots the primary has: read their state files from
// `upstream` (pg_read_binary_file, as the rewind user), stop PostgreSQL, put them into
// pg_replslot and start again (PostgreSQL reads slots only at start). The slot_manager then
// keeps them advanced. Patroni 3.0.2's copy_logical_slots.
struct copy_logical_slots {
  std::uint64_t seq = 0;
  upstream_member upstream;
  std::vector<logical_slot> slots;  // as configured: a slot of another database or plugin stays
  bool operator==(const copy_logical_slots&) const = default;
};

// An operator's re-clone of this replica (POST /reinitialize): stop immediately, empty the
// data directory, pg_basebackup from `source`, start as its replica. `force` cancels an
// action still running instead of refusing.
struct reinitialize_postgres {
  std::uint64_t seq = 0;
  upstream_member source;
  bool force = false;
  bool operator==(const reinitialize_postgres&) const = default;
};

// A restart's filters (POST /restart, docs/compatibility.md, "REST API"), checked against the
// running instance when the restart is due, as Patroni's restart_matches.
struct restart_conditions {
  std::string role;           // "primary" or "replica"; "" = either
  int below_version = 0;      // only while server_version_num is lower; 0 = any
  bool only_pending = false;  // only while pending_restart is set
  bool operator==(const restart_conditions&) const = default;
};

// An operator's restart (POST /restart): stop fast, start again in the same role, now or at
// `at_ms`. Not a decider command (no seq): the decider sees it as the action "restart" in
// pg_status, and a scheduled one in pg_status.scheduled_restart.
struct restart_postgres {
  restart_conditions conditions;
  std::int64_t at_ms = 0;         // ms since the epoch; 0 = now
  boost::json::object published;  // scheduled: what pg_status.scheduled_restart shows
  bool operator==(const restart_postgres&) const = default;
};
enum class restart_outcome { restarted, refused, failed, scheduled, already_scheduled };
// The answer: once PostgreSQL runs again, when the restart was refused or failed, or at once
// for a scheduled restart.
struct restart_result {
  restart_outcome outcome = restart_outcome::failed;
  std::string detail;  // why, for refused and failed (Patroni's words where it has them)
  bool operator==(const restart_result&) const = default;
};
// DELETE /restart: drop the scheduled restart; the answer says whether there was one.
struct cancel_scheduled_restart {
  bool operator==(const cancel_scheduled_restart&) const = default;
};
// GET /patroni: the status read from PostgreSQL now, as Patroni's handler reads it. A peer
// judging whether this member may take over compares WAL positions, which the heartbeat's
// snapshot may show a loop_wait late.
struct pg_status_request {
  bool operator==(const pg_status_request&) const = default;
};

// JSON forms (traces, REST) come from these descriptions through Boost.JSON.
BOOST_DESCRIBE_ENUM(pg_role, unknown, primary, replica)
BOOST_DESCRIBE_ENUM(stop_mode, smart, fast, immediate)
BOOST_DESCRIBE_STRUCT(timeline_switch, (), (parent, switchpoint, reason))
BOOST_DESCRIBE_STRUCT(replication_row, (),
                      (usename, application_name, client_addr, state, sync_state, sync_priority,
                       pid, write_lsn, flush_lsn, replay_lsn))
BOOST_DESCRIBE_STRUCT(pg_status, (),
                      (state, role, data_dir_empty, sysid, tl, wal_position, received_location,
                       replayed_location, streaming, upstream, postmaster_start_ms, server_version,
                       replication, synchronous_standby_names, synchronous_commit, action,
                       accepted_seq, last_error, shutdown_checkpoint, history, history_mtime_ms,
                       pending_restart, scheduled_restart, watchdog_failed, checkpoint_tl))
BOOST_DESCRIBE_STRUCT(upstream_member, (), (name, host, port, remote, remote_slot))
BOOST_DESCRIBE_STRUCT(set_synchronous_standby_names, (), (value))
BOOST_DESCRIBE_STRUCT(restart_conditions, (), (role, below_version, only_pending))
BOOST_DESCRIBE_STRUCT(restart_postgres, (), (conditions, at_ms, published))
BOOST_DESCRIBE_ENUM(restart_outcome, restarted, refused, failed, scheduled, already_scheduled)
BOOST_DESCRIBE_STRUCT(restart_result, (), (outcome, detail))
BOOST_DESCRIBE_STRUCT(cancel_scheduled_restart, (), ())
BOOST_DESCRIBE_STRUCT(pg_status_request, (), ())
BOOST_DESCRIBE_STRUCT(reinitialize_postgres, (), (seq, source, force))
BOOST_DESCRIBE_STRUCT(bootstrap_postgres, (), (seq))
BOOST_DESCRIBE_STRUCT(abandon_bootstrap, (), (seq))
BOOST_DESCRIBE_STRUCT(clone_postgres, (), (seq, source))
BOOST_DESCRIBE_STRUCT(start_postgres, (), (seq, as_primary, upstream))
BOOST_DESCRIBE_STRUCT(follow_upstream, (), (seq, upstream, standby_leader))
BOOST_DESCRIBE_STRUCT(stop_postgres, (), (seq, mode))
BOOST_DESCRIBE_ENUM(demote_mode, offline, graceful, immediate, immediate_nolock)
BOOST_DESCRIBE_STRUCT(promote_postgres, (), (seq, received_at_least))
BOOST_DESCRIBE_STRUCT(divergence_policy, (),
                      (use_pg_rewind, remove_data_directory_on_rewind_failure,
                       remove_data_directory_on_diverged_timelines))
BOOST_DESCRIBE_STRUCT(demote_postgres, (), (seq, mode, upstream, policy))
BOOST_DESCRIBE_STRUCT(rejoin_postgres, (), (seq, upstream, policy, stop_first))
BOOST_DESCRIBE_STRUCT(copy_logical_slots, (), (seq, upstream, slots))

}  // namespace praetor
