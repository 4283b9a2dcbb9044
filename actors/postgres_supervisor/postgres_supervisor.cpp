#include "actors/postgres_supervisor/postgres_supervisor.hpp"

#include <spdlog/spdlog.h>
#include <sys/wait.h>

#include <filesystem>
#include <utility>

#include "actors/actor_meter/measured.hpp"
#include "actors/actor_meter/report.hpp"
#include "actors/beat_grid.hpp"
#include "actors/postgres_supervisor/configuration.hpp"
#include "actors/postgres_supervisor/operator_actions.hpp"
#include "actors/postgres_supervisor/supervisor_steps.hpp"
#include "backends/postgres/controldata.hpp"
#include "backends/postgres/data_dir.hpp"
#include "backends/postgres/divergence.hpp"
#include "backends/postgres/fence.hpp"

namespace praetor {
using namespace supervisor;
namespace {

using namespace std::chrono_literals;
using supervisor::self_ptr;

// Patroni's callbacks after an action that ended well (docs/compatibility.md, "Behaviour
// differences worth knowing"): a start (also after a clone, a rejoin or a crash) is on_start, a
// stop on_stop, a promote or a demote that left PostgreSQL running on_role_change; a switchover's
// demote stops with the role `demoted`.
void callback_after(self_ptr self, const std::string& action, bool running) {
  const auto& st = self->state;
  if (action == "restart") {
    if (running) callback(self, callback_action::on_restart, role_now(st));
  } else if (action == "start" || action == "bootstrap" || action == "clone" ||
             action == "rejoin" || action == "reinitialize") {
    if (running) callback(self, callback_action::on_start, role_now(st));
  } else if (action == "promote") {
    callback(self, callback_action::on_role_change, callback_role::master);
  } else if (action == "demote") {
    if (running)
      callback(self, callback_action::on_role_change, callback_role::replica);
    else
      callback(self, callback_action::on_stop, callback_role::demoted);
  } else if (action == "stop") {
    callback(self, callback_action::on_stop, role_now(st));
  }
}

void clear_runtime_fields(pg_status& st) {
  st.role = pg_role::unknown;
  st.postmaster_start_ms = 0;
  st.streaming = false;
  st.replication.clear();
  st.synchronous_standby_names.clear();
  st.synchronous_commit.clear();
  st.wal_position = st.received_location = st.replayed_location = lsn{};
  st.pending_restart = false;
}

// A primary above timeline 1 reports its timeline history (read once per timeline), from
// which the decider writes the DCS history key.
void refresh_history(pg_status& st, const std::string& data_dir) {
  if (st.role != pg_role::primary || st.tl.value <= 1) {
    st.history.clear();
    st.history_mtime_ms = 0;
    return;
  }
  if (!st.history.empty() && st.history.back().parent.value + 1 == st.tl.value) return;
  if (auto file = pg::read_timeline_history(data_dir, st.tl)) {
    st.history = std::move(file->lines);
    st.history_mtime_ms = file->mtime_ms;
  } else {
    spdlog::warn("postgres_supervisor: cannot read the history file of timeline {} in {}/pg_wal",
                 st.tl.value, data_dir);
  }
}

// Re-reads what can be read: the data directory, and the instance when our postmaster runs.
void refresh(self_ptr self) {
  auto& s = self->state;
  s.status.data_dir_empty = pg::data_dir_empty(s.settings.data_dir);
  if (s.progress) {
    if (auto st = s.progress->state(); !st.empty()) s.status.state = st;
  }
  auto pm = s.slot->get();
  if (!pm || !pm->running()) {
    s.conn->close();
    clear_runtime_fields(s.status);
    if (s.status.sysid.empty() && !s.status.data_dir_empty && s.user && !s.progress) {
      std::string error;
      if (auto cd = pg::read_controldata(s.settings, *s.user, error)) {
        s.status.sysid = cd->sysid;
        s.status.tl = cd->tl;
      }
    }
    return;
  }
  std::string error;
  if (!s.conn->connected() && !s.conn->connect(pg::local_superuser_params(s.settings), error)) {
    spdlog::debug("postgres_supervisor: {}", error);
    return;
  }
  if (!s.as_primary && !s.upstream.host.empty())
    s.status.upstream = s.upstream.host + ":" + std::to_string(s.upstream.port);
  else
    s.status.upstream.clear();
  if (!pg::query_status(*s.conn, s.status, error)) {
    spdlog::warn("postgres_supervisor: {} on {}", error, s.settings.data_dir);
    s.conn->close();
    return;
  }
  if (!s.progress) s.status.state = "running";
  refresh_history(s.status, s.settings.data_dir);
}

std::chrono::seconds heartbeat_interval(self_ptr self) {
  const auto& s = self->state;
  if (s.progress || s.status.state == "starting") return 1s;
  return std::chrono::seconds(std::max(1, s.settings.loop_wait));
}

// On the grid the slot manager's heartbeat uses too (beat_grid.hpp): loop_wait being whole
// seconds, a beat during an action still comes a whole second after the one before.
void arm_heartbeat(self_ptr self) {
  self->scheduled_send(self, next_beat(self->clock().now(), heartbeat_interval(self)),
                       pg_heartbeat{});
}

void inspect_at_start(self_ptr self) {
  auto& s = self->state;
  std::string error;
  s.user = pg::resolve_run_as(s.settings.data_dir, error);
  if (!s.user) {
    s.status.last_error = error;
    spdlog::error("postgres_supervisor: {}", error);
    return;
  }
  s.status.data_dir_empty = pg::data_dir_empty(s.settings.data_dir);
  if (s.status.data_dir_empty) return;
  if (auto cd = pg::read_controldata(s.settings, *s.user, error)) {
    s.status.sysid = cd->sysid;
    s.status.tl = cd->tl;
  } else {
    spdlog::warn("postgres_supervisor: {}", error);
  }
  auto pid = pg::read_postmaster_pid(s.settings.data_dir);
  if (pid && pg::is_live_postmaster(*pid)) {
    s.status.last_error = "found postmaster pid " + std::to_string(*pid) +
                          " that praetor did not start on " + s.settings.data_dir +
                          "; stopping it fast so that PostgreSQL becomes praetor's child";
    spdlog::warn("postgres_supervisor: {}", s.status.last_error);
    int foreign = *pid;
    launch(self, "stop", "stopping",
           [foreign](const action_context& ctx) { return run_stop_foreign(ctx, foreign); });
  }
}

}  // namespace

postgres_supervisor_state::~postgres_supervisor_state() {
  // Before the stop: a slow shutdown checkpoint must not reset the machine. The fence guard
  // still stops PostgreSQL should the daemon die now.
  watchdog.disable();
  if (progress) progress->cancel = true;
  if (worker.joinable()) worker.join();
  conn->close();
  auto pm = slot->get();
  if (pm && pm->running() && settings.paused && pg::fence::get()) {
    // Maintenance mode: the operator owns PostgreSQL, which outlives the daemon (as Patroni's).
    spdlog::info("postgres_supervisor: leaving postmaster pid {} running on exit: maintenance mode",
                 pm->pid());
    pm->let_go();
  } else if (pm && pm->running()) {
    spdlog::info("postgres_supervisor: stopping postmaster pid {} (fast) on exit", pm->pid());
    pm->stop(stop_mode::fast,
             std::chrono::seconds(settings.stop_timeout(status.role == pg_role::primary)));
  }
  slot->set(nullptr);
}

postgres_supervisor_actor::behavior_type postgres_supervisor(
    postgres_supervisor_actor::stateful_pointer<postgres_supervisor_state> self,
    ha_decider_actor decider, postgres_settings settings, callback_runner_actor callbacks) {
  auto& s = self->state;
  s.decider = std::move(decider);
  s.callbacks = std::move(callbacks);
  if (settings.data_dir.size() > 1 && settings.data_dir.back() == '/') settings.data_dir.pop_back();
  s.settings = std::move(settings);
  s.watchdog.configure(s.settings.watchdog);
  self->set_default_handler(caf::drop);
  s.meter.count(metric_families::actor_restarts_total, {}, 0);  // exported from the start
  inspect_at_start(self);
  refresh(self);
  send_status(self);
  arm_heartbeat(self);
  return {
      measured(self->state.meter,
               [=](bootstrap_postgres cmd) {
                 if (!accept(self, cmd.seq, "bootstrap")) return;
                 auto& st = self->state;
                 if (!pg::data_dir_empty(st.settings.data_dir)) {
                   st.status.last_error = "refused bootstrap: data directory " +
                                          st.settings.data_dir +
                                          " already holds a cluster (PG_VERSION exists)";
                   send_status(self);
                   return;
                 }
                 st.as_primary = true;
                 st.standby_leader = false;
                 st.upstream = {};
                 st.bootstrap_made_data_dir = true;
                 launch(self, "bootstrap", "initializing new cluster", run_bootstrap);
               }),
      measured(self->state.meter,
               [=](abandon_bootstrap cmd) {
                 if (!accept(self, cmd.seq, "abandon bootstrap")) return;
                 bool move = std::exchange(self->state.bootstrap_made_data_dir, false);
                 launch(self, "abandon bootstrap", "stopping", [move](const action_context& ctx) {
                   return run_abandon_bootstrap(ctx, move);
                 });
               }),
      measured(
          self->state.meter,
          [=](clone_postgres cmd) {
            if (!accept(self, cmd.seq, "clone")) return;
            if (auto pm = self->state.slot->get(); pm && pm->running()) {
              self->state.status.last_error = "refused clone: PostgreSQL is running; stop it first";
              send_status(self);
              return;
            }
            self->state.as_primary = false;
            self->state.standby_leader = false;
            self->state.upstream = cmd.source;
            launch(self, "clone", "creating replica",
                   [src = cmd.source](const action_context& ctx) { return run_clone(ctx, src); });
          }),
      measured(self->state.meter,
               [=](start_postgres cmd) {
                 if (!accept(self, cmd.seq, "start")) return;
                 if (auto pm = self->state.slot->get(); pm && pm->running()) {
                   self->state.status.last_error = "refused start: PostgreSQL is already running";
                   send_status(self);
                   return;
                 }
                 self->state.as_primary = cmd.as_primary;
                 self->state.upstream = cmd.as_primary ? upstream_member{} : cmd.upstream;
                 if (self->state.status.state == "crashed")
                   self->state.meter.count(metric_families::actor_restarts_total);
                 launch(self, "start", "starting", [cmd](const action_context& ctx) {
                   return run_start(ctx, cmd.as_primary, cmd.upstream);
                 });
               }),
      measured(self->state.meter,
               [=](follow_upstream cmd) {
                 if (!accept(self, cmd.seq, "follow")) return;
                 auto& st = self->state;
                 st.as_primary = false;
                 st.upstream = cmd.upstream;
                 const bool became_standby_leader = cmd.standby_leader && !st.standby_leader;
                 st.standby_leader = cmd.standby_leader;
                 action_context ctx;
                 ctx.settings = st.rendered_settings();
                 ctx.user = *st.user;
                 std::string error;
                 if (!write_role_config(ctx, false, cmd.upstream, error)) {
                   st.status.last_error = "follow " + cmd.upstream.name + " failed: " + error;
                 } else if (auto pm = st.slot->get(); pm && pm->running()) {
                   pm->signal(SIGHUP);  // primary_conninfo and primary_slot_name reload on PG 13+
                   st.status.last_error.clear();
                   spdlog::info("postgres_supervisor: following {} ({}:{})", cmd.upstream.name,
                                cmd.upstream.host, cmd.upstream.port);
                 }
                 if (became_standby_leader)
                   callback(self, callback_action::on_role_change, callback_role::standby_leader);
                 refresh(self);
                 send_status(self);
               }),
      measured(self->state.meter,
               [=](stop_postgres cmd) {
                 if (!accept(self, cmd.seq, "stop")) return;
                 self->state.status.shutdown_checkpoint = {};
                 auto pm = self->state.slot->get();
                 if (!pm || !pm->running()) {
                   self->state.status.state = "stopped";
                   refresh(self);
                   send_status(self);
                   return;
                 }
                 const bool primary = self->state.status.role == pg_role::primary;
                 launch(self, "stop", "stopping",
                        [mode = cmd.mode, primary](const action_context& ctx) {
                          return run_stop(ctx, mode, primary);
                        });
               }),
      measured(self->state.meter,
               [=](promote_postgres cmd) {
                 if (!accept(self, cmd.seq, "promote")) return;
                 if (auto pm = self->state.slot->get(); !pm || !pm->running()) {
                   self->state.status.last_error =
                       "refused promote: PostgreSQL is not running; start it";
                   send_status(self);
                   return;
                 }
                 auto& st = self->state;
                 // Patroni arms the watchdog before it promotes; maintenance mode leaves it off.
                 if (!st.settings.paused && !st.watchdog.activate()) {
                   st.status.last_error = "refused promote: the watchdog could not be activated (" +
                                          st.watchdog.failure() + ")";
                   send_status(self);
                   return;
                 }
                 st.as_primary = true;
                 st.standby_leader = false;
                 st.upstream = {};
                 launch(
                     self, "promote", "promoting",
                     [cmd](const action_context& ctx) {
                       return run_promote(ctx, cmd.received_at_least);
                     },
                     std::exchange(st.conn, std::make_shared<pg::connection>()));
               }),
      measured(self->state.meter,
               [=](demote_postgres cmd) {
                 if (!accept(self, cmd.seq, "demote")) return;
                 if (self->state.status.data_dir_empty) {
                   self->state.status.last_error = "refused demote: the data directory is empty";
                   send_status(self);
                   return;
                 }
                 self->state.as_primary = false;
                 self->state.upstream = cmd.upstream;
                 self->state.status.shutdown_checkpoint = {};
                 launch(self, "demote", "stopping",
                        [cmd](const action_context& ctx) { return run_demote(ctx, cmd); });
               }),
      measured(self->state.meter,
               [=](rejoin_postgres cmd) {
                 if (!accept(self, cmd.seq, "rejoin")) return;
                 auto& st = self->state;
                 if (auto pm = st.slot->get(); pm && pm->running() && !cmd.stop_first) {
                   st.status.last_error =
                       "refused rejoin: PostgreSQL is running; demote or stop it first";
                   send_status(self);
                   return;
                 }
                 if (st.status.state == "crashed")
                   st.meter.count(metric_families::actor_restarts_total);
                 if (cmd.upstream.host.empty()) {
                   st.status.last_error = "refused rejoin: no upstream given to rejoin";
                   send_status(self);
                   return;
                 }
                 st.as_primary = false;
                 st.upstream = cmd.upstream;
                 launch(self, "rejoin", cmd.stop_first ? "stopping" : "stopped",
                        [cmd](const action_context& ctx) { return run_rejoin(ctx, cmd); });
               }),
      measured(self->state.meter,
               [=](const copy_logical_slots& cmd) {
                 if (!accept(self, cmd.seq, "copy logical slots")) return;
                 auto& st = self->state;
                 if (auto pm = st.slot->get(); !pm || !pm->running() || st.as_primary) {
                   st.status.last_error =
                       "refused copying logical slots: PostgreSQL does not run as a replica";
                   send_status(self);
                   return;
                 }
                 st.upstream = cmd.upstream;
                 launch(self, "copy logical slots", "running", [cmd](const action_context& ctx) {
                   return run_copy_logical_slots(ctx, cmd);
                 });
               }),
      measured(self->state.meter,
               [=](pg_action_done done) {
                 auto& st = self->state;
                 if (st.worker.joinable()) st.worker.join();
                 std::string final_state = st.progress ? st.progress->state() : "";
                 if (st.progress) {
                   if (auto cp = st.progress->shutdown_checkpoint())
                     st.status.shutdown_checkpoint = *cp;
                 }
                 st.progress.reset();
                 st.status.action.clear();
                 // Armed for a promote that did not happen: nobody would renew it.
                 if (done.action == "promote" && !done.ok) st.watchdog.disable();
                 if (done.ok) {
                   st.status.last_error = done.error;  // a note, or ""
                   auto pm = st.slot->get();
                   st.status.state = pm && pm->running() ? "running" : "stopped";
                   spdlog::info("postgres_supervisor: {} finished", done.action);
                   callback_after(self, done.action, pm && pm->running());
                 } else {
                   st.status.last_error = done.error;
                   st.status.state = final_state.empty() ? "stopped" : final_state;
                   spdlog::error("postgres_supervisor: {} failed: {}", done.action, done.error);
                 }
                 if (auto pm = st.slot->get(); pm && !pm->running())
                   st.exit_handled_pid = pm->pid();
                 if (done.action == "stop" || !done.ok)
                   st.status.sysid.clear();  // re-read from disk
                 if (st.reload_pending) reload_configuration(self);
                 if (done.action == "restart") {
                   restart_result r{done.ok && st.status.state == "running"
                                        ? restart_outcome::restarted
                                        : restart_outcome::failed,
                                    done.ok ? "" : done.error};
                   for (auto& waiter : st.restart_waiters) waiter.deliver(r);
                   st.restart_waiters.clear();
                 }
                 refresh(self);
                 send_status(self);
                 if (auto next = std::exchange(st.reinitialize_after, std::nullopt))
                   reinitialize(self, *next);
               }),
      measured(self->state.meter,
               [=](postmaster_exited ev) {
                 auto& st = self->state;
                 auto pm = st.slot->get();
                 // An older postmaster's late news, or a death the action already reported.
                 if (!pm || pm->pid() != ev.pid || ev.pid == st.exit_handled_pid) return;
                 st.conn->close();
                 if (st.progress) return;  // the running action sees it and reports the outcome
                 clear_runtime_fields(st.status);
                 if (pm->stop_requested()) {
                   st.status.state = "stopped";
                 } else {
                   std::string how =
                       WIFSIGNALED(ev.wait_status)
                           ? "killed by signal " + std::to_string(WTERMSIG(ev.wait_status))
                           : "exit code " + std::to_string(WEXITSTATUS(ev.wait_status));
                   st.status.state = "crashed";
                   st.status.last_error = "postmaster pid " + std::to_string(ev.pid) +
                                          " exited unexpectedly (" + how + "); see " +
                                          postmaster_log_path(st.settings);
                   spdlog::error("postgres_supervisor: {}", st.status.last_error);
                 }
                 send_status(self);
               }),
      measured(self->state.meter,
               [=](pg_heartbeat) {
                 refresh(self);
                 send_status(self);
                 arm_heartbeat(self);
               }),
      measured(self->state.meter,
               [=](pg_status_due) {
                 refresh(self);
                 send_status(self);
               }),
      measured(self->state.meter, [=](const fence_lease& m) { pass_on_lease(self, m); }),
      measured(self->state.meter,
               [=](const set_synchronous_standby_names& m) { set_sync_standbys(self, m); }),
      measured(self->state.meter,
               [=](postgres_settings next) { apply_settings(self, std::move(next)); }),
      measured(self->state.meter,
               [=](reload_postgres r) {
                 normalize(r.settings);
                 self->state.settings = std::move(r.settings);
                 configure_watchdog(self);
                 reload_configuration(self);
               }),
      measured(self->state.meter,
               [=](const reinitialize_postgres& cmd) { reinitialize(self, cmd); }),
      measured(self->state.meter,
               [=](restart_postgres r) -> caf::result<restart_result> {
                 if (r.at_ms == 0) return restart_now(self, r.conditions);
                 return schedule_restart(self, std::move(r));
               }),
      measured(
          self->state.meter,
          [=](const scheduled_restart_due& due) { run_scheduled_restart(self, due.generation); }),
      measured(self->state.meter,
               [=](cancel_scheduled_restart) -> bool {
                 if (!self->state.scheduled_restart) return false;
                 spdlog::info("postgres_supervisor: scheduled restart deleted");
                 drop_scheduled_restart(self);
                 return true;
               }),
      measured(self->state.meter,
               [=](pg_status_request) -> pg_status {
                 refresh(self);
                 self->state.status.watchdog_failed = !self->state.watchdog.healthy();
                 return self->state.status;
               }),
      [=](metrics_report) -> actor_metrics {
        self->state.meter.set_actions_in_flight(self->state.progress ? 1 : 0);
        return metrics_of(self->state.meter, self);
      },
  };
}

}  // namespace praetor
