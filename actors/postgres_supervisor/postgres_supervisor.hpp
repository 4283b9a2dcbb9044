// The postgres_supervisor actor: owns the postmaster (its child), the data directory and a
// libpq connection to the local instance. Spawn it detached (it blocks in libpq and file I/O):
//
//   auto pg = sys.spawn<caf::detached>(praetor::postgres_supervisor, decider, settings);
//
// Phases, one long action at a time (worker thread), reported through pg_status.state/action:
//
//   stopped --bootstrap--> "initializing new cluster" --> starting --> running
//   stopped --clone------> "creating replica" ----------> starting --> running
//   stopped --start------> starting --> running        (failures: "initdb failed", "start failed")
//   running --stop-------> stopping --> stopped        (clean: shutdown_checkpoint reported)
//   running --(postmaster dies unasked)--> crashed     (reported at once; start_postgres
//                                                       restarts it in place)
//   running replica --promote--> promoting --> running primary (new timeline; config rewritten
//                                                       so that a restart stays primary)
//   running --demote(mode)--> stopping --> starting --> running replica of `upstream`
//            (graceful: CHECKPOINT, fast stop; offline: fast; immediate[_nolock]: immediate;
//             shutdown_checkpoint reported when the stop was clean)
//   any --reinitialize--> (immediate stop) "creating replica" --> starting --> running replica
//   stopped --rejoin--> stopped (crash recovery, divergence check against the upstream)
//            --> [rewinding (pg_rewind) | creating replica (re-clone)] --> starting --> running
//            (failures end in "stopped" with last_error; an empty data dir is simply cloned)
//
// One action at a time: a command that arrives while one runs is refused (its seq is still
// accepted at once, and last_error says why).
//
// On exit the actor stops the postmaster fast and waits for it: no process is left behind.
//
// It also keeps the kernel watchdog (backends/watchdog): armed before a promote (a required one
// that cannot be armed refuses the promote), renewed with each fence_lease, disarmed when the
// lease ends, a promote fails or the actor exits; pg_status.watchdog_failed says when a
// required watchdog cannot be used.
#pragma once

#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "actors/actor_meter/actor_meter.hpp"
#include "actors/postgres_supervisor/pg_actions.hpp"
#include "backends/postgres/connection.hpp"
#include "backends/watchdog/kernel_watchdog.hpp"
#include "messages/actors.hpp"
#include "messages/settings.hpp"

namespace praetor {

struct postgres_supervisor_state {
  actor_meter meter{"postgres_supervisor"};  // GET /metrics, /actors
  // Not an aggregate: CAF would otherwise try to build the state from the actor pointer.
  postgres_supervisor_state() = default;
  ha_decider_actor decider;
  callback_runner_actor callbacks;  // postgresql.callbacks; may be null (none run)
  postgres_settings settings;
  std::optional<pg::run_as_user> user;
  pg_status status;
  std::shared_ptr<postmaster_slot> slot = std::make_shared<postmaster_slot>();
  std::shared_ptr<action_progress> progress;  // of the running action, null when idle
  std::thread worker;
  // The status heartbeat's connection; handed to a promote, which must not spend the
  // switchover's milliseconds on a new connection and its authentication.
  std::shared_ptr<pg::connection> conn = std::make_shared<pg::connection>();
  upstream_member upstream;  // what we follow as a replica
  bool as_primary = false;
  bool standby_leader = false;  // follows a standby cluster's remote primary holding the lock
  int exit_handled_pid = 0;     // an action already reported this postmaster's death
  bool reload_pending = false;  // new settings came during an action: reload after it
  // Operators waiting for the running restart (POST /restart).
  std::vector<caf::typed_response_promise<restart_result>> restart_waiters;
  // The restart waiting for its time, the postmaster start it was scheduled against, and the
  // generation of its timer (a deleted or replaced schedule's timer finds another number).
  std::optional<restart_postgres> scheduled_restart;
  std::int64_t scheduled_start_ms = 0;
  std::uint64_t schedule_generation = 0;
  // A forced reinitialize waiting for the cancelled action to end.
  std::optional<reinitialize_postgres> reinitialize_after;
  // This supervisor ran initdb into the data directory: a failed bootstrap may move it aside.
  bool bootstrap_made_data_dir = false;
  // Synchronous mode's synchronous_standby_names (set_synchronous_standby_names), which
  // outranks the configuration's; nullopt = the configuration's own.
  std::optional<std::string> managed_ssn;
  // Armed before a promote and while the lock holder's lease runs (watchdog.mode).
  wd::kernel_watchdog watchdog;

  // The settings the files are written from: the configuration's, with managed_ssn.
  postgres_settings rendered_settings() const;

  ~postgres_supervisor_state();
};

postgres_supervisor_actor::behavior_type postgres_supervisor(
    postgres_supervisor_actor::stateful_pointer<postgres_supervisor_state> self,
    ha_decider_actor decider, postgres_settings settings, callback_runner_actor callbacks);

}  // namespace praetor
