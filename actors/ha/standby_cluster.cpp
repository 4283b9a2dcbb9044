#include "actors/ha/standby_cluster.hpp"

#include "actors/ha/decide.hpp"
#include "actors/ha/decide_parts.hpp"

namespace praetor::ha {

upstream_member remote_primary(const standby_cluster_config& sc) {
  upstream_member up;
  up.name = "remote primary";
  up.host = sc.host;
  up.port = sc.port;
  up.remote = true;
  up.remote_slot = sc.primary_slot_name;
  return up;
}

void lead_standby_cluster(const ha_inputs& in, builder& b) {
  auto& mem = b.memory();
  const auto remote = remote_primary(*in.settings.standby_cluster);
  const std::string where = remote.host + ":" + std::to_string(remote.port);
  const bool first = !mem.standby_leader_told;
  if (first || (!remote.host.empty() && in.pg.upstream != where)) {
    b.send(follow_upstream{b.next_pg_seq(), remote, true});
    mem.standby_leader_told = true;
    b.say(first ? "promoted self to a standby leader by acquiring session lock"
                : "following the remote primary at " + where + " (standby_cluster)");
    return;
  }
  b.say("no action. I am (" + me(in) + "), the standby leader with the lock");
}

std::string standby_member_role(const ha_inputs& in, const std::string& role) {
  if (in.settings.standby_cluster && in.pg.role == pg_role::replica && holds_leader_lock(in))
    return "standby_leader";
  return role;
}

}  // namespace praetor::ha
