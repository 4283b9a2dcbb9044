// Quorum commit (synchronous_mode: quorum, as Patroni 4 keeps it): PostgreSQL waits for ANY n
// of the standbys synchronous_standby_names lists, and the sync key says which members vote in
// a leader race ("sync_standby", the voters) and how many of them, with the leader the key
// names, a candidate must hear from ("quorum").
//
// The safety argument. A commit acknowledged after the last change of synchronous_standby_names
// is on n of its standbys S; a candidate that heard from `quorum` voters is, with itself, one of
// quorum + 1 members of the voters V (or of V and the old leader, who has every commit). The two
// sets share a member, so the candidate sees the commit (it may not be behind any voter that
// answered), whenever |V ∪ S| <= quorum + n. A commit acknowledged before that change is on
// every standby that has since reached the primary's position at the change ("caught up"):
// a quorum + 1 set holds one of them whenever at most `quorum` voters have not caught up.
//
// Every step below keeps both conditions, whichever of the two writes (the sync key by
// compare-and-set, synchronous_standby_names by reload) lands first or fails: a value of
// synchronous_standby_names is only set when the current key covers it, and a key is only
// written when it covers the current value. Growing goes key first, shrinking value first, so
// a standby that is gone stops holding commits up as soon as the value drops it. The goal,
// with the standbys that may be synchronous now (A) and synchronous_node_count (w):
//
//   synchronous_standby_names = ANY min(w, |A|) (A),  voters = A,  quorum = |A| - min(w, |A|)
//
// Pure: no I/O; decide() turns a step into a command.
#pragma once

#include <string>
#include <vector>

#include "actors/ha/sync_replication.hpp"

namespace praetor::ha {

struct quorum_state {
  std::vector<std::string> voters;  // the sync key's sync_standby
  int quorum = 0;                   // the sync key's quorum
  standby_names ssn;                // synchronous_standby_names as PostgreSQL runs it
};

struct quorum_step {
  enum class kind { steady, set_standby_names, write_key, wait };
  kind what = kind::steady;
  // set_standby_names: ANY num (names), "" when names is empty; write_key: voters and quorum.
  std::vector<std::string> names;
  int num = 0;
  std::string why;
};

// True when the sync key (voters, quorum) covers the commits synchronous_standby_names
// acknowledges: no voters (only the old leader may take over), or |V ∪ S| <= quorum + n with
// no '*' (which could be any standby) in S.
bool key_covers(const std::vector<std::string>& voters, int quorum, const standby_names& ssn);

// The next step towards the goal above. `active`: the standbys that may be synchronous now;
// `caught_up`: those that have reached the primary's position at the last change of
// synchronous_standby_names. Strict mode with no standby keeps commits waiting (the value is
// left as is, or '*').
quorum_step next_quorum_step(const quorum_state& now, const std::vector<std::string>& active,
                             int wanted, bool strict, const std::vector<std::string>& caught_up);

}  // namespace praetor::ha
