#include "actors/ha/decide.hpp"

#include <algorithm>
#include <utility>

#include "actors/ha/decide_parts.hpp"
#include "actors/ha/failsafe.hpp"
#include "actors/ha/fence_lease.hpp"
#include "actors/ha/healing.hpp"
#include "actors/ha/leader_race.hpp"
#include "actors/ha/manual_failover.hpp"
#include "actors/ha/publication.hpp"
#include "actors/ha/slot_set.hpp"
#include "actors/ha/standby_cluster.hpp"
#include "actors/ha/sync_replication.hpp"

namespace praetor::ha {

namespace {

// The peers' answers in `in.peers` reply to a probe sent at or after `since_ms`, in this loop.
bool answers_current(const ha_inputs& in, std::int64_t since_ms) {
  const auto& mem = in.memory;
  return mem.probe_round > 0 && in.peers.round == mem.probe_round &&
         mem.probe_sent_ms >= since_ms && !loop_due(in.settings, mem.probe_sent_ms, in.now_ms);
}

// Asks `targets` how far they are, unless such a question is still out.
void ask_peers(const ha_inputs& in, builder& b, std::vector<member_record> targets,
               std::int64_t since_ms, const std::string& purpose) {
  auto& mem = b.memory();
  bool in_flight = mem.probe_round > in.peers.round && mem.probe_sent_ms >= since_ms &&
                   !loop_due(in.settings, mem.probe_sent_ms, in.now_ms);
  if (in_flight) {
    b.say(purpose + ": waiting for the other members' answers");
    return;
  }
  auto n = targets.size();
  b.send(probe_peers{++mem.probe_round, std::move(targets), 2000});
  mem.probe_sent_ms = in.now_ms;
  b.say(purpose + ": asking " + std::to_string(n) + " member(s) how far they are");
}

// Clears the failover key once per version (a compare-and-set: a newer request survives).
void clear_failover_key(const ha_inputs& in, builder& b) {
  if (!in.view->failover) return;
  auto version = in.view->failover->version;
  if (b.memory().failover_clear_sent == version.value) return;
  b.send(clear_failover{version});
  b.memory().failover_clear_sent = version.value;
}

// The lock holder acts on a switchover or failover request (docs/architecture.md, "The main
// scenarios, room by room"). Returns false when there is none for now, so that the leader carries
// on.
bool failover_as_holder(const ha_inputs& in, builder& b) {
  auto& mem = b.memory();
  auto v = judge_failover_as_holder(in, answers_current(in, mem.failover_noticed_ms));
  switch (v.step) {
    case holder_step::none:
      if (v.why.empty()) return false;
      if (v.wake_at_ms) b.wake_at(v.wake_at_ms);
      b.say("no action. I am (" + me(in) + "), the leader with the lock; " + v.why);
      return true;
    case holder_step::clear:
      clear_failover_key(in, b);
      b.say(v.why);
      return true;
    case holder_step::probe:
      ask_peers(in, b, std::move(v.candidates), mem.failover_noticed_ms, "manual failover");
      return true;
    case holder_step::demote:
      // The key stays: the candidate reads it when the lock is gone.
      b.send(demote_postgres{b.next_pg_seq(), demote_mode::graceful, upstream_member{}, {}});
      mem.switchover_demote = true;
      mem.slots_sent.reset();
      b.say(v.why);
      return true;
  }
  return false;
}

// Patroni 3.0.2: a system identifier is valid when it has at least 10 decimal digits.
bool valid_sysid(const std::string& s) {
  return s.size() >= 10 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The lock holder's <base>/status: its WAL position and its logical slots' positions, when they
// moved, at most once per loop_wait.
void publish_leader_status(const ha_inputs& in, builder& b) {
  auto& mem = b.memory();
  auto slot_positions = published_slot_positions(in);
  if ((in.pg.wal_position != mem.published_optime || slot_positions != mem.published_slots) &&
      (mem.published_optime_ms == 0 || loop_due(in.settings, mem.published_optime_ms, in.now_ms))) {
    mem.published_optime = in.pg.wal_position;
    mem.published_optime_ms = in.now_ms;
    mem.published_slots = slot_positions;
    b.send(publish_status{in.pg.wal_position, std::move(slot_positions)});
  }
}

void decide_primary(const ha_inputs& in, builder& b) {
  auto& mem = b.memory();
  const auto& v = *in.view;
  if (in.settings.standby_cluster && !in.settings.paused) {
    // The standby cluster's data comes from the remote primary: a writable one here would fork.
    b.send(demote_postgres{b.next_pg_seq(), demote_mode::immediate_nolock,
                           remote_primary(*in.settings.standby_cluster), in.settings.divergence});
    mem.slots_sent.reset();
    b.say("demoting self: cannot be a real primary in standby cluster");
    return;
  }
  if (holds_leader_lock(in) && in.pg.watchdog_failed && !in.settings.paused) {
    // Patroni's enforce_primary_role: no primary without the watchdog it requires. Restarted as
    // a replica, still holding the lock, it then gives the lock up (decide_replica).
    b.send(demote_postgres{b.next_pg_seq(), demote_mode::immediate, upstream_member{},
                           in.settings.divergence});
    mem.slots_sent.reset();
    b.say("Demoting self because watchdog could not be activated");
    return;
  }
  if (holds_leader_lock(in)) {
    mem.switchover_demote = false;  // a demote that left us primary is over
    mem.crash_start_since_ms = 0;   // running again
    publish_leader_status(in, b);
    auto slots = leader_slots(in.settings, v, in.pg.server_version);
    keep_slots_of_members_away(in, b, slots);
    keep_slots(b, std::move(slots));
    if (auto history = history_publication(in); history && mem.history_sent_tl != in.pg.tl.value) {
      b.send(std::move(*history));
      mem.history_sent_tl = in.pg.tl.value;
    }
    publish_failsafe(in, b);
    if (failover_as_holder(in, b)) return;
    if (keep_synchronous_replication(in, b)) return;
    b.say("no action. I am (" + me(in) + "), the leader with the lock");
    return;
  }
  if (lock_left_by_old_session(in)) {
    b.send(refresh_leader{});
    b.say("re-creating the leader lock under our new DCS session");
    return;
  }
  if (!v.leader) {
    if (!mem.acquire_requested) {
      b.send(acquire_leader{});
      mem.acquire_requested = true;
    }
    b.say("acquiring the leader lock: PostgreSQL runs as primary and no member holds the lock");
    return;
  }
  if (in.settings.paused) {
    // Maintenance mode: the operator owns PostgreSQL's role (Patroni does not demote either).
    b.say("continue to run as primary without lock ('" + v.leader->name + "' holds it)");
    return;
  }
  // Another member holds the lock: a writable primary here would be a second one.
  const auto* leader = other_leader(in);
  b.send(demote_postgres{b.next_pg_seq(), demote_mode::immediate_nolock,
                         leader && reachable(*leader) ? upstream_of(*leader) : upstream_member{},
                         in.settings.divergence});
  mem.slots_sent.reset();
  b.say("demoting self because '" + v.leader->name +
        "' holds the leader lock: restarting PostgreSQL as a replica");
}

// No member holds the lock: ask the others how far they are, then take the lock if we are the
// healthiest (docs/architecture.md, "The main scenarios, room by room").
void race_for_leader(const ha_inputs& in, builder& b) {
  auto& mem = b.memory();
  if (in.settings.nofailover) {
    b.say("not racing for the leader lock: I am tagged nofailover");
    return;
  }
  if (mem.acquire_requested) {
    b.say("waiting for the result of the leader race");
    return;
  }
  if (named_candidate_is_me(in)) {
    // The old leader gave the lock up for us after a clean shutdown: nobody to ask.
    b.send(acquire_leader{});
    mem.acquire_requested = true;
    b.say("acquiring the leader lock: manual failover: I am the candidate");
    return;
  }
  if (in.settings.paused) {
    b.say("not racing for the leader lock: automatic failover is off in maintenance mode");
    return;
  }
  // Patroni's is_healthiest_node: a manual failover is judged on its own (a candidate that
  // cannot arm its watchdog gives the lock back before promoting).
  if (!in.view->failover && in.pg.watchdog_failed) {
    b.say("not racing for the leader lock: Watchdog device is not usable");
    return;
  }
  if (auto primary = failsafe_leader(in)) {
    b.say("not racing for the leader lock: '" + *primary +
          "' runs as the primary in failsafe mode (its POST /failsafe reached me within ttl)");
    return;
  }
  if (auto why = failsafe_race_refusal(in)) {
    b.say("not racing for the leader lock: " + *why);
    return;
  }
  if (sync_limits_promotion(in) && !in.view->sync.matches(me(in))) {
    b.say("not racing for the leader lock: I am not a synchronous standby (the sync key names '" +
          in.view->sync.leader + "' and its standbys)");
    return;
  }
  auto targets = probe_targets(in);
  if (!targets.empty() && !answers_current(in, mem.leaderless_since_ms)) {
    ask_peers(in, b, std::move(targets), mem.leaderless_since_ms, "no leader");
    return;
  }
  ha_inputs judged = in;
  if (targets.empty()) judged.peers.peers.clear();
  auto verdict = in.view->failover ? judge_failover_without_leader(judged) : evaluate_race(judged);
  if (!verdict.healthiest) {
    b.say("not racing for the leader lock: " + verdict.why);
    return;
  }
  b.send(acquire_leader{});
  mem.acquire_requested = true;
  b.say("acquiring the leader lock: " + verdict.why);
}

void decide_replica(const ha_inputs& in, builder& b) {
  const bool standby_leader = in.settings.standby_cluster && holds_leader_lock(in);
  if (!standby_leader) b.memory().standby_leader_told = false;
  // A replica keeps slots for the members cascading from it and the permanent logical ones (a
  // former primary's others are dropped once inactive); a standby leader those of a leader that
  // cannot decode (no logical ones); one holding the lock, about to promote, its members' too.
  keep_slots(b, standby_leader ? leader_slots(in.settings, *in.view, in.pg.server_version, true)
                : holds_leader_lock(in)
                    ? promoting_slots(in)
                    : replica_slots(in.settings, *in.view, primary_slot_positions(in),
                                    in.pg.server_version));
  if (standby_leader) {
    publish_leader_status(in, b);
    lead_standby_cluster(in, b);
    return;
  }
  if (const auto* leader = other_leader(in)) {
    if (heal_diverged_replica(in, b, *leader)) return;
    const auto& source = node_to_follow(in, *leader);
    if (in.pg.upstream != address_of(source) && reachable(source)) {
      b.send(follow_upstream{b.next_pg_seq(), upstream_of(source)});
      b.say(&source == leader
                ? "following new leader '" + leader->name + "' at " + address_of(*leader)
                : "following '" + source.name + "' at " + address_of(source) +
                      " (tags.replicatefrom)");
      return;
    }
    if (copy_missing_logical_slots(in, b, *leader)) return;
    b.say("no action. I am (" + me(in) + "), a secondary, and following a leader (" + leader->name +
          ")");
    return;
  }
  if (holds_leader_lock(in) && in.settings.paused && !named_candidate_is_me(in)) {
    // Maintenance mode promotes nobody on its own: the lock goes back (Patroni does the same).
    b.memory().released_session = in.session.session_id;
    b.send(release_leader{});
    b.say("removed leader lock: I hold it while PostgreSQL runs as a replica");
    return;
  }
  if (holds_leader_lock(in) && in.pg.watchdog_failed && !in.settings.paused) {
    b.memory().released_session = in.session.session_id;
    b.send(release_leader{});
    b.say("Not promoting self because watchdog could not be activated");
    return;
  }
  if (holds_leader_lock(in)) {
    if (!lock_seen_lately(in, b, "promoting")) return;
    if (!sync_key_ready_for_promotion(in, b)) return;
    // A request naming the leader is a handover from a live leader: the status then holds its
    // shutdown checkpoint, and promote checks that we have it. A failover from a dead leader
    // (no name) has nothing more to wait for.
    const bool handover = in.view->failover && !in.view->failover->leader.empty();
    b.send(promote_postgres{b.next_pg_seq(), handover ? in.view->optime : lsn{}});
    // Whoever takes the lock ends a switchover or failover request (Patroni clears it then).
    clear_failover_key(in, b);
    b.say("promoted self to leader by acquiring session lock");
    return;
  }
  if (lock_left_by_old_session(in)) {
    b.send(refresh_leader{});
    b.say("re-creating the leader lock under our new DCS session");
    return;
  }
  race_for_leader(in, b);
}

void decide_with_data(const ha_inputs& in, builder& b) {
  const auto& v = *in.view;
  if (b.memory().bootstrapping) {
    // A standby cluster's bootstrap is a clone of the remote primary: it ends as a replica.
    const auto made = in.settings.standby_cluster ? pg_role::replica : pg_role::primary;
    if (made == pg_role::primary && in.pg.watchdog_failed) {
      // Patroni cancels a bootstrap whose watchdog cannot be activated.
      give_up_bootstrap(in, b, "watchdog activation failed");
    } else if (pg_running(in.pg) && in.pg.role == made && !in.pg.sysid.empty()) {
      finish_bootstrap(in, b);
    } else {
      give_up_bootstrap(in, b);
    }
    return;
  }
  if (v.initialize && valid_sysid(*v.initialize) && !in.pg.sysid.empty() &&
      *v.initialize != in.pg.sysid) {
    b.say("refusing to run: the data directory belongs to another cluster (system identifier " +
          in.pg.sysid + ", the cluster's is " + *v.initialize +
          "); remove the data directory to re-clone this member");
    return;
  }
  // A lock holder whose cluster lacks the initialize or config key (its data was there before the
  // cluster was: Patroni adopts it) writes them, as Patroni does.
  if ((!v.initialize || !valid_sysid(*v.initialize)) && holds_leader_lock(in) &&
      !in.pg.sysid.empty())
    b.send(write_initialize{in.pg.sysid});
  if (!v.config && holds_leader_lock(in))
    b.send(write_config{in.settings.bootstrap_dcs, znode_version{-1}});
  if (in.pg.state == "starting") {
    b.say("postgres is starting");
    return;
  }
  if (!pg_running(in.pg)) {
    decide_stopped(in, b);
    return;
  }
  if (in.pg.role == pg_role::primary)
    decide_primary(in, b);
  else
    decide_replica(in, b);
}

// The DCS cannot confirm our lock. A primary must stop being writable before another member
// can take the lock: within retry_timeout of the loss, which the timing rule
// loop_wait + 2 * retry_timeout <= ttl keeps ahead of the lock's expiry.
void decide_without_dcs(const ha_inputs& in, builder& b) {
  std::string state = boost::describe::enum_to_string(in.session.state, "unknown");
  std::string what = "DCS is not accessible (session " + state +
                     (in.session.detail.empty() ? std::string() : ": " + in.session.detail) + ")";
  bool primary = pg_running(in.pg) && in.pg.role == pg_role::primary;
  // A replica in failsafe mode goes on advancing its logical slots to the positions the
  // failsafe primary sends (Patroni does too).
  if (!primary && in.settings.failsafe_mode && failsafe_leader(in) && pg_running(in.pg))
    keep_slots(
        b, replica_slots(in.settings, *in.view, primary_slot_positions(in), in.pg.server_version));
  if (!primary || pg_busy(in) || in.settings.paused) {
    b.say(what + ": no action until it is");
    return;
  }
  auto lost_since = in.memory.dcs_lost_since_ms ? in.memory.dcs_lost_since_ms : in.now_ms;
  auto deadline = lost_since + static_cast<std::int64_t>(in.settings.retry_timeout) * 1000;
  // Failsafe mode asks the members at once, so that a primary they all reach goes on.
  std::string failsafe_why;
  if (in.settings.failsafe_mode && failsafe_keeps_primary(in, b, failsafe_why)) return;
  const std::string because = failsafe_why.empty() ? std::string() : " (" + failsafe_why + ")";
  if (in.now_ms < deadline) {
    b.wake_by(deadline);
    b.say(what + ": demoting in " + std::to_string((deadline - in.now_ms + 999) / 1000) +
          " s unless it comes back" + because);
    return;
  }
  b.send(demote_postgres{b.next_pg_seq(), demote_mode::offline, {}, {}});
  b.memory().slots_sent.reset();
  b.say("demoting self because DCS is not accessible and I was a leader" + because);
}

}  // namespace

const member_record& node_to_follow(const ha_inputs& in, const member_record& leader) {
  const auto* tag = in.settings.tags.if_contains("replicatefrom");
  if (!tag || !tag->is_string() || tag->get_string() == me(in)) return leader;
  const auto* m = in.view->find_member(std::string(tag->get_string()));
  return m ? *m : leader;
}

bool lock_seen_lately(const ha_inputs& in, builder& b, const std::string& before) {
  const auto age = in.now_ms - in.view->loaded_at_ms;
  const auto lease = fence_lease_length_ms(in.settings, in.session.timeout_ms);
  if (age <= lease) return true;
  // Any write makes dcs_session load the cluster again; this one also confirms the lock.
  b.send(refresh_leader{});
  b.say("confirming the leader lock before " + before + ": the last view of it is " +
        std::to_string(age / 1000) + " s old, longer than the fence's lease (" +
        std::to_string(lease / 1000) + " s): the lock may have passed while this daemon stalled");
  return false;
}

bool holds_leader_lock(const ha_inputs& in) {
  if (!in.view) return false;
  const auto& l = in.view->leader;
  return session_live(in) && l && l->name == me(in) && l->owner_session == in.session.session_id &&
         in.session.session_id != in.memory.released_session;
}

namespace {
decision finish(const ha_inputs& in, builder& b) {
  auto d = b.done();
  if (in.settings.paused) d.reason = "PAUSE: " + d.reason;  // Patroni's prefix, for log readers
  return d;
}
}  // namespace

decision decide(const ha_inputs& in) {
  builder b(in);
  if (!in.view) {
    b.say("waiting for the DCS: no cluster view yet" +
          (in.session.detail.empty() ? std::string() : " (" + in.session.detail + ")"));
    return finish(in, b);
  }
  if (!session_live(in)) {
    decide_without_dcs(in, b);
    return finish(in, b);
  }
  if (const auto& f = in.view->failover;
      f && f->version.value != b.memory().failover_seen_version) {
    b.memory().failover_seen_version = f->version.value;
    b.memory().failover_noticed_ms = in.now_ms;
  }
  if (!b.memory().bootstrap_failure.empty()) {
    after_failed_bootstrap(in, b);
  } else if (b.memory().reinitialize_wanted) {
    decide_reinitialize(in, b);
  } else if (pg_busy(in)) {
    b.say((holds_leader_lock(in) ? "updated leader lock during " : "waiting for ") +
          (in.pg.action.empty() ? std::string("the supervisor to take up a command")
                                : in.pg.action + " to finish"));
  } else if (in.pg.data_dir_empty && in.settings.paused) {
    b.say("the data directory is empty: not bootstrapping or cloning in maintenance mode");
  } else if (in.pg.data_dir_empty) {
    decide_without_data(in, b);
  } else {
    decide_with_data(in, b);
  }
  auto record = build_member_record(in.settings, in.pg);
  record.role = standby_member_role(in, record.role);
  if (auto p = member_publication(in, record)) {
    b.send(*p);
    b.memory().published_member = record;
    b.memory().published_member_ms = in.now_ms;
  }
  return finish(in, b);
}

}  // namespace praetor::ha
