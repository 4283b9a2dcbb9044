// A temporary folder for one test, removed with everything in it when the test ends (also when
// it fails), plus the minimal configuration the tests start from.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace praetor::config::test {

class temp_dir {
 public:
  temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "praetor-config-XXXXXX");
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `text` to <dir>/<name> and returns that path.
  std::string write(const std::string& name, const std::string& text) const {
    auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

// Patroni's minimal configuration, with data_dir and pgpass placed under `dir`.
inline std::string minimal_config(const std::filesystem::path& dir) {
  return R"(scope: batman
namespace: /service/
name: node1
restapi: {listen: 0.0.0.0:8008, connect_address: 10.0.0.1:8008, authentication: {username: admin, password: secret}}
zookeeper: {hosts: ['zk1:2181', 'zk2:2181', 'zk3:2181']}
bootstrap:
  dcs: {ttl: 30, loop_wait: 10, retry_timeout: 10, maximum_lag_on_failover: 1048576,
        postgresql: {use_pg_rewind: true, use_slots: true, parameters: {max_connections: 200, wal_level: replica}}}
  initdb: [{encoding: UTF8}, data-checksums]
  pg_hba: [host replication replicator 10.0.0.0/24 md5, host all all 0.0.0.0/0 md5]
postgresql:
  listen: 0.0.0.0:5432
  connect_address: 10.0.0.1:5432
  data_dir: )" + (dir / "data").string() + R"(
  bin_dir: /usr/lib/postgresql/15/bin
  pgpass: )" + (dir / "pgpass0").string() + R"(
  authentication: {superuser: {username: postgres, password: pw}, replication: {username: replicator, password: rpw},
                   rewind: {username: rewind_user, password: rwpw}}
  parameters: {unix_socket_directories: /var/run/postgresql}
tags: {nofailover: false, noloadbalance: false, clonefrom: false, nosync: false}
watchdog: {mode: off}
)";
}

}  // namespace praetor::config::test
