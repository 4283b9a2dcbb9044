// Manual switchover and failover (docs/architecture.md, "The main scenarios, room by room"): what
// the failover key asks of this member, as the holder of the leader lock and as a member of a
// cluster without a leader. Pure helpers of decide(); they read the peers' latest answers from
// `in.peers`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/ha/leader_race.hpp"
#include "messages/ha.hpp"

namespace praetor::ha {

enum class holder_step {
  none,    // no request for us, or it waits for its time: carry on as the leader
  clear,   // the request cannot or need not be done: clear the key (CAS on its version)
  probe,   // ask the candidates how they are before deciding
  demote,  // a healthy candidate exists: demote gracefully, keep the key for the candidate
};

struct holder_verdict {
  holder_step step = holder_step::none;
  std::string why;                        // the sentence for the log
  std::int64_t wake_at_ms = 0;            // a scheduled request due within loop_wait
  std::vector<member_record> candidates;  // for probe
};

// The lock holder's view of the failover key (Patroni's process_manual_failover_from_leader).
// `answers_current`: in.peers answers a probe sent after the request was noticed.
holder_verdict judge_failover_as_holder(const ha_inputs& in, bool answers_current);

// With no lock holder and a failover key: Patroni's manual_failover_process_no_leader. May
// this member take the lock? Reads in.peers (the members' answers to a current probe).
race_verdict judge_failover_without_leader(const ha_inputs& in);

// The request names this member as the candidate: it takes the lock without asking anyone.
bool named_candidate_is_me(const ha_inputs& in);

// When the request is due, in ms since the epoch: 0 = now (not scheduled), nullopt = the
// scheduled_at value cannot be read.
std::optional<std::int64_t> scheduled_time(const failover_request& f);

}  // namespace praetor::ha
