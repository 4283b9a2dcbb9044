// An operator's actions on PostgreSQL (docs/compatibility.md, "REST API"): POST /restart now or at
// a scheduled time, DELETE /restart, and the re-clone of POST /reinitialize.
#include "actors/postgres_supervisor/operator_actions.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "actors/postgres_supervisor/restart_conditions.hpp"
#include "actors/postgres_supervisor/supervisor_steps.hpp"
#include "messages/iso_time.hpp"

namespace praetor::supervisor {

using namespace std::chrono_literals;

namespace {

void launch_restart(self_ptr self) {
  auto& st = self->state;
  launch(self, "restart", "restarting",
         [as_primary = st.as_primary, upstream = st.upstream](const action_context& ctx) {
           auto stopped = run_stop(ctx, stop_mode::fast);
           if (!stopped.ok) return stopped;
           return run_start(ctx, as_primary, upstream);
         });
}

}  // namespace

// POST /restart without a schedule: answered once PostgreSQL runs again (or at once, refused).
caf::result<restart_result> restart_now(self_ptr self, const restart_conditions& conditions) {
  auto& st = self->state;
  auto pm = st.slot->get();
  if (!st.user) return restart_result{restart_outcome::failed, st.status.last_error};
  if (st.progress) {
    if (st.status.action == "restart") {
      st.restart_waiters.push_back(self->make_response_promise<restart_result>());
      return st.restart_waiters.back();
    }
    return restart_result{restart_outcome::refused, st.status.action + " already in progress"};
  }
  // A stopped PostgreSQL is started in the role it had, as Patroni's restart (stop, a no-op
  // then, and start) does: in maintenance mode this is how an operator brings it back.
  const bool running = pm && pm->running();
  if (!running && st.status.data_dir_empty)
    return restart_result{restart_outcome::refused, "postgres is not running"};
  auto judged = st.status;
  if (!running) judged.role = st.as_primary ? pg_role::primary : pg_role::replica;
  if (auto why = restart_mismatch(conditions, judged); !why.empty()) {
    spdlog::info("postgres_supervisor: not proceeding with the restart: {}", why);
    return restart_result{restart_outcome::refused, "restart conditions are not satisfied"};
  }
  st.restart_waiters.push_back(self->make_response_promise<restart_result>());
  auto promise = st.restart_waiters.back();
  launch_restart(self);
  return promise;
}

void drop_scheduled_restart(self_ptr self) {
  auto& st = self->state;
  st.scheduled_restart.reset();
  ++st.schedule_generation;
  st.status.scheduled_restart.clear();
  send_status(self);
}

// POST /restart with a schedule: kept (one at a time, as Patroni) and published in pg_status.
restart_result schedule_restart(self_ptr self, restart_postgres r) {
  auto& st = self->state;
  if (st.scheduled_restart) return {restart_outcome::already_scheduled, ""};
  r.published["postmaster_start_time"] = postmaster_start_text(st.status.postmaster_start_ms);
  st.status.scheduled_restart = r.published;
  st.scheduled_start_ms = st.status.postmaster_start_ms;
  st.scheduled_restart = std::move(r);
  auto gen = ++st.schedule_generation;
  auto in =
      std::chrono::milliseconds(std::max<std::int64_t>(0, st.scheduled_restart->at_ms - wall_ms()));
  self->delayed_send(self, in, scheduled_restart_due{gen});
  spdlog::info("postgres_supervisor: restart scheduled at {}",
               format_iso_time(st.scheduled_restart->at_ms));
  send_status(self);
  return {restart_outcome::scheduled, ""};
}

// The scheduled time came, as Patroni's evaluate_scheduled_restart: not after a restart that
// already happened; in maintenance mode, again each second until resume; while an action
// runs, again each second until it is stale (1.5 loop_wait late); then only if the conditions
// still match.
void run_scheduled_restart(self_ptr self, std::uint64_t generation) {
  auto& st = self->state;
  if (!st.scheduled_restart || generation != st.schedule_generation) return;
  const auto& r = *st.scheduled_restart;
  if (st.settings.paused) {
    self->delayed_send(self, 1s, scheduled_restart_due{generation});
    return;
  }
  if (st.scheduled_start_ms && st.status.postmaster_start_ms &&
      st.scheduled_start_ms != st.status.postmaster_start_ms) {
    spdlog::info(
        "postgres_supervisor: cancelling the scheduled restart: postgres restart has "
        "already happened at {}",
        postmaster_start_text(st.status.postmaster_start_ms));
    return drop_scheduled_restart(self);
  }
  auto pm = st.slot->get();
  if (st.progress || !pm || !pm->running()) {
    if (wall_ms() > r.at_ms + st.settings.loop_wait * 1500) {
      spdlog::warn("postgres_supervisor: found a stale restart value, cleaning up: {} ({})",
                   format_iso_time(r.at_ms),
                   st.progress ? st.status.action + " was running" : "postgres is not running");
      return drop_scheduled_restart(self);
    }
    self->delayed_send(self, 1s, scheduled_restart_due{generation});
    return;
  }
  auto why = restart_mismatch(r.conditions, st.status);
  if (why.empty()) {
    spdlog::info("postgres_supervisor: manual scheduled restart at {}", format_iso_time(r.at_ms));
    launch_restart(self);
  } else {
    spdlog::warn("postgres_supervisor: scheduled restart: not proceeding with the restart: {}",
                 why);
  }
  drop_scheduled_restart(self);
}

// POST /reinitialize, decided by the decider: stop at once, empty the data directory, clone
// again. With `force` a running action is cancelled first and the re-clone follows its end.
void reinitialize(self_ptr self, const reinitialize_postgres& cmd) {
  auto& st = self->state;
  if (cmd.force && st.progress && st.user) {
    st.status.accepted_seq = cmd.seq;
    spdlog::warn("postgres_supervisor: reinitialize: cancelling {} first", st.status.action);
    st.progress->cancel = true;
    st.reinitialize_after = cmd;
    return;
  }
  if (!accept(self, cmd.seq, "reinitialize")) return;
  st.as_primary = false;
  st.upstream = cmd.source;
  // "creating replica" from the first moment: patronictl reinit --wait polls for its end.
  launch(self, "reinitialize", "creating replica", [src = cmd.source](const action_context& ctx) {
    if (auto pm = ctx.slot->get(); pm && pm->running())
      pm->stop(stop_mode::immediate, std::chrono::seconds(ctx.settings.pg_ctl_timeout));
    return run_clone(ctx, src);
  });
}

}  // namespace praetor::supervisor
