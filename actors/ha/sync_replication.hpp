// Synchronous replication as Patroni 3.0.2 keeps it. The lock holder names standbys in
// synchronous_standby_names and, once PostgreSQL counts them as synchronous, in the sync key;
// only the members the sync key names may be promoted. The order of the two writes is the
// safety argument: a name joins synchronous_standby_names before the sync key, and leaves the
// sync key before synchronous_standby_names, so the key never names a standby that a commit
// could have been acknowledged without.
//
// Pure helpers of decide(); the parts that add commands take decide's builder.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "actors/ha/decide_parts.hpp"

namespace praetor::ha {

// synchronous_standby_names in Patroni's form: "" for none, one name alone, several as
// "N (a,b)"; a name that is not a plain identifier is double-quoted ("*" stays as is).
std::string format_sync_standby_names(const std::vector<std::string>& names);

// A synchronous_standby_names value read: 'FIRST 2 (a, "b c")' -> by priority, 2, {a, b c};
// 'ANY 1 (a, b)' -> any, 1, {a, b}; a list without a count waits for its first name. "" and a
// value that does not parse name nobody (count 0).
struct standby_names {
  bool any = false;
  int count = 0;
  std::vector<std::string> names;
  bool operator==(const standby_names&) const = default;
};
standby_names parse_sync_standby_names(std::string_view value);

// The names a synchronous_standby_names value lists: 'FIRST 2 (a, "b c")' -> a, b c.
std::vector<std::string> sync_standby_names_members(std::string_view value);

// Quorum commit's form: "ANY n (a,b)", names sorted; "" for none.
std::string format_quorum_standby_names(int count, std::vector<std::string> names);

// The same names, in any order and any case (PostgreSQL compares them so).
bool same_names(const std::vector<std::string>& a, const std::vector<std::string>& b);
bool contains_name(const std::vector<std::string>& names, std::string_view name);

// The standbys to be synchronous and, of those, the ones confirmed synchronous (allowed to be
// promoted), as Patroni's SyncHandler.current_state: streaming walsenders of running members
// without nosync, the most advanced first (by the position synchronous_commit waits for),
// members without nofailover before the others, at most synchronous_node_count, none lagging
// the most advanced by more than maximum_lag_on_syncnode. A standby added to
// synchronous_standby_names is confirmed once PostgreSQL reports it sync and it has reached the
// primary's position of that change (`changed_at`), or when the sync key already names it;
// `confirmed` carries the confirmations from one decision to the next.
struct sync_choice {
  std::vector<std::string> picked;
  std::vector<std::string> allowed;
};
sync_choice choose_sync_standbys(const ha_inputs& in, std::vector<std::string>& confirmed,
                                 lsn changed_at);

// The standbys that may be synchronous now, as Patroni's SyncHandler.current_state picks them:
// streaming walsenders of running members without nosync, none lagging the most advanced by
// more than maximum_lag_on_syncnode; the synchronous ones and the most advanced first, then
// those without nofailover first. `position` is what synchronous_commit waits for.
struct sync_candidate {
  std::string name;
  std::string sync_state;
  lsn position;
  bool nofailover = false;
};
std::vector<sync_candidate> sync_candidates(const ha_inputs& in);

// True when the sync key limits who may be promoted: synchronous mode is on and the key names a
// leader.
bool sync_limits_promotion(const ha_inputs& in);

// The lock holder running as primary: one step towards synchronous_standby_names and the sync
// key naming the standbys chosen now (or clearing both when synchronous mode is off). False
// when there was nothing to do.
bool keep_synchronous_replication(const ha_inputs& in, builder& b);

// The lock holder about to promote: in synchronous mode the sync key must first name it as its
// leader, with no standby, and synchronous_standby_names be '*' (strict) or empty. False (with
// the write sent and the reason said) until the view shows that key.
bool sync_key_ready_for_promotion(const ha_inputs& in, builder& b);

}  // namespace praetor::ha
