#include "praetor_cluster.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>
#include <thread>

#include "backends/dcs/cluster_loader.hpp"
#include "backends/dcs/paths.hpp"
#include "backends/dcs/zookeeper/zookeeper_client.hpp"
#include "backends/postgres/fence_guard.hpp"
#include "backends/postgres/process.hpp"

#ifndef PRAETOR_BIN
#error "PRAETOR_BIN must name the praetor executable"
#endif

namespace praetor::test {
namespace fs = std::filesystem;

namespace {
constexpr const char* superuser_password = "it-super";

void give_to_postgres(const std::string& path) {
  std::string err;
  if (auto user = pg::resolve_run_as(path, err); user && user->switch_user)
    if (::chown(path.c_str(), user->uid, user->gid) != 0) std::perror(path.c_str());
}
}  // namespace

praetor_cluster::praetor_cluster(int size, bool start_zookeeper) {
  if (start_zookeeper && !zk_.start()) throw std::runtime_error("ZooKeeper did not start");
  zk_port_ = zk_.port();
  praetor_bin_ = dir_.path() + "/praetor";
  fs::copy_file(PRAETOR_BIN, praetor_bin_, fs::copy_options::overwrite_existing);
  ::chmod(praetor_bin_.c_str(), 0755);
  // Every callback appends its arguments (action role scope) to callbacks.log in its node's
  // folder: one script per node.
  for (int i = 1; i <= size; ++i) {
    auto script = dir_.path() + "/node" + std::to_string(i) + "-callback.sh";
    std::ofstream(script) << "#!/bin/sh\necho \"$@\" >> " << dir_.path() << "/node" << i
                          << "/callbacks.log\n";
    ::chmod(script.c_str(), 0755);
  }
  for (int i = 1; i <= size; ++i) {
    praetor_node n;
    n.name = "node" + std::to_string(i);
    n.pg_port = free_loopback_port();
    n.rest_port = free_loopback_port();
    n.dir = dir_.path() + "/" + n.name;
    n.config_path = n.dir + ".yml";
    n.log_path = n.dir + ".log";
    n.data_dir = n.dir + "/data";
    fs::create_directories(n.dir);
    ::chmod(n.dir.c_str(), 0700);
    give_to_postgres(n.dir);
    nodes_.push_back(n);
  }
  rewrite_configs();
}

void praetor_cluster::add_config_lines(const std::string& section, const std::string& lines) {
  extra_lines_[section] += lines;
  rewrite_configs();
}

void praetor_cluster::add_dcs_items(const std::string& items) {
  dcs_items_ += ", " + items;
  rewrite_configs();
}

void praetor_cluster::rewrite_configs() {
  for (const auto& n : nodes_) {
    std::ofstream(n.config_path) << write_config(n);
    give_to_postgres(n.config_path);
  }
}

praetor_cluster::~praetor_cluster() {
  for (std::size_t i = 0; i < nodes_.size(); ++i) stop_node(i, std::chrono::seconds(20));
  zk_.stop();
  // PRAETOR_KEEP_TRACES=<dir>: keep each daemon's decision trace (to record tests/traces/).
  if (const char* keep = std::getenv("PRAETOR_KEEP_TRACES"))
    for (const auto& n : nodes_)
      if (fs::exists(n.dir + ".trace.jsonl"))
        fs::copy_file(n.dir + ".trace.jsonl", std::string(keep) + "/" + n.name + ".jsonl",
                      fs::copy_options::overwrite_existing);
}

std::string praetor_cluster::write_config(const praetor_node& n) const {
  auto extra_lines = [this](const std::string& section) {
    auto it = extra_lines_.find(section);
    return it == extra_lines_.end() ? std::string() : it->second;
  };
  std::ostringstream y;
  // The fast profile: loop_wait + 2 * retry_timeout <= ttl, short enough for tests.
  y << "scope: it\nnamespace: /service/\nname: " << n.name << "\n"
    << "restapi: {listen: 127.0.0.1:" << n.rest_port
    << ", connect_address: 127.0.0.1:" << n.rest_port << "}\n"
    << "zookeeper: {hosts: ['127.0.0.1:" << zk_port_ << "']}\n"
    << "bootstrap:\n"
    << "  dcs: {ttl: 20, loop_wait: 2, retry_timeout: 4, maximum_lag_on_failover: 1048576,\n"
    << "        postgresql: {use_pg_rewind: true, use_slots: true, parameters: {wal_level: "
       "replica}}"
    << dcs_items_ << "}\n"
    << "  initdb: [{encoding: UTF8}, data-checksums]\n"
    << "  pg_hba: [host replication replicator 127.0.0.1/32 md5, host all all 127.0.0.1/32 md5]\n"
    << extra_lines("bootstrap") << "postgresql:\n"
    << "  listen: 127.0.0.1:" << n.pg_port << "\n"
    << "  connect_address: 127.0.0.1:" << n.pg_port << "\n"
    << "  data_dir: " << n.data_dir << "\n"
    << "  bin_dir: /usr/lib/postgresql/15/bin\n"
    << "  pgpass: " << n.dir << "/pgpass\n"
    << "  authentication:\n"
    << "    superuser: {username: postgres, password: " << superuser_password << "}\n"
    << "    replication: {username: replicator, password: it-repl}\n"
    << "    rewind: {username: rewind_user, password: it-rewind}\n"
    << "  parameters: {unix_socket_directories: " << n.dir << "}\n"
    << "  callbacks: {on_start: " << dir_.path() << "/" << n.name
    << "-callback.sh, on_stop: " << dir_.path() << "/" << n.name
    << "-callback.sh, on_restart: " << dir_.path() << "/" << n.name
    << "-callback.sh, on_reload: " << dir_.path() << "/" << n.name
    << "-callback.sh, on_role_change: " << dir_.path() << "/" << n.name << "-callback.sh}\n"
    << extra_lines("postgresql") << "tags: " << n.tags << "\n"
    << "log: {level: DEBUG}\n"
    << extra_lines("");
  return y.str();
}

std::optional<std::size_t> praetor_cluster::primary_among(const std::vector<std::size_t>& nodes) {
  std::optional<std::size_t> primary;
  for (auto i : nodes) {
    auto r = in_recovery(i);
    if (!r) return std::nullopt;
    if (!*r) {
      if (primary) return std::nullopt;
      primary = i;
    }
  }
  return primary;
}

std::vector<std::size_t> praetor_cluster::others_than(std::size_t except) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (i != except) out.push_back(i);
  return out;
}

