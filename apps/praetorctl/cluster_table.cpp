#include "apps/praetorctl/cluster_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cmath>
#include <yaml-cpp/yaml.h>

namespace praetor::ctl {
namespace json = boost::json;

std::vector<member_row> member_rows(const cluster_view& v) {
  std::vector<member_row> rows;
  for (const auto& m : v.members) {
    member_row r;
    r.member = m.name;
    r.host = m.host() + ":" + std::to_string(m.port());
    bool leader = v.leader && v.leader->name == m.name;
    r.role = leader ? "Leader" : "Replica";
    r.state = !leader && !m.replication_state.empty() && m.state == "running" ? m.replication_state
                                                                                : m.state;
    if (m.tl) r.timeline = m.tl->value;
    if (!leader && m.xlog_location) {
      auto optime = v.optime.value;
      auto pos = m.xlog_location->value;
      r.lag_mb = optime > pos ? static_cast<double>(optime - pos) / (1024.0 * 1024.0) : 0.0;
    }
    if (!m.tags.empty()) r.tags = json::serialize(m.tags);
    rows.push_back(std::move(r));
  }
  return rows;
}

namespace {
std::string lag_text(const member_row& r) {
  if (r.role == "Leader") return "";
  if (!r.lag_mb) return "unknown";
  return *r.lag_mb == 0 ? "0" : fmt::format("{:.1f}", *r.lag_mb);
}

std::vector<std::array<std::string, 7>> cells(const cluster_view& v) {
  std::vector<std::array<std::string, 7>> out;
  out.push_back({"Member", "Host", "Role", "State", "TL", "Lag in MB", "Tags"});
  for (const auto& r : member_rows(v))
    out.push_back({r.member, r.host, r.role, r.state,
                   r.timeline ? std::to_string(*r.timeline) : "", lag_text(r), r.tags});
  return out;
}
}  // namespace

std::string render_table(const std::string& cluster, const cluster_view& v) {
  auto rows = cells(v);
  bool any_tags = std::any_of(rows.begin() + 1, rows.end(), [](const auto& r) { return !r[6].empty(); });
  std::size_t columns = any_tags ? 7 : 6;
  std::array<std::size_t, 7> width{};
  for (const auto& r : rows)
    for (std::size_t c = 0; c < columns; ++c) width[c] = std::max(width[c], r[c].size());
  std::string rule = "+";
  for (std::size_t c = 0; c < columns; ++c) rule += std::string(width[c] + 2, '-') + "+";
  std::string out;
  std::string title = " Cluster: " + cluster + " (" +
                      (v.initialize ? (v.initialize->empty() ? "initializing" : *v.initialize)
                                    : "uninitialized") +
                      ") ";
  std::string header_rule = rule;
  if (title.size() + 2 < header_rule.size()) header_rule.replace(1, title.size(), title);
  out += header_rule + "\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out += "|";
    for (std::size_t c = 0; c < columns; ++c) out += fmt::format(" {:<{}} |", rows[i][c], width[c]);
    out += "\n";
    if (i == 0) out += rule + "\n";
  }
  out += rule + "\n";
  return out;
}

namespace {
json::array rows_json(const std::string& cluster, const cluster_view& v) {
  json::array a;
  for (const auto& r : member_rows(v)) {
    json::object o{{"Cluster", cluster}, {"Member", r.member}, {"Host", r.host}, {"Role", r.role},
                   {"State", r.state}};
    if (r.timeline) o["TL"] = *r.timeline;
    if (r.role != "Leader") {
      if (r.lag_mb)
        o["Lag in MB"] = std::round(*r.lag_mb * 10) / 10;
      else
        o["Lag in MB"] = "unknown";
    }
    if (!r.tags.empty()) o["Tags"] = json::parse(r.tags);
    a.push_back(std::move(o));
  }
  return a;
}
}  // namespace

std::string render_json(const std::string& cluster, const cluster_view& v) {
  return json::serialize(rows_json(cluster, v)) + "\n";
}

std::string render_yaml(const std::string& cluster, const cluster_view& v) {
  YAML::Emitter out;
  out << YAML::BeginSeq;
  for (const auto& row : rows_json(cluster, v)) {
    out << YAML::BeginMap;
    for (const auto& [k, val] : row.as_object()) {
      out << YAML::Key << std::string(k) << YAML::Value;
      if (val.is_string())
        out << std::string(val.get_string());
      else if (val.is_double())
        out << val.get_double();
      else if (val.is_int64() || val.is_uint64())
        out << val.to_number<std::int64_t>();
      else
        out << json::serialize(val);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  return std::string(out.c_str()) + "\n";
}

}  // namespace praetor::ctl
