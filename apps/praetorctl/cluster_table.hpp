// Renders a cluster_view the way patronictl 3.0.2's output_members does for `list` and
// `topology`: one row per member (host, role, state, timeline, lag in MB, and the pending
// restart, scheduled restart and tags when some member has them or `extended` asks for them)
// as a table followed by the cluster's service lines (maintenance mode, scheduled switchover),
// or as tsv, JSON or YAML. Pure: no DCS, no I/O.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "messages/cluster_view.hpp"

namespace praetor::ctl {

struct member_row {
  std::string member;
  // PostgreSQL's host from conn_url; "host:port" when some member runs on a port other than
  // 5432 or two members share a host (patronictl's rule); "" when conn_url names none.
  std::string host;
  std::string role;  // Leader | Standby Leader | Sync Standby | Replica
  bool leader = false;
  std::string state;
  std::optional<std::uint32_t> timeline;
  // Replicas: the lag behind the cluster's last optime, rounded to whole MB as Python's
  // round() does; nullopt = unknown (no xlog_location). Always nullopt for the leader.
  std::optional<std::int64_t> lag_mb;
  bool pending_restart = false;
  std::string scheduled_restart;  // "<schedule>[ if version < X]", "" = none
  boost::json::object tags;       // {} = none
};

// The rows in name order.
std::vector<member_row> member_rows(const cluster_view& v);

// The rows in patronictl topology's order (ctl.py topology_sort): the leader, then under each
// member the replicas streaming from it (tag `replicatefrom` naming another replica; any
// other replica streams from the leader), depth first, in name order. A replica's name is
// indented by its depth: "+ name" one level down, "  + name" two levels down. Without a
// leader the top-level replicas are "+ name" too. As in patronictl, replicas in a
// replicatefrom cycle hang under no one and are not shown.
std::vector<member_row> topology_rows(const cluster_view& v);

// What patronictl prints under the table: " Maintenance mode: on" when paused, and
// " Switchover scheduled at: <time>" with right-aligned "from: ..." and "to: ..." lines; each
// line ending with '\n', "" when there is nothing to say.
std::string service_lines(const cluster_view& v);

// The table titled " Cluster: <cluster> ", then service_lines. `extended` (-e) shows the
// Pending restart, Scheduled restart and Tags columns even when no member has them. Tags are
// YAML: block style in render_table (a multi-line cell puts a rule between all rows), flow
// style in render_topology and render_tsv.
std::string render_table(const std::string& cluster, const cluster_view& v, bool extended = false);
// render_table with topology_rows.
std::string render_topology(const std::string& cluster, const cluster_view& v,
                            bool extended = false);
// print_output's tsv: the Cluster column too, cells joined by tabs, no service lines.
std::string render_tsv(const std::string& cluster, const cluster_view& v, bool extended = false);
// A list of one object per member, keyed by the column names, empty cells left out (so the
// leader has no "Lag in MB"); TL and Lag in MB as numbers ("unknown" as text), Tags as an
// object. JSON as Python's json.dumps writes it; YAML as safe_dump does (keys sorted).
std::string render_json(const std::string& cluster, const cluster_view& v, bool extended = false);
std::string render_yaml(const std::string& cluster, const cluster_view& v, bool extended = false);

}  // namespace praetor::ctl
