#include "actors/rest_frontend/snapshot_facts.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "config/patroni_values.hpp"
#include "messages/cluster_flags.hpp"

namespace praetor::rest {

std::string reported_role(const node_snapshot& s) {
  switch (s.pg.role) {
    case pg_role::primary:
      return "master";
    case pg_role::replica:
      return s.has_lock && is_standby_cluster(s) ? "standby_leader" : "replica";
    case pg_role::unknown:
      break;
  }
  return s.pg.data_dir_empty ? "uninitialized" : "replica";
}

bool pg_answers_queries(const pg_status& pg) {
  if (pg.role == pg_role::unknown) return false;
  return pg.state == "running" || pg.state == "restarting" || pg.state == "starting";
}

std::string reported_state(const pg_status& pg) {
  if (pg.state == "running" && !pg_answers_queries(pg)) return "unknown";
  return pg.state;
}

const cluster_view* fresh_view(const node_snapshot& s, std::int64_t now_ms) {
  if (!s.view) return nullptr;
  if (now_ms - s.dcs_last_seen_ms >= static_cast<std::int64_t>(s.ttl) * 1000) return nullptr;
  return &*s.view;
}

bool is_paused(const node_snapshot& s) {
  return s.view && is_paused(*s.view);
}

bool is_standby_cluster(const node_snapshot& s) {
  return s.view && is_standby_cluster(*s.view);
}

namespace {

config::synchronous_mode synchronous_mode_of(const cluster_view& v) {
  const auto* mode = v.config ? v.config->if_contains("synchronous_mode") : nullptr;
  return mode ? config::parse_synchronous_mode(*mode).value_or(config::synchronous_mode::off)
              : config::synchronous_mode::off;
}

// A running replica that the fresh sync key names, in synchronous mode of the kind asked.
bool named_in_mode(const node_snapshot& s, std::int64_t now_ms, bool quorum) {
  if (!pg_answers_queries(s.pg) || reported_role(s) != "replica") return false;
  const cluster_view* cache = fresh_view(s, now_ms);
  return cache && is_synchronous_mode(*cache) && is_quorum_commit_mode(*cache) == quorum &&
         named_sync_standby(*cache, s.name);
}

}  // namespace

bool is_synchronous_mode(const cluster_view& v) {
  return synchronous_mode_of(v) != config::synchronous_mode::off;
}

bool is_quorum_commit_mode(const cluster_view& v) {
  return synchronous_mode_of(v) == config::synchronous_mode::quorum;
}

bool named_sync_standby(const cluster_view& v, std::string_view name) {
  const auto& members = v.sync.members;
  return std::find(members.begin(), members.end(), name) != members.end();
}

bool is_sync_standby(const node_snapshot& s, std::int64_t now_ms) {
  return named_in_mode(s, now_ms, false);
}

bool is_quorum_standby(const node_snapshot& s, std::int64_t now_ms) {
  return named_in_mode(s, now_ms, true);
}

bool has_noloadbalance(const node_snapshot& s) {
  return truthy_key(s.tags, "noloadbalance");
}

}  // namespace praetor::rest
