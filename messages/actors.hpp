// The typed interface of every actor, declared once. Each line lists every message the actor
// accepts, including the private ones it sends itself (timers, worker results), because a
// typed actor must name them all.
//
// Message values are plain structs from the sibling headers; they stay free of CAF so that
// decide() and the backends can use them. CAF sees them only here.
#pragma once

#include <caf/all.hpp>

#include "messages/actor_metrics.hpp"
#include "messages/callbacks.hpp"
#include "messages/cluster_view.hpp"
#include "messages/dcs.hpp"
#include "messages/ha.hpp"
#include "messages/http.hpp"
#include "messages/peers.hpp"
#include "messages/pg.hpp"
#include "messages/rest.hpp"
#include "messages/settings.hpp"
#include "messages/slots.hpp"

namespace praetor {

// --- private messages, each sent by an actor to itself (or by its worker thread) ---

// dcs_session: a watch fired or the session changed (sent from the ZooKeeper client's thread).
struct dcs_watch_fired {
  std::string path;
};
// dcs_session: time to re-read the cluster (retry after an error).
struct dcs_reload_due {};

// postgres_supervisor: the postmaster child exited (sent by the thread that waits for it).
struct postmaster_exited {
  int pid = 0;
  int wait_status = 0;
};
// postgres_supervisor: a long action (bootstrap, clone, ...) finished on its worker thread.
struct pg_action_done {
  std::string action;
  bool ok = false;
  std::string error;    // names what failed and what to do
  int started_pid = 0;  // the postmaster started by the action, 0 if none
};
// postgres_supervisor: the scheduled restart of generation `generation` is due.
struct scheduled_restart_due {
  std::uint64_t generation = 0;
};
// postgres_supervisor / slot_manager: time to query PostgreSQL again.
struct pg_heartbeat {};
struct slot_heartbeat {};
// postgres_supervisor: report the status once more, soon after a change the decider waits for.
struct pg_status_due {};

// callback_runner: time to reap ended callbacks and enforce the timeout (while any runs).
struct callback_reap_due {};

// rest_frontend: a request its HTTP server handed over (sent from the server's thread), and
// the reply that answers it.
struct rest_call {
  http_request request;
  http_reply reply;
};
// rest_frontend: the wait for the outcome of switchover/failover request `call` is over.
struct failover_wait_over {
  std::uint64_t call = 0;
};

// --- interfaces ---

using dcs_session_actor = caf::typed_actor<
    caf::reacts_to<race_initialize>, caf::reacts_to<write_initialize>,
    caf::reacts_to<cancel_initialize>, caf::reacts_to<write_config>, caf::reacts_to<acquire_leader>,
    caf::reacts_to<refresh_leader>, caf::reacts_to<release_leader>, caf::reacts_to<publish_member>,
    caf::reacts_to<publish_status>, caf::reacts_to<clear_failover>, caf::reacts_to<write_history>,
    caf::reacts_to<write_sync>, caf::reacts_to<write_failsafe>,
    caf::replies_to<write_failover>::with<dcs_result>,
    caf::replies_to<change_config>::with<config_change_result>, caf::reacts_to<dcs_watch_fired>,
    caf::reacts_to<dcs_session_status>, caf::reacts_to<dcs_reload_due>,
    caf::reacts_to<dcs_settings>, caf::replies_to<metrics_report>::with<actor_metrics>>;

using callback_runner_actor =
    caf::typed_actor<caf::reacts_to<run_callback>, caf::reacts_to<callback_reap_due>,
                     caf::replies_to<metrics_report>::with<actor_metrics>>;

using postgres_supervisor_actor =
    caf::typed_actor<caf::reacts_to<bootstrap_postgres>, caf::reacts_to<abandon_bootstrap>,
                     caf::reacts_to<clone_postgres>, caf::reacts_to<start_postgres>,
                     caf::reacts_to<follow_upstream>, caf::reacts_to<stop_postgres>,
                     caf::reacts_to<promote_postgres>, caf::reacts_to<demote_postgres>,
                     caf::reacts_to<rejoin_postgres>, caf::reacts_to<copy_logical_slots>,
                     caf::reacts_to<postmaster_exited>, caf::reacts_to<pg_action_done>,
                     caf::reacts_to<pg_heartbeat>, caf::reacts_to<pg_status_due>,
                     caf::reacts_to<postgres_settings>, caf::reacts_to<reinitialize_postgres>,
                     caf::reacts_to<reload_postgres>, caf::reacts_to<scheduled_restart_due>,
                     caf::reacts_to<set_synchronous_standby_names>, caf::reacts_to<fence_lease>,
                     caf::replies_to<restart_postgres>::with<restart_result>,
                     caf::replies_to<cancel_scheduled_restart>::with<bool>,
                     caf::replies_to<pg_status_request>::with<pg_status>,
                     caf::replies_to<metrics_report>::with<actor_metrics>>;

using slot_manager_actor =
    caf::typed_actor<caf::reacts_to<reconcile_slots>, caf::reacts_to<slot_heartbeat>,
                     caf::reacts_to<postgres_settings>,
                     caf::replies_to<metrics_report>::with<actor_metrics>>;

using rest_frontend_actor =
    caf::typed_actor<caf::reacts_to<node_snapshot>, caf::reacts_to<rest_call>,
                     caf::reacts_to<failover_wait_over>, caf::reacts_to<rest_settings>>;
using peer_probe_actor =
    caf::typed_actor<caf::reacts_to<probe_peers>, caf::reacts_to<failsafe_ping>,
                     caf::replies_to<metrics_report>::with<actor_metrics>>;

// Sent once to the decider after every actor is spawned, so that it can address them.
// The daemon's main thread: it stops the actors in order and exits with status 1.
using node_actor = caf::typed_actor<caf::reacts_to<shut_down>>;

struct ha_peers {
  dcs_session_actor dcs;
  postgres_supervisor_actor postgres;
  slot_manager_actor slots;
  rest_frontend_actor rest;
  peer_probe_actor probes;
  node_actor node;
};

// The decider. It folds events that arrive before ha_peers into its inputs and starts deciding
// once it can address the other actors.
using ha_decider_actor =
    caf::typed_actor<caf::reacts_to<cluster_view>, caf::reacts_to<dcs_session_status>,
                     caf::reacts_to<pg_status>, caf::reacts_to<dcs_result>,
                     caf::reacts_to<slot_report>, caf::reacts_to<loop_tick>,
                     caf::reacts_to<peer_statuses>, caf::reacts_to<ha_peers>,
                     caf::reacts_to<reload_config>, caf::reacts_to<failsafe_answers>,
                     caf::replies_to<reinitialize_request>::with<reinitialize_answer>,
                     caf::replies_to<failsafe_notice>::with<failsafe_reply>,
                     caf::replies_to<metrics_report>::with<actor_metrics>>;

// What the REST front end addresses: the actors it asks on an operator's behalf, and every
// actor for GET /metrics and GET /actors. Any may be null (tests): it is then not asked.
struct rest_peers {
  dcs_session_actor dcs;
  postgres_supervisor_actor postgres;
  ha_decider_actor decider;
  slot_manager_actor slots;
  peer_probe_actor probes;
  callback_runner_actor callbacks;
};

}  // namespace praetor

