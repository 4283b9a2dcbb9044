// Replica creation methods against real PostgreSQL 15: a member created by a method's command
// (here a script that runs pg_basebackup itself, standing for a restore from a backup) while no
// member is given to clone from (no_leader), with Patroni's parameters on its command line and
// the user's recovery_conf in the replica's configuration.
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
