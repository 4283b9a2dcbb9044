#include "backends/postgres/slot_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/algorithm/hex.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "backends/postgres/connection.hpp"
#include "backends/postgres/data_dir.hpp"
#include "backends/postgres/files_render.hpp"
#include "backends/postgres/upstream_probe.hpp"

namespace praetor::pg {
namespace {

// A renamed file survives a crash only once its directory is on disk too.
bool fsync_path(const std::string& path, std::string& error) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) < 0) {
    error = "cannot fsync " + path + ": " + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return false;
  }
  ::close(fd);
  return true;
}

}  // namespace

std::optional<std::vector<slot_state_file>> read_slot_states(const postgres_settings& s,
                                                             const upstream_member& up,
                                                             const std::vector<std::string>& names,
                                                             std::string& error) {
  const auto& cred = rewind_credentials(s);
  conn_params p;
  p.host = up.host;
  p.port = up.port;
  p.user = cred.username;
  p.password = cred.password;
  p.options = cred.options;
  p.options["options"] = "-c statement_timeout=2000";
  p.dbname = s.database.empty() ? "postgres" : s.database;
  connection c;
  if (!c.connect(p, error)) {
    error = "cannot connect to " + describe_upstream(up) + " as " + cred.username + ": " + error;
    return std::nullopt;
  }
  std::string list;  // slot names are [a-z0-9_]: nothing to quote in an array literal
  for (const auto& n : names) list += (list.empty() ? "" : ",") + n;
  auto r = c.exec(
      "SELECT slot_name, slot_type, datname, plugin, pg_catalog.encode("
      "pg_catalog.pg_read_binary_file('pg_replslot/' || slot_name || '/state'), 'hex') "
      "FROM pg_catalog.pg_get_replication_slots() JOIN pg_catalog.pg_database ON datoid = oid "
      "WHERE NOT pg_catalog.pg_is_in_recovery() AND slot_name = ANY($1::text[])",
      {"{" + list + "}"});
  if (!r.ok) {
    error = "reading the replication slots of " + describe_upstream(up) + " failed: " + r.error;
    return std::nullopt;
  }
  std::vector<slot_state_file> out;
  for (const auto& row : r.rows) {
    slot_state_file f{row[0].value_or(""), row[1].value_or(""), row[2].value_or(""),
                      row[3].value_or(""), ""};
    try {
      boost::algorithm::unhex(row[4].value_or(""), std::back_inserter(f.state));
    } catch (const std::exception&) {
      error =
          "the state of slot " + f.name + " on " + describe_upstream(up) + " came back unreadable";
      return std::nullopt;
    }
    out.push_back(std::move(f));
  }
  return out;
}

bool install_slot_state(const std::string& data_dir, const slot_state_file& slot,
                        const run_as_user& user, std::string& error) {
  namespace fs = std::filesystem;
  const std::string slots_dir = data_dir + "/pg_replslot";
  const std::string dir = slots_dir + "/" + slot.name;
  const std::string tmp = dir + ".tmp";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  if (!ensure_private_dir(tmp, user, error)) return false;
  if (!write_owned_file(tmp + "/state", slot.state, user, 0600, error)) return false;
  if (!fsync_path(tmp + "/state", error) || !fsync_path(tmp, error)) return false;
  fs::remove_all(dir, ec);
  if (ec) {
    error = "cannot remove " + dir + ": " + ec.message();
    return false;
  }
  fs::rename(tmp, dir, ec);
  if (ec) {
    error = "cannot rename " + tmp + " to " + dir + ": " + ec.message();
    return false;
  }
  return fsync_path(dir, error) && fsync_path(slots_dir, error);
}

}  // namespace praetor::pg
