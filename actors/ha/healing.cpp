#include "actors/ha/healing.hpp"

#include <algorithm>

#include "actors/ha/decide_parts.hpp"

namespace praetor::ha {

std::string heal_key(const member_record& leader) {
  return leader.name + "@" + std::to_string(leader.tl ? leader.tl->value : 0);
}

std::optional<divergence_suspicion> suspect_divergence(const ha_inputs& in,
                                                       const member_record& leader) {
  const auto mine = in.pg.tl.value;
  const auto theirs = leader.tl ? leader.tl->value : 0;
  if (in.pg.streaming || mine == 0 || theirs <= mine) return std::nullopt;
  const auto replayed = in.pg.replayed_location;
  const std::string where = "this member replayed up to " + replayed.to_string() + " on timeline " +
                            std::to_string(mine) + ", the leader '" + leader.name +
                            "' is on timeline " + std::to_string(theirs);
  // Lines are [parent timeline, branch point, reason, ...], oldest first.
  for (const auto& entry : in.view->history) {
    auto parent = history_number(entry, 0);
    auto branch = history_number(entry, 1);
    if (!parent || !branch) continue;
    if (*parent > mine)
      return divergence_suspicion{true,
                                  where + ", whose history skips timeline " + std::to_string(mine)};
    if (*parent != mine) continue;
    const lsn at{*branch};
    if (replayed <= at) return std::nullopt;
    return divergence_suspicion{true, where + ", which branched off timeline " +
                                          std::to_string(mine) + " at " + at.to_string()};
  }
  return divergence_suspicion{false, where + ", and the history key does not say where timeline " +
                                         std::to_string(mine) + " ended"};
}

bool heal_diverged_replica(const ha_inputs& in, builder& b, const member_record& leader) {
  auto& mem = b.memory();
  auto suspicion = suspect_divergence(in, leader);
  if (!suspicion) {
    mem.heal_not_streaming_since_ms = 0;
    return false;
  }
  // Not streaming on an older timeline is also what a replica looks like for a moment after
  // a restart (its timeline is then the last restartpoint's), or on its way to the new
  // timeline: PostgreSQL's WAL receiver tries again every wal_retrieve_retry_interval (5 s by
  // default). Only a replica that stays so is stopped to look, sooner when the history key
  // proves the divergence.
  const std::int64_t wait_ms =
      suspicion->proven ? std::max<std::int64_t>(10'000, 2'000 * in.settings.loop_wait) : 30'000;
  if (mem.heal_not_streaming_since_ms == 0) mem.heal_not_streaming_since_ms = in.now_ms;
  if (in.now_ms < mem.heal_not_streaming_since_ms + wait_ms) {
    b.wake_at(mem.heal_not_streaming_since_ms + wait_ms);
    return false;
  }
  const auto key = heal_key(leader) + " from " + std::to_string(in.pg.tl.value) + "/" +
                   in.pg.replayed_location.to_string();
  if (mem.heal_checked_against == key) {
    if (!suspicion->proven) return false;
    b.say("diverged from the leader: " + suspicion->why + "; a rejoin did not heal it" +
          (in.pg.last_error.empty() ? std::string() : " (" + in.pg.last_error + ")"));
    return true;
  }
  if (in.settings.paused) {
    b.say("diverged from the leader: " + suspicion->why +
          "; not stopping PostgreSQL to rewind or re-clone it in maintenance mode");
    return true;
  }
  if (!reachable(leader)) return false;
  mem.heal_not_streaming_since_ms = 0;
  mem.heal_checked_against = key;
  b.send(rejoin_postgres{b.next_pg_seq(), upstream_of(leader), in.settings.divergence, true});
  b.say(std::string(suspicion->proven ? "diverged from the leader: "
                                      : "may have diverged from the leader: ") +
        suspicion->why + "; stopping PostgreSQL to check it against '" + leader.name +
        "' and rewind or re-clone it");
  return true;
}

}  // namespace praetor::ha
