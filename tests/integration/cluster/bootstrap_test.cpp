// Three praetor nodes on a real ZooKeeper bootstrap a cluster: one primary, two replicas
// streaming through their slots, rows written on the primary readable on both replicas, the
// ZooKeeper layout Patroni's, and bad input survived.
#include <sys/stat.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
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

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
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
    auto view = c.load_view();
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
      auto v = c.load_view();
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
                         "bootstrap: {dcs: {ttl: soon, loop_wait: 10, retry_timeout: 10}}\n";
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

TEST_CASE("a bootstrap configured as Patroni's acceptance suite does it", "[cluster][bootstrap]") {
  praetor_cluster c(1);
  auto& n = c.nodes()[0];
  // data_dir's parent folders do not exist yet: Patroni (initdb) makes them
  n.data_dir = n.dir + "/not/made/yet/data";
  // post_bootstrap gets the local connection string as its last word, and psql finds the
  // password without asking (-w)
  const auto args = c.root() + "/post_bootstrap.out";
  const auto script = c.root() + "/post_bootstrap.sh";
  std::ofstream(script) << "#!/bin/sh\nfor a in \"$@\"; do last=\"$a\"; done\n"
                        << "echo \"args: $*\" > " << args << "\n"
                        << "exec psql -w -X -A -t -c 'SELECT 40 + 2' \"$last\" >> " << args
                        << " 2>&1\n";
  ::chmod(script.c_str(), 0755);
  c.add_config_lines("bootstrap",
                     "  post_bootstrap: " + script +
                         " --flag\n"
                         "  users: {admin: {password: 'admin%', options: [createrole, createdb]},\n"
                         "          replicator: {password: ignored, options: [superuser]}}\n");
  REQUIRE(c.start_node(0));
  // the leader (which it becomes once the bootstrap, post_bootstrap and users included, is done)
  bool up = eventually(90s, [&] { return c.http_get(0, "/primary").first == 200; });
  INFO("log:\n" << c.log_of(0));
  REQUIRE(up);

  const auto out = file_text(args);
  INFO("post_bootstrap wrote: " << out);
  CHECK_THAT(out, Catch::Contains("args: --flag dbname=postgres user=postgres host=" + n.dir +
                                  " port=" + std::to_string(n.pg_port)));
  CHECK_THAT(out, Catch::Contains("\n42\n"));

  // bootstrap.users: LOGIN added, the options taken; a role postgresql.authentication names is
  // left as that section made it
  CHECK(value(c.query(0,
                      "SELECT rolcanlogin AND rolcreaterole AND rolcreatedb AND NOT rolsuper "
                      "FROM pg_roles WHERE rolname = 'admin'")) == "t");
  CHECK(value(c.query(0, "SELECT rolsuper FROM pg_roles WHERE rolname = 'replicator'")) == "f");
  std::string err;
  pg::conn_params admin;
  admin.host = "127.0.0.1";
  admin.port = n.pg_port;
  admin.user = "admin";
  admin.password = "admin%";
  pg::connection as_admin;
  CHECK(as_admin.connect(admin, err));
  INFO(err);

  // wal_keep_segments (PostgreSQL 12 and older) becomes wal_keep_size
  auto patched = c.http_call(0, "PATCH", "/config",
                             R"({"postgresql": {"parameters": {"wal_keep_segments": 100}}})");
  CHECK(patched.first == 200);
  CHECK(eventually(20s, [&] { return value(c.query(0, "SHOW wal_keep_size")) == "1600MB"; }));
}

TEST_CASE("a failed bootstrap gives the initialize key back, moves its data aside and exits",
          "[cluster][bootstrap][bad-input]") {
  praetor_cluster c(1);
  auto& n = c.nodes()[0];
  // post_bootstrap fails after initdb; a custom method's command fails before anything runs
  const auto [lines, named] = GENERATE(table<std::string, std::string>(
      {{"  post_bootstrap: /bin/false\n", "bootstrap.post_bootstrap"},
       {"  method: broken\n  broken: {command: \"sh -c 'mkdir -p ${2#--datadir=} && "
        "touch ${2#--datadir=}/PG_VERSION; exit 3' sh\"}\n",
        "custom bootstrap command"}}));
  c.add_config_lines("bootstrap", lines);
  REQUIRE(c.start_node(0));
  // Patroni: "Failed to bootstrap cluster", and the daemon exits; never a restart loop
  bool ended = eventually(90s, [&] { return !c.node_alive(0); });
  INFO("log:\n" << c.log_of(0));
  REQUIRE(ended);
  CHECK(WIFEXITED(n.exit_status));
  CHECK(WEXITSTATUS(n.exit_status) == 1);
  CHECK_THAT(c.log_of(0), Catch::Contains("Failed to bootstrap cluster") && Catch::Contains(named));
  CHECK(c.log_of(0).find("starting primary after failure") == std::string::npos);

  auto view = c.load_view();
  REQUIRE(view);
  CHECK_FALSE(view->initialize);  // another member may bootstrap

  // the half-made cluster was moved aside, not removed, and nothing runs on it
  CHECK_FALSE(std::filesystem::exists(n.data_dir));
  std::vector<std::filesystem::path> moved;
  for (const auto& e : std::filesystem::directory_iterator(n.dir))
    if (e.path().filename().string().rfind("data_", 0) == 0) moved.push_back(e.path());
  REQUIRE(moved.size() == 1);
  CHECK(std::filesystem::exists(moved[0] / "PG_VERSION"));
  CHECK(value(c.query(0, "SELECT 1")).empty());
}

TEST_CASE("a custom bootstrap method's command makes the new cluster", "[cluster][bootstrap]") {
  praetor_cluster c(1);
  auto& n = c.nodes()[0];
  // Patroni's _custom_bootstrap: the command, then --scope and --datadir
  const auto args = c.root() + "/custom.args";
  const auto script = c.root() + "/make_cluster.sh";
  std::ofstream(script) << "#!/bin/sh\necho \"$@\" > " << args << "\n"
                        << "for a; do case $a in --datadir=*) d=${a#--datadir=};; esac; done\n"
                        << "exec /usr/lib/postgresql/15/bin/initdb -D \"$d\" -U postgres "
                           "--auth=trust > /dev/null\n";
  ::chmod(script.c_str(), 0755);
  c.add_config_lines("bootstrap",
                     "  method: from_script\n  from_script: {command: '" + script + " --flag'}\n");
  REQUIRE(c.start_node(0));
  bool up = eventually(90s, [&] { return c.http_get(0, "/primary").first == 200; });
  INFO("log:\n" << c.log_of(0));
  REQUIRE(up);
  CHECK(file_text(args) == "--flag --scope=it --datadir=" + n.data_dir + "\n");
  CHECK_THAT(c.log_of(0), Catch::Contains("running the custom bootstrap"));
  std::string err;
  CHECK(c.query(0, "CREATE TABLE made_by_script(x int)", &err));
  INFO(err);
}
