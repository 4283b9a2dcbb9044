// Three praetor nodes on a real ZooKeeper bootstrap a cluster: one primary, two replicas
// streaming through their slots, rows written on the primary readable on both replicas, the
// ZooKeeper layout Patroni's, and bad input survived.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "backends/dcs/cluster_loader.hpp"
#include "backends/dcs/paths.hpp"
#include "backends/dcs/zookeeper/zookeeper_client.hpp"
#include "praetor_cluster.hpp"

using namespace praetor;
using namespace praetor::test;
using namespace std::chrono_literals;

namespace {

std::string value(const std::optional<std::vector<std::vector<std::optional<std::string>>>>& rows) {
  return rows && !rows->empty() && !(*rows)[0].empty() && (*rows)[0][0] ? *(*rows)[0][0] : "";
}

std::optional<cluster_view> read_zookeeper(praetor_cluster& c) {
  dcs::zookeeper_client client(c.zookeeper().hosts(), 10'000, 2'000);
  std::atomic<bool> connected{false};
  client.start(
      [&](const dcs_session_status& s) { connected = s.state == session_state::connected; },
      [](const std::string&) {});
  if (!eventually(10s, [&] { return connected.load(); })) return std::nullopt;
  auto loaded = dcs::load_cluster(client, dcs::paths("/service/it"), false);
  client.close();
  return loaded.view;
}

}  // namespace

TEST_CASE("three nodes bootstrap, stream through their slots, and show themselves", "[cluster]") {
  praetor_cluster c(3);
  auto primary = c.start_all_and_wait(120s);
  INFO("node1 log:\n" << c.log_of(0));
  REQUIRE(primary);
  const auto& leader = c.nodes()[*primary];

  {  // exactly one primary; each replica streams through the slot named after it
    std::set<std::string> replicas;
    for (std::size_t i = 0; i < 3; ++i)
      if (i != *primary) replicas.insert(c.nodes()[i].name);
    auto apps = c.query(*primary, "SELECT application_name FROM pg_stat_replication ORDER BY 1");
    REQUIRE(apps);
    std::set<std::string> streaming;
    for (const auto& r : *apps) streaming.insert(*r[0]);
    CHECK(streaming == replicas);
    auto slots = c.query(*primary,
                         "SELECT slot_name, active FROM pg_replication_slots "
                         "WHERE slot_type = 'physical' ORDER BY 1");
    REQUIRE(slots);
    REQUIRE(slots->size() == 2);
    for (const auto& r : *slots) {
      CHECK(replicas.count(*r[0]) == 1);
      CHECK(*r[1] == "t");
    }
  }

  {  // a row written on the primary is readable on both replicas
    std::string err;
    REQUIRE(
        c.query(*primary, "CREATE TABLE it_rows(x int); INSERT INTO it_rows VALUES (42)", &err));
    for (std::size_t i = 0; i < 3; ++i) {
      if (i == *primary) continue;
      CHECK(c.in_recovery(i) == std::optional<bool>(true));
      CHECK(
          eventually(20s, [&] { return value(c.query(i, "SELECT max(x) FROM it_rows")) == "42"; }));
    }
  }

  {  // ZooKeeper holds Patroni's layout
    auto view = read_zookeeper(c);
    REQUIRE(view);
    REQUIRE(view->leader);
    CHECK(view->leader->name == leader.name);
    CHECK(view->members.size() == 3);
    auto sysid = value(c.query(*primary, "SELECT system_identifier FROM pg_control_system()"));
    REQUIRE(view->initialize);
    CHECK(*view->initialize == sysid);
    REQUIRE(view->config);
    CHECK(view->config->at("ttl").to_number<int>() == 20);
    CHECK(eventually(15s, [&] {
      auto v = read_zookeeper(c);
      return v && v->optime.value > 0;
    }));
    for (const auto& m : view->members) {
      CHECK(m.version == "3.0.2");
      CHECK(m.api_url.ends_with("/patroni"));
      CHECK(m.role == (m.name == leader.name ? "master" : "replica"));
    }
  }

  {  // the REST API answers for the leader and the replicas
    auto [code, body] = c.http_get(*primary, "/patroni");
    CHECK(code == 200);
    auto status = boost::json::parse(body).as_object();
    CHECK(status.at("role").as_string() == "master");
    CHECK(status.at("xlog").as_object().contains("location"));
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK(c.http_get(i, "/health").first == 200);
      CHECK(c.http_get(i, "/primary").first == (i == *primary ? 200 : 503));
      CHECK(c.http_get(i, "/replica").first == (i == *primary ? 503 : 200));
    }
    auto [ccode, cbody] = c.http_get(0, "/cluster");
    CHECK(ccode == 200);
    auto members = boost::json::parse(cbody).as_object().at("members").as_array();
    CHECK(members.size() == 3);
  }

  {  // Debian's patronictl lists the cluster
    REQUIRE(std::filesystem::exists("/usr/bin/patronictl"));  // scripts/install-deps.sh installs it
    auto [code, out] = run_shell("patronictl -c " + c.nodes()[0].config_path + " list");
    CHECK(code == 0);
    INFO(out);
    CHECK(out.find("| " + leader.name) != std::string::npos);
    CHECK(out.find("Leader") != std::string::npos);
    std::size_t replicas = 0;
    for (auto p = out.find("| Replica"); p != std::string::npos; p = out.find("| Replica", p + 1))
      ++replicas;
    CHECK(replicas == 2);
  }

  {  // a member znode holding garbage is skipped; nothing crashes
    dcs::zookeeper_client client(c.zookeeper().hosts(), 10'000, 2'000);
    std::atomic<bool> connected{false};
    client.start(
        [&](const dcs_session_status& s) { connected = s.state == session_state::connected; },
        [](const std::string&) {});
    REQUIRE(eventually(10s, [&] { return connected.load(); }));
    REQUIRE(client.create("/service/it/members/garbage", "{not json at all", false, false).ok());
    std::this_thread::sleep_for(3s);
    for (std::size_t i = 0; i < 3; ++i) CHECK(c.node_alive(i));
    CHECK(c.http_get(0, "/cluster").first == 200);
    CHECK(c.single_primary() == primary);
    client.remove("/service/it/members/garbage", znode_version{-1});
    client.close();
  }
}

