#include "actors/rest_frontend/snapshot_facts.hpp"

#include <boost/json.hpp>

namespace praetor::rest {
namespace {

// Python truthiness of a JSON value, which is how Patroni reads tags and flags.
bool truthy(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null: return false;
    case boost::json::kind::bool_: return v.get_bool();
    case boost::json::kind::int64: return v.get_int64() != 0;
    case boost::json::kind::uint64: return v.get_uint64() != 0;
    case boost::json::kind::double_: return v.get_double() != 0.0;
    case boost::json::kind::string: return !v.get_string().empty();
    case boost::json::kind::array: return !v.get_array().empty();
    case boost::json::kind::object: return !v.get_object().empty();
  }
  return false;
}

bool truthy_key(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && truthy(it->value());
}

}  // namespace

std::string reported_role(const node_snapshot& s) {
  switch (s.pg.role) {
    case pg_role::primary: return "master";
    case pg_role::replica:
      return s.has_lock && is_standby_cluster(s) ? "standby_leader" : "replica";
    case pg_role::unknown: break;
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

bool is_paused(const cluster_view& v) { return v.config && truthy_key(*v.config, "pause"); }
bool is_paused(const node_snapshot& s) { return s.view && is_paused(*s.view); }

bool is_standby_cluster(const cluster_view& v) {
  if (!v.config) return false;
  auto it = v.config->find("standby_cluster");
  if (it == v.config->end() || !it->value().is_object()) return false;
  const auto& sc = it->value().get_object();
  return truthy_key(sc, "host") || truthy_key(sc, "port") || truthy_key(sc, "restore_command");
}
bool is_standby_cluster(const node_snapshot& s) { return s.view && is_standby_cluster(*s.view); }

bool has_noloadbalance(const node_snapshot& s) { return truthy_key(s.tags, "noloadbalance"); }

}  // namespace praetor::rest
