#include "actors/ha/apply_event.hpp"

namespace praetor::ha {

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

void fold_dcs_result(ha_inputs& in, const dcs_result& r) {
  auto& mem = in.memory;
  if (r.op == "race_initialize") {
    mem.race = r.ok ? initialize_race::won : initialize_race::lost;
  } else if (r.op == "acquire_leader" && !r.ok) {
    mem.acquire_requested = false;
  } else if (r.op == "acquire_leader" && in.view) {
    // The lock is ours from the moment ZooKeeper created it under our session: act now, not
    // after the reload that will show it (a switchover's write outage). dcs_session answers
    // and loads in order, so no view loaded before the write can arrive after this result.
    in.view->leader = leader_lock{in.settings.name, in.session.session_id};
    mem.acquire_requested = false;
  }
  // A failed sync key write may be sent again; a successful one waits for the view.
  if (r.op == "write_sync" && !r.ok) mem.sync_write_sent.reset();
  if (r.op == "write_failsafe" && !r.ok) mem.failsafe_sent.reset();
  mem.last_dcs_failure = r.ok ? std::string() : r.op + ": " + r.detail;
}

void fold_view(ha_inputs& in, const cluster_view& v) {
  auto& mem = in.memory;
  if (v.leader) mem.acquire_requested = false;
  if (v.leader)
    mem.leaderless_since_ms = 0;
  else if (mem.leaderless_since_ms == 0)
    mem.leaderless_since_ms = in.now_ms;
  // The race winner gave the initialize key back (its bootstrap failed): race again.
  bool had_initialize = in.view && in.view->initialize;
  if (mem.race == initialize_race::lost && had_initialize && !v.initialize)
    mem.race = initialize_race::not_tried;
  if (mem.sync_write_sent && mem.sync_write_sent->expected != v.sync.version)
    mem.sync_write_sent.reset();
  in.view = v;
}

}  // namespace

ha_inputs apply_event(ha_inputs in, const ha_event& e, std::int64_t now_ms) {
  in.now_ms = now_ms;
  std::visit(overloaded{
                 [&](const cluster_view& v) { fold_view(in, v); },
                 [&](const dcs_session_status& s) {
                   if (s.seq < in.session.seq) return;  // a late copy of an older status
                   // Our ephemeral member record died with the old session: publish it again.
                   if (s.session_id != in.session.session_id) in.memory.published_member.reset();
                   // Expired, then connecting again: the outage began at the first loss.
                   if (s.state == session_state::connected)
                     in.memory.dcs_lost_since_ms = 0;
                   else if (in.memory.dcs_lost_since_ms == 0)
                     in.memory.dcs_lost_since_ms = s.since_ms ? s.since_ms : now_ms;
                   in.session = s;
                 },
                 [&](const pg_status& pg) { in.pg = pg; },
                 [&](const dcs_result& r) { fold_dcs_result(in, r); },
                 [&](const slot_report& r) {
                   in.memory.slots_confirmed = r.confirmed;
                   in.memory.slots_missing = r.missing;
                 },
                 [&](const peer_statuses& p) {
                   // Answers to an older round arrive late: the newer round wins.
                   if (p.round >= in.peers.round) in.peers = p;
                 },
                 [&](const ha_settings& s) { in.settings = s; },
                 [&](const reinitialize_request& r) {
                   in.memory.reinitialize_wanted = true;
                   in.memory.reinitialize_force = r.force;
                 },
                 [&](const failsafe_answers& a) {
                   if (a.round >= in.failsafe.round) in.failsafe = a;
                 },
                 [&](const failsafe_notice& n) {
                   // Accepted (the shell answered 200): a primary runs in failsafe mode.
                   in.memory.failsafe_active_ms = now_ms;
                   in.memory.failsafe_leader = n.name;
                   in.memory.failsafe_slots = n.slots;
                 },
                 [&](const loop_tick&) {
                   in.memory.next_loop_ms =
                       now_ms + static_cast<std::int64_t>(in.settings.loop_wait) * 1000;
                 },
             },
             e);
  return in;
}

}  // namespace praetor::ha