std::optional<cluster_view> praetor_cluster::load_view() {
  dcs::zookeeper_client client(zk_.hosts(), 10'000, 2'000);
  std::atomic<bool> connected{false};
  client.start(
      [&](const dcs_session_status& s) { connected = s.state == session_state::connected; },
      [](const std::string&) {});
  if (!eventually(std::chrono::seconds(10), [&] { return connected.load(); })) return std::nullopt;
  auto loaded = dcs::load_cluster(client, dcs::paths("/service/it"), false);
  client.close();
  return loaded.view;
}

bool praetor_cluster::start_node(std::size_t i) {
  auto& n = nodes_.at(i);
  std::string err;
  auto user = pg::resolve_run_as(n.dir, err);
  if (!user) throw std::runtime_error(err);
  pg::spawn_spec spec;
  spec.argv = {praetor_bin_, "--trace", n.dir + ".trace.jsonl", n.config_path};
  spec.cwd = dir_.path();
  spec.log_path = n.log_path;
  spec.user = *user;
  n.pid = pg::spawn_process(spec, err);
  if (n.pid <= 0) throw std::runtime_error("cannot start praetor: " + err);
  return true;
}

bool praetor_cluster::node_alive(std::size_t i) {
  auto& n = nodes_.at(i);
  if (n.pid <= 0) return false;
  int status = 0;
  if (::waitpid(n.pid, &status, WNOHANG) == n.pid) {
    n.pid = 0;
    n.exit_status = status;
    return false;
  }
  return true;
}

std::optional<std::size_t> praetor_cluster::start_all_and_wait(std::chrono::seconds timeout) {
  for (std::size_t i = 0; i < nodes_.size(); ++i) start_node(i);
  std::optional<std::size_t> primary;
  auto replicas = std::to_string(nodes_.size() - 1);
  bool up = eventually(timeout, [&] {
    primary = single_primary();
    return primary && streaming_count(*primary) == replicas;
  });
  return up ? primary : std::nullopt;
}

std::string praetor_cluster::streaming_count(std::size_t i) {
  // A clone's pg_basebackup streams WAL too, before the member runs: not a replica yet.
  auto rows = query(i,
                    "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND "
                    "application_name <> 'pg_basebackup'");
  return rows && !rows->empty() && (*rows)[0][0] ? *(*rows)[0][0] : "";
}

int praetor_cluster::postmaster_pid(std::size_t i) const {
  std::ifstream pidfile(nodes_.at(i).data_dir + "/postmaster.pid");
  int pid = 0;
  pidfile >> pid;
  return pid;
}

void praetor_cluster::kill_node_and_postmaster(std::size_t i) {
  auto& n = nodes_.at(i);
  int postmaster = postmaster_pid(i);
  if (n.pid > 0) {
    ::kill(n.pid, SIGKILL);
    ::waitpid(n.pid, nullptr, 0);
    n.pid = 0;
  }
  // With every process it started: a machine that dies takes its backends too.
  if (postmaster > 0) pg::kill_postmaster_and_children(postmaster);
}

