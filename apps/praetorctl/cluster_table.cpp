#include "apps/praetorctl/cluster_table.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "apps/praetorctl/text_table.hpp"

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

std::vector<member_row> topology_rows(const cluster_view& v) {
  auto rows = member_rows(v);
  std::set<std::string> replicas;
  for (const auto& r : rows)
    if (r.role != "Leader") replicas.insert(r.member);
  std::optional<std::string> leader;  // nullopt: the replicas hang under no one
  for (const auto& r : rows)
    if (r.role == "Leader") leader = r.member;

  // parent name ("" = none) -> its replicas' rows, in name order
  std::map<std::optional<std::string>, std::vector<const member_row*>> children;
  for (const auto& r : rows) {
    if (r.role == "Leader") continue;
    const auto* m = v.find_member(r.member);
    std::optional<std::string> parent = leader;
    if (auto* from = m ? m->tags.if_contains("replicatefrom") : nullptr;
        from && from->is_string()) {
      std::string name(from->get_string());
      if (name != r.member && replicas.contains(name)) parent = name;
    }
    children[parent].push_back(&r);
  }

  std::vector<member_row> out;
  std::function<void(const std::optional<std::string>&, std::size_t)> below =
      [&](const std::optional<std::string>& parent, std::size_t level) {
        auto it = children.find(parent);
        if (it == children.end()) return;
        for (const auto* r : it->second) {
          member_row shown = *r;
          shown.member = std::string((level - 1) * 2, ' ') + "+ " + r->member;
          out.push_back(std::move(shown));
          below(r->member, level + 1);
        }
      };
  if (leader)
    for (const auto& r : rows)
      if (r.member == *leader) out.push_back(r);
  below(leader, 1);
  return out;
}

namespace {
std::string lag_text(const member_row& r) {
  if (r.role == "Leader") return "";
  if (!r.lag_mb) return "unknown";
  return *r.lag_mb == 0 ? "0" : fmt::format("{:.1f}", *r.lag_mb);
}

// patronictl's table: the title names the cluster and its system identifier; TL and lag are
// right-aligned; Tags only when some member has tags.
std::string render_rows(const std::string& cluster, const cluster_view& v,
                        const std::vector<member_row>& rows) {
  text_table t;
  t.columns = {"Member", "Host", "Role", "State", "TL", "Lag in MB"};
  t.right_aligned = {"TL", "Lag in MB"};
  bool any_tags =
      std::any_of(rows.begin(), rows.end(), [](const auto& r) { return !r.tags.empty(); });
  if (any_tags) t.columns.push_back("Tags");
  for (const auto& r : rows) {
    t.rows.push_back({r.member, r.host, r.role, r.state,
                      r.timeline ? std::to_string(*r.timeline) : "", lag_text(r)});
    if (any_tags) t.rows.back().push_back(r.tags);
  }
  t.title =
      " Cluster: " + cluster + " (" +
      (v.initialize ? (v.initialize->empty() ? "initializing" : *v.initialize) : "uninitialized") +
      ") ";
  return render_pretty(t);
}
}  // namespace

std::string render_table(const std::string& cluster, const cluster_view& v) {
  return render_rows(cluster, v, member_rows(v));
}

std::string render_topology(const std::string& cluster, const cluster_view& v) {
  return render_rows(cluster, v, topology_rows(v));
}

namespace {
json::array rows_json(const std::string& cluster, const cluster_view& v) {
  json::array a;
  for (const auto& r : member_rows(v)) {
    json::object o{{"Cluster", cluster},
                   {"Member", r.member},
                   {"Host", r.host},
                   {"Role", r.role},
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
