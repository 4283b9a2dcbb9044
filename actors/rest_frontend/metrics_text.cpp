#include "actors/rest_frontend/metrics_text.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <string_view>
#include <vector>

#include "actors/rest_frontend/status_json.hpp"

namespace praetor::rest {
namespace json = boost::json;

namespace {

struct metric {
  std::string_view name;
  std::string_view type;  // "gauge" or "counter"
  std::string_view help;
  std::string value;
  // Patroni 3.0.2 writes this one sample as `name {scope="..."} value`; scrapers accept it,
  // and dashboards built on Patroni's output expect nothing else.
  bool space_before_labels = false;
};

// Patroni's "semver without periods": each part zero-padded to two digits, 3.0.2 -> 030002.
std::string padded_semver(std::string_view version) {
  std::string out;
  for (;;) {
    const auto dot = version.find('.');
    const std::string_view part = version.substr(0, dot);
    if (part.size() < 2) out.append(2 - part.size(), '0');
    out += part;
    if (dot == std::string_view::npos) return out;
    version.remove_prefix(dot + 1);
  }
}

const json::value* field(const json::object* o, std::string_view key) {
  return o ? o->if_contains(key) : nullptr;
}

// Patroni's `status.get(key, 0)` for a number. A null counts as absent: Patroni would print
// None there (an unreadable replica timeline), which no Prometheus parser accepts.
std::string number_or_zero(const json::object* o, std::string_view key) {
  const json::value* v = field(o, key);
  if (!v || !v->is_number()) return "0";
  return json::serialize(*v);
}

// Patroni's `int(status.get(key, False) is True)`: 1 only for a present `true`.
std::string flag(const json::object* o, std::string_view key) {
  const json::value* v = field(o, key);
  return v && v->is_bool() && v->get_bool() ? "1" : "0";
}

std::string one_if(bool b) {
  return b ? "1" : "0";
}

}  // namespace

std::string python_epoch_seconds(std::int64_t epoch_ms) {
  std::string text = fmt::format("{}.{:03}", epoch_ms / 1000, epoch_ms % 1000);
  while (text.back() == '0' && text[text.size() - 2] != '.') text.pop_back();
  return text;
}

std::string metrics_text(const node_snapshot& s, std::int64_t now_ms) {
  const json::object status = status_json(s, now_ms);
  const json::object* xlog = status.contains("xlog") ? &status.at("xlog").as_object() : nullptr;
  const std::string_view role = status.at("role").as_string();
  const std::string_view version = status.at("patroni").at("version").as_string();

  // The status carries postmaster_start_time (as text) exactly when it has a start time; the
  // number comes from the same snapshot field.
  const json::value* started = field(&status, "postmaster_start_time");
  const std::string start_seconds = started && !started->is_null()
                                        ? python_epoch_seconds(s.pg.postmaster_start_ms)
                                        : std::string("0");

  const std::vector<metric> metrics{
      {"patroni_version", "gauge", "Patroni semver without periods.", padded_semver(version)},
      {"patroni_postgres_running", "gauge", "Value is 1 if Postgres is running, 0 otherwise.",
       one_if(status.at("state") == "running")},
      {"patroni_postmaster_start_time", "gauge", "Epoch seconds since Postgres started.",
       start_seconds},
      {"patroni_master", "gauge", "Value is 1 if this node is the leader, 0 otherwise.",
       one_if(role == "master")},
      {"patroni_primary", "gauge", "Value is 1 if this node is the leader, 0 otherwise.",
       one_if(role == "master")},
      {"patroni_xlog_location", "counter",
       "Current location of the Postgres transaction log, 0 if this node is not the leader.",
       number_or_zero(xlog, "location")},
      {"patroni_standby_leader", "gauge",
       "Value is 1 if this node is the standby_leader, 0 otherwise.",
       one_if(role == "standby_leader")},
      {"patroni_replica", "gauge", "Value is 1 if this node is a replica, 0 otherwise.",
       one_if(role == "replica")},
      // 1 exactly when /patroni says sync_standby (is_sync_standby).
      {"patroni_sync_standby", "gauge",
       "Value is 1 if this node is a sync standby replica, 0 otherwise.",
       flag(&status, "sync_standby")},
      {"patroni_xlog_received_location", "counter",
       "Current location of the received Postgres transaction log, 0 if this node is not a "
       "replica.",
       number_or_zero(xlog, "received_location")},
      {"patroni_xlog_replayed_location", "counter",
       "Current location of the replayed Postgres transaction log, 0 if this node is not a "
       "replica.",
       number_or_zero(xlog, "replayed_location")},
      // pg_status has no replay timestamp yet: /patroni says null, as an idle replica's
      // pg_last_xact_replay_timestamp() does, and Patroni turns null into 0.
      {"patroni_xlog_replayed_timestamp", "gauge",
       "Current timestamp of the replayed Postgres transaction log, 0 if null.",
       number_or_zero(xlog, "replayed_timestamp")},
      // Likewise no recovery-pause flag yet: /patroni says false.
      {"patroni_xlog_paused", "gauge", "Value is 1 if the Postgres xlog is paused, 0 otherwise.",
       flag(xlog, "paused")},
      {"patroni_postgres_server_version", "gauge", "Version of Postgres (if running), 0 otherwise.",
       number_or_zero(&status, "server_version"), true},
      {"patroni_cluster_unlocked", "gauge", "Value is 1 if the cluster is unlocked, 0 if locked.",
       flag(&status, "cluster_unlocked")},
      // Patroni 3.0.2's HELP text for this one is a copy of the line above; kept as it is.
      {"patroni_failsafe_mode_is_active", "gauge",
       "Value is 1 if the cluster is unlocked, 0 if locked.",
       flag(&status, "failsafe_mode_is_active")},
      {"patroni_postgres_timeline", "counter",
       "Postgres timeline of this node (if running), 0 otherwise.",
       number_or_zero(&status, "timeline")},
      {"patroni_dcs_last_seen", "gauge",
       "Epoch timestamp when DCS was last contacted successfully by Patroni.",
       number_or_zero(&status, "dcs_last_seen")},
      // Patroni reads its local flag; /patroni here says what our member record says.
      {"patroni_pending_restart", "gauge", "Value is 1 if the node needs a restart, 0 otherwise.",
       flag(&status, "pending_restart")},
      {"patroni_is_paused", "gauge", "Value is 1 if auto failover is disabled, 0 otherwise.",
       flag(&status, "pause")},
  };

  const std::string labels = fmt::format("{{scope=\"{}\"}}", s.scope);
  std::string out;
  for (const metric& m : metrics) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", m.name, m.help, m.name, m.type);
    out += fmt::format("{}{}{} {}\n", m.name, m.space_before_labels ? " " : "", labels, m.value);
  }
  return out;
}

}  // namespace praetor::rest
