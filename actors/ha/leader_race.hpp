// The leader race (docs/architecture.md, "The main scenarios, room by room"): when no member holds
// the leader lock, may this member take it? Eligibility returns why not, in words, not just false.
// Pure helpers of decide().
#pragma once

#include <string>
#include <vector>

#include "messages/ha.hpp"

namespace praetor::ha {

struct race_verdict {
  bool healthiest = false;
  std::string why;  // the sentence for the log, either way
};

// Patroni's is_healthiest_node for an unpaused cluster without a failover request: a running
// primary is; a nofailover member is not; a member lagging the last leader optime by more than
// maximum_lag_on_failover is not; a reachable peer that still runs as primary, or whose WAL is
// ahead of ours, makes us step back. Unreachable peers are ignored, ties are not broken (the
// atomic create of the leader znode decides), except that a peer with the same WAL position
// and a higher failover_priority wins; with check_timeline, a member behind the cluster's
// timeline is not. Reads the peers' answers of `in.peers`.
race_verdict evaluate_race(const ha_inputs& in);

// The cluster's timeline from the history key (docs/compatibility.md, "ZooKeeper layout and
// values"): last entry's parent + 1, 1 for an empty history.
std::uint32_t cluster_timeline(const cluster_view& v);

// The members to ask before racing: everyone else with an api_url and without nofailover.
std::vector<member_record> probe_targets(const ha_inputs& in);

}  // namespace praetor::ha
