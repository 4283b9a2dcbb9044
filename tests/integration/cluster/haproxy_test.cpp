// Clients behind HAProxy (Debian's 2.6) on a real three-node cluster, with HAProxy configured
// from scripts/haproxy/haproxy.cfg.template, the configuration the README recommends: its
// `primary` listener follows each node's `OPTIONS /primary` health check, its `replicas`
// listener `OPTIONS /replica`. Writes through the primary port land on the primary, before a
// switchover and, once HAProxy's checks have moved, on the new primary after it; the replicas
// port reaches only replicas. A writer commits through the primary port the whole time and
// loses no acknowledged row.
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "acked_rows.hpp"
#include "backends/postgres/process.hpp"
#include "praetor_cluster.hpp"
#include "tests/support/pg_writer.hpp"

using namespace praetor;
using namespace praetor::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* haproxy_bin = "/usr/sbin/haproxy";

// The template is read from the source tree this file is compiled from, so that the test runs
// exactly the file users are pointed at.
std::string template_path() {
  namespace fs = std::filesystem;
  return (fs::path(__FILE__).parent_path() / "../../../scripts/haproxy/haproxy.cfg.template")
      .lexically_normal()
      .string();
}

// Replaces every @KEY@ in `text` with its value.
std::string render(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    auto placeholder = "@" + key + "@";
    for (auto at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + value.size()))
      text.replace(at, placeholder.size(), value);
  }
  return text;
}

// One HAProxy for the cluster's three nodes, in the foreground (-db) as the user the daemons
// run as, on free loopback ports; stopped by its pid.
class haproxy_process {
 public:
  explicit haproxy_process(praetor_cluster& c)
      : primary_port(free_loopback_port()),
        replicas_port(free_loopback_port()),
        stats_port(free_loopback_port()),
        config_path_(c.root() + "/haproxy.cfg"),
        log_path_(c.root() + "/haproxy.log") {
    std::ifstream in(template_path());
    if (!in) throw std::runtime_error("cannot read " + template_path());
    std::stringstream text;
    text << in.rdbuf();
    std::map<std::string, std::string> values{{"PRIMARY_PORT", std::to_string(primary_port)},
                                              {"REPLICAS_PORT", std::to_string(replicas_port)},
                                              {"STATS_PORT", std::to_string(stats_port)}};
    for (std::size_t i = 0; i < c.nodes().size(); ++i) {
      auto node = "NODE" + std::to_string(i + 1) + "_";
      values[node + "NAME"] = c.nodes()[i].name;
      values[node + "PG_PORT"] = std::to_string(c.nodes()[i].pg_port);
      values[node + "REST_PORT"] = std::to_string(c.nodes()[i].rest_port);
    }
    std::ofstream(config_path_) << render(text.str(), values);

    std::string err;
    auto user = pg::resolve_run_as(c.root(), err);
    if (!user || !pg::chown_to(config_path_, *user, err))
      throw std::runtime_error("haproxy user: " + err);
    pg::spawn_spec spec;
    spec.argv = {haproxy_bin, "-db", "-f", config_path_};
    spec.cwd = c.root();
    spec.log_path = log_path_;
    spec.user = *user;
    pid_ = pg::spawn_process(spec, err);
    if (pid_ <= 0) throw std::runtime_error("cannot start haproxy: " + err);
  }
  ~haproxy_process() { stop(); }
  haproxy_process(const haproxy_process&) = delete;
  haproxy_process& operator=(const haproxy_process&) = delete;

  const int primary_port;
  const int replicas_port;
  const int stats_port;

  bool running() {
    if (pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == pid_) pid_ = 0;
    return pid_ > 0;
  }

