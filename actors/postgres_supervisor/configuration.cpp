#include "actors/postgres_supervisor/configuration.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>

#include "backends/postgres/fence.hpp"

namespace praetor::supervisor {

using namespace std::chrono_literals;

// The configuration changed what postgresql.conf must say (or an operator asked for a reload):
// write it for the role we run in and have the postmaster reload it. Parameters that need a
// restart show up as pending_restart in the next status. During an action the files are the
// action's to write: the reload waits for its end.
void reload_configuration(self_ptr self) {
  auto& st = self->state;
  auto pm = st.slot->get();
  if (!pm || !pm->running() || !st.user) {
    st.reload_pending = false;  // the next start writes the files from the new settings
    return;
  }
  if (st.progress) {
    st.reload_pending = true;
    return;
  }
  st.reload_pending = false;
  action_context ctx;
  ctx.settings = st.rendered_settings();
  ctx.user = *st.user;
  std::string error;
  if (!write_role_config(ctx, st.as_primary, st.upstream, error)) {
    st.status.last_error = "reload failed: " + error;
    spdlog::error("postgres_supervisor: {}", st.status.last_error);
    return;
  }
  pm->signal(SIGHUP);
  spdlog::info("postgres_supervisor: reloading PostgreSQL's configuration");
  callback(self, callback_action::on_reload, role_now(st));
}

void normalize(postgres_settings& s) {
  if (s.data_dir.size() > 1 && s.data_dir.back() == '/') s.data_dir.pop_back();
}

void configure_watchdog(self_ptr self) {
  auto& st = self->state;
  const bool was_healthy = st.watchdog.healthy();
  st.watchdog.configure(st.settings.watchdog);
  if (st.watchdog.healthy() != was_healthy) send_status(self);
}

void apply_settings(self_ptr self, postgres_settings next) {
  auto& st = self->state;
  normalize(next);
  if (next == st.settings) return;
  bool files_change = next.parameters != st.settings.parameters ||
                      next.use_slots != st.settings.use_slots || next.pg_hba != st.settings.pg_hba;
  st.settings = std::move(next);
  configure_watchdog(self);
  if (files_change) reload_configuration(self);
}

// Synchronous mode asked for a new synchronous_standby_names: write it and reload, then report
// the status again soon and each second for a while, as the decider waits for the standbys it
// named to confirm (Patroni looks again after 0.1 and 2 s).
void set_sync_standbys(self_ptr self, const set_synchronous_standby_names& m) {
  auto& st = self->state;
  if (st.managed_ssn == m.value) return;
  st.managed_ssn = m.value;
  spdlog::info("postgres_supervisor: synchronous_standby_names = {}",
               m.value ? "'" + *m.value + "'" : std::string("as configured"));
  reload_configuration(self);
  for (auto after : {100ms, 1000ms, 2000ms, 3000ms})
    self->delayed_send(self, after, pg_status_due{});
}

void pass_on_lease(self_ptr self, const fence_lease& m) {
  if (auto* guard = pg::fence::get()) {
    if (m.ms > 0)
      guard->lease(std::chrono::milliseconds(m.ms));
    else
      guard->unlease();
  }
  auto& watchdog = self->state.watchdog;
  if (m.ms <= 0) {
    watchdog.disable();
    return;
  }
  if (watchdog.running()) {
    watchdog.keepalive();
    return;
  }
  // A primary that leads without having promoted here (the daemon restarted under it, or a
  // crashed primary started again): armed now. A required one that cannot be armed is news for
  // the decider, which demotes.
  const bool was_healthy = watchdog.healthy();
  watchdog.activate();
  if (watchdog.healthy() != was_healthy) send_status(self);
}

}  // namespace praetor::supervisor

namespace praetor {

postgres_settings postgres_supervisor_state::rendered_settings() const {
  auto s = settings;
  if (managed_ssn && managed_ssn->empty())
    s.parameters.erase("synchronous_standby_names");
  else if (managed_ssn)
    s.parameters["synchronous_standby_names"] = *managed_ssn;
  return s;
}

}  // namespace praetor
