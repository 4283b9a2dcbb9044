// Renders a cluster_view the way `patronictl list` and `topology` do: one row per member with
// host:port, role, state, timeline and lag in MB, as a table, JSON or YAML. Pure: no DCS, no
// I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "messages/cluster_view.hpp"

namespace praetor::ctl {

struct member_row {
  std::string member;
  std::string host;  // host:port of PostgreSQL
  std::string role;  // Leader | Replica
  std::string state;
  std::optional<std::uint32_t> timeline;
  std::optional<double> lag_mb;  // non-leaders; nullopt = unknown
  std::string tags;              // compact JSON, "" when none
};

std::vector<member_row> member_rows(const cluster_view& v);

// The rows in patronictl topology's order (ctl.py topology_sort): the leader, then under each
// member the replicas streaming from it (tag `replicatefrom` naming another replica; any
// other replica streams from the leader), depth first, in name order. A replica's name is
// indented by its depth: "+ name" one level down, "  + name" two levels down. Without a
// leader the top-level replicas are "+ name" too. As in patronictl, replicas in a
// replicatefrom cycle hang under no one and are not shown.
std::vector<member_row> topology_rows(const cluster_view& v);

// `cluster` and `sysid` name the table, as patronictl's header line does.
std::string render_table(const std::string& cluster, const cluster_view& v);
// render_table with topology_rows.
std::string render_topology(const std::string& cluster, const cluster_view& v);
std::string render_json(const std::string& cluster, const cluster_view& v);
std::string render_yaml(const std::string& cluster, const cluster_view& v);

}  // namespace praetor::ctl
