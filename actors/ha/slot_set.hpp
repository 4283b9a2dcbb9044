// Replication slots as decide() wants them, after Patroni 3.0.2's get_replication_slots and
// its permanent slots: the set this member's slot_manager keeps, the positions of permanent
// logical slots that the lock holder publishes, and when a replica copies logical slots from
// the primary. Pure helpers of decide().
#pragma once

#include "messages/ha.hpp"

namespace praetor::ha {

class builder;

// The lock holder's slots: a physical one per other member, named Patroni's way (not for a
// member cascading from another one that is in the view), and every permanent slot: physical
// ones but the one named like our own member slot; logical ones (PostgreSQL 11 and later) but
// one named like a member's slot. Without use_slots, the permanent physical ones only.
// A standby leader (`standby_leader`): no logical slots, PostgreSQL decodes nothing in recovery.
reconcile_slots leader_slots(const ha_settings& s, const cluster_view& v, int server_version = 0,
                             bool standby_leader = false);
// A replica's: a physical slot for each member (not the leader) whose tags.replicatefrom names
// it, and unless it is tagged nofailover the permanent logical slots, each to be advanced to
// the primary's position in `positions`. Without use_slots, none.
reconcile_slots replica_slots(const ha_settings& s, const cluster_view& v,
                              const slot_positions& positions, int server_version = 0);

// A lock holder about to promote: the members' physical slots it will keep as the leader, made
// while it is still a replica, so that a replica following it after the promotion finds its
// slot at once (PostgreSQL's WAL receiver would otherwise retry wal_retrieve_retry_interval
// later, and a synchronous commit wait that long); the replica's logical slots stay.
reconcile_slots promoting_slots(const ha_inputs& in);

// The lock holder: adds to `slots` the slot of each member whose key went less than
// member_slots_ttl ago, so that a replica that restarts or was cut off resumes streaming from
// where it was (Patroni 4's member_slots_ttl); a member back, or past the ttl, is forgotten.
void keep_slots_of_members_away(const ha_inputs& in, builder& b, reconcile_slots& slots);

// Sends `slots` to the slot_manager when they differ from the set last sent.
void keep_slots(builder& b, reconcile_slots slots);

// The lock holder: its permanent logical slots' positions for <base>/status and POST /failsafe.
slot_positions published_slot_positions(const ha_inputs& in);

// A replica: the primary's slot positions to advance to: those the failsafe primary sent while
// it runs without the DCS, the status key's otherwise.
const slot_positions& primary_slot_positions(const ha_inputs& in);

// A running replica that lacks permanent logical slots the primary published: copy them from
// `leader` (once per ttl while they stay missing); true when sent (and said). Not while
// failsafe mode is active, as Patroni.
bool copy_missing_logical_slots(const ha_inputs& in, builder& b, const member_record& leader);

}  // namespace praetor::ha
