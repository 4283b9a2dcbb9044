#include "actors/ha/ha_decider.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "actors/actor_meter/measured.hpp"
#include "actors/actor_meter/report.hpp"
#include "actors/ha/apply_event.hpp"
#include "actors/ha/command_routing.hpp"
#include "actors/ha/decide.hpp"
#include "actors/ha/failsafe.hpp"
#include "actors/ha/fence_lease.hpp"
#include "actors/ha/reinitialize.hpp"
#include "actors/ha/settings_change.hpp"
#include "config/dynamic_cache.hpp"

namespace praetor::ha {

namespace {

using self_ptr = ha_decider_actor::stateful_pointer<ha_decider_state>;

std::int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

node_snapshot snapshot_of(const ha_inputs& in, const std::string& reason) {
  node_snapshot s;
  s.scope = in.settings.scope;
  s.name = in.settings.name;
  s.tags = in.settings.tags;
  s.pg = in.pg;
  s.view = in.view;
  s.session = in.session;
  s.has_lock = holds_leader_lock(in);
  s.last_reason = reason;
  // Watches keep the view current while the session lives, so it was last confirmed now;
  // after a loss, when the session was last connected.
  if (in.view)
    s.dcs_last_seen_ms =
        in.session.state == session_state::connected ? in.now_ms : in.session.since_ms;
  s.ttl = in.settings.ttl;
  s.loop_wait = in.settings.loop_wait;
  s.next_loop_ms = in.memory.next_loop_ms;
  s.failsafe_active = failsafe_active(in);
  return s;
}

// The regular loop: one chain of ticks, loop_wait apart. Extra ticks asked for by a decision
// (wake_at_ms) arrive in between and do not start a second chain.
void schedule_tick(self_ptr self) {
  auto now = wall_ms();
  if (now + 5 < self->state.tick_due_ms) return;
  auto period = std::chrono::seconds(self->state.inputs.settings.loop_wait);
  self->state.tick_due_ms =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(period).count();
  self->delayed_send(self, period, loop_tick{});
}

std::int64_t steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// The fence's lease follows every decision: renewed (at most once a second) while this member
// holds the lock as the primary, left to run out while PostgreSQL is a primary without a
// confirmed lock, ended once it is not.
void keep_fence_lease(self_ptr self) {
  auto& st = self->state;
  const auto wanted = fence_lease_ms(st.inputs);
  if (!wanted) return;
  const auto lease = *wanted;
  const auto now = steady_ms();
  if (lease == 0 && st.fence_lease_ms == 0) return;
  if (lease != 0 && lease == st.fence_lease_ms && now - st.fence_renewed_ms < 1000) return;
  if (lease != 0 && st.fence_lease_ms == 0)
    spdlog::info(
        "fence: PostgreSQL is stopped unless the HA loop confirms the lock again within "
        "{} ms",
        lease);
  st.fence_lease_ms = lease;
  st.fence_renewed_ms = now;
  self->send(st.peers->postgres, fence_lease{lease});
}

// praetor_decisions_total: one per command kind a decision sent, "no_action" when it sent none.
void count_decision(actor_meter& meter, const decision& d) {
  if (d.commands.empty()) meter.count(metric_families::decisions_total, "no_action");
  for (const auto& c : d.commands) meter.count(metric_families::decisions_total, command_name(c));
}

void run(self_ptr self, const ha_event& event) {
  auto& st = self->state;
  auto now = wall_ms();
  st.inputs = apply_event(std::move(st.inputs), event, now);
  if (!st.peers) return;  // folded; the first decision comes with ha_peers
  auto d = decide(st.inputs);
  st.inputs.memory = d.next;
  count_decision(st.meter, d);
  for (const auto& c : d.commands)
    route_command(c, *st.peers, [&](const auto& to, const auto& msg) { self->send(to, msg); });
  keep_fence_lease(self);
  self->send(st.peers->rest, snapshot_of(st.inputs, d.reason));
  if (d.wake_at_ms > now)
    self->delayed_send(self, std::chrono::milliseconds(d.wake_at_ms - now), loop_tick{});
  // One line per decision that says something new; the regular loop repeats it at debug level.
  if (d.reason != st.last_reason)
    spdlog::info("{}", d.reason);
  else
    spdlog::debug("{}", d.reason);
  st.last_reason = d.reason;
  if (st.trace) st.trace->record(now, event, d);
}

// The top-level keys that differ between two configurations, for the log line.
std::string changed_keys(const std::optional<boost::json::object>& before,
                         const boost::json::object& after) {
  std::string out;
  auto note = [&out](std::string_view key) {
    out += out.empty() ? "" : ", ";
    out += key;
  };
  for (const auto& [key, value] : after) {
    const auto* old = before ? before->if_contains(key) : nullptr;
    if (!old || *old != value) note(key);
  }
  if (before)
    for (const auto& [key, value] : *before)
      if (!after.contains(key)) note(key);
  return out;
}

// Hands each actor whose settings changed its new ones; the decider's own go through decide().
// A reload (`reload` set) has the postmaster reload its files even when nothing changed.
void hand_out(self_ptr self, node_settings next, bool reload) {
  auto& st = self->state;
  if (reload)
    self->send(st.peers->postgres, reload_postgres{next.postgres});
  else if (next.postgres != st.followed.postgres)
    self->send(st.peers->postgres, next.postgres);
  if (next.postgres != st.followed.postgres) self->send(st.peers->slots, next.postgres);
  if (next.dcs != st.followed.dcs) self->send(st.peers->dcs, next.dcs);
  if (next.rest != st.followed.rest) self->send(st.peers->rest, next.rest);
  bool decider_changed = next.ha != st.followed.ha;
  st.followed = std::move(next);
  if (decider_changed) run(self, st.followed.ha);
}

// Patroni's save_cache, once a loop: the cluster's configuration into the data directory, so
// that a restart without the DCS, or a new cluster adopting this data, starts from it.
void save_config_cache(self_ptr self) {
  auto& st = self->state;
  if (!st.followed_config || st.cached_config == st.followed_config) return;
  std::string error;
  if (config::save_dynamic_cache(st.followed.postgres.data_dir, *st.followed_config, error)) {
    st.cached_config = st.followed_config;
    st.cache_error.clear();
  } else if (!error.empty() && error != st.cache_error) {
    spdlog::warn("cannot save the dynamic configuration cache: {}", error);
    st.cache_error = error;
  }
}

// A view with a changed `config` znode: the actors whose settings changed get them. An absent
// or unreadable znode changes nothing (Patroni keeps its last configuration too).
void follow_dynamic_config(self_ptr self, const cluster_view& v) {
  auto& st = self->state;
  if (!v.config || !st.derive_settings || st.followed_config == v.config) return;
  auto keys = st.followed_config ? changed_keys(st.followed_config, *v.config) : "";
  st.followed_config = v.config;
  auto next = st.derive_settings(v.config);
  if (next == st.followed) return;
  if (keys.empty())
    spdlog::info("following the cluster's dynamic configuration (version {})",
                 v.config_version.value);
  else
    spdlog::info("applying the cluster's dynamic configuration (version {}; changed: {})",
                 v.config_version.value, keys);
  hand_out(self, std::move(next), false);
}

// POST /reload or SIGHUP, as Patroni's: the file read again and applied, PostgreSQL reloaded.
// A file that no longer validates, or that moves what cannot move under a running member,
// changes nothing.
void reload_config_file(self_ptr self) {
  auto& st = self->state;
  if (!st.read_config_file || !st.peers) return;
  auto read = st.read_config_file();
  if (auto* why = std::get_if<std::string>(&read)) {
    spdlog::error("reload: {}; keeping the running configuration", *why);
    return;
  }
  auto derive = std::get<settings_source>(std::move(read));
  auto next = derive(st.followed_config);
  if (auto key = fixed_setting_changed(st.followed, next); !key.empty()) {
    spdlog::error(
        "reload: {} changed in the configuration file, which a running member cannot follow; "
        "keeping the running configuration (restart praetor to apply it)",
        key);
    return;
  }
  spdlog::info("reload: applying the configuration file{}",
               next == st.followed ? " (unchanged); reloading PostgreSQL" : "");
  st.derive_settings = std::move(derive);
  hand_out(self, std::move(next), true);
}

}  // namespace

ha_decider_actor::behavior_type ha_decider(self_ptr self, node_settings initial,
                                           settings_source derive_settings,
                                           config_file_reader read_config_file,
                                           std::string trace_path) {
  self->state.inputs.settings = initial.ha;
  self->state.followed = std::move(initial);
  self->state.derive_settings = std::move(derive_settings);
  self->state.read_config_file = std::move(read_config_file);
  if (!trace_path.empty()) {
    self->state.trace = std::make_unique<trace_writer>(trace_path);
    if (!self->state.trace->ok()) {
      spdlog::error("cannot write the decision trace to {}: check the path and its permissions",
                    trace_path);
      self->state.trace.reset();
    }
  }
  return {
      measured(self->state.meter,
               [=](const ha_peers& peers) {
                 self->state.peers = peers;
                 if (self->state.trace) self->state.trace->start(self->state.inputs);
                 if (const auto& v = self->state.inputs.view) follow_dynamic_config(self, *v);
                 run(self, loop_tick{});
                 schedule_tick(self);
               }),
      measured(self->state.meter,
               [=](const loop_tick& t) {
                 run(self, t);
                 save_config_cache(self);
                 schedule_tick(self);
               }),
      measured(self->state.meter,
               [=](const cluster_view& v) {
                 if (self->state.peers) follow_dynamic_config(self, v);
                 run(self, v);
               }),
      measured(self->state.meter, [=](const dcs_session_status& s) { run(self, s); }),
      measured(self->state.meter, [=](const pg_status& pg) { run(self, pg); }),
      measured(self->state.meter, [=](const dcs_result& r) { run(self, r); }),
      measured(self->state.meter, [=](const peer_statuses& p) { run(self, p); }),
      measured(self->state.meter, [=](const failsafe_answers& a) { run(self, a); }),
      measured(self->state.meter,
               [=](const failsafe_notice& n) -> failsafe_reply {
                 auto reply = answer_failsafe_notice(self->state.inputs);
                 if (reply.status == 200 && self->state.peers) run(self, n);
                 return reply;
               }),
      measured(self->state.meter,
               [=](const slot_report& r) {
                 for (const auto& e : r.errors) spdlog::warn("replication slot: {}", e);
                 for (const auto& c : r.created) spdlog::info("created replication slot {}", c);
                 for (const auto& c : r.dropped) spdlog::info("dropped replication slot {}", c);
                 run(self, r);
               }),
      measured(self->state.meter, [=](reload_config) { reload_config_file(self); }),
      measured(self->state.meter,
               [=](const reinitialize_request& r) -> reinitialize_answer {
                 auto& st = self->state;
                 auto why = st.peers
                                ? reinitialize_refusal(st.inputs, r.force)
                                : std::optional<std::string>("starting up, can not reinitialize");
                 if (why) {
                   spdlog::warn("reinitialize refused: {}", *why);
                   return {false, *why};
                 }
                 run(self, r);
                 return {true, "reinitialize started"};
               }),
      [=](metrics_report) -> actor_metrics { return metrics_of(self->state.meter, self); },
  };
}

}  // namespace praetor::ha
