#include "actors/dcs_session/dcs_session.hpp"

#include <spdlog/spdlog.h>

#include "actors/actor_meter/measured.hpp"
#include "actors/actor_meter/report.hpp"
#include "actors/dcs_session/dcs_writes.hpp"
#include "backends/dcs/cluster_loader.hpp"

namespace praetor {
namespace {

using self_pointer = dcs_session_actor::stateful_pointer<dcs_session_state>;
using namespace std::chrono_literals;

constexpr auto retry_delay = 1s;
constexpr auto unreachable_warning_every = 10s;

std::string_view to_string_view(session_state s) {
  switch (s) {
    case session_state::connecting:
      return "connecting";
    case session_state::connected:
      return "connected";
    case session_state::disconnected:
      return "disconnected";
    case session_state::expired:
      return "expired";
  }
  return "unknown";
}

std::string hosts_text(const dcs_settings& s) {
  std::string out;
  for (const auto& h : s.hosts) out += (out.empty() ? "" : ",") + h;
  return out;
}

void arm_retry(self_pointer self) {
  if (self->state.retry_armed) return;
  self->state.retry_armed = true;
  self->delayed_send(self, retry_delay, dcs_reload_due{});
}

void queue_reload(self_pointer self) {
  if (self->state.reload_queued) return;
  self->state.reload_queued = true;
  self->send(self, dcs_reload_due{});
}

// Tells the decider the session detail changed (state unchanged), once per distinct detail.
void report_detail(self_pointer self, std::string detail) {
  auto& st = self->state;
  if (st.status.detail == detail) return;
  st.status.detail = std::move(detail);
  self->send(st.decider, st.status);
}

void warn_unreachable(self_pointer self) {
  auto& st = self->state;
  auto now = std::chrono::steady_clock::now();
  if (now - st.unreachable_since < 2s) return;  // give the first connection attempt a chance
  if (now - st.last_unreachable_warning < unreachable_warning_every) return;
  st.last_unreachable_warning = now;
  auto text = "ZooKeeper at " + hosts_text(st.settings) + " is not reachable; retrying";
  spdlog::warn("DCS: {} (session {})", text, to_string_view(st.status.state));
  report_detail(self, text);
}

void reload(self_pointer self) {
  auto& st = self->state;
  if (st.status.state != session_state::connected) {
    warn_unreachable(self);
    arm_retry(self);
    return;
  }
  auto loaded = dcs::load_cluster(*st.client, *st.paths, true);
  if (!loaded.ok()) {
    spdlog::warn("DCS: loading the cluster under {} failed: {}; retrying in 1 s", st.paths->base(),
                 loaded.error.detail);
    report_detail(self, loaded.error.detail);
    arm_retry(self);
    return;
  }
  if (!st.status.detail.empty()) report_detail(self, "");
  self->send(st.decider, std::move(*loaded.view));
}

template <class Command>
dcs_result write(self_pointer self, const Command& command) {
  auto& st = self->state;
  write_context w{*st.client, *st.paths, st.settings.member_name};
  auto result = apply(w, command);
  if (!result.ok) spdlog::warn("DCS: {} failed: {}", result.op, result.detail);
  return result;
}

// A write the decider asked for: it learns the outcome, then sees the cluster as it is now.
template <class Command>
void perform(self_pointer self, const Command& command) {
  self->send(self->state.decider, write(self, command));
  reload(self);
}

}  // namespace

dcs_session_actor::behavior_type dcs_session(self_pointer self, ha_decider_actor decider,
                                             dcs_settings settings,
                                             std::shared_ptr<dcs::client> client) {
  auto& st = self->state;
  st.client = std::move(client);
  st.paths.emplace(settings.base_path);
  st.decider = std::move(decider);
  st.settings = std::move(settings);
  st.unreachable_since = std::chrono::steady_clock::now();

  // The callbacks run on the client's threads: one anon_send each, through a weak handle so
  // that the client never keeps this actor alive. Session changes go to the decider directly
  // as well: this actor may be blocked in a request to a server that stopped answering, and a
  // primary must learn that it cannot confirm its lock without waiting for it.
  caf::weak_actor_ptr weak{self->ctrl()};
  auto on_session = [weak, decider = st.decider](const dcs_session_status& s) {
    caf::anon_send(decider, s);
    if (auto strong = weak.lock()) caf::anon_send(caf::actor_cast<dcs_session_actor>(strong), s);
  };
  auto on_watch = [weak](const std::string& path) {
    if (auto strong = weak.lock())
      caf::anon_send(caf::actor_cast<dcs_session_actor>(strong), dcs_watch_fired{path});
  };
  auto owned = st.client;
  self->attach_functor([owned] { owned->close(); });
  st.client->start(on_session, on_watch);
  arm_retry(self);  // drives the "not reachable" warning until the first session comes
  st.meter.count(metric_families::actor_restarts_total, {}, 0);  // exported from the start

  return {
      measured(self->state.meter, [self](const race_initialize& m) { perform(self, m); }),
      measured(self->state.meter, [self](const write_initialize& m) { perform(self, m); }),
      measured(self->state.meter, [self](const cancel_initialize& m) { perform(self, m); }),
      measured(self->state.meter, [self](const write_config& m) { perform(self, m); }),
      measured(self->state.meter, [self](const acquire_leader& m) { perform(self, m); }),
      measured(self->state.meter, [self](const refresh_leader& m) { perform(self, m); }),
      measured(self->state.meter, [self](const release_leader& m) { perform(self, m); }),
      measured(self->state.meter, [self](const publish_member& m) { perform(self, m); }),
      measured(self->state.meter, [self](const publish_status& m) { perform(self, m); }),
      measured(self->state.meter, [self](const clear_failover& m) { perform(self, m); }),
      measured(self->state.meter, [self](const write_history& m) { perform(self, m); }),
      measured(self->state.meter, [self](const write_failsafe& m) { perform(self, m); }),
      measured(self->state.meter, [self](const write_sync& m) { perform(self, m); }),
      measured(self->state.meter,
               [self](const write_failover& m) -> dcs_result {
                 // Asked by the REST front end, which answers its HTTP client from the result.
                 auto result = write(self, m);
                 reload(self);
                 return result;
               }),
      measured(self->state.meter,
               [self](const change_config& m) -> config_change_result {
                 // Asked by the REST front end (PATCH and PUT /config); the decider sees the new
                 // configuration in the view the reload pushes.
                 auto& state = self->state;
                 write_context w{*state.client, *state.paths, state.settings.member_name};
                 auto result = apply(w, m);
                 if (!result.ok)
                   spdlog::warn("DCS: writing the configuration failed: {}", result.detail);
                 reload(self);
                 return result;
               }),
      measured(
          self->state.meter,
          [self](dcs_settings next) {
            // The dynamic configuration changed the timings. A new ttl needs a new session, as in
            // Patroni: the old one's ephemerals (our member record, the lock if we hold it) go
            // with it and the decider creates them again under the new one.
            auto& state = self->state;
            if (next == state.settings) return;
            auto old_ttl = state.settings.ttl;
            state.settings = std::move(next);
            if (state.client->set_timeouts(state.settings)) {
              spdlog::warn(
                  "DCS: ttl changed from {} to {} s; a ZooKeeper session keeps its timeout, so "
                  "opening a new session (the member record and a held leader lock are created "
                  "again)",
                  old_ttl, state.settings.ttl);
              state.client->restart_session();
            }
          }),
      measured(self->state.meter,
               [self](const dcs_watch_fired& m) {
                 spdlog::debug("DCS: watch fired on {}", m.path);
                 queue_reload(self);
               }),
      measured(self->state.meter,
               [self](const dcs_session_status& s) {
                 auto& state = self->state;
                 auto previous = state.status.state;
                 state.status = s;
                 state.meter.set_state(metric_families::dcs_session_state, to_string_view(s.state));
                 if (s.state == session_state::connected) {
                   if (previous != session_state::connected) {
                     spdlog::info("DCS: connected to ZooKeeper at {} (session 0x{:x})",
                                  hosts_text(state.settings), s.session_id);
                     // The first connection is not a reconnect.
                     if (state.ever_connected)
                       state.meter.count(metric_families::dcs_reconnects_total);
                     // A session other than the last one: the last expired or was closed.
                     if (state.last_session_id != 0 && s.session_id != state.last_session_id)
                       state.meter.count(metric_families::actor_restarts_total);
                     state.last_session_id = s.session_id;
                     state.ever_connected = true;
                   }
                   state.last_unreachable_warning = {};
                 } else if (previous == session_state::connected) {
                   state.unreachable_since = std::chrono::steady_clock::now();
                   spdlog::warn("DCS: ZooKeeper session {}: {}", to_string_view(s.state), s.detail);
                 }
                 if (s.state == session_state::connected)
                   queue_reload(self);
                 else
                   arm_retry(self);
               }),
      measured(self->state.meter,
               [self](const dcs_reload_due&) {
                 self->state.reload_queued = false;
                 self->state.retry_armed = false;
                 reload(self);
               }),
      [self](metrics_report) -> actor_metrics { return metrics_of(self->state.meter, self); },
  };
}

}  // namespace praetor
