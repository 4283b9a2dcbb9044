#include "actors/postgres_supervisor/supervisor_steps.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

namespace praetor::supervisor {

void callback(self_ptr self, callback_action action, callback_role role) {
  if (self->state.callbacks) self->send(self->state.callbacks, run_callback{action, role});
}

callback_role role_now(const postgres_supervisor_state& st) {
  if (st.as_primary) return callback_role::master;
  return st.standby_leader ? callback_role::standby_leader : callback_role::replica;
}

std::int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void send_status(self_ptr self) {
  self->state.status.watchdog_failed = !self->state.watchdog.healthy();
  self->send(self->state.decider, self->state.status);
}

// Accepts a command's seq at once (the decider must see it even if the command is refused).
bool accept(self_ptr self, std::uint64_t seq, const char* what) {
  auto& s = self->state;
  s.status.accepted_seq = seq;
  if (!s.user) {
    send_status(self);
    return false;
  }
  if (s.progress) {
    s.status.last_error = std::string("refused ") + what + ": action \"" + s.status.action +
                          "\" is still running; wait for it to finish";
    spdlog::warn("postgres_supervisor: {}", s.status.last_error);
    send_status(self);
    return false;
  }
  return true;
}

void launch(self_ptr self, const std::string& action, const std::string& state, action_fn fn,
            std::shared_ptr<pg::connection> conn) {
  auto& s = self->state;
  if (s.worker.joinable()) s.worker.join();
  s.progress = std::make_shared<action_progress>();
  s.progress->set_state(state);
  s.status.action = action;
  s.status.state = state;
  caf::weak_actor_ptr weak = self->ctrl();
  action_context ctx;
  ctx.settings = s.rendered_settings();
  ctx.user = *s.user;
  ctx.slot = s.slot;
  ctx.progress = s.progress;
  ctx.conn = std::move(conn);
  ctx.on_exit = [weak](int pid, int wait_status) {
    if (auto strong = caf::actor_cast<caf::strong_actor_ptr>(weak))
      caf::anon_send(caf::actor_cast<postgres_supervisor_actor>(strong),
                     postmaster_exited{pid, wait_status});
  };
  spdlog::info("postgres_supervisor: {} started ({})", action, s.settings.data_dir);
  s.worker = std::thread([weak, action, ctx = std::move(ctx), fn = std::move(fn)] {
    action_outcome out = fn(ctx);
    if (!out.ok)
      ctx.progress->set_state(out.failed_state);
    else if (!out.note.empty())
      ctx.progress->set_state("");
    pg_action_done done{action, out.ok, out.ok ? out.note : out.error, out.started_pid};
    if (auto strong = caf::actor_cast<caf::strong_actor_ptr>(weak))
      caf::anon_send(caf::actor_cast<postgres_supervisor_actor>(strong), std::move(done));
  });
  send_status(self);
}

}  // namespace praetor::supervisor
