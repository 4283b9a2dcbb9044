// What the parts of decide() share (decide.cpp, decide_bootstrap.cpp): the builder of one
// decision and small readings of the inputs. Internal to actors/ha.
#pragma once

#include <string>

#include "actors/ha/decide.hpp"

namespace praetor::ha {

// Accumulates one decision: commands, the reason sentence, and the next memory.
class builder {
 public:
  explicit builder(const ha_inputs& in) { d_.next = in.memory; }

  void say(std::string reason) { d_.reason = std::move(reason); }
  void send(ha_command c) { d_.commands.push_back(std::move(c)); }
  // A command for the supervisor takes the next sequence number, so that the decider can tell
  // when the supervisor has taken it up (pg_status.accepted_seq).
  std::uint64_t next_pg_seq() { return ++d_.next.last_pg_seq; }
  ha_memory& memory() { return d_.next; }
  void wake_at(std::int64_t ms) { d_.wake_at_ms = ms; }
  // wake_at(ms) unless an earlier wake-up is already asked for.
  void wake_by(std::int64_t ms) {
    if (d_.wake_at_ms == 0 || ms < d_.wake_at_ms) d_.wake_at_ms = ms;
  }
  decision done() { return std::move(d_); }

 private:
  decision d_;
};

inline const std::string& me(const ha_inputs& in) {
  return in.settings.name;
}

inline bool session_live(const ha_inputs& in) {
  return in.session.state == session_state::connected;
}

inline bool lock_left_by_old_session(const ha_inputs& in) {
  const auto& l = in.view->leader;
  return session_live(in) && l && l->name == me(in) && l->owner_session != in.session.session_id &&
         l->owner_session != in.memory.released_session;
}

inline const member_record* other_leader(const ha_inputs& in) {
  const auto& l = in.view->leader;
  if (!l || l->name == me(in)) return nullptr;
  return in.view->find_member(l->name);
}

inline bool reachable(const member_record& m) {
  return !m.host().empty() && m.port() > 0;
}

// What a replica streams from, as Patroni's _get_node_to_follow: the member tags.replicatefrom
// names when the view has it (cascading replication), else the leader.
const member_record& node_to_follow(const ha_inputs& in, const member_record& leader);

inline upstream_member upstream_of(const member_record& m) {
  return {m.name, m.host(), m.port(), false, {}};
}

inline std::string address_of(const member_record& m) {
  return m.host() + ":" + std::to_string(m.port());
}

inline bool pg_busy(const ha_inputs& in) {
  return !in.pg.action.empty() || in.memory.last_pg_seq > in.pg.accepted_seq;
}

inline bool pg_running(const pg_status& pg) {
  return pg.state == "running";
}

// Patroni's clone source: a running member tagged clonefrom (not me, not the leader), else the
// leader. Members are sorted by name, so the choice is stable.
const member_record& clone_source(const ha_inputs& in, const member_record& leader);

// An operator's reinitialize (reinitialize.cpp): re-clone, or say why not.
void decide_reinitialize(const ha_inputs& in, builder& b);

// The bootstrap rows (decide_bootstrap.cpp).
void decide_without_data(const ha_inputs& in, builder& b);
// A start, rejoin or clone that failed is tried again once per loop_wait, not at every status:
// false (with the reason said and a wake-up asked for) while the next attempt is not due.
bool start_due(const ha_inputs& in, builder& b);
// Before the lock holder makes PostgreSQL writable (a start as the primary, a promote): true
// when the view showing the lock was loaded within the fence's lease. Otherwise a daemon that
// stalled (frozen, swapped out) could act on a lock that has passed to another member in the
// meantime: asks dcs_session to confirm the lock (which loads a new view), says why, false.
bool lock_seen_lately(const ha_inputs& in, builder& b, const std::string& before);
// PostgreSQL is stopped (decide_stopped.cpp).
void decide_stopped(const ha_inputs& in, builder& b);
void finish_bootstrap(const ha_inputs& in, builder& b);
// initdb or the first start failed: give the initialize key back so that another member may try,
// and have the supervisor stop PostgreSQL and move the data directory aside. `why` = "": what
// the supervisor last said.
void give_up_bootstrap(const ha_inputs& in, builder& b, const std::string& why = {});
// After give_up_bootstrap: once the supervisor is done, shut the daemon down (exit status 1).
void after_failed_bootstrap(const ha_inputs& in, builder& b);

}  // namespace praetor::ha