  // Each server's status on the stats page, {{listener, server}, status}: "UP", "DOWN", or
  // on the way, "UP 1/2" (one check failed, still taking connections), "DOWN 1/1", ...
  // Empty when HAProxy does not answer.
  std::vector<std::pair<std::pair<std::string, std::string>, std::string>> server_states() const {
    auto [code, csv_text] =
        run_shell("curl -s -m 2 'http://127.0.0.1:" + std::to_string(stats_port) + "/;csv'");
    std::vector<std::pair<std::pair<std::string, std::string>, std::string>> states;
    if (code != 0) return states;
    std::istringstream csv(csv_text);
    std::size_t status_column = 0;  // found in the header line, "# pxname,svname,...,status,..."
    for (std::string line; std::getline(csv, line);) {
      std::vector<std::string> fields;
      std::istringstream cells(line);
      for (std::string cell; std::getline(cells, cell, ',');) fields.push_back(cell);
      if (line.rfind("# ", 0) == 0) {
        for (std::size_t k = 0; k < fields.size(); ++k)
          if (fields[k] == "status") status_column = k;
        continue;
      }
      if (status_column == 0 || fields.size() <= status_column) continue;
      if (fields[1] == "FRONTEND" || fields[1] == "BACKEND") continue;
      states.push_back({{fields[0], fields[1]}, fields[status_column]});
    }
    return states;
  }

  // The servers of `listener` that HAProxy sends connections to (status UP or "UP n/m").
  std::set<std::string> up_in(const std::string& listener) const {
    std::set<std::string> up;
    for (const auto& [server, status] : server_states())
      if (server.first == listener && status.rfind("UP", 0) == 0) up.insert(server.second);
    return up;
  }

  // Its log and the server states, for a failed assertion.
  std::string describe() const {
    std::string out = "haproxy's log:\n" + log() + "server states:\n";
    for (const auto& [server, status] : server_states())
      out += "  " + server.first + "/" + server.second + " " + status + "\n";
    return out;
  }

  std::string log() const {
    std::ifstream in(log_path_);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }

  // SIGTERM (HAProxy stops at once), SIGKILL if it has not gone after 10 s.
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int k = 0; k < 100; ++k) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = 0;
        return;
      }
      std::this_thread::sleep_for(100ms);
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }

 private:
  std::string config_path_;
  std::string log_path_;
  int pid_ = 0;
};

// Which server a new connection through 127.0.0.1:`port` reached.
struct landing {
  int pg_port = 0;
  bool in_recovery = false;
};

// Runs `sql` (may be empty) and then asks the server who it is, on one new connection.
std::optional<landing> land(praetor_cluster& c, int port, const std::string& sql = "",
                            std::string* error = nullptr) {
  auto rows = c.query_at(port, sql + "SELECT inet_server_port(), pg_is_in_recovery()", error);
  if (!rows || rows->size() != 1 || !(*rows)[0][0] || !(*rows)[0][1]) return std::nullopt;
  return landing{std::stoi(*(*rows)[0][0]), *(*rows)[0][1] == "t"};
}

std::string name_of(praetor_cluster& c, std::size_t i) {
  return c.nodes()[i].name;
}

// HAProxy's view agrees with the cluster: only `primary` is up in the primary listener, and
// exactly the other nodes in the replicas listener.
bool routes_to(const haproxy_process& proxy, praetor_cluster& c, std::size_t primary) {
  std::set<std::string> replicas;
  for (std::size_t i = 0; i < c.nodes().size(); ++i)
    if (i != primary) replicas.insert(name_of(c, i));
  return proxy.up_in("primary") == std::set<std::string>{name_of(c, primary)} &&
         proxy.up_in("replicas") == replicas;
}

bool settled_on(praetor_cluster& c, std::size_t primary, std::chrono::seconds timeout) {
  return eventually(
      timeout, [&] { return c.single_primary() == primary && c.streaming_count(primary) == "2"; });
}

// Several new connections through the replicas port: each reaches a replica, never `primary`,
// and round robin reaches both replicas.
void check_reads_reach_replicas(praetor_cluster& c, const haproxy_process& proxy,
                                std::size_t primary) {
  std::set<int> seen;
  for (int k = 0; k < 8; ++k) {
    std::string err;
    auto at = land(c, proxy.replicas_port, "", &err);
    INFO("read " << k << " through the replicas port: " << err);
    REQUIRE(at);
    CHECK(at->in_recovery);
    CHECK(at->pg_port != c.nodes()[primary].pg_port);
    seen.insert(at->pg_port);
  }
  CHECK(seen.size() == 2);
  std::string err;
  CHECK_FALSE(c.query_at(proxy.replicas_port, "CREATE TABLE not_here(x int)", &err));
  CHECK_THAT(err, Catch::Contains("read-only transaction"));
}

