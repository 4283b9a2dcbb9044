#include "tests/integration/postgres/pg_nodes.hpp"

#include <unistd.h>

#include <fstream>
#include <thread>

#include "tests/support/pg_test_env.hpp"

namespace praetor::test {

postgres_settings pg_node_settings(const std::string& dir, const std::string& name, int port) {
  postgres_settings s;
  s.scope = "pgtest";
  s.member_name = name;
  s.data_dir = dir + "/" + name;
  s.bin_dir = "/usr/lib/postgresql/15/bin";
  s.listen_host = "127.0.0.1";
  s.port = port;
  s.connect_host = "127.0.0.1";
  s.connect_port = port;
  s.pgpass = dir + "/" + name + ".pgpass";
  s.superuser = {"postgres", "su-secret", {}};
  s.replication = {"replicator", "rep-secret", {}};
  s.rewind = {"rewinder", "rw-secret", {}};
  s.parameters["shared_buffers"] = "16MB";
  s.parameters["max_connections"] = 30;
  s.parameters["fsync"] = "off";
  s.initdb_args = {"--encoding=UTF8", "--locale=C"};
  s.basebackup_args = {"--checkpoint=fast"};
  s.pg_ctl_timeout = 30;
  s.loop_wait = 1;
  return s;
}

node start_node(caf::actor_system& sys, const postgres_settings& s) {
  node n;
  n.settings = s;
  n.decider = sys.spawn(fake_decider, n.inbox);
  n.sup = sys.spawn<caf::detached>(postgres_supervisor, n.decider, s, callback_runner_actor{});
  return n;
}

pg::query_result query(const postgres_settings& s, const std::string& sql) {
  pg::connection c;
  std::string error;
  if (!c.connect(pg::local_superuser_params(s), error)) return {false, error, {}, {}};
  return c.exec(sql);
}

std::string query_value(const postgres_settings& s, const std::string& sql) {
  auto r = query(s, sql);
  if (!r.ok || r.rows.empty() || r.rows[0].empty()) return "";
  return r.rows[0][0].value_or("");
}

bool wait_value(const postgres_settings& s, const std::string& sql, const std::string& expected,
                std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (query_value(s, sql) == expected) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

int find_postmaster(const std::string& data_dir) {
  for (int pid : processes_under(data_dir)) {
    std::ifstream st("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(st, line);
    auto rp = line.rfind(')');
    if (rp == std::string::npos || line.size() < rp + 5) continue;
    if (std::stoi(line.substr(rp + 4)) == getpid()) return pid;
  }
  return 0;
}

}  // namespace praetor::test
