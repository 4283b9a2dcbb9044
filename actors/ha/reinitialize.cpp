#include "actors/ha/reinitialize.hpp"

#include "actors/ha/decide_parts.hpp"

namespace praetor::ha {

namespace {

// The leader's record, when the leader is someone else with an address to clone from.
const member_record* leader_to_clone(const ha_inputs& in) {
  if (!in.view || !session_live(in) || !in.view->leader) return nullptr;
  const auto* leader = other_leader(in);
  return leader && reachable(*leader) ? leader : nullptr;
}

}  // namespace

std::optional<std::string> reinitialize_refusal(const ha_inputs& in, bool force) {
  if (!in.view || !session_live(in)) return "DCS is not accessible, can not reinitialize";
  if (holds_leader_lock(in) || (in.view->leader && in.view->leader->name == me(in)))
    return "I am the leader, can not reinitialize";
  if (!leader_to_clone(in)) return "Cluster has no leader, can not reinitialize";
  if (pg_busy(in) && !force)
    return (in.pg.action.empty() ? std::string("an action") : in.pg.action) +
           " already in progress";
  return std::nullopt;
}

void decide_reinitialize(const ha_inputs& in, builder& b) {
  const bool force = in.memory.reinitialize_force;
  b.memory().reinitialize_wanted = false;
  b.memory().reinitialize_force = false;
  if (auto why = reinitialize_refusal(in, force)) {
    b.say("reinitialize refused: " + *why);
    return;
  }
  const auto& leader = *leader_to_clone(in);
  const auto& source = clone_source(in, leader);
  b.send(reinitialize_postgres{b.next_pg_seq(), upstream_of(source), force});
  b.memory().slots_sent.reset();
  b.say(std::string("reinitializing: removing the data directory and cloning again from ") +
        (&source == &leader ? "leader" : "replica") + " '" + source.name + "'");
}

}  // namespace praetor::ha