// A write through the primary port lands on `primary`, and the row is there.
void check_write_lands_on(praetor_cluster& c, const haproxy_process& proxy, std::size_t primary,
                          int id) {
  std::string err;
  auto at =
      land(c, proxy.primary_port,
           "INSERT INTO routed VALUES (" + std::to_string(id) + ", inet_server_port()); ", &err);
  INFO("write " << id << " through the primary port: " << err);
  REQUIRE(at);
  CHECK_FALSE(at->in_recovery);
  CHECK(at->pg_port == c.nodes()[primary].pg_port);
  auto row = c.query(primary, "SELECT port FROM routed WHERE id = " + std::to_string(id));
  REQUIRE(row);
  REQUIRE(row->size() == 1);
  CHECK((*row)[0][0] == std::to_string(c.nodes()[primary].pg_port));
}

}  // namespace

TEST_CASE("HAProxy sends writes to the primary and reads to replicas across a switchover",
          "[cluster][haproxy]") {
  praetor_cluster c(3);
  auto primary = c.start_all_and_wait(120s);
  REQUIRE(primary);
  haproxy_process proxy(c);

  {
    bool routed = eventually(20s, [&] { return routes_to(proxy, c, *primary); });
    INFO(proxy.describe());
    REQUIRE(proxy.running());
    REQUIRE(routed);
  }

  // Before: writes on the primary, reads on the replicas.
  REQUIRE(c.query_at(proxy.primary_port, "CREATE TABLE routed(id int PRIMARY KEY, port int)"));
  for (int id = 1; id <= 3; ++id) check_write_lands_on(c, proxy, *primary, id);
  check_reads_reach_replicas(c, proxy, *primary);
  // What was written through one port is read through the other.
  CHECK(eventually(10s, [&] {
    auto rows = c.query_at(proxy.replicas_port, "SELECT count(*) FROM routed");
    return rows && (*rows)[0][0] == "3";
  }));

  pg_writer writer(c.conninfo_at(proxy.primary_port), "proxied_rows");
  writer.start();
  REQUIRE(eventually(20s, [&] { return writer.acknowledged().size() > 20; }));

  auto candidate = (*primary + 1) % 3;
  auto [code, body] = c.request_switchover(*primary, candidate);
  auto switched_at = std::chrono::steady_clock::now();
  CHECK(code == 200);
  CHECK(body == "Successfully switched over to \"" + name_of(c, candidate) + "\"");

  // After: HAProxy's checks move to the new roles without being told, the primary listener
  // first, the replicas listener once the old primary is back as a replica.
  {
    bool writes_moved = eventually(30s, [&] {
      return proxy.up_in("primary") == std::set<std::string>{name_of(c, candidate)};
    });
    INFO(proxy.describe());
    REQUIRE(writes_moved);
  }
  WARN("HAProxy's primary listener had only the new primary up "
       << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                switched_at)
              .count()
       << " ms after the switchover returned");
  REQUIRE(settled_on(c, candidate, 60s));
  {
    bool moved = eventually(30s, [&] { return routes_to(proxy, c, candidate); });
    INFO(proxy.describe());
    REQUIRE(moved);
  }
  for (int id = 4; id <= 6; ++id) check_write_lands_on(c, proxy, candidate, id);
  auto all = c.query(candidate, "SELECT count(*) FROM routed");
  REQUIRE(all);
  CHECK((*all)[0][0] == "6");
  check_reads_reach_replicas(c, proxy, candidate);

  // The writer, through the same port, goes on committing on the new primary and lost nothing.
  auto resumed_from = std::chrono::steady_clock::now();
  REQUIRE(eventually(20s, [&] { return acked_since(writer, resumed_from) > 50; }));
  writer.stop();
  WARN("longest write gap through HAProxy over the switchover " << writer.longest_gap().count()
                                                                << " ms");
  auto check = check_acked_rows(c, candidate, writer);
  REQUIRE(check);
  INFO(check->acknowledged << " acknowledged rows, " << check->present << " on the new primary");
  CHECK(check->missing_ids.empty());
  CHECK(proxy.running());
}