TEST_CASE("ZooKeeper not running at start-up: the node waits, then bootstraps",
          "[cluster][bad-input]") {
  praetor_cluster c(1, false);
  REQUIRE(c.start_node(0));
  CHECK(eventually(30s, [&] { return c.log_of(0).find("not reachable") != std::string::npos; }));
  CHECK(c.node_alive(0));
  REQUIRE(c.zookeeper().start());
  INFO(c.log_of(0));
  CHECK(eventually(90s, [&] { return c.single_primary() == std::optional<std::size_t>(0); }));
}

TEST_CASE("a malformed configuration is refused with the key named", "[cluster][bad-input]") {
  praetor_cluster c(0, false);
  auto path = c.root() + "/bad.yml";
  std::ofstream(path) << "scope: it\nname: n1\nrestapi: {listen: 127.0.0.1:notaport}\n"
                         "bootstrap: {dcs: {ttl: 10, loop_wait: 10, retry_timeout: 10}}\n";
  auto [code, out] = run_shell(std::string(PRAETOR_BIN) + " --validate-config " + path);
  CHECK(code != 0);
  CHECK(out.find("restapi.listen") != std::string::npos);
  CHECK(out.find("postgresql.data_dir") != std::string::npos);
  CHECK(out.find("zookeeper.hosts") != std::string::npos);
  CHECK(out.find("bootstrap.dcs.ttl") != std::string::npos);
  std::ofstream(path, std::ios::trunc) << "scope: [unclosed\n";
  auto [code2, out2] = run_shell(std::string(PRAETOR_BIN) + " " + path);
  CHECK(code2 == 1);
  CHECK(out2.find("line") != std::string::npos);
}
