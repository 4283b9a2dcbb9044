// Healing a member whose timeline forked from the leader's. PostgreSQL cannot follow a leader
// whose timeline branched off its own before the point it has replayed to: it retries for ever
// ("new timeline N forked off current database system timeline M before current recovery
// point"). Nothing else notices, so decide() looks for it on every running replica, from what
// the DCS holds: the leader's timeline (its member record) and where each timeline branched
// (the history key the leader writes after a promotion).
#pragma once

#include <optional>
#include <string>

#include "messages/ha.hpp"

namespace praetor::ha {

struct divergence_suspicion {
  // Proven by the history key: replayed past the branch point of this member's timeline.
  bool proven = false;
  std::string why;  // one sentence for the log
};

// A running replica that is not streaming, on a timeline below the leader's: proven diverged
// when the history key shows its timeline branching off before its replay position; suspected
// when the key has no line for its timeline (not written yet, or cut by
// max_timelines_history). nullopt when streaming, level with the leader, or behind the branch
// point (PostgreSQL follows the new timeline by itself then).
std::optional<divergence_suspicion> suspect_divergence(const ha_inputs& in,
                                                       const member_record& leader);

// The leader a rejoin checks this member against, as ha_memory.heal_checked_against holds it.
std::string heal_key(const member_record& leader);

class builder;
// A running replica following `leader` that diverged from it (and stayed without streaming a
// while) is stopped and rejoined: the supervisor checks it against the leader's own history and
// rewinds or re-clones it as the divergence policy allows. True when that (or why not) is this
// decision.
bool heal_diverged_replica(const ha_inputs& in, builder& b, const member_record& leader);

}  // namespace praetor::ha
