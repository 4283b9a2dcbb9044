#include "backends/postgres/upstream_probe.hpp"

#include <spdlog/spdlog.h>

#include "backends/postgres/connection.hpp"

namespace praetor::pg {

std::string describe_upstream(const upstream_member& up) {
  return up.name + " (" + up.host + ":" + std::to_string(up.port) + ")";
}

std::optional<upstream_identity> identify_upstream(const postgres_settings& s,
                                                   const upstream_member& up, std::string& error) {
  conn_params p;
  p.host = up.host;
  p.port = up.port;
  p.user = s.replication.username;
  p.password = s.replication.password;
  p.options = s.replication.options;
  p.replication = true;
  connection c;
  if (!c.connect(p, error)) {
    error = "cannot open a replication connection to " + describe_upstream(up) + ": " + error;
    return std::nullopt;
  }
  auto id = c.exec("IDENTIFY_SYSTEM");
  if (!id.ok || id.rows.size() != 1 || id.rows[0].size() < 3) {
    error = "IDENTIFY_SYSTEM on " + describe_upstream(up) + " failed: " + id.error;
    return std::nullopt;
  }
  upstream_identity out;
  out.sysid = id.rows[0][0].value_or("");
  try {
    out.tl.value = static_cast<std::uint32_t>(std::stoul(id.rows[0][1].value_or("0")));
  } catch (const std::exception&) {
  }
  out.wal_position = lsn::parse(id.rows[0][2].value_or("")).value_or(lsn{});
  if (out.tl.value > 1) {
    auto h = c.exec("TIMELINE_HISTORY " + std::to_string(out.tl.value));
    if (!h.ok || h.rows.size() != 1 || h.rows[0].size() < 2) {
      error = "TIMELINE_HISTORY " + std::to_string(out.tl.value) + " on " + describe_upstream(up) +
              " failed: " + h.error;
      return std::nullopt;
    }
    out.history = h.rows[0][1].value_or("");
  }
  return out;
}

bool ensure_checkpoint_after_promote(const postgres_settings& s, const upstream_member& up,
                                     timeline upstream_tl, std::string& error) {
  conn_params p;
  p.host = up.host;
  p.port = up.port;
  p.user = s.superuser.username;
  p.password = s.superuser.password;
  p.options = s.superuser.options;
  p.dbname = s.database.empty() ? "postgres" : s.database;
  connection c;
  if (!c.connect(p, error)) {
    error = "cannot connect to " + describe_upstream(up) + " as the superuser: " + error;
    return false;
  }
  auto r =
      c.exec("SELECT pg_is_in_recovery(), (SELECT timeline_id FROM pg_control_checkpoint())::text");
  if (!r.ok || r.rows.size() != 1) {
    error = "reading the last checkpoint of " + describe_upstream(up) + " failed: " + r.error;
    return false;
  }
  if (r.rows[0][0].value_or("") == "t") {
    error = describe_upstream(up) + " is in recovery; rewind only against a primary";
    return false;
  }
  std::uint32_t checkpoint_tl = 0;
  try {
    checkpoint_tl = static_cast<std::uint32_t>(std::stoul(r.rows[0][1].value_or("0")));
  } catch (const std::exception&) {
  }
  if (checkpoint_tl >= upstream_tl.value) return true;
  spdlog::info("checkpoint on {}: its control file is still on timeline {} after promotion to {}",
               describe_upstream(up), checkpoint_tl, upstream_tl.value);
  auto cp = c.exec("CHECKPOINT");
  if (!cp.ok) {
    error = "CHECKPOINT on " + describe_upstream(up) + " failed: " + cp.error;
    return false;
  }
  return true;
}

}  // namespace praetor::pg
