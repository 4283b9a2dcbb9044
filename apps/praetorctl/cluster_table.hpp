// Renders a cluster_view the way `patronictl list` does: one row per member with host:port,
// role, state, timeline and lag in MB, as a table, JSON or YAML. Pure: no DCS, no I/O.
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

// `cluster` and `sysid` name the table, as patronictl's header line does.
std::string render_table(const std::string& cluster, const cluster_view& v);
std::string render_json(const std::string& cluster, const cluster_view& v);
std::string render_yaml(const std::string& cluster, const cluster_view& v);

}  // namespace praetor::ctl
