// decide(), the rows for a member without data (docs/architecture.md, "The main scenarios, room by
// room"): the initialize race, initdb by the winner, cloning once a leader exists, and what follows
// a bootstrap.
#include "actors/ha/decide_parts.hpp"
#include "actors/ha/standby_cluster.hpp"
#include "messages/cluster_flags.hpp"

namespace praetor::ha {

// Patroni's cancel_initialization: the initialize key goes (another member may bootstrap), the
// supervisor stops PostgreSQL and moves the half-made data directory aside, then the daemon
// exits (after_failed_bootstrap). Never a start of what initdb left behind.
void give_up_bootstrap(const ha_inputs& in, builder& b, const std::string& why) {
  auto& mem = b.memory();
  mem.bootstrapping = false;
  mem.race = initialize_race::lost;
  mem.bootstrap_failure = !why.empty()               ? why
                          : in.pg.last_error.empty() ? in.pg.state
                                                     : in.pg.last_error;
  b.send(cancel_initialize{});
  b.send(abandon_bootstrap{b.next_pg_seq()});
  b.say("removing initialize key after failed attempt to bootstrap the cluster: " +
        mem.bootstrap_failure);
}

void after_failed_bootstrap(const ha_inputs& in, builder& b) {
  auto& mem = b.memory();
  if (pg_busy(in)) {
    b.say("failed to bootstrap the cluster: waiting for PostgreSQL to stop");
    return;
  }
  if (!mem.shut_down_sent) {
    b.send(shut_down{"Failed to bootstrap cluster: " + mem.bootstrap_failure});
    mem.shut_down_sent = true;
  }
  b.say("Failed to bootstrap cluster: shutting down");
}

const member_record& clone_source(const ha_inputs& in, const member_record& leader) {
  for (const auto& m : in.view->members) {
    if (truthy_key(m.tags, "clonefrom") && m.name != me(in) && m.name != leader.name &&
        m.state == "running" && reachable(m))
      return m;
  }
  return leader;
}

void decide_without_data(const ha_inputs& in, builder& b) {
  const auto& v = *in.view;
  auto& mem = b.memory();
  if (mem.bootstrapping) {
    // The supervisor finished the bootstrap action and the data directory is still empty.
    give_up_bootstrap(in, b);
    return;
  }
  if (mem.race == initialize_race::won) {
    mem.bootstrapping = true;
    if (const auto& sc = in.settings.standby_cluster) {
      // Patroni's bootstrap_standby_leader: not a new cluster but a copy of the remote one.
      b.send(clone_postgres{b.next_pg_seq(), remote_primary(*sc)});
      b.say("trying to bootstrap a new standby leader: clone from remote member " + sc->host + ":" +
            std::to_string(sc->port));
      return;
    }
    b.send(bootstrap_postgres{b.next_pg_seq()});
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
  if (!v.initialize && in.settings.can_bootstrap && !in.settings.nofailover) {
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
  // Patroni's bootstrap (without leader): a replica method that needs no member to clone from
  // (a restore from a backup) may create this member while nobody leads, unless a bootstrap is
  // running right now.
  const bool concurrent_bootstrap = v.initialize && v.initialize->empty();
  if (in.settings.can_clone_without_leader && !concurrent_bootstrap) {
    if (!start_due(in, b)) return;
    b.send(clone_postgres{b.next_pg_seq(), upstream_member{}});
    b.say("trying to bootstrap (without leader)");
    return;
  }
  if (mem.race == initialize_race::lost && concurrent_bootstrap) {
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

}  // namespace praetor::ha
