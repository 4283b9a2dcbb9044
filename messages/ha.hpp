// The HA decider's values: what decide() reads (ha_inputs), what it returns (decision), and the
// events that change its inputs. All plain values with JSON forms, so that a trace of events
// can be replayed through decide() without an actor system (see actors/ha/).
#pragma once

#include <boost/describe.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "messages/cluster_view.hpp"
#include "messages/dcs.hpp"
#include "messages/peers.hpp"
#include "messages/pg.hpp"
#include "messages/slots.hpp"

namespace praetor {

// The dynamic standby_cluster section: this cluster replicates from the primary of another one
// (Patroni's standby cluster). Present only when it names a host, a port or a restore_command.
struct standby_cluster_config {
  std::string host;
  int port = 5432;
  std::string primary_slot_name;  // the slot on the remote primary; "" = none
  bool operator==(const standby_cluster_config&) const = default;
};
BOOST_DESCRIBE_STRUCT(standby_cluster_config, (), (host, port, primary_slot_name))

// The part of the effective configuration decide() needs. Built by config/.
struct ha_settings {
  std::string name;                                // this member's name
  std::string scope;                               // cluster name
  int ttl = 30;                                    // s
  int loop_wait = 10;                              // s
  int retry_timeout = 10;                          // s
  std::int64_t maximum_lag_on_failover = 1048576;  // bytes
  bool use_slots = true;
  std::vector<permanent_slot> permanent_slots;  // the dynamic `slots`, sorted by name
  // s the lock holder keeps the slot of a member whose key went (Patroni 4's member_slots_ttl,
  // default 30 min; 0 = dropped at once, as Patroni 3.0.2)
  int member_slots_ttl = 1800;
  bool nofailover = false;    // tags.nofailover
  bool can_bootstrap = true;  // a bootstrap section exists (may win the initialize race)
  // A replica method needs no member to clone from (no_leader): a member without data may
  // create itself while the cluster has no leader.
  bool can_clone_without_leader = false;
  divergence_policy divergence;       // what may be done to data that diverged from the leader's
  int primary_start_timeout = 300;    // s a crashed primary holding the lock may take to start
  bool check_timeline = false;        // a member behind the cluster's timeline may not take over
  int failover_priority = 1;          // tags.failover_priority: equal WAL goes to the higher
  boost::json::object bootstrap_dcs;  // written to <base>/config by the bootstrap winner
  std::string conn_url;               // for our member record
  std::string api_url;                // for our member record
  boost::json::object tags;           // effective tags for our member record
  bool paused = false;                // `pause: true` in the dynamic configuration (4.9)
  // Synchronous replication: the lock holder keeps synchronous_standby_names and the sync key,
  // and only a member the sync key names may be promoted.
  bool synchronous_mode = false;
  bool synchronous_mode_strict = false;  // no standby: '*', commits wait until one comes
  // synchronous_mode: quorum (Patroni 4): 'ANY n (standbys)', and the sync key's `quorum` says
  // how many of its members a candidate must hear from.
  bool synchronous_quorum = false;
  int synchronous_node_count = 1;
  std::int64_t maximum_lag_on_syncnode = -1;  // bytes; > 0 skips standbys lagging more
  bool nosync = false;                        // tags.nosync: never a synchronous standby
  int safety_margin = 5;  // watchdog.safety_margin: s the fence fires before the lock could pass
  // failsafe_mode: without the DCS, the primary goes on while every member of the failsafe
  // key accepts its POST /failsafe.
  bool failsafe_mode = false;
  // A standby cluster: the lock holder (the standby leader) follows the remote primary instead
  // of promoting; nullopt otherwise.
  std::optional<standby_cluster_config> standby_cluster;
  bool operator==(const ha_settings&) const = default;
};
BOOST_DESCRIBE_STRUCT(ha_settings, (),
                      (name, scope, ttl, loop_wait, retry_timeout, maximum_lag_on_failover,
                       use_slots, permanent_slots, member_slots_ttl, nofailover, can_bootstrap,
                       can_clone_without_leader, divergence, primary_start_timeout, check_timeline,
                       failover_priority, bootstrap_dcs, conn_url, api_url, tags, paused,
                       synchronous_mode, synchronous_mode_strict, synchronous_quorum,
                       synchronous_node_count, maximum_lag_on_syncnode, nosync, safety_margin,
                       failsafe_mode, standby_cluster))

// Where the initialize race stands for this member.
enum class initialize_race { not_tried, requested, won, lost };
BOOST_DESCRIBE_ENUM(initialize_race, not_tried, requested, won, lost)

// What the decider remembers between decisions. Everything else is derived from the inputs.
struct ha_memory {
  initialize_race race = initialize_race::not_tried;
  bool bootstrapping = false;      // we won the race and started initdb; not yet finished
  bool acquire_requested = false;  // acquire_leader sent, no dcs_result yet
  std::string last_dcs_failure;    // the last failed DCS write, "" after a success
  std::uint64_t last_pg_seq = 0;   // seq of the last command sent to the supervisor
  std::optional<member_record> published_member;  // last record sent (cleared on a new session)
  std::int64_t published_member_ms = 0;
  lsn published_optime;
  std::int64_t published_optime_ms = 0;
  std::optional<reconcile_slots> slots_sent;
  std::int64_t next_loop_ms = 0;         // when the next regular HA loop is due
  std::int64_t leaderless_since_ms = 0;  // when the view last lost its leader; 0 = has one
  std::int64_t dcs_lost_since_ms = 0;    // when the DCS session stopped being live; 0 = live
  std::uint64_t probe_round = 0;         // the last probe_peers sent
  std::int64_t probe_sent_ms = 0;
  // The failover key (manual switchover/failover) as last noticed: its version and when it
  // was first seen, so that only peer answers given after the request are trusted.
  std::int32_t failover_seen_version = -1;
  std::int64_t failover_noticed_ms = 0;
  std::int32_t failover_clear_sent = -1;  // the version a clear_failover was sent for
  // A graceful demote for a manual failover is under way: once PostgreSQL has stopped, give
  // the lock up (with the shutdown checkpoint as the last optime) instead of restarting.
  bool switchover_demote = false;
  // That demote released the lock: start again as a replica, even in maintenance mode.
  bool follow_after_demote = false;
  std::uint32_t history_sent_tl = 0;  // the timeline a write_history was last sent for
  // The session we gave the lock up with: a leader znode it still owns (until the view
  // catches up) is not ours any more, neither to act on nor to re-create.
  std::int64_t released_session = 0;
  // When PostgreSQL was first started again as the primary after a crash, holding the lock;
  // 0 while it runs. Past primary_start_timeout the lock goes to a replica instead.
  std::int64_t crash_start_since_ms = 0;
  // An operator asked to re-clone this member (POST /reinitialize); the next decision acts.
  bool reinitialize_wanted = false;
  bool reinitialize_force = false;
  // PostgreSQL failed to start: the next attempt is not before this time (once per loop_wait,
  // as Patroni's loop tries), so that a broken configuration is no restart storm.
  std::int64_t start_retry_at_ms = 0;
  // The bootstrap failed (why): once the supervisor has cleaned up, the daemon shuts down.
  std::string bootstrap_failure;
  bool shut_down_sent = false;
  // Synchronous mode, as the lock holder: synchronous_standby_names as last seen and the
  // primary's WAL position when it changed (a standby it added counts as synchronous once it
  // reached that position), the standbys so confirmed, and the value last asked for.
  std::string ssn_seen;
  lsn ssn_changed_at;
  std::vector<std::string> sync_confirmed;
  std::optional<std::string> ssn_requested;
  // The write_sync sent and not yet seen in the view (sent once per sync key version).
  std::optional<write_sync> sync_write_sent;
  // Healing: the leader ("name@timeline") this member was last checked against for a
  // diverged timeline (a rejoin sent), so that one that could not heal is not stopped again
  // and again; and since when a running replica has been behind the leader's timeline
  // without streaming (0 = it is not).
  std::string heal_checked_against;
  std::int64_t heal_not_streaming_since_ms = 0;
  // Failsafe mode. The leader: the failsafe key last sent. The primary without the DCS: the
  // last POST /failsafe round sent and when. Either: when failsafe mode was last active (the
  // primary: every member accepted; a replica: it accepted a primary's POST, from
  // failsafe_leader), 0 when it is not.
  std::optional<boost::json::object> failsafe_sent;
  std::uint64_t failsafe_round = 0;
  std::int64_t failsafe_round_ms = 0;
  std::int64_t failsafe_active_ms = 0;
  std::string failsafe_leader;
  // Permanent logical slots. From the slot_manager's last report: the confirmed_flush_lsn of
  // those that exist here, and (a replica) those it lacks. The lock holder: the positions last
  // written to <base>/status. A replica: the slots a copy_logical_slots was sent for, and when;
  // the positions the failsafe primary sent with its POST /failsafe.
  slot_positions slots_confirmed;
  std::vector<std::string> slots_missing;
  slot_positions published_slots;
  std::vector<std::string> slot_copy_sent;
  std::int64_t slot_copy_sent_ms = 0;
  slot_positions failsafe_slots;
  // The standby leader told the supervisor so (follow_upstream with standby_leader).
  bool standby_leader_told = false;
  // The lock holder: its members' slots at the last decision, and the slots of members whose
  // key went since, with when (member_slots_ttl).
  std::vector<std::string> member_slots;
  std::map<std::string, std::int64_t> member_slots_kept;
  bool operator==(const ha_memory&) const = default;
};
BOOST_DESCRIBE_STRUCT(ha_memory, (),
                      (race, bootstrapping, acquire_requested, last_dcs_failure, last_pg_seq,
                       published_member, published_member_ms, published_optime, published_optime_ms,
                       slots_sent, next_loop_ms, leaderless_since_ms, dcs_lost_since_ms,
                       probe_round, probe_sent_ms, failover_seen_version, failover_noticed_ms,
                       failover_clear_sent, switchover_demote, follow_after_demote, history_sent_tl,
                       released_session, crash_start_since_ms, reinitialize_wanted,
                       reinitialize_force, start_retry_at_ms, bootstrap_failure, shut_down_sent,
                       ssn_seen, ssn_changed_at, sync_confirmed, ssn_requested, sync_write_sent,
                       heal_checked_against, heal_not_streaming_since_ms, failsafe_sent,
                       failsafe_round, failsafe_round_ms, failsafe_active_ms, failsafe_leader,
                       slots_confirmed, slots_missing, published_slots, slot_copy_sent,
                       slot_copy_sent_ms, failsafe_slots, standby_leader_told, member_slots,
                       member_slots_kept))

// The timer of the decider's shell: a regular HA loop is due.
struct loop_tick {
  bool operator==(const loop_tick&) const = default;
};
BOOST_DESCRIBE_STRUCT(loop_tick, (), ())

// An operator asked to re-clone this member (POST /reinitialize), and the decider's shell
// found it possible (judge_reinitialize).
struct reinitialize_request {
  bool force = false;  // cancel a running action instead of refusing
  bool operator==(const reinitialize_request&) const = default;
};
BOOST_DESCRIBE_STRUCT(reinitialize_request, (), (force))
// The decider's answer to POST /reinitialize: Patroni's texts.
struct reinitialize_answer {
  bool started = false;
  std::string text;  // "reinitialize started" or why not
  bool operator==(const reinitialize_answer&) const = default;
};
// POST /failsafe from a primary running without the DCS (its name, conn_url, api_url and the
// positions of its permanent logical slots), and
// the answer: 200 "Accepted", or Patroni's refusals (500 "Running as a leader"; 502 when
// failsafe mode is off).
struct failsafe_notice {
  std::string name;
  std::string conn_url;
  std::string api_url;
  slot_positions slots;
  bool operator==(const failsafe_notice&) const = default;
};
BOOST_DESCRIBE_STRUCT(failsafe_notice, (), (name, conn_url, api_url, slots))
struct failsafe_reply {
  int status = 200;
  std::string text;
  bool operator==(const failsafe_reply&) const = default;
};

// POST /reload or SIGHUP: read the configuration file again and apply it.
struct reload_config {
  bool operator==(const reload_config&) const = default;
};

// The daemon cannot go on (Patroni's PatroniFatalException): the node stops everything, in the
// usual order, and exits with status 1. `reason` is logged as an error.
struct shut_down {
  std::string reason;
  bool operator==(const shut_down&) const = default;
};
BOOST_DESCRIBE_STRUCT(shut_down, (), (reason))

// Everything that can change the decider's inputs. Each one is recorded in a trace. A new
// ha_settings comes when the dynamic configuration or the configuration file changed.
using ha_event = std::variant<cluster_view, dcs_session_status, pg_status, dcs_result, slot_report,
                              loop_tick, peer_statuses, ha_settings, reinitialize_request,
                              failsafe_answers, failsafe_notice>;

struct ha_inputs {
  ha_settings settings;
  std::optional<cluster_view> view;  // nullopt until the first successful load
  dcs_session_status session;
  pg_status pg;
  peer_statuses peers;        // the latest answers of the other members
  failsafe_answers failsafe;  // the latest answers to POST /failsafe (failsafe mode)
  std::int64_t now_ms = 0;    // wall clock, ms since the epoch
  ha_memory memory;
  bool operator==(const ha_inputs&) const = default;
};
BOOST_DESCRIBE_STRUCT(ha_inputs, (), (settings, view, session, pg, peers, failsafe, now_ms, memory))

// A command the decider sends; each alternative has exactly one owning actor.
using ha_command =
    std::variant<race_initialize, write_initialize, cancel_initialize, write_config, acquire_leader,
                 refresh_leader, release_leader, publish_member, publish_status, bootstrap_postgres,
                 clone_postgres, start_postgres, follow_upstream, stop_postgres, reconcile_slots,
                 promote_postgres, demote_postgres, rejoin_postgres, probe_peers, clear_failover,
                 write_history, reinitialize_postgres, abandon_bootstrap, shut_down, write_sync,
                 set_synchronous_standby_names, write_failsafe, failsafe_ping, copy_logical_slots>;

struct decision {
  std::vector<ha_command> commands;
  std::string reason;  // one sentence for the log and the API, in Patroni's words where known
  ha_memory next;      // the decider's memory after this decision
  // Decide again at this time even if nothing arrives (e.g. when a DCS outage reaches
  // retry_timeout); 0 = at the next regular loop.
  std::int64_t wake_at_ms = 0;
  bool operator==(const decision&) const = default;
};

// The command's type name, as in traces ("promote_postgres").
std::string_view command_name(const ha_command& c);

// Variants travel in traces as {"<type name>": {...fields}}.
boost::json::value event_to_json(const ha_event& e);
ha_event event_from_json(const boost::json::value& v);
boost::json::value command_to_json(const ha_command& c);
ha_command command_from_json(const boost::json::value& v);
boost::json::value decision_to_json(const decision& d);
decision decision_from_json(const boost::json::value& v);

}  // namespace praetor
