// decide(): the HA decision as a pure function (docs/architecture.md, "The decision is a pure
// function"). It reads one ha_inputs value and returns the commands to send, the reason in words,
// and the decider's next memory. No clock, no I/O, no CAF: unit tests and trace replay call it
// directly.
//
// This stage covers bootstrap (the initialize race, initdb by the winner, cloning by the
// others) and steady state (the leader keeps its lock and publishes its optime; replicas follow
// it). The failover half of the decision table comes with the failover issue.
#pragma once

#include "messages/ha.hpp"

namespace praetor::ha {

decision decide(const ha_inputs& in);

// We hold the lock only while the leader znode names us AND belongs to our live session: a
// znode left by an earlier session of ours is not a lock we can count on.
bool holds_leader_lock(const ha_inputs& in);

}  // namespace praetor::ha
