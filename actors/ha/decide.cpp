#include "actors/ha/decide.hpp"

#include <algorithm>

#include "actors/ha/leader_race.hpp"
#include "actors/ha/publication.hpp"
#include "messages/json_fields.hpp"

namespace praetor::ha {

namespace {

// Accumulates one decision: commands, the reason sentence, and the next memory.
class builder {
 public:
  explicit builder(const ha_inputs& in) : in_(in) { d_.next = in.memory; }

  void say(std::string reason) { d_.reason = std::move(reason); }
  void send(ha_command c) { d_.commands.push_back(std::move(c)); }
  // A command for the supervisor takes the next sequence number, so that the decider can tell
  // when the supervisor has taken it up (pg_status.accepted_seq).
  std::uint64_t next_pg_seq() { return ++d_.next.last_pg_seq; }
  ha_memory& memory() { return d_.next; }
  void wake_at(std::int64_t ms) { d_.wake_at_ms = ms; }
  decision done() { return std::move(d_); }

 private:
  const ha_inputs& in_;
  decision d_;
};

const std::string& me(const ha_inputs& in) { return in.settings.name; }

bool session_live(const ha_inputs& in) { return in.session.state == session_state::connected; }

bool holds_lock(const ha_inputs& in) { return holds_leader_lock(in); }

bool lock_left_by_old_session(const ha_inputs& in) {
  const auto& l = in.view->leader;
  return session_live(in) && l && l->name == me(in) && l->owner_session != in.session.session_id;
}

const member_record* other_leader(const ha_inputs& in) {
  const auto& l = in.view->leader;
  if (!l || l->name == me(in)) return nullptr;
  return in.view->find_member(l->name);
}

bool reachable(const member_record& m) { return !m.host().empty() && m.port() > 0; }

upstream_member upstream_of(const member_record& m) { return {m.name, m.host(), m.port()}; }

std::string address_of(const member_record& m) { return m.host() + ":" + std::to_string(m.port()); }

bool pg_busy(const ha_inputs& in) {
  return !in.pg.action.empty() || in.memory.last_pg_seq > in.pg.accepted_seq;
}

bool pg_running(const pg_status& pg) { return pg.state == "running"; }

// Patroni 3.0.2: a system identifier is valid when it has at least 10 decimal digits.
bool valid_sysid(const std::string& s) {
  return s.size() >= 10 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Patroni's clone source: a running member tagged clonefrom (not me, not the leader), else the
// leader. Members are sorted by name, so the choice is stable.
const member_record& clone_source(const ha_inputs& in, const member_record& leader) {
  for (const auto& m : in.view->members) {
    auto* tag = json_fields::find(m.tags, "clonefrom");
    bool clonefrom = tag && tag->is_bool() && tag->get_bool();
    if (clonefrom && m.name != me(in) && m.name != leader.name && m.state == "running" &&
        reachable(m))
      return m;
  }
  return leader;
}

void decide_without_data(const ha_inputs& in, builder& b) {
  const auto& v = *in.view;
  auto& mem = b.memory();
  if (mem.bootstrapping) {
    // The supervisor finished the bootstrap action and the data directory is still empty.
    b.send(cancel_initialize{});
    mem.bootstrapping = false;
    mem.race = initialize_race::lost;
    b.say("bootstrap failed: " + (in.pg.last_error.empty() ? in.pg.state : in.pg.last_error) +
          "; removed the initialize key so that another member can bootstrap");
    return;
  }
  if (mem.race == initialize_race::won) {
    b.send(bootstrap_postgres{b.next_pg_seq()});
    mem.bootstrapping = true;
    b.say("initializing a new cluster: won the initialize race");
    return;
  }
  if (const auto* leader = other_leader(in)) {
    if (!reachable(*leader)) {
      b.say("waiting for leader '" + leader->name + "' to publish its address");
      return;
    }
    const auto& source = clone_source(in, *leader);
    b.send(clone_postgres{b.next_pg_seq(), upstream_of(source)});
    b.say(std::string("trying to bootstrap from ") + (&source == leader ? "leader" : "replica") +
          " '" + source.name + "'");
    return;
  }
  if (v.leader) {
    b.say("waiting for the member record of leader '" + v.leader->name + "'");
    return;
  }
  if (!v.initialize) {
    if (!in.settings.can_bootstrap || in.settings.nofailover) {
      b.say("waiting for leader to bootstrap");
      return;
    }
    if (mem.race == initialize_race::requested) {
      b.say("waiting for the result of the initialize race");
      return;
    }
    if (mem.race == initialize_race::lost) {
      b.say("failed to acquire initialize lock; waiting for leader to bootstrap");
      return;
    }
    b.send(race_initialize{});
    mem.race = initialize_race::requested;
    b.say("trying to bootstrap a new cluster");
    return;
  }
  if (mem.race == initialize_race::lost && v.initialize->empty()) {
    b.say("failed to acquire initialize lock; waiting for leader to bootstrap");
    return;
  }
  b.say("waiting for leader to bootstrap");
}

void finish_bootstrap(const ha_inputs& in, builder& b) {
  auto& mem = b.memory();
  mem.bootstrapping = false;
  b.send(write_initialize{in.pg.sysid});
  b.send(write_config{in.settings.bootstrap_dcs, znode_version{-1}});
  b.send(acquire_leader{});
  mem.acquire_requested = true;
  b.say("initialized a new cluster");
}

void decide_primary(const ha_inputs& in, builder& b) {
  auto& mem = b.memory();
  const auto& v = *in.view;
  if (holds_lock(in)) {
    if (in.pg.wal_position != mem.published_optime &&
        (mem.published_optime_ms == 0 || loop_due(in.settings, mem.published_optime_ms, in.now_ms))) {
      b.send(publish_status{in.pg.wal_position});
      mem.published_optime = in.pg.wal_position;
      mem.published_optime_ms = in.now_ms;
    }
    if (in.settings.use_slots) {
      auto slots = leader_slots(in.settings, v);
      if (mem.slots_sent != slots) {
        b.send(slots);
        mem.slots_sent = slots;
      }
    }
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
  // Another member holds the lock: a writable primary here would be a second one.
  const auto* leader = other_leader(in);
  b.send(demote_postgres{b.next_pg_seq(), demote_mode::immediate_nolock,
                         leader && reachable(*leader) ? upstream_of(*leader) : upstream_member{}});
  mem.slots_sent.reset();
  b.say("demoting self because '" + v.leader->name +
        "' holds the leader lock: restarting PostgreSQL as a replica");
}

// No member holds the lock: ask the others how far they are, then take the lock if we are the
// healthiest (patroni-compat.md 4.5).
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
  auto targets = probe_targets(in);
  bool answered = mem.probe_round > 0 && in.peers.round == mem.probe_round;
  bool current = answered && mem.probe_sent_ms >= mem.leaderless_since_ms &&
                 !loop_due(in.settings, mem.probe_sent_ms, in.now_ms);
  if (!targets.empty() && !current) {
    bool in_flight = mem.probe_round > in.peers.round && mem.probe_sent_ms >= mem.leaderless_since_ms &&
                     !loop_due(in.settings, mem.probe_sent_ms, in.now_ms);
    if (in_flight) {
      b.say("no leader: waiting for the other members' answers");
      return;
    }
    b.send(probe_peers{++mem.probe_round, targets, 2000});
    mem.probe_sent_ms = in.now_ms;
    b.say("no leader: asking " + std::to_string(targets.size()) + " member(s) how far they are");
    return;
  }
  ha_inputs judged = in;
  if (targets.empty()) judged.peers.peers.clear();
  auto verdict = evaluate_race(judged);
  if (!verdict.healthiest) {
    b.say("not racing for the leader lock: " + verdict.why);
    return;
  }
  b.send(acquire_leader{});
  mem.acquire_requested = true;
  b.say("acquiring the leader lock: " + verdict.why);
}

void decide_replica(const ha_inputs& in, builder& b) {
  auto& mem = b.memory();
  if (mem.slots_sent != reconcile_slots{}) {
    // A replica keeps no member slots (a former primary's are dropped once inactive).
    b.send(reconcile_slots{});
    mem.slots_sent = reconcile_slots{};
  }
  if (const auto* leader = other_leader(in)) {
    if (in.pg.upstream != address_of(*leader) && reachable(*leader)) {
      b.send(follow_upstream{b.next_pg_seq(), upstream_of(*leader)});
      b.say("following new leader '" + leader->name + "' at " + address_of(*leader));
      return;
    }
    b.say("no action. I am (" + me(in) + "), a secondary, and following a leader (" +
          leader->name + ")");
    return;
  }
  if (holds_lock(in)) {
    b.send(promote_postgres{b.next_pg_seq()});
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

void decide_stopped(const ha_inputs& in, builder& b) {
  if (holds_lock(in)) {
    b.send(start_postgres{b.next_pg_seq(), true, {}});
    b.say("starting primary after failure: I hold the leader lock");
    return;
  }
  if (const auto* leader = other_leader(in); leader && reachable(*leader)) {
    // The supervisor checks for a diverged timeline first (a former primary), and rewinds or
    // re-clones as configured before it starts following.
    b.send(rejoin_postgres{b.next_pg_seq(), upstream_of(*leader), in.settings.use_pg_rewind,
                           in.settings.remove_data_directory_on_rewind_failure});
    b.say("rejoining leader '" + leader->name + "' as a secondary");
    return;
  }
  b.send(start_postgres{b.next_pg_seq(), false, {}});
  b.say("starting as a secondary: no leader to follow yet");
}

void decide_with_data(const ha_inputs& in, builder& b) {
  const auto& v = *in.view;
  if (b.memory().bootstrapping) {
    if (pg_running(in.pg) && in.pg.role == pg_role::primary && !in.pg.sysid.empty()) {
      finish_bootstrap(in, b);
    } else {
      b.send(cancel_initialize{});
      b.memory().bootstrapping = false;
      b.memory().race = initialize_race::lost;
      b.say("bootstrap failed: " + (in.pg.last_error.empty() ? in.pg.state : in.pg.last_error) +
            "; removed the initialize key so that another member can bootstrap");
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
  if (v.initialize && !valid_sysid(*v.initialize) && holds_lock(in) && !in.pg.sysid.empty())
    b.send(write_initialize{in.pg.sysid});
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
  if (!primary || pg_busy(in)) {
    b.say(what + ": no action until it is");
    return;
  }
  auto lost_since = in.memory.dcs_lost_since_ms ? in.memory.dcs_lost_since_ms : in.now_ms;
  auto deadline = lost_since + static_cast<std::int64_t>(in.settings.retry_timeout) * 1000;
  if (in.now_ms < deadline) {
    b.wake_at(deadline);
    b.say(what + ": demoting in " + std::to_string((deadline - in.now_ms + 999) / 1000) +
          " s unless it comes back");
    return;
  }
  b.send(demote_postgres{b.next_pg_seq(), demote_mode::offline, {}});
  b.memory().slots_sent.reset();
  b.say("demoting self because DCS is not accessible and I was a leader");
}

}  // namespace

bool holds_leader_lock(const ha_inputs& in) {
  if (!in.view) return false;
  const auto& l = in.view->leader;
  return session_live(in) && l && l->name == me(in) && l->owner_session == in.session.session_id;
}

decision decide(const ha_inputs& in) {
  builder b(in);
  if (!in.view) {
    b.say("waiting for the DCS: no cluster view yet" +
          (in.session.detail.empty() ? std::string() : " (" + in.session.detail + ")"));
    return b.done();
  }
  if (!session_live(in)) {
    decide_without_dcs(in, b);
    return b.done();
  }
  if (pg_busy(in)) {
    b.say((holds_lock(in) ? "updated leader lock during " : "waiting for ") +
          (in.pg.action.empty() ? std::string("the supervisor to take up a command")
                                : in.pg.action + " to finish"));
  } else if (in.pg.data_dir_empty) {
    decide_without_data(in, b);
  } else {
    decide_with_data(in, b);
  }
  auto record = build_member_record(in.settings, in.pg);
  if (auto p = member_publication(in, record)) {
    b.send(*p);
    b.memory().published_member = record;
    b.memory().published_member_ms = in.now_ms;
  }
  return b.done();
}

}  // namespace praetor::ha
