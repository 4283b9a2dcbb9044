// Members made by a command instead of initdb or pg_basebackup, against real PostgreSQL 15 (the
// commands are scripts that run pg_basebackup themselves, standing for a restore from a backup):
// a replica method while no member is given to clone from (no_leader), with Patroni's
// parameters on its command line and the user's recovery_conf in the replica's configuration;
// and a custom bootstrap whose restore prepared its own recovery (keep_existing_recovery_conf).
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "actors/postgres_supervisor/postgres_supervisor.hpp"
#include "backends/postgres/data_dir.hpp"
#include "tests/integration/postgres/pg_nodes.hpp"
#include "tests/support/pg_test_env.hpp"

using namespace praetor;
using namespace std::chrono_literals;

using test::is_running_as;
using test::node;
using test::pg_node_settings;
using test::query_value;
using test::shutdown;
using test::start_node;

TEST_CASE("a replica method marked no_leader creates the member without a member to clone from",
          "[postgres][integration][clone]") {
  test::pg_temp_dir tmp;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto p = start_node(sys, pg_node_settings(tmp.path(), "node1", test::free_loopback_port()));

  const std::string script = tmp.path() + "/restore.sh";
  const std::string args_file = tmp.path() + "/restore.args";
  {
    std::ofstream out(script);
    out << "#!/bin/sh\n"
        << "for a in \"$@\"; do case \"$a\" in --datadir=*) D=\"${a#--datadir=}\";; esac; done\n"
        << "echo \"$@\" > " << args_file << "\n"
        << "PGPASSWORD=rep-secret exec /usr/lib/postgresql/15/bin/pg_basebackup -h 127.0.0.1 -p "
        << p.settings.port << " -U replicator -D \"$D\" -X stream --checkpoint=fast\n";
  }
  REQUIRE(chmod(script.c_str(), 0755) == 0);

  auto settings = pg_node_settings(tmp.path(), "node2", test::free_loopback_port());
  replica_method restore;
  restore.name = "restore";
  restore.command = {script};
  restore.options = {"--no_leader=1"};
  restore.without_leader = true;
  replica_method basebackup;
  basebackup.name = "basebackup";  // needs a member to clone from: skipped
  settings.replica_methods = {basebackup, restore};
  settings.recovery_conf = {{"restore_command", "/bin/false %f %p"},
                            {"recovery_target_time", "2000-01-01"}};
  auto r = start_node(sys, settings);
  struct guard_t {
    caf::actor_system& sys;
    node &p, &r;
    ~guard_t() {
      shutdown(sys, r.sup);
      shutdown(sys, p.sup);
      shutdown(sys, r.decider);
      shutdown(sys, p.decider);
    }
  } guard{sys, p, r};

  caf::anon_send(p.sup, bootstrap_postgres{1});
  REQUIRE(p.inbox->wait_status(is_running_as(pg_role::primary), 60s));

  caf::anon_send(r.sup, clone_postgres{1, upstream_member{}});
  auto replica = r.inbox->wait_status(
      [](const pg_status& s) {
        return s.accepted_seq == 1 && s.action.empty() && s.state == "running";
      },
      60s);
  INFO("replica: " << r.inbox->last_status().state << " / " << r.inbox->last_status().last_error);
  REQUIRE(replica);
  CHECK(replica->role == pg_role::replica);
  CHECK(replica->sysid == p.inbox->last_status().sysid);
  CHECK_FALSE(replica->streaming);  // nothing to stream from until a leader is known

  auto args = pg::read_file(args_file);
  REQUIRE(args);
  CHECK(*args == "--no_leader=1 --scope=pgtest --role=replica --datadir=" + settings.data_dir +
                     " --connstring=\n");
  auto conf = pg::read_file(settings.data_dir + "/postgresql.conf");
  REQUIRE(conf);
  CHECK(conf->find("restore_command = '/bin/false %f %p'") != std::string::npos);
  CHECK(conf->find("recovery_target_time = ''") != std::string::npos);  // never the user's target
  CHECK(query_value(settings, "SELECT pg_is_in_recovery()") == "t");
}

TEST_CASE("a custom bootstrap keeping the recovery its command prepared runs it to its end",
          "[postgres][integration][bootstrap]") {
  // Without keep_existing_recovery_conf the restore's recovery.signal goes, as in Patroni: the
  // backup is started as it is, on its own timeline.
  const bool keep = GENERATE(true, false);
  test::pg_temp_dir tmp;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto p = start_node(sys, pg_node_settings(tmp.path(), "node1", test::free_loopback_port()));
  const std::string script = tmp.path() + "/restore.sh";
  {
    // A restore tool's way: the backup, then recovery.signal and its settings in
    // postgresql.auto.conf (no archive here: recovery ends with the WAL the backup holds).
    std::ofstream out(script);
    out << "#!/bin/sh\n"
        << "for a in \"$@\"; do case \"$a\" in --datadir=*) D=\"${a#--datadir=}\";; esac; done\n"
        << "PGPASSWORD=rep-secret /usr/lib/postgresql/15/bin/pg_basebackup -h 127.0.0.1 -p "
        << p.settings.port << " -U replicator -D \"$D\" -X stream --checkpoint=fast || exit 1\n"
        << "echo \"restore_command = 'false'\" >> \"$D/postgresql.auto.conf\"\n"
        << "touch \"$D/recovery.signal\"\n";
  }
  REQUIRE(chmod(script.c_str(), 0755) == 0);
  auto settings = pg_node_settings(tmp.path(), "node2", test::free_loopback_port());
  settings.bootstrap_command = {script, "--scope=pgtest", "--datadir=" + settings.data_dir};
  settings.bootstrap_keep_recovery = keep;
  auto r = start_node(sys, settings);
  struct guard_t {
    caf::actor_system& sys;
    node &p, &r;
    ~guard_t() {
      shutdown(sys, r.sup);
      shutdown(sys, p.sup);
      shutdown(sys, r.decider);
      shutdown(sys, p.decider);
    }
  } guard{sys, p, r};

  caf::anon_send(p.sup, bootstrap_postgres{1});
  REQUIRE(p.inbox->wait_status(is_running_as(pg_role::primary), 60s));
  REQUIRE(
      test::query(p.settings, "CREATE TABLE restored (v int); INSERT INTO restored VALUES (7)").ok);

  caf::anon_send(r.sup, bootstrap_postgres{1});
  auto primary = r.inbox->wait_status(
      [](const pg_status& s) { return s.accepted_seq == 1 && s.action.empty(); }, 90s);
  INFO("node2: " << r.inbox->last_status().state << " / " << r.inbox->last_status().last_error);
  REQUIRE(primary);
  CHECK(primary->state == "running");
  CHECK(primary->role == pg_role::primary);
  // the recovery ran (and promoted onto a new timeline), or was removed
  CHECK(primary->tl.value == (keep ? 2u : 1u));
  CHECK(query_value(settings, "SELECT v FROM restored") == "7");
}
