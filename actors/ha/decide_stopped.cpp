// decide() for a member whose PostgreSQL is stopped (docs/architecture.md, "The main scenarios,
// room by room"): the lock holder restarts it or hands the lock over, a switchover's old
// primary gives the lock up with its shutdown checkpoint, others rejoin the leader; failed
// attempts are retried once per loop_wait.
#include <utility>

#include "actors/ha/decide_parts.hpp"
#include "actors/ha/healing.hpp"
#include "actors/ha/standby_cluster.hpp"
#include "actors/ha/sync_replication.hpp"

namespace praetor::ha {

namespace {

// A running replica (by its member record) that may take over, so that giving the lock up
// leads somewhere.
const member_record* replica_to_take_over(const ha_inputs& in) {
  for (const auto& m : in.view->members)
    if (m.name != me(in) && m.state == "running" && !m.nofailover() && !m.api_url.empty() &&
        (!sync_limits_promotion(in) || in.view->sync.matches(m.name)))
      return &m;
  return nullptr;
}

// PostgreSQL stopped under the lock holder (docs/architecture.md, "The main scenarios, room by
// room"): start it again as the primary, for at most primary_start_timeout; past it (at once when
// the timeout is 0), and with a replica able to take over, give the lock up instead.
void restart_or_hand_over(const ha_inputs& in, builder& b) {
  auto& mem = b.memory();
  if (mem.crash_start_since_ms == 0) mem.crash_start_since_ms = in.now_ms;
  const auto limit = std::int64_t{in.settings.primary_start_timeout} * 1000;
  const bool expired = in.now_ms - mem.crash_start_since_ms >= limit;
  if (expired) {
    if (const auto* other = replica_to_take_over(in)) {
      mem.crash_start_since_ms = 0;
      mem.released_session = in.session.session_id;
      mem.slots_sent.reset();
      b.send(release_leader{});
      b.say(std::string(in.settings.primary_start_timeout == 0
                            ? "Primary crashed. Failing over: primary_start_timeout is 0"
                            : "postgres did not start as primary within primary_start_timeout (" +
                                  std::to_string(in.settings.primary_start_timeout) + " s)") +
            "; released the leader lock so that '" + other->name +
            "' or another replica can "
            "take over");
      return;
    }
  }
  if (!start_due(in, b)) return;
  if (!lock_seen_lately(in, b, "starting PostgreSQL as the primary")) return;
  b.send(start_postgres{b.next_pg_seq(), true, {}});
  b.say("starting primary after failure: I hold the leader lock" +
        std::string(expired ? " (past primary_start_timeout, but no replica can take over)" : ""));
}

}  // namespace

void decide_stopped(const ha_inputs& in, builder& b) {
  auto& mem = b.memory();
  if (holds_leader_lock(in) && mem.switchover_demote) {
    // Patroni's graceful demote: the status carries the shutdown checkpoint, the last WAL the
    // candidate must have, and ending the session drops the lock at once.
    mem.switchover_demote = false;
    mem.follow_after_demote = true;
    mem.released_session = in.session.session_id;
    b.send(release_leader{in.pg.shutdown_checkpoint});
    b.say(in.pg.shutdown_checkpoint.value
              ? "manual failover: released the leader lock after a clean shutdown at " +
                    in.pg.shutdown_checkpoint.to_string()
              : "manual failover: released the leader lock; the shutdown was not clean (" +
                    (in.pg.last_error.empty() ? in.pg.state : in.pg.last_error) + ")");
    return;
  }
  mem.switchover_demote = false;
  // Patroni's graceful demote starts PostgreSQL again as a replica itself, in maintenance mode
  // too; only a PostgreSQL that stopped otherwise waits for the operator there.
  const bool follow_after_demote = std::exchange(mem.follow_after_demote, false);
  if (in.settings.paused && !follow_after_demote) {
    // Maintenance mode starts nothing; the lock of a stopped primary goes (Patroni's rule).
    if (holds_leader_lock(in)) {
      mem.released_session = in.session.session_id;
      mem.slots_sent.reset();
      b.send(release_leader{});
      b.say("removed leader lock because postgres is not running");
      return;
    }
    b.say("postgres is not running: not starting it in maintenance mode");
    return;
  }
  if (const auto& sc = in.settings.standby_cluster;
      sc && !sc->host.empty() && (holds_leader_lock(in) || !in.view->leader)) {
    // Patroni's recover() in a standby cluster: the lock holder, or anybody while nobody holds
    // the lock, follows the remote primary (checked for divergence first, as any rejoin).
    if (!start_due(in, b)) return;
    b.send(rejoin_postgres{b.next_pg_seq(), remote_primary(*sc), in.settings.divergence, false});
    b.say(holds_leader_lock(in)
              ? "starting as a standby leader because i had the session lock"
              : "trying to follow a remote member because standby cluster is unhealthy");
    return;
  }
  if (holds_leader_lock(in)) {
    restart_or_hand_over(in, b);
    return;
  }
  if (const auto* leader = other_leader(in); leader && reachable(*leader)) {
    // The supervisor checks for a diverged timeline first (a former primary), and rewinds or
    // re-clones as configured before it starts following. Against the leader: a cascading
    // replica moves to its tags.replicatefrom member once it runs.
    // A rejoin that found the data diverged and could not heal it is not tried again against
    // the same leader: nothing would change but the log.
    const bool unhealed = in.pg.state == "diverged" || in.pg.state == "rewind failed";
    if (unhealed && mem.heal_checked_against == heal_key(*leader)) {
      b.say("not rejoining leader '" + leader->name + "': " + in.pg.last_error);
      return;
    }
    if (!start_due(in, b)) return;
    mem.heal_checked_against = heal_key(*leader);
    b.send(rejoin_postgres{b.next_pg_seq(), upstream_of(*leader), in.settings.divergence, false});
    b.say("rejoining leader '" + leader->name + "' as a secondary");
    return;
  }
  if (!start_due(in, b)) return;
  b.send(start_postgres{b.next_pg_seq(), false, {}});
  b.say("starting as a secondary: no leader to follow yet");
}

// A start or rejoin that failed is tried again once per loop_wait, as Patroni's loop tries, not
// at every status the supervisor sends: a broken configuration or an upstream that refuses
// makes no restart storm. False (with the reason said and a wake-up asked for) while the next
// attempt is not due.
bool start_due(const ha_inputs& in, builder& b) {
  auto& mem = b.memory();
  const bool failed =
      in.pg.state == "start failed" || (in.pg.state == "stopped" && !in.pg.last_error.empty());
  if (!failed) return true;
  if (in.now_ms < mem.start_retry_at_ms) {
    b.wake_at(mem.start_retry_at_ms);
    b.say(std::string(in.pg.state == "start failed" ? "postgres failed to start ("
                                                    : "the last attempt failed (") +
          in.pg.last_error + "); trying again in " +
          std::to_string((mem.start_retry_at_ms - in.now_ms + 999) / 1000) + " s");
    return false;
  }
  mem.start_retry_at_ms = in.now_ms + std::int64_t{in.settings.loop_wait} * 1000;
  return true;
}

}  // namespace praetor::ha