// Local-only messages: no serialization needed, so no inspect() overloads.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::cluster_view)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::dcs_session_status)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::pg_status)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::dcs_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::slot_report)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::loop_tick)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::race_initialize)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::write_initialize)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::cancel_initialize)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::write_config)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::acquire_leader)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::refresh_leader)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::release_leader)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::publish_member)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::publish_status)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::write_failover)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::change_config)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::config_change_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::clear_failover)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::write_history)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::write_failsafe)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::failsafe_ping)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::failsafe_answers)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::failsafe_notice)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::failsafe_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::write_sync)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::set_synchronous_standby_names)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::fence_lease)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::bootstrap_postgres)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::abandon_bootstrap)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::shut_down)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::clone_postgres)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::start_postgres)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::follow_upstream)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::stop_postgres)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::reconcile_slots)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::node_snapshot)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::rest_call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::failover_wait_over)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::dcs_watch_fired)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::dcs_reload_due)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::postmaster_exited)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::pg_action_done)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::pg_heartbeat)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::pg_status_due)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::slot_heartbeat)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::ha_peers)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::peer_statuses)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::probe_peers)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::promote_postgres)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::demote_postgres)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::rejoin_postgres)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::copy_logical_slots)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::postgres_settings)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::dcs_settings)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::rest_settings)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::run_callback)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::restart_postgres)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::restart_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::callback_reap_due)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::reinitialize_postgres)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::reload_postgres)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::cancel_scheduled_restart)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::pg_status_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::scheduled_restart_due)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::reinitialize_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::reinitialize_answer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::reload_config)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::metrics_report)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::actor_metrics)
