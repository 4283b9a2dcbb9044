// The supervisor and the slot manager against real PostgreSQL 15 (run as the `postgres` OS user
// when the tests run as root), on free loopback ports, in a temporary folder; a fake decider
// collects what they report. Every process started is stopped, also when a check fails: the
// actors stop their postmaster on exit, and pg_temp_dir kills anything left under its folder.
#include "actors/postgres_supervisor/postgres_supervisor.hpp"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "actors/slot_manager/slot_manager.hpp"
#include "backends/postgres/connection.hpp"
#include "tests/integration/postgres/pg_nodes.hpp"
#include "tests/support/pg_test_env.hpp"

using namespace praetor;
using namespace std::chrono_literals;

using test::is_running_as;
using test::node;
using test::pg_node_settings;
using test::query;
using test::shutdown;
using test::start_node;

TEST_CASE("bootstrap a primary then crash restart and stop it", "[postgres][integration]") {
  test::pg_temp_dir tmp;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  // Passwords everywhere (initdb's pg_hba.conf, which praetor keeps as Patroni does): praetor's
  // own local connection must log in with the superuser's password.
  auto settings = pg_node_settings(tmp.path(), "node1", test::free_loopback_port());
  settings.initdb_args.push_back("--auth=scram-sha-256");
  auto n = start_node(sys, settings);
  struct guard_t {
    caf::actor_system& sys;
    node& n;
    ~guard_t() {
      shutdown(sys, n.sup);
      shutdown(sys, n.decider);
    }
  } guard{sys, n};

  auto first = n.inbox->wait_status([](const pg_status&) { return true; }, 10s);
  REQUIRE(first);
  CHECK(first->data_dir_empty);
  CHECK(first->state == "stopped");

  caf::anon_send(n.sup, bootstrap_postgres{7});
  auto accepted = n.inbox->wait_status([](const pg_status& s) { return s.accepted_seq == 7; }, 5s);
  REQUIRE(accepted);
  CHECK(accepted->action == "bootstrap");
  CHECK(accepted->state == "initializing new cluster");

  auto running = n.inbox->wait_status(is_running_as(pg_role::primary), 60s);
  INFO("last status: " << n.inbox->last_status().state << " / "
                       << n.inbox->last_status().last_error);
  REQUIRE(running);
  CHECK(running->action.empty());
  CHECK_FALSE(running->sysid.empty());
  CHECK(running->tl.value == 1);
  CHECK(running->wal_position.value > 0);
  CHECK(running->server_version >= 150000);
  CHECK(running->postmaster_start_ms > 0);
  CHECK_FALSE(running->data_dir_empty);
  CHECK(running->last_error.empty());

  SECTION("the replication user logs in over TCP with its password, not without") {
    pg::conn_params p;
    p.host = "127.0.0.1";
    p.port = n.settings.port;
    p.user = "replicator";
    p.password = "rep-secret";
    p.replication = true;
    pg::connection c;
    std::string error;
    REQUIRE(c.connect(p, error));
    auto r = c.exec("IDENTIFY_SYSTEM");
    REQUIRE(r.ok);
    REQUIRE(r.rows.size() == 1);
    CHECK(r.rows[0][0].value_or("") == running->sysid);
    p.password = "wrong";
    pg::connection bad;
    CHECK_FALSE(bad.connect(p, error));
    CHECK(error.find("password authentication failed") != std::string::npos);
  }

  SECTION("SIGKILL is reported as crashed within a second and stop leaves nothing") {
    auto pids = test::processes_under(n.settings.data_dir);
    REQUIRE_FALSE(pids.empty());
    auto pm_pid = query(n.settings, "SELECT pg_backend_pid()");  // proves we can query
    REQUIRE(pm_pid.ok);
    // The postmaster is the process whose parent is us.
    int postmaster = 0;
    for (int pid : pids) {
      std::ifstream st("/proc/" + std::to_string(pid) + "/stat");
      std::string line;
      std::getline(st, line);
      auto rp = line.rfind(')');
      int ppid = std::stoi(line.substr(rp + 4));
      if (ppid == getpid()) postmaster = pid;
    }
    REQUIRE(postmaster > 0);
    auto t0 = std::chrono::steady_clock::now();
    kill(postmaster, SIGKILL);
    auto crashed =
        n.inbox->wait_status([](const pg_status& s) { return s.state == "crashed"; }, 1s);
    REQUIRE(crashed);
    CHECK(std::chrono::steady_clock::now() - t0 < 1s);
    CHECK(crashed->last_error.find(std::to_string(postmaster)) != std::string::npos);
    CHECK(crashed->role == pg_role::unknown);

    // The orphaned backends see the postmaster gone and exit by themselves.
    for (int i = 0; i < 50 && !test::processes_under(n.settings.data_dir).empty(); ++i)
      std::this_thread::sleep_for(100ms);
    caf::anon_send(n.sup, start_postgres{8, true, {}});
    auto again = n.inbox->wait_status(is_running_as(pg_role::primary), 40s);
    INFO("last status: " << n.inbox->last_status().state << " / "
                         << n.inbox->last_status().last_error);
    REQUIRE(again);
    CHECK(again->accepted_seq == 8);

    caf::anon_send(n.sup, stop_postgres{9, stop_mode::fast});
    auto stopped = n.inbox->wait_status(
        [](const pg_status& s) { return s.accepted_seq == 9 && s.state == "stopped"; }, 40s);
    REQUIRE(stopped);
    CHECK(stopped->action.empty());
    CHECK(stopped->role == pg_role::unknown);
    CHECK(test::processes_under(n.settings.data_dir).empty());
  }
}