bool praetor_cluster::stop_node(std::size_t i, std::chrono::seconds grace) {
  auto& n = nodes_.at(i);
  if (n.pid <= 0) return true;
  ::kill(n.pid, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(n.pid, &status, WNOHANG) == n.pid) {
      n.pid = 0;
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(n.pid, SIGKILL);
  ::waitpid(n.pid, nullptr, 0);
  n.pid = 0;
  return false;
}

std::optional<std::vector<std::vector<std::optional<std::string>>>> praetor_cluster::query(
    std::size_t i, const std::string& sql, std::string* error) {
  return query_at(nodes_.at(i).pg_port, sql, error);
}

std::optional<std::vector<std::vector<std::optional<std::string>>>> praetor_cluster::query_at(
    int port, const std::string& sql, std::string* error) {
  pg::conn_params p;
  p.host = "127.0.0.1";
  p.port = port;
  p.user = "postgres";
  p.password = superuser_password;
  p.application_name = "praetor-it";
  pg::connection c;
  std::string err;
  if (!c.connect(p, err)) {
    if (error) *error = err;
    return std::nullopt;
  }
  auto r = c.exec(sql);
  if (!r.ok) {
    if (error) *error = r.error;
    return std::nullopt;
  }
  return r.rows;
}

std::optional<bool> praetor_cluster::in_recovery(std::size_t i) {
  auto rows = query(i, "SELECT pg_is_in_recovery()");
  if (!rows || rows->empty() || !(*rows)[0][0]) return std::nullopt;
  return *(*rows)[0][0] == "t";
}

std::optional<std::size_t> praetor_cluster::single_primary() {
  std::vector<std::size_t> all(nodes_.size());
  std::iota(all.begin(), all.end(), std::size_t{0});
  return primary_among(all);
}

std::pair<int, std::string> praetor_cluster::http_get(std::size_t i, const std::string& path) {
  return http_call(i, "GET", path);
}

std::pair<int, std::string> praetor_cluster::request_switchover(std::size_t from, std::size_t to) {
  return http_call(
      from, "POST", "/switchover",
      "{\"leader\":\"" + nodes_.at(from).name + "\",\"candidate\":\"" + nodes_.at(to).name + "\"}",
      40);
}

std::pair<int, std::string> praetor_cluster::http_call(std::size_t i, const std::string& method,
                                                       const std::string& path,
                                                       const std::string& json_body,
                                                       int timeout_s) {
  std::string cmd =
      "curl -s -m " + std::to_string(timeout_s) + " -X " + method +
      " -w '\\n%{http_code}' http://127.0.0.1:" + std::to_string(nodes_.at(i).rest_port) + path;
  // The body goes through a file: no shell quoting of JSON.
  if (!json_body.empty()) {
    auto body_file = dir_.path() + "/request-body.json";
    std::ofstream(body_file) << json_body;
    cmd += " -H 'Content-Type: application/json' --data-binary @" + body_file;
  }
  auto [exit_code, out] = run_shell(cmd);
  auto nl = out.rfind('\n');
  if (exit_code != 0 || nl == std::string::npos) return {0, out};
  return {std::atoi(out.c_str() + nl + 1), out.substr(0, nl)};
}

std::string praetor_cluster::writer_conninfo() const {
  std::string hosts, ports;
  for (const auto& n : nodes_) {
    hosts += (hosts.empty() ? "" : ",") + std::string("127.0.0.1");
    ports += (ports.empty() ? "" : ",") + std::to_string(n.pg_port);
  }
  return "host=" + hosts + " port=" + ports + " user=postgres password=" + superuser_password +
         " dbname=postgres application_name=praetor-it-writer";
}

std::string praetor_cluster::conninfo_at(int port) const {
  return "host=127.0.0.1 port=" + std::to_string(port) +
         " user=postgres password=" + superuser_password +
         " dbname=postgres application_name=praetor-it-writer";
}

std::pair<int, std::string> run_shell(const std::string& command) {
  std::string out;
  FILE* f = ::popen((command + " 2>&1").c_str(), "r");
  if (!f) return {-1, "cannot run " + command};
  char buf[4096];
  std::size_t k;
  while ((k = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, k);
  int status = ::pclose(f);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string praetor_cluster::callbacks_of(std::size_t i) const {
  std::ifstream in(nodes_.at(i).dir + "/callbacks.log");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string praetor_cluster::log_of(std::size_t i) const {
  std::ifstream in(nodes_.at(i).log_path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

}  // namespace praetor::test
