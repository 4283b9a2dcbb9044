#include "actors/ha/leader_race.hpp"

#include "actors/ha/sync_replication.hpp"

namespace praetor::ha {

std::uint32_t cluster_timeline(const cluster_view& v) {
  if (v.history.empty()) return 1;
  auto parent = history_number(v.history.back(), 0);
  return parent && *parent > 0 ? static_cast<std::uint32_t>(*parent) + 1 : 1;
}

std::vector<member_record> probe_targets(const ha_inputs& in) {
  std::vector<member_record> out;
  if (!in.view) return out;
  for (const auto& m : in.view->members)
    if (m.name != in.settings.name && !m.api_url.empty() && !m.nofailover() &&
        (!sync_limits_promotion(in) || in.view->sync.matches(m.name)))
      out.push_back(m);
  // Failsafe mode: the members the failsafe key knows are asked too, also those whose record
  // is gone (a primary that lost its session still answers as one).
  if (in.settings.failsafe_mode && in.view->failsafe && !sync_limits_promotion(in))
    for (const auto& [name, url] : *in.view->failsafe) {
      if (name == in.settings.name || !url.is_string() || in.view->find_member(name)) continue;
      member_record m;
      m.name = std::string(name);
      m.api_url = std::string(url.get_string());
      out.push_back(std::move(m));
    }
  return out;
}

race_verdict evaluate_race(const ha_inputs& in) {
  if (in.pg.state == "starting") return {false, "postgres is still starting"};
  if (in.pg.state == "running" && in.pg.role == pg_role::primary)
    return {true, "PostgreSQL runs as primary"};
  if (in.settings.nofailover) return {false, "I am tagged nofailover"};
  const bool sync_only = sync_limits_promotion(in);
  if (sync_only && !in.view->sync.matches(in.settings.name))
    return {false, "I am not a synchronous standby (the sync key names '" + in.view->sync.leader +
                       "' and its standbys)"};
  if (in.pg.state != "running") return {false, "PostgreSQL is not running (" + in.pg.state + ")"};
  auto mine = in.pg.wal_position;
  auto optime = in.view ? in.view->optime : lsn{};
  if (optime > mine &&
      static_cast<std::int64_t>(optime.value - mine.value) > in.settings.maximum_lag_on_failover)
    return {false, "my WAL position " + mine.to_string() + " lags the last leader optime " +
                       optime.to_string() + " by more than maximum_lag_on_failover (" +
                       std::to_string(in.settings.maximum_lag_on_failover) + " bytes)"};
  if (in.settings.check_timeline && in.view) {
    auto cluster_tl = cluster_timeline(*in.view);
    if (in.pg.tl.value < cluster_tl)
      return {false, "my timeline " + std::to_string(in.pg.tl.value) +
                         " is behind last known cluster timeline " + std::to_string(cluster_tl)};
  }
  int votes = 0;  // quorum commit: voters not ahead of me
  std::string voted;
  for (const auto& p : in.peers.peers) {
    if (!p.reachable || p.nofailover || p.watchdog_failed) continue;
    if (sync_only && !in.view->sync.matches(p.name)) continue;
    if (!p.in_recovery) return {false, "Primary is still alive: '" + p.name + "' runs as primary"};
    // In synchronous mode the former leader may still answer, even ahead of us: it does not
    // keep its synchronous standby from taking over.
    if (p.wal_position > mine && !(sync_only && p.name == in.view->sync.leader))
      return {false, "'" + p.name + "' is ahead of me (" + p.wal_position.to_string() + " > " +
                         mine.to_string() + ")"};
    if (p.wal_position == mine && p.failover_priority > in.settings.failover_priority)
      return {false, "'" + p.name + "' has the same WAL position and a higher failover_priority (" +
                         std::to_string(p.failover_priority) + " > " +
                         std::to_string(in.settings.failover_priority) + ")"};
    if (sync_only && p.wal_position.value != 0 && p.wal_position <= mine) {
      ++votes;
      voted += (voted.empty() ? "" : ", ") + p.name;
    }
  }
  // Quorum commit (quorum_commit.hpp): an acknowledged commit is on one of any quorum + 1
  // voters, so I must have heard from `quorum` of them, none ahead of me; the old leader needs
  // nobody (no voter was ahead of it).
  if (sync_only && in.settings.synchronous_quorum && in.settings.name != in.view->sync.leader &&
      votes < in.view->sync.quorum)
    return {false, "Quorum requirement " + std::to_string(in.view->sync.quorum) +
                       " can not be reached: votes from " + std::to_string(votes) +
                       (voted.empty() ? "" : " (" + voted + ")")};
  return {true, "I am the healthiest member: no reachable member is ahead of " + mine.to_string()};
}

}  // namespace praetor::ha
