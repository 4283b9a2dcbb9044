// decide(): the HA decision as a pure function (docs/architecture.md, "The decision is a pure
// function"). It reads one ha_inputs value and returns the commands to send, the reason in words,
// and the decider's next memory. No clock, no I/O, no CAF: unit tests and trace replay call it
// directly.
//
// Its parts: bootstrap (decide_bootstrap.cpp), the leader race (leader_race.cpp), switchover
// and failover requests (manual_failover.cpp), synchronous replication (sync_replication.cpp),
// healing a diverged replica (healing.cpp), failsafe mode (failsafe.cpp), what the member
// record and the DCS keys say (publication.cpp); the steady state, crash restarts, rejoins and
// the loss of the DCS in decide.cpp itself.
#pragma once

#include "messages/ha.hpp"

namespace praetor::ha {

decision decide(const ha_inputs& in);

// We hold the lock only while the leader znode names us AND belongs to our live session: a
// znode left by an earlier session of ours is not a lock we can count on.
bool holds_leader_lock(const ha_inputs& in);

}  // namespace praetor::ha
