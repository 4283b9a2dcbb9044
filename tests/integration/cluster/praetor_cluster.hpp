// A real praetor cluster for integration tests: a ZooKeeper of its own and N praetor daemons
// (each with its own PostgreSQL 15), all on free loopback ports under one temporary folder
// that the `postgres` user owns. The daemons run as that user, from a copy of the binary the
// user can reach (the build tree may sit where it cannot). Everything started is stopped in
// the destructor, by pid.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "backends/postgres/connection.hpp"
#include "messages/cluster_view.hpp"
#include "tests/support/pg_test_env.hpp"
#include "tests/support/zk_server.hpp"

namespace praetor::test {

struct praetor_node {
  std::string name;
  int pg_port = 0;
  int rest_port = 0;
  std::string dir;          // <root>/<name>
  std::string config_path;  // <root>/<name>.yml
  std::string log_path;     // the daemon's stderr
  std::string data_dir;     // <dir>/data unless a test moves it (then rewrite_configs())
  int pid = 0;              // 0 when not running
  int exit_status = -1;     // the daemon's wait status once it ended by itself
  // The tags section as YAML (rewrite_configs() after a change).
  std::string tags = "{nofailover: false, noloadbalance: false, clonefrom: false, nosync: false}";
};

class praetor_cluster {
 public:
  // Prepares `size` node configurations (scope "it"); starts ZooKeeper unless told not to.
  explicit praetor_cluster(int size, bool start_zookeeper = true);
  ~praetor_cluster();

  zk_server& zookeeper() { return zk_; }
  std::vector<praetor_node>& nodes() { return nodes_; }
  const std::string& root() const { return dir_.path(); }

  // More YAML for every node's configuration, `lines` indented as the section's keys are
  // ("  users: {...}\n" under bootstrap or postgresql; "key: value\n" at the top level ""):
  // rewrites the files, so call it before starting the nodes.
  void add_config_lines(const std::string& section, const std::string& lines);
  // More keys for bootstrap.dcs, in YAML flow form ("standby_cluster: {host: h, port: 5}").
  void add_dcs_items(const std::string& items);
  void rewrite_configs();

  bool start_node(std::size_t i);
  // SIGTERM, then SIGKILL after `grace`; returns true when it exited on SIGTERM.
  bool stop_node(std::size_t i, std::chrono::seconds grace = std::chrono::seconds(30));
  bool node_alive(std::size_t i);
  // Starts every node and waits until one primary streams to all the others; its index.
  std::optional<std::size_t> start_all_and_wait(std::chrono::seconds timeout);
  // Replicas streaming from node i (pg_stat_replication, a clone's pg_basebackup left out), as
  // text ("" when unreachable).
  std::string streaming_count(std::size_t i);
  // The pid in node i's postmaster.pid, 0 when there is none.
  int postmaster_pid(std::size_t i) const;
  // SIGKILL of the daemon and of its postmaster with every process it started: the machine
  // "dies".
  void kill_node_and_postmaster(std::size_t i);

  // SQL on node i as the superuser over TCP; nullopt (with the error in `error`) on failure.
  std::optional<std::vector<std::vector<std::optional<std::string>>>> query(
      std::size_t i, const std::string& sql, std::string* error = nullptr);
  // The same through any port on 127.0.0.1 that leads to a node (e.g. a proxy's).
  std::optional<std::vector<std::vector<std::optional<std::string>>>> query_at(
      int port, const std::string& sql, std::string* error = nullptr);
  std::optional<bool> in_recovery(std::size_t i);
  // The one node of `nodes` that runs as primary while the others are replicas; nullopt when
  // none does, two do (never a valid answer), or one cannot be queried.
  std::optional<std::size_t> primary_among(const std::vector<std::size_t>& nodes);
  // Every node index but `except`.
  std::vector<std::size_t> others_than(std::size_t except) const;
  // The node index running as primary, when exactly one does and the others are replicas.
  std::optional<std::size_t> single_primary();
  // HTTP GET on node i's REST API through curl: {status code, body}.
  std::pair<int, std::string> http_get(std::size_t i, const std::string& path);
  // Any method, with an optional JSON body: {status code (0 when no answer), body}.
  std::pair<int, std::string> http_call(std::size_t i, const std::string& method,
                                        const std::string& path, const std::string& json_body = "",
                                        int timeout_s = 5);
  // POST /switchover to node `from` (the leader) naming node `to` as the candidate; waits up
  // to 40 s for the answer: {status code, body}.
  std::pair<int, std::string> request_switchover(std::size_t from, std::size_t to);
  // libpq connection string naming every node, for a pg_writer.
  std::string writer_conninfo() const;
  // libpq connection string for the superuser through 127.0.0.1:`port` (e.g. a proxy's).
  std::string conninfo_at(int port) const;
  // The cluster as ZooKeeper holds it now, read by a client of our own; nullopt when it
  // cannot be read within 10 s.
  std::optional<cluster_view> load_view();
  std::string log_of(std::size_t i) const;
  // What node i's callbacks were called with, one "action role scope" line each.
  std::string callbacks_of(std::size_t i) const;

 private:
  std::string write_config(const praetor_node& n) const;

  pg_temp_dir dir_;
  zk_server zk_;
  int zk_port_ = 0;
  std::string praetor_bin_;
  std::vector<praetor_node> nodes_;
  std::map<std::string, std::string> extra_lines_;  // section -> YAML lines
  std::string dcs_items_;                           // more bootstrap.dcs keys, flow form
};

// The first column of a query's first row ("" when there is none).
inline std::string first_value(
    const std::optional<std::vector<std::vector<std::optional<std::string>>>>& rows) {
  return rows && !rows->empty() && !(*rows)[0].empty() && (*rows)[0][0] ? *(*rows)[0][0] : "";
}

// An HTTP reply's body contains `text`.
inline bool says(const std::pair<int, std::string>& reply, const std::string& text) {
  return reply.second.find(text) != std::string::npos;
}

// Runs a shell command; {exit code, stdout and stderr}.
std::pair<int, std::string> run_shell(const std::string& command);

// Polls `pred` every 200 ms until it holds or `timeout` passes.
template <class Pred>
bool eventually(std::chrono::seconds timeout, Pred pred) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return pred();
}

}  // namespace praetor::test
