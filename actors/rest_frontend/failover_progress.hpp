// What an immediate POST /switchover or /failover waits for once its failover key is written,
// as Patroni's poll_failover_result judges it, but from the views pushed to the actor instead
// of polling the DCS every second:
// - the lock holder changed to someone else: done (200), to the candidate or to another;
// - the key was seen and is now gone while the leader is unchanged: the leader refused or gave
//   up (503 "<Action> failed");
// - neither within 2 * max(10, loop_wait) s: 503 "<Action> status unknown".
// Requiring that the key was seen first keeps a view loaded before the write from passing for
// "the key is gone".
//
// Pure; any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "actors/rest_frontend/http_types.hpp"
#include "actors/rest_frontend/switchover_request.hpp"
#include "messages/cluster_view.hpp"

namespace praetor::rest {

struct failover_waiter {
  failover_action action = failover_action::switchover;
  std::string leader_at_request;  // "" when there was no lock holder
  std::string candidate;          // "" when any member would do
  bool key_seen = false;          // a view showed a failover key after the write
  std::string holder_said;        // this node's last "manual failover: ..." decision, if any
};

// Judges one new view: the answer once the outcome is known, else nullopt (updating
// key_seen). A null view (none loaded) changes nothing. `decision` is this node's latest
// decision sentence: when this node is the leader that refused the request, its reason goes
// into the 503 answer after Patroni's words.
std::optional<http_response> failover_outcome(failover_waiter& w, const cluster_view* view,
                                              const std::string& decision = {});

// The answer when the wait is over without an outcome.
http_response failover_status_unknown(const failover_waiter& w);

// How long to wait: 2 * max(10, loop_wait) seconds, as Patroni polls.
std::chrono::seconds failover_wait(int loop_wait);

}  // namespace praetor::rest
