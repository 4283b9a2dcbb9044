// A standby cluster (the dynamic standby_cluster section), after Patroni 3.0.2: the whole
// cluster replicates from the primary of another one. Its lock holder, the standby leader, does
// not promote: it streams from that remote primary (or restores from its archive) and the other
// members follow it as usual. Removing the section promotes the standby leader. Pure helpers of
// decide().
#pragma once

#include "messages/ha.hpp"

namespace praetor::ha {

class builder;

// The remote primary to clone from and follow: standby_cluster's host and port, its slot the
// section's primary_slot_name.
upstream_member remote_primary(const standby_cluster_config& sc);

// The lock holder of a standby cluster, PostgreSQL running as a replica: points it at the
// remote primary and tells the supervisor it is the standby leader (once, or when it follows
// something else), otherwise reports that nothing is to be done.
void lead_standby_cluster(const ha_inputs& in, builder& b);

// The role our member record shows: standby_leader for the lock holder of a standby cluster
// whose PostgreSQL runs as a replica, else `role` unchanged.
std::string standby_member_role(const ha_inputs& in, const std::string& role);

}  // namespace praetor::ha
