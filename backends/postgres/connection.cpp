#include "backends/postgres/connection.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <boost/json.hpp>

#include "backends/postgres/files_render.hpp"

namespace praetor::pg {
namespace {

std::string one_line(const char* msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

struct keywords {
  std::vector<std::string> keys, values;
  void add(std::string k, std::string v) {
    keys.push_back(std::move(k));
    values.push_back(std::move(v));
  }
  std::vector<const char*> ptrs(const std::vector<std::string>& v) const {
    std::vector<const char*> out;
    for (const auto& s : v) out.push_back(s.c_str());
    out.push_back(nullptr);
    return out;
  }
};

keywords to_keywords(const conn_params& p) {
  keywords k;
  k.add("host", p.host);
  k.add("port", std::to_string(p.port));
  k.add("user", p.user);
  if (!p.password.empty()) k.add("password", p.password);
  k.add("dbname", p.dbname);
  k.add("connect_timeout", std::to_string(p.connect_timeout));
  k.add("application_name", p.application_name);
  if (p.replication) k.add("replication", "true");
  for (const auto& [key, value] : p.options) k.add(key, value);
  return k;
}

}  // namespace

conn_params local_superuser_params(const postgres_settings& s) {
  conn_params p;
  p.host = socket_dir(s);
  p.port = s.port;
  p.user = s.superuser.username;
  p.password = s.superuser.password;
  p.options = s.superuser.options;  // libpq ignores the ssl ones on a unix socket
  p.dbname = s.database.empty() ? "postgres" : s.database;
  return p;
}

bool accepts_connections(const conn_params& p) {
  auto k = to_keywords(p);
  auto keys = k.ptrs(k.keys), values = k.ptrs(k.values);
  return PQpingParams(keys.data(), values.data(), 0) == PQPING_OK;
}

connection::connection() = default;
connection::~connection() {
  close();
}

bool connection::connect(const conn_params& p, std::string& error) {
  close();
  auto k = to_keywords(p);
  auto keys = k.ptrs(k.keys), values = k.ptrs(k.values);
  conn_ = PQconnectdbParams(keys.data(), values.data(), 0);
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    error = "cannot connect to PostgreSQL at " + p.host + ":" + std::to_string(p.port) + " as " +
            p.user + ": " + (conn_ ? one_line(PQerrorMessage(conn_)) : "out of memory");
    close();
    return false;
  }
  return true;
}

bool connection::connected() const {
  return conn_ && PQstatus(conn_) == CONNECTION_OK;
}

void connection::close() {
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
}

query_result connection::exec(const std::string& sql, const std::vector<std::string>& params) {
  query_result r;
  if (!connected()) {
    r.error = "not connected";
    return r;
  }
  std::vector<const char*> values;
  for (const auto& v : params) values.push_back(v.c_str());
  int sent = params.empty() ? PQsendQuery(conn_, sql.c_str())
                            : PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(values.size()),
                                                nullptr, values.data(), nullptr, nullptr, 0);
  if (!sent) {
    r.error = one_line(PQerrorMessage(conn_));
    return r;
  }
  r.ok = true;
  // Drain every result: libpq refuses the next query until PQgetResult returned null.
  while (PGresult* res = PQgetResult(conn_)) {
    auto st = PQresultStatus(res);
    if (st == PGRES_TUPLES_OK) {
      r.rows.clear();
      for (int i = 0; i < PQntuples(res); ++i) {
        std::vector<std::optional<std::string>> row;
        for (int j = 0; j < PQnfields(res); ++j)
          row.push_back(PQgetisnull(res, i, j) ? std::nullopt
                                               : std::optional<std::string>(PQgetvalue(res, i, j)));
        r.rows.push_back(std::move(row));
      }
    } else if (st != PGRES_COMMAND_OK) {
      r.ok = false;
      r.error = one_line(PQresultErrorMessage(res));
      if (const char* code = PQresultErrorField(res, PG_DIAG_SQLSTATE)) r.sqlstate = code;
    }
    PQclear(res);
  }
  if (PQstatus(conn_) != CONNECTION_OK) {
    r.ok = false;
    if (r.error.empty()) r.error = one_line(PQerrorMessage(conn_));
  }
  return r;
}

std::string connection::literal(const std::string& v) {
  if (!conn_) return "";
  char* e = PQescapeLiteral(conn_, v.c_str(), v.size());
  std::string out = e ? e : "";
  PQfreemem(e);
  return out;
}

std::string connection::identifier(const std::string& v) {
  if (!conn_) return "";
  char* e = PQescapeIdentifier(conn_, v.c_str(), v.size());
  std::string out = e ? e : "";
  PQfreemem(e);
  return out;
}

