#include "actors/rest_frontend/status_json.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <ctime>

#include "actors/rest_frontend/snapshot_facts.hpp"

namespace praetor::rest {
namespace json = boost::json;

namespace {

json::value timeline_value(timeline tl) {
  if (tl.value == 0) return nullptr;  // Patroni's cached replica timeline may be None
  return tl.value;
}

json::object xlog_object(const pg_status& pg) {
  json::object x;
  if (pg.role == pg_role::primary) {
    x["location"] = pg.wal_position.value;
  } else {
    // received falls back to replayed when the WAL receiver reports nothing.
    std::uint64_t received =
        pg.received_location.value ? pg.received_location.value : pg.replayed_location.value;
    x["received_location"] = received;
    x["replayed_location"] = pg.replayed_location.value;
    x["replayed_timestamp"] = nullptr;  // not in pg_status; null is what an idle replica says
    x["paused"] = false;
  }
  return x;
}

json::array replication_array(const std::vector<replication_row>& rows) {
  json::array a;
  for (const auto& r : rows) {
    json::object o;
    o["usename"] = r.usename;
    o["application_name"] = r.application_name;
    o["client_addr"] = r.client_addr.empty() ? json::value(nullptr) : json::value(r.client_addr);
    o["state"] = r.state;
    o["sync_state"] = r.sync_state;
    o["sync_priority"] = r.sync_priority;
    a.emplace_back(std::move(o));
  }
  return a;
}

bool pending_restart(const node_snapshot& s) {
  if (!s.view) return false;
  const member_record* me = s.view->find_member(s.name);
  return me && me->pending_restart;
}

}  // namespace

std::string python_utc_datetime(std::int64_t epoch_ms) {
  std::time_t secs = static_cast<std::time_t>(epoch_ms / 1000);
  auto millis = static_cast<int>(epoch_ms % 1000);
  if (millis < 0) {
    millis += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::string text = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900,
                                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (millis != 0) text += fmt::format(".{:06}", millis * 1000);
  return text + "+00:00";
}

json::object status_json(const node_snapshot& s, std::int64_t now_ms) {
  json::object o;
  const pg_status& pg = s.pg;
  if (pg_answers_queries(pg)) {
    o["state"] = pg.state;
    o["postmaster_start_time"] = pg.postmaster_start_ms
                                     ? json::value(python_utc_datetime(pg.postmaster_start_ms))
                                     : json::value(nullptr);
    o["role"] = reported_role(s);
    o["server_version"] = pg.server_version;
    o["xlog"] = xlog_object(pg);
    if (is_sync_standby(s, now_ms)) o["sync_standby"] = true;
    if (is_quorum_standby(s, now_ms)) o["quorum_standby"] = true;
    o["timeline"] = timeline_value(pg.tl);
    if (!pg.replication.empty()) o["replication"] = replication_array(pg.replication);
  } else {
    o["state"] = reported_state(pg);
    o["role"] = reported_role(s);
  }

  const cluster_view* cache = fresh_view(s, now_ms);
  if (!cache || !cache->leader) o["cluster_unlocked"] = true;
  if (s.failsafe_active) o["failsafe_mode_is_active"] = true;
  o["dcs_last_seen"] = s.dcs_last_seen_ms / 1000;
  if (!s.tags.empty()) o["tags"] = s.tags;
  if (!pg.sysid.empty()) o["database_system_identifier"] = pg.sysid;
  if (pending_restart(s)) o["pending_restart"] = true;
  if (!pg.scheduled_restart.empty()) {
    // Patroni shows the request without the postmaster start it was scheduled against.
    auto scheduled = pg.scheduled_restart;
    scheduled.erase("postmaster_start_time");
    o["scheduled_restart"] = std::move(scheduled);
  }
  o["patroni"] = json::object{{"version", "3.0.2"}, {"scope", s.scope}};
  if (pg.watchdog_failed) o["watchdog_failed"] = true;
  if (is_paused(s)) o["pause"] = true;
  return o;
}

}  // namespace praetor::rest
