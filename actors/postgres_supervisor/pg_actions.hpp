// The supervisor's long actions — bootstrap, clone, start, stop, promote, demote, rejoin — as plain
// blocking functions that run on the supervisor's worker thread, one at a time. They touch the data
// directory and start or stop the postmaster; the actor thread only reads the shared progress and
// the postmaster slot (both mutex-guarded) and receives the outcome as a pg_action_done message.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "backends/postgres/connection.hpp"
#include "backends/postgres/postmaster.hpp"
#include "backends/postgres/process.hpp"
#include "messages/pg.hpp"
#include "messages/settings.hpp"

namespace praetor {

// The current postmaster (ours), shared by the actor and its worker.
class postmaster_slot {
 public:
  std::shared_ptr<pg::postmaster> get() const {
    std::lock_guard lock(mutex_);
    return pm_;
  }
  void set(std::shared_ptr<pg::postmaster> pm) {
    std::lock_guard lock(mutex_);
    pm_ = std::move(pm);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<pg::postmaster> pm_;
};

// What a running action says about itself: the Patroni state to show meanwhile, and on
// failure the state to end in ("initdb failed", "start failed", ...).
class action_progress {
 public:
  void set_state(std::string s) {
    std::lock_guard lock(mutex_);
    state_ = std::move(s);
  }
  std::string state() const {
    std::lock_guard lock(mutex_);
    return state_;
  }
  // The shutdown checkpoint a stop or demote read from pg_controldata (clean stops only).
  void set_shutdown_checkpoint(lsn where) {
    std::lock_guard lock(mutex_);
    shutdown_checkpoint_ = where;
  }
  std::optional<lsn> shutdown_checkpoint() const {
    std::lock_guard lock(mutex_);
    return shutdown_checkpoint_;
  }
  std::atomic<bool> cancel{false};

 private:
  mutable std::mutex mutex_;
  std::string state_;
  std::optional<lsn> shutdown_checkpoint_;
};

struct action_context {
  postgres_settings settings;
  pg::run_as_user user;
  std::shared_ptr<postmaster_slot> slot;
  std::shared_ptr<action_progress> progress;
  pg::postmaster::exit_callback on_exit;  // given to every postmaster started
  // An open connection the action may use instead of opening its own (promote), or null.
  std::shared_ptr<pg::connection> conn;
};

struct action_outcome {
  bool ok = false;
  std::string error;         // names what failed and what to do (with the tool's output tail)
  std::string failed_state;  // the pg_status.state to end in on failure
  std::string note;          // on success: something the operator should still know
  int started_pid = 0;
};

// After a stop: pg_controldata; when it says "shut down", the checkpoint goes to the progress.
void record_shutdown_checkpoint(const action_context& ctx);

// The end of the postmaster's log, for an error message.
std::string log_tail(const postgres_settings& s, std::size_t max_chars = 800);

// The supervisor asked the running action to stop.
bool cancelled(const action_context& ctx);

// Where the postmaster's stdout/stderr go: "<data_dir>.log", beside the data directory so that
// emptying the data directory for a clone keeps it.
std::string postmaster_log_path(const postgres_settings& s);

// Launches the postmaster and waits until it accepts connections (pg_ctl_timeout).
action_outcome start_postmaster(const action_context& ctx);

action_outcome run_bootstrap(const action_context& ctx);
action_outcome run_clone(const action_context& ctx, const upstream_member& source);
// After a failed bootstrap: PostgreSQL stopped at once and, when `move_data_dir` (this
// supervisor's bootstrap made it), the data directory moved aside.
action_outcome run_abandon_bootstrap(const action_context& ctx, bool move_data_dir);
action_outcome run_start(const action_context& ctx, bool as_primary,
                         const upstream_member& upstream);
// A primary's stop is bounded by primary_stop_timeout when set (synchronous mode), others by
// pg_ctl_timeout; past it PostgreSQL is killed.
action_outcome run_stop(const action_context& ctx, stop_mode mode, bool primary = false);
// Failover actions (failover_actions.cpp).
// pg_promote(wait) on the running replica, then the primary's configuration (no standby.signal,
// no recovery settings) so that a restart starts it as primary.
// `received_at_least`: wait (5 s at most) until the WAL received reaches it first; 0 = no wait.
action_outcome run_promote(const action_context& ctx, lsn received_at_least);
// Stop per mode (graceful: CHECKPOINT first), record the shutdown checkpoint, then (unless
// graceful) rejoin `upstream` as run_rejoin does, or start as a replica without one.
action_outcome run_demote(const action_context& ctx, const demote_postgres& cmd);
// Divergence check against `upstream` (after a fast stop when the command says stop_first),
// pg_rewind or re-clone as its policy allows, then start as its replica. Failed states:
// "diverged" (nothing allowed could help) and "rewind failed".
action_outcome run_rejoin(const action_context& ctx, const rejoin_postgres& cmd);

// Permanent logical slots from `upstream` (the primary) into this replica: their state files
// read over SQL, then PostgreSQL stopped (fast), the files put into pg_replslot, and started
// again as the replica of `upstream` (slot_copy_action.cpp). A failed read leaves PostgreSQL
// running (a note, not a failure).
action_outcome run_copy_logical_slots(const action_context& ctx, const copy_logical_slots& cmd);

// A postmaster that is not our child (found through postmaster.pid): stop it fast.
action_outcome run_stop_foreign(const action_context& ctx, int pid);

// Writes the configuration of a primary (replica == nullptr) or a replica of `upstream`:
// pgpass, postgresql.conf, standby.signal, and pg_hba.conf when postgresql.pg_hba is set.
bool write_role_config(const action_context& ctx, bool as_primary, const upstream_member& upstream,
                       std::string& error);

}  // namespace praetor
