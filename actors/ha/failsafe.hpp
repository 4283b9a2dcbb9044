// Failsafe mode, as Patroni 3.0.2's failsafe_mode. ZooKeeper out of reach is no reason to stop
// a primary that every member can still reach: while the leader holds the lock it keeps
// <base>/failsafe listing every member's api_url; once its session is lost it POSTs
// /failsafe to each of them every loop, goes on as the primary while all of them accept, and
// demotes otherwise (after retry_timeout, as without failsafe mode). A replica that accepted
// such a POST does not race for the lock for ttl after it: the primary is alive.
#pragma once

#include <optional>
#include <string>

#include "messages/ha.hpp"

namespace praetor::ha {

class builder;

// The leader with the lock: <base>/failsafe written when it differs from every member's
// api_url (its own too); failsafe mode is not active while the DCS answers.
void publish_failsafe(const ha_inputs& in, builder& b);

// The primary whose session is lost, in failsafe mode: true while it may go on (every member
// of the failsafe key accepted its POST /failsafe in the latest round, or the first round is
// under way), having said so; false, with `why`, when it may not.
bool failsafe_keeps_primary(const ha_inputs& in, builder& b, std::string& why);

// A replica that accepted a failsafe primary's POST /failsafe within ttl: that primary's name.
std::optional<std::string> failsafe_leader(const ha_inputs& in);

// In failsafe mode, a member the failsafe key does not list never races (Patroni's rule): why,
// or nullopt.
std::optional<std::string> failsafe_race_refusal(const ha_inputs& in);

// failsafe_mode_is_active in GET /patroni and the metrics.
bool failsafe_active(const ha_inputs& in);

// The answer to POST /failsafe (the decider's shell; a 200 is then folded as an event).
failsafe_reply answer_failsafe_notice(const ha_inputs& in);

}  // namespace praetor::ha
