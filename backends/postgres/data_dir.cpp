#include "backends/postgres/data_dir.hpp"

#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace praetor::pg {
namespace fs = std::filesystem;

bool data_dir_empty(const std::string& data_dir) {
  std::error_code ec;
  return !fs::exists(fs::path(data_dir) / "PG_VERSION", ec);
}

bool empty_data_dir(const std::string& data_dir, const run_as_user& user, std::string& error) {
  std::error_code ec;
  if (fs::exists(data_dir, ec)) {
    for (const auto& entry : fs::directory_iterator(data_dir, ec)) {
      fs::remove_all(entry.path(), ec);
      if (ec) {
        error = "cannot remove " + entry.path().string() + ": " + ec.message();
        return false;
      }
    }
    if (ec) {
      error = "cannot list data directory " + data_dir + ": " + ec.message();
      return false;
    }
  }
  return ensure_private_dir(data_dir, user, error);
}

std::optional<std::string> move_data_dir_aside(const std::string& data_dir,
                                               const std::string& stamp, std::string& error) {
  std::error_code ec;
  std::string from = data_dir;
  while (from.size() > 1 && from.back() == '/') from.pop_back();
  if (!fs::exists(from, ec)) return std::string();
  const std::string to = from + "_" + stamp;
  fs::rename(from, to, ec);
  if (ec) {
    error = "cannot move " + from + " aside to " + to + ": " + ec.message();
    return std::nullopt;
  }
  return to;
}

bool write_owned_file(const std::string& path, const std::string& content, const run_as_user& user,
                      unsigned mode, std::string& error) {
  std::string tmp = path + ".praetor-tmp";
  {
    std::ofstream out(tmp, std::ios::trunc | std::ios::binary);
    out << content;
    out.close();
    if (!out) {
      error = "cannot write " + tmp + ": " + std::strerror(errno);
      return false;
    }
  }
  if (chmod(tmp.c_str(), mode) < 0) {
    error = "cannot chmod " + tmp + ": " + std::strerror(errno);
    return false;
  }
  if (!chown_to(tmp, user, error)) return false;
  if (rename(tmp.c_str(), path.c_str()) < 0) {
    error = "cannot rename " + tmp + " to " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool write_postgresql_conf(const postgres_settings& s, const replica_config* replica,
                           const run_as_user& user, std::string& error) {
  std::string dir = config_dir(s);
  std::string conf = dir + "/postgresql.conf", base = dir + "/postgresql.base.conf";
  std::error_code ec;
  if (!fs::exists(base, ec) && fs::exists(conf, ec)) {
    fs::rename(conf, base, ec);
    if (ec) {
      error = "cannot rename " + conf + " to " + base + ": " + ec.message();
      return false;
    }
  }
  if (!fs::exists(base, ec) && !write_owned_file(base, "", user, 0600, error)) return false;
  return write_owned_file(conf, render_postgresql_conf(s, replica), user, 0600, error);
}

namespace {

bool set_signal_file(const std::string& path, bool present, const run_as_user& user,
                     std::string& error) {
  if (present) return write_owned_file(path, "", user, 0600, error);
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) {
    error = "cannot remove " + path + ": " + ec.message();
    return false;
  }
  return true;
}

}  // namespace

bool set_standby_signal(const std::string& data_dir, bool present, const run_as_user& user,
                        std::string& error) {
  return set_signal_file(data_dir + "/standby.signal", present, user, error);
}

bool set_recovery_signal(const std::string& data_dir, bool present, const run_as_user& user,
                         std::string& error) {
  return set_signal_file(data_dir + "/recovery.signal", present, user, error);
}

bool write_pg_hba(const postgres_settings& s, bool with_bootstrap_lines, const run_as_user& user,
                  std::string& error) {
  if (user_hba_file(s)) return true;
  std::string path = hba_file(s);
  std::string existing = read_file(path).value_or("");
  return write_owned_file(path, render_pg_hba(s, existing, with_bootstrap_lines), user, 0600,
                          error);
}

bool write_pgpass(const postgres_settings& s, const upstream_member& upstream,
                  const run_as_user& user, std::string& error) {
  if (s.pgpass.empty()) {
    error = "postgresql.pgpass is not set: cannot hand the replication password to libpq";
    return false;
  }
  std::string content = render_pgpass_line(upstream.host, upstream.port, s.replication.username,
                                           s.replication.password);
  return write_owned_file(s.pgpass, content, user, 0600, error);
}

std::optional<std::string> write_temporary_passfile(const postgres_settings& s,
                                                    const std::string& purpose,
                                                    const std::string& host, int port,
                                                    const pg_credentials& who,
                                                    const run_as_user& user, std::string& error) {
  std::string path = fs::path(s.data_dir).parent_path().string() + "/.praetor-" + purpose +
                     "-pgpass-" + std::to_string(getpid());
  if (!write_owned_file(path, render_pgpass_line(host, port, who.username, who.password), user,
                        0600, error))
    return std::nullopt;
  return path;
}

std::optional<int> read_postmaster_pid(const std::string& data_dir) {
  std::ifstream in(data_dir + "/postmaster.pid");
  int pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  return pid;
}

int shared_memory_attachments(const std::string& data_dir) {
  std::ifstream in(data_dir + "/postmaster.pid");
  std::string line;
  for (int i = 0; i < 7 && std::getline(in, line); ++i) {
    if (i < 6) continue;
    std::istringstream fields(line);
    long key = 0;
    int id = -1;
    if (!(fields >> key >> id) || id < 0) return 0;
    shmid_ds ds{};
    if (shmctl(id, IPC_STAT, &ds) != 0) return 0;  // gone (or not ours to see)
    return static_cast<int>(ds.shm_nattch);
  }
  return 0;
}

}  // namespace praetor::pg