bool query_status(connection& c, pg_status& status, std::string& error) {
  // The recovery settings are ours to write: a promotion removes them from the file, which
  // PostgreSQL marks as pending a restart although nothing is left to apply. Patroni leaves
  // them out of pending_restart too.
  static const char* sql = R"SQL(
SELECT pg_is_in_recovery(),
       current_setting('server_version_num')::int,
       (extract(epoch FROM pg_postmaster_start_time()) * 1000)::bigint,
       (SELECT system_identifier::text FROM pg_control_system()),
       CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END,
       CASE WHEN pg_is_in_recovery() THEN NULL
            ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END,
       pg_last_wal_receive_lsn()::text,
       pg_last_wal_replay_lsn()::text,
       r.status, r.received_tli, r.sender_host, r.sender_port,
       (SELECT timeline_id FROM pg_control_checkpoint()),
       (SELECT coalesce(json_agg(json_build_object(
                'usename', usename, 'application_name', application_name,
                'client_addr', coalesce(host(client_addr), ''), 'state', state,
                'sync_state', sync_state, 'sync_priority', sync_priority, 'pid', pid,
                'write_lsn', write_lsn::text, 'flush_lsn', flush_lsn::text,
                'replay_lsn', replay_lsn::text)), '[]')::text
          FROM pg_stat_replication),
       (SELECT coalesce(bool_or(pending_restart), false) FROM pg_settings
         WHERE name NOT LIKE 'recovery\_target%' AND name NOT IN (
           'archive_cleanup_command', 'primary_conninfo', 'primary_slot_name',
           'promote_trigger_file', 'recovery_end_command', 'recovery_min_apply_delay',
           'restore_command')),
       current_setting('synchronous_standby_names'),
       current_setting('synchronous_commit'),
       (SELECT min_recovery_end_timeline FROM pg_control_recovery())
  FROM (SELECT 1) AS one
  LEFT JOIN pg_stat_wal_receiver r ON true)SQL";
  auto r = c.exec(sql);
  if (!r.ok || r.rows.size() != 1 || r.rows[0].size() != 18) {
    error = "status query failed: " + (r.error.empty() ? "unexpected result" : r.error);
    return false;
  }
  const auto& row = r.rows[0];
  auto str = [&row](int i) { return row[i].value_or(""); };
  auto num = [&row](int i) -> long long {
    try {
      return row[i] ? std::stoll(*row[i]) : 0;
    } catch (...) {
      return 0;
    }
  };
  bool in_recovery = str(0) == "t";
  status.role = in_recovery ? pg_role::replica : pg_role::primary;
  status.server_version = static_cast<int>(num(1));
  status.postmaster_start_ms = num(2);
  status.sysid = str(3);
  status.pending_restart = str(14) == "t";
  status.synchronous_standby_names = str(15);
  status.synchronous_commit = str(16);
  status.checkpoint_tl.value = static_cast<std::uint32_t>(num(12));
  status.replication.clear();
  if (!in_recovery) {
    status.wal_position = lsn::parse(str(4)).value_or(lsn{});
    status.tl.value = static_cast<std::uint32_t>(num(5));
    status.received_location = {};
    status.replayed_location = {};
    status.streaming = false;
    try {
      // Keep the parsed value alive for the loop (a temporary's array would dangle).
      const boost::json::value rows = boost::json::parse(str(13));
      for (const auto& v : rows.as_array()) {
        const auto& o = v.as_object();
        replication_row rr;
        auto s = [&o](const char* k) {
          auto* p = o.if_contains(k);
          return p && p->is_string() ? std::string(p->get_string()) : std::string();
        };
        rr.usename = s("usename");
        rr.application_name = s("application_name");
        rr.client_addr = s("client_addr");
        rr.state = s("state");
        rr.sync_state = s("sync_state");
        if (auto* p = o.if_contains("sync_priority"); p && p->is_int64())
          rr.sync_priority = static_cast<int>(p->get_int64());
        if (auto* p = o.if_contains("pid"); p && p->is_int64())
          rr.pid = static_cast<int>(p->get_int64());
        rr.write_lsn = lsn::parse(s("write_lsn")).value_or(lsn{});
        rr.flush_lsn = lsn::parse(s("flush_lsn")).value_or(lsn{});
        rr.replay_lsn = lsn::parse(s("replay_lsn")).value_or(lsn{});
        status.replication.push_back(std::move(rr));
      }
    } catch (const std::exception&) {
      // A malformed list is not worth failing the whole status for.
    }
  } else {
    status.received_location = lsn::parse(str(6)).value_or(lsn{});
    status.replayed_location = lsn::parse(str(7)).value_or(lsn{});
    status.wal_position = std::max(status.received_location, status.replayed_location);
    status.streaming = str(8) == "streaming";
    // Without a WAL receiver: the timeline replay reached, as far as pg_control tells it. Its
    // last restartpoint's may be several promotions old (restartpoints follow the primary's
    // checkpoints); the minimum recovery point follows replay (Patroni reads it the same way).
    status.tl.value = static_cast<std::uint32_t>(row[9] ? num(9) : std::max(num(12), num(17)));
    if (status.upstream.empty() && row[10]) status.upstream = str(10) + ":" + str(11);
  }
  return true;
}

}  // namespace praetor::pg
