#include "actors/rest_frontend/cluster_json.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "actors/rest_frontend/snapshot_facts.hpp"

namespace praetor::rest {
namespace json = boost::json;

namespace {

json::object member_json(const member_record& m, const cluster_view& view, bool standby) {
  const bool is_leader = view.leader && view.leader->name == m.name;
  json::object o;
  o["name"] = m.name;
  // As cluster_as_json: the sync key decides whether or not synchronous mode is on.
  o["role"] = is_leader ? (standby ? "standby_leader" : "leader")
              : named_sync_standby(view, m.name)
                  ? (is_quorum_commit_mode(view) ? "quorum_standby" : "sync_standby")
                  : "replica";
  o["state"] = m.state;
  o["api_url"] = m.api_url;
  if (std::string host = m.host(); !host.empty()) {
    o["host"] = host;
    if (int port = m.port(); port != 0) o["port"] = port;
  }
  if (m.tl) o["timeline"] = m.tl->value;
  if (m.pending_restart) o["pending_restart"] = true;
  if (!m.tags.empty()) o["tags"] = m.tags;
  if (!is_leader) {
    if (!m.xlog_location) {
      o["lag"] = "unknown";
    } else if (view.optime >= *m.xlog_location) {
      o["lag"] = view.optime.value - m.xlog_location->value;
    } else {
      o["lag"] = 0;
    }
  }
  return o;
}

}  // namespace

json::object cluster_json(const cluster_view* view) {
  json::object out;
  json::array members;
  if (view) {
    std::vector<const member_record*> sorted;
    for (const auto& m : view->members) sorted.push_back(&m);
    auto by_name = [](const member_record* a, const member_record* b) { return a->name < b->name; };
    std::stable_sort(sorted.begin(), sorted.end(), by_name);
    const bool standby = is_standby_cluster(*view);
    for (const member_record* m : sorted) members.emplace_back(member_json(*m, *view, standby));
  }
  out["members"] = std::move(members);
  if (view && is_paused(*view)) out["pause"] = true;
  if (view && view->failover && !view->failover->scheduled_at.empty()) {
    json::object sw;
    sw["at"] = view->failover->scheduled_at;
    if (!view->failover->leader.empty()) sw["from"] = view->failover->leader;
    if (!view->failover->member.empty()) sw["to"] = view->failover->member;
    out["scheduled_switchover"] = std::move(sw);
  }
  return out;
}

}  // namespace praetor::rest