TEST_CASE("clone a streaming replica that uses a slot created by slot_manager",
          "[postgres][integration]") {
  test::pg_temp_dir tmp;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto p = start_node(sys, pg_node_settings(tmp.path(), "node1", test::free_loopback_port()));
  auto r = start_node(sys, pg_node_settings(tmp.path(), "node-2", test::free_loopback_port()));
  auto slot_inbox = std::make_shared<test::decider_inbox>();
  auto slot_decider = sys.spawn(test::fake_decider, slot_inbox);
  auto slots = sys.spawn<caf::detached>(slot_manager, slot_decider, p.settings);
  struct guard_t {
    caf::actor_system& sys;
    node &p, &r;
    slot_manager_actor& slots;
    ha_decider_actor& slot_decider;
    ~guard_t() {
      shutdown(sys, slots);
      shutdown(sys, r.sup);
      shutdown(sys, p.sup);
      shutdown(sys, r.decider);
      shutdown(sys, p.decider);
      shutdown(sys, slot_decider);
    }
  } guard{sys, p, r, slots, slot_decider};

  // The desired set arrives before PostgreSQL runs: kept and retried on the heartbeat.
  caf::anon_send(slots, reconcile_slots{{"node_2"}, {}, true});
  caf::anon_send(p.sup, bootstrap_postgres{1});
  auto primary = p.inbox->wait_status(is_running_as(pg_role::primary), 60s);
  INFO("primary: " << p.inbox->last_status().last_error);
  REQUIRE(primary);
  auto created =
      slot_inbox->wait_report([](const slot_report& rep) { return !rep.created.empty(); }, 10s);
  REQUIRE(created);
  CHECK(created->created == std::vector<std::string>{"node_2"});
  CHECK(created->errors.empty());

  REQUIRE(query(p.settings, "CREATE TABLE t (v text); INSERT INTO t VALUES ('before clone')").ok);

  caf::anon_send(r.sup, clone_postgres{1, {"node1", "127.0.0.1", p.settings.port}});
  auto replica = r.inbox->wait_status(
      [](const pg_status& s) {
        return s.state == "running" && s.role == pg_role::replica && s.streaming;
      },
      60s);
  INFO("replica: " << r.inbox->last_status().state << " / " << r.inbox->last_status().last_error);
  REQUIRE(replica);
  CHECK(replica->sysid == primary->sysid);
  CHECK(replica->upstream == "127.0.0.1:" + std::to_string(p.settings.port));
  CHECK(replica->tl.value == 1);

  auto repl = p.inbox->wait_status(
      [](const pg_status& s) {
        return s.replication.size() == 1 && s.replication[0].state == "streaming";
      },
      15s);
  REQUIRE(repl);
  CHECK(repl->replication[0].application_name == "node-2");
  CHECK(repl->replication[0].usename == "replicator");

  auto slot_row =
      query(p.settings, "SELECT active FROM pg_replication_slots WHERE slot_name = 'node_2'");
  REQUIRE(slot_row.ok);
  REQUIRE(slot_row.rows.size() == 1);
  CHECK(slot_row.rows[0][0].value_or("") == "t");

  REQUIRE(query(p.settings, "INSERT INTO t VALUES ('after clone')").ok);
  bool seen = false;
  for (int i = 0; i < 50 && !seen; ++i) {
    auto rows = query(r.settings, "SELECT count(*) FROM t WHERE v = 'after clone'");
    seen = rows.ok && rows.rows.size() == 1 && rows.rows[0][0].value_or("") == "1";
    if (!seen) std::this_thread::sleep_for(100ms);
  }
  CHECK(seen);

  // A slot outside the desired set is dropped once inactive.
  REQUIRE(query(p.settings, "SELECT pg_create_physical_replication_slot('stale_one')").ok);
  caf::anon_send(slots, reconcile_slots{{"node_2"}, {}, true});
  auto dropped =
      slot_inbox->wait_report([](const slot_report& rep) { return !rep.dropped.empty(); }, 10s);
  REQUIRE(dropped);
  CHECK(dropped->dropped == std::vector<std::string>{"stale_one"});

  // Actor exit stops the postmasters: nothing is left under the folder.
  shutdown(sys, slots);
  shutdown(sys, r.sup);
  shutdown(sys, p.sup);
  CHECK(test::processes_under(tmp.path()).empty());
}
