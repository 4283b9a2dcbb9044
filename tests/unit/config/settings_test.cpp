// Dynamic-configuration defaults and reading, parameter precedence, and the settings each
// actor is spawned with.
#include <catch2/catch.hpp>

#include "config/dynamic.hpp"
#include "config/load.hpp"
#include "config/to_settings.hpp"
#include "tests/unit/config/temp_dir.hpp"

using namespace praetor::config;
using praetor::config::test::minimal_config;
using praetor::config::test::temp_dir;

namespace {

node_config load_minimal(const temp_dir& dir, const std::string& extra_file = "") {
  dir.write("conf/a.yml", minimal_config(dir.path()));
  if (!extra_file.empty()) dir.write("conf/b.yml", extra_file);
  auto outcome = load_node_config((dir.path() / "conf").string(), {});
  REQUIRE(outcome.ok());
  return *outcome.config;
}

}  // namespace

TEST_CASE("dynamic defaults are Patroni's", "[config][dynamic]") {
  auto d = effective_dynamic(boost::json::object{});
  CHECK(d.at("ttl") == boost::json::value(30));
  CHECK(d.at("loop_wait") == boost::json::value(10));
  CHECK(d.at("retry_timeout") == boost::json::value(10));
  CHECK(d.at("maximum_lag_on_failover") == boost::json::value(1048576));
  CHECK(d.at("postgresql").at("use_slots") == boost::json::value(true));
  const auto& p = d.at("postgresql").at("parameters").as_object();
  CHECK(p.at("max_connections") == boost::json::value(100));
  CHECK(p.at("max_wal_senders") == boost::json::value(10));
  CHECK(p.at("wal_level") == boost::json::value("replica"));
  CHECK(p.at("hot_standby") == boost::json::value("on"));
  CHECK(p.at("wal_keep_size") == boost::json::value("128MB"));
  CHECK(p.at("max_replication_slots") == boost::json::value(10));
  CHECK(p.at("max_worker_processes") == boost::json::value(8));
  CHECK(p.at("wal_log_hints") == boost::json::value("on"));
  CHECK(p.at("max_locks_per_transaction") == boost::json::value(64));
  CHECK(p.at("max_prepared_transactions") == boost::json::value(0));
  CHECK(p.at("track_commit_timestamp") == boost::json::value("off"));
}

TEST_CASE("dynamic values are read Patroni-style", "[config][dynamic]") {
  boost::json::object dcs = {{"ttl", "40"},
                             {"loop_wait", 5.0},
                             {"retry_timeout", "soon"},  // unreadable: default kept
                             {"synchronous_mode", "on"},
                             {"failsafe_mode", "yes"},
                             {"check_timeline", 1},
                             {"master_start_timeout", 60},
                             {"unknown", 1},
                             {"postgresql",
                              {{"use_slots", "off"},
                               {"data_dir", "/not/allowed"},
                               {"use_pg_rewind", true},
                               {"parameters",
                                {{"max_connections", 20},  // below 25: refused
                                 {"max_wal_senders", 5},
                                 {"hot_standby", "off"},  // forced: refused
                                 {"shared_buffers", "1GB"}}}}}};
  auto d = effective_dynamic(dcs);
  CHECK(d.at("ttl") == boost::json::value(40));
  CHECK(d.at("loop_wait") == boost::json::value(5));
  CHECK(d.at("retry_timeout") == boost::json::value(10));
  CHECK(d.at("synchronous_mode") == boost::json::value(true));
  CHECK(effective_dynamic({{"synchronous_mode", "QUORUM"}}).at("synchronous_mode") ==
        boost::json::value("quorum"));
  CHECK(d.at("failsafe_mode") == boost::json::value(true));
  CHECK(d.at("check_timeline") == boost::json::value(true));
  CHECK(d.at("primary_start_timeout") == boost::json::value(60));
  CHECK_FALSE(d.contains("unknown"));
  const auto& pg = d.at("postgresql").as_object();
  CHECK(pg.at("use_slots") == boost::json::value(false));
  CHECK_FALSE(pg.contains("data_dir"));
  CHECK(pg.at("use_pg_rewind") == boost::json::value(true));
  const auto& p = pg.at("parameters").as_object();
  CHECK(p.at("max_connections") == boost::json::value(100));
  CHECK(p.at("max_wal_senders") == boost::json::value(5));
  CHECK(p.at("hot_standby") == boost::json::value("on"));
  CHECK(p.at("shared_buffers") == boost::json::value("1GB"));
}

TEST_CASE("the config znode wins over bootstrap.dcs, an empty one does not", "[config][dynamic]") {
  temp_dir dir;
  auto c = load_minimal(dir, "bootstrap: {dcs: {ttl: 45}}\n");
  CHECK(effective_dynamic(std::nullopt, c).at("ttl") == boost::json::value(45));
  CHECK(effective_dynamic(boost::json::object{}, c).at("ttl") == boost::json::value(45));
  CHECK(effective_dynamic(boost::json::object{{"ttl", 60}}, c).at("ttl") == boost::json::value(60));
}

TEST_CASE("parameters: defaults <- dynamic <- local, local may not set command-line ones",
          "[config][dynamic]") {
  boost::json::object dynamic = effective_dynamic(boost::json::object{
      {"postgresql", {{"parameters", {{"max_connections", 200}, {"work_mem", "4MB"}}}}}});
  boost::json::object local = {{"max_connections", 50},  // command-line: dropped
                               {"work_mem", "8MB"},      // local wins
                               {"MAX_WAL_SENDERS", 3}};  // names are case-insensitive
  auto p = effective_parameters(dynamic, local);
  CHECK(p.at("max_connections") == boost::json::value(200));
  CHECK(p.at("work_mem") == boost::json::value("8MB"));
  CHECK(p.at("max_wal_senders") == boost::json::value(10));
  CHECK_FALSE(p.contains("MAX_WAL_SENDERS"));
  CHECK(p.at("wal_level") == boost::json::value("replica"));
}

TEST_CASE("wal_keep_segments becomes wal_keep_size, which PostgreSQL 13 and later know",
          "[config][dynamic]") {
  // what Patroni's acceptance suite puts in bootstrap.dcs
  auto dynamic = effective_dynamic(
      boost::json::object{{"postgresql", {{"parameters", {{"wal_keep_segments", 100}}}}}});
  auto p = effective_parameters(dynamic, {});
  CHECK(p.at("wal_keep_size") == boost::json::value("1600MB"));
  CHECK_FALSE(p.contains("wal_keep_segments"));

  SECTION("wal_keep_size given as well wins") {
    auto both = effective_parameters(
        effective_dynamic(boost::json::object{
            {"postgresql",
             {{"parameters", {{"wal_keep_segments", "8"}, {"wal_keep_size", "2GB"}}}}}}),
        {});
    CHECK(both.at("wal_keep_size") == boost::json::value("2GB"));
    CHECK_FALSE(both.contains("wal_keep_segments"));
  }
  SECTION("only the dynamic configuration sets it, as every command-line parameter") {
    auto local =
        effective_parameters(effective_dynamic(boost::json::object{}), {{"wal_keep_segments", 8}});
    CHECK(local.at("wal_keep_size") == boost::json::value("128MB"));
    CHECK_FALSE(local.contains("wal_keep_segments"));
  }
}

TEST_CASE("ignore_slots reaches the slot manager's settings", "[config][settings]") {
  temp_dir dir;
  auto c = load_minimal(dir);
  auto dynamic = effective_dynamic(boost::json::object{
      {"ignore_slots",
       boost::json::array{boost::json::object{{"name", "keep_me"}},
                          boost::json::object{{"type", "logical"}, {"plugin", "test_decoding"}}}}});
  auto pg = to_postgres_settings(c, dynamic);
  CHECK(pg.ignore_slots == std::vector<praetor::slot_matcher>{
                               {"keep_me", "", "", ""}, {"", "logical", "", "test_decoding"}});
}

TEST_CASE("permanent logical slots: the decider gets them, PostgreSQL gets hot_standby_feedback",
          "[config][settings][slots]") {
  temp_dir dir;
  auto c = load_minimal(dir);
  auto dynamic = effective_dynamic(boost::json::object{
      {"slots", boost::json::object{{"cdc", boost::json::object{{"database", "postgres"},
                                                                {"plugin", "test_decoding"}}},
                                    {"keep", nullptr}}}});
  CHECK(to_ha_settings(c, dynamic).permanent_slots ==
        std::vector<praetor::permanent_slot>{{"cdc", "logical", "postgres", "test_decoding"},
                                             {"keep", "physical", "", ""}});
  // without it a logical slot copied to a replica may miss catalog rows after a failover
  CHECK(to_postgres_settings(c, dynamic).parameters.at("hot_standby_feedback") == "on");

  SECTION("not for a member that never becomes the primary") {
    c.tags["nofailover"] = true;
    CHECK_FALSE(to_postgres_settings(c, dynamic).parameters.contains("hot_standby_feedback"));
  }
  SECTION("synchronous_mode: quorum is synchronous mode with quorum commit") {
    auto quorum = effective_dynamic(boost::json::object{{"synchronous_mode", "quorum"}});
    CHECK(to_ha_settings(c, quorum).synchronous_mode);
    CHECK(to_ha_settings(c, quorum).synchronous_quorum);
    CHECK_FALSE(to_ha_settings(c, dynamic).synchronous_quorum);
    // Until the lock holder names standbys, a primary waits for none.
    CHECK_FALSE(to_postgres_settings(c, quorum).parameters.contains("synchronous_standby_names"));
  }
  SECTION("primary_stop_timeout bounds a primary's stop, in synchronous mode only") {
    auto sync = effective_dynamic(
        boost::json::object{{"synchronous_mode", true}, {"master_stop_timeout", 7}});
    auto pg = to_postgres_settings(c, sync);
    CHECK(pg.primary_stop_timeout == 7);
    CHECK(pg.stop_timeout(true) == 7);
    CHECK(pg.stop_timeout(false) == pg.pg_ctl_timeout);
    auto async = effective_dynamic(boost::json::object{{"primary_stop_timeout", 7}});
    CHECK(to_postgres_settings(c, async).stop_timeout(true) == pg.pg_ctl_timeout);
  }
  SECTION("wal_retrieve_retry_interval: 1 s unless configured") {
    CHECK(to_postgres_settings(c, dynamic).parameters.at("wal_retrieve_retry_interval") == "1s");
    auto set = effective_dynamic(boost::json::object{
        {"postgresql", {{"parameters", {{"wal_retrieve_retry_interval", "3s"}}}}}});
    CHECK(to_postgres_settings(c, set).parameters.at("wal_retrieve_retry_interval") == "3s");
  }
  SECTION("pause is read with Python's truth, as the REST API and praetorctl read it") {
    auto quoted = effective_dynamic(boost::json::object{{"pause", "false"}});
    CHECK(to_ha_settings(c, quoted).paused);
    CHECK(to_postgres_settings(c, quoted).paused);
    auto none = effective_dynamic(boost::json::object{{"pause", nullptr}});
    CHECK_FALSE(to_ha_settings(c, none).paused);
  }
  SECTION("member_slots_ttl: 30 minutes unless set, 0 keeps nothing") {
    CHECK(to_ha_settings(c, dynamic).member_slots_ttl == 1800);
    auto zero = effective_dynamic(boost::json::object{{"member_slots_ttl", 0}});
    CHECK(to_ha_settings(c, zero).member_slots_ttl == 0);
  }
  SECTION("the old names permanent_slots and permanent_replication_slots are read too") {
    auto old = effective_dynamic(
        boost::json::object{{"permanent_slots", boost::json::object{{"keep", nullptr}}}});
    CHECK(to_ha_settings(c, old).permanent_slots.size() == 1);
  }
}

TEST_CASE("create_replica_methods: each method with its section's command and options",
          "[config][settings]") {
  temp_dir dir;
  auto c = load_minimal(dir,
                        "postgresql:\n"
                        "  create_replica_methods: [restore, basebackup]\n"
                        "  restore: {command: \"/usr/bin/restore --fast\", no_leader: '1', "
                        "keep_data: true, retries: 3, verify: true, scope: ignored}\n"
                        "  recovery_conf: {restore_command: 'cp /a/%f %p', "
                        "recovery_target_time: '2026-01-01'}\n");
  auto pg = to_postgres_settings(c, effective_dynamic(boost::json::object{}));
  REQUIRE(pg.replica_methods.size() == 2);
  const auto& restore = pg.replica_methods[0];
  CHECK(restore.name == "restore");
  CHECK(restore.command == std::vector<std::string>{"/usr/bin/restore", "--fast"});
  // Patroni passes every other key as --key=str(value), its own parameters after them
  CHECK(restore.options == std::vector<std::string>{"--no_leader=1", "--keep_data=True",
                                                    "--retries=3", "--verify=True"});
  CHECK(restore.without_leader);
  CHECK(restore.keep_data);
  CHECK_FALSE(restore.no_params);
  CHECK(pg.replica_methods[1].name == "basebackup");
  CHECK(to_ha_settings(c, {}).can_clone_without_leader);
  CHECK(pg.recovery_conf.at("restore_command") == "cp /a/%f %p");

  SECTION("no_params: the flags are not passed either") {
    auto bare = load_minimal(dir,
                             "postgresql:\n  create_replica_methods: [wal_g]\n"
                             "  wal_g: {command: wal-g-restore, no_params: true, no_master: 1}\n");
    auto m = to_postgres_settings(bare, {}).replica_methods.at(0);
    CHECK(m.no_params);
    CHECK(m.without_leader);
    CHECK(m.options.empty());
  }
  SECTION("without a list, basebackup alone") {
    temp_dir other;
    auto plain = load_minimal(other);
    auto methods = to_postgres_settings(plain, {}).replica_methods;
    REQUIRE(methods.size() == 1);
    CHECK(methods[0].name == "basebackup");
    CHECK_FALSE(to_ha_settings(plain, {}).can_clone_without_leader);
  }
}

TEST_CASE("standby_cluster: the decider's remote primary, the replicas' methods and archive",
          "[config][settings][standby]") {
  temp_dir dir;
  auto c = load_minimal(dir,
                        "postgresql:\n"
                        "  create_replica_methods: [basebackup]\n"
                        "  restore: {command: /bin/restore, no_leader: true}\n"
                        "  recovery_conf: {restore_command: local-restore}\n");
  auto dynamic = effective_dynamic(boost::json::object{
      {"standby_cluster",
       boost::json::object{{"host", "10.1.0.5"},
                           {"port", 5433},
                           {"primary_slot_name", "pm_1"},
                           {"create_replica_methods", boost::json::array{"restore", "basebackup"}},
                           {"restore_command", "remote-restore %f %p"},
                           {"recovery_min_apply_delay", "5min"}}}});
  auto ha = to_ha_settings(c, dynamic);
  REQUIRE(ha.standby_cluster);
  CHECK(*ha.standby_cluster == praetor::standby_cluster_config{"10.1.0.5", 5433, "pm_1"});
  CHECK(ha.can_clone_without_leader);  // the section's methods count, not the local list
  auto pg = to_postgres_settings(c, dynamic);
  REQUIRE(pg.replica_methods.size() == 2);
  CHECK(pg.replica_methods[0].command == std::vector<std::string>{"/bin/restore"});
  CHECK(pg.recovery_conf.at("restore_command") == "remote-restore %f %p");
  CHECK(pg.standby_min_apply_delay == "5min");

  SECTION("a section naming no source is no standby cluster") {
    auto none = effective_dynamic(boost::json::object{
        {"standby_cluster", boost::json::object{{"host", ""}, {"primary_slot_name", "x"}}}});
    CHECK_FALSE(to_ha_settings(c, none).standby_cluster);
    CHECK(to_postgres_settings(c, none).recovery_conf.at("restore_command") == "local-restore");
  }
}

TEST_CASE("the dynamic postgresql.pg_hba serves a member whose file sets none",
          "[config][settings]") {
  temp_dir dir;
  auto dynamic = effective_dynamic(boost::json::object{
      {"postgresql",
       boost::json::object{{"pg_hba", boost::json::array{"host all all 10.0.0.0/8 md5"}}}}});
  CHECK(to_postgres_settings(load_minimal(dir), dynamic).pg_hba ==
        std::vector<std::string>{"host all all 10.0.0.0/8 md5"});
  temp_dir other;
  auto local = load_minimal(other, "postgresql: {pg_hba: ['local all all trust']}\n");
  CHECK(to_postgres_settings(local, dynamic).pg_hba ==
        std::vector<std::string>{"local all all trust"});
}

TEST_CASE("a custom bootstrap method: its command with Patroni's parameters, its recovery_conf",
          "[config][settings]") {
  temp_dir dir;
  auto c = load_minimal(dir,
                        "bootstrap: {method: restore, restore: {command: \"/bin/restore.sh "
                        "'--from=/backups/last one'\", recovery_conf: {restore_command: 'cp "
                        "%f %p', recovery_target_timeline: latest}}}\n");
  auto pg = to_postgres_settings(c, effective_dynamic(std::nullopt, c));
  CHECK(pg.bootstrap_command ==
        std::vector<std::string>{"/bin/restore.sh", "--from=/backups/last one", "--scope=batman",
                                 "--datadir=" + (dir.path() / "data").string()});
  CHECK(pg.bootstrap_recovery_conf ==
        std::map<std::string, std::string>{{"restore_command", "cp %f %p"},
                                           {"recovery_target_timeline", "latest"}});

  auto bare =
      load_minimal(dir, "bootstrap: {method: m, m: {command: /bin/m.sh, no_params: true}}\n");
  CHECK(to_postgres_settings(bare, effective_dynamic(std::nullopt, bare)).bootstrap_command ==
        std::vector<std::string>{"/bin/m.sh"});
  // a method without a command section is initdb, as in Patroni
  auto none = load_minimal(dir, "bootstrap: {method: m}\n");
  CHECK(
      to_postgres_settings(none, effective_dynamic(std::nullopt, none)).bootstrap_command.empty());
}

TEST_CASE("the DCS base path collapses runs of slashes", "[config][settings]") {
  CHECK(dcs_base_path("/service/", "batman") == "/service/batman");
  CHECK(dcs_base_path("service", "batman") == "/service/batman");
  CHECK(dcs_base_path("//a///b//", "batman") == "/a/b/batman");
  CHECK(dcs_base_path("/", "batman") == "/batman");
  CHECK(dcs_base_path("/service/", "batman/") == "/service/batman");
}

TEST_CASE("settings for the actors from the minimal configuration", "[config][settings]") {
  temp_dir dir;
  auto c = load_minimal(dir);
  auto dynamic = effective_dynamic(std::nullopt, c);

  auto dcs = to_dcs_settings(c, dynamic);
  CHECK(dcs.hosts == std::vector<std::string>{"zk1:2181", "zk2:2181", "zk3:2181"});
  CHECK(dcs.base_path == "/service/batman");
  CHECK(dcs.member_name == "node1");
  CHECK(dcs.ttl == 30);
  CHECK(dcs.loop_wait == 10);
  CHECK(dcs.retry_timeout == 10);

  auto rest = to_rest_settings(c);
  CHECK(rest.listen_host == "0.0.0.0");
  CHECK(rest.listen_port == 8008);
  CHECK(rest.username == "admin");
  CHECK(rest.password == "secret");

  auto pg = to_postgres_settings(c, dynamic);
  CHECK(pg.scope == "batman");
  CHECK(pg.member_name == "node1");
  CHECK(pg.data_dir == (dir.path() / "data").string());
  CHECK(pg.config_dir == pg.data_dir);
  CHECK(pg.listen_host == "0.0.0.0");
  CHECK(pg.port == 5432);
  CHECK(pg.connect_host == "10.0.0.1");
  CHECK(pg.connect_port == 5432);
  CHECK(pg.superuser.username == "postgres");
  CHECK(pg.replication.password == "rpw");
  CHECK(pg.rewind.username == "rewind_user");
  CHECK(pg.unix_socket_dir == "/var/run/postgresql");
  CHECK(pg.initdb_args == std::vector<std::string>{"--encoding=UTF8", "--data-checksums"});
  CHECK(pg.bootstrap_pg_hba.size() == 2);
  CHECK(pg.parameters.at("max_connections") == boost::json::value(200));  // from bootstrap.dcs
  CHECK(pg.parameters.at("unix_socket_directories") == boost::json::value("/var/run/postgresql"));
  CHECK(pg.parameters.at("cluster_name") == boost::json::value("batman"));
  CHECK(pg.parameters.at("port") == boost::json::value(5432));
  CHECK(pg.parameters.at("listen_addresses") == boost::json::value("0.0.0.0"));
  CHECK(pg.use_slots);

  auto ha = to_ha_settings(c, dynamic);
  CHECK(ha.name == "node1");
  CHECK(ha.scope == "batman");
  CHECK(ha.conn_url == "postgres://10.0.0.1:5432/postgres");
  CHECK(ha.api_url == "http://10.0.0.1:8008/patroni");
  CHECK(ha.can_bootstrap);
  CHECK(ha.bootstrap_dcs.at("ttl") == boost::json::value(30));
  CHECK(ha.tags.empty());  // all four boolean tags are false
  CHECK_FALSE(ha.nofailover);
  CHECK(ha.maximum_lag_on_failover == 1048576);
}

TEST_CASE("api_url uses https with a certfile, true and custom tags are kept",
          "[config][settings]") {
  temp_dir dir;
  auto c = load_minimal(dir,
                        "restapi: {certfile: /etc/ssl/praetor.pem}\n"
                        "postgresql: {database: app, connect_address: 'db1:5433'}\n"
                        "tags: {nofailover: true, nosync: false, replicatefrom: node2, zone: a}\n"
                        "bootstrap: null\n");
  auto dynamic = effective_dynamic(std::nullopt, c);
  auto ha = to_ha_settings(c, dynamic);
  CHECK(ha.api_url == "https://10.0.0.1:8008/patroni");
  CHECK(ha.conn_url == "postgres://db1:5433/app");
  CHECK(ha.nofailover);
  CHECK(ha.tags ==
        boost::json::object{{"nofailover", true}, {"replicatefrom", "node2"}, {"zone", "a"}});
  CHECK_FALSE(ha.can_bootstrap);
  CHECK(ha.bootstrap_dcs.empty());
}

TEST_CASE("boolean tags are published as written when true in Python's sense",
          "[config][settings]") {
  temp_dir dir;
  auto c =
      load_minimal(dir, "tags: {clonefrom: 'true', nofailover: 0, nosync: '', noloadbalance: 2}\n");
  auto ha = to_ha_settings(c, effective_dynamic(std::nullopt, c));
  CHECK(ha.tags == boost::json::object{{"clonefrom", "true"}, {"noloadbalance", 2}});
  CHECK_FALSE(ha.nofailover);
  auto quoted = load_minimal(dir, "tags: {nofailover: 'false'}\n");
  CHECK(to_ha_settings(quoted, effective_dynamic(std::nullopt, quoted)).nofailover);
}

TEST_CASE("failover_priority and check_timeline reach the HA settings", "[config][settings]") {
  temp_dir dir;
  auto c = load_minimal(dir, "tags: {failover_priority: 3}\n");
  auto ha = to_ha_settings(c, effective_dynamic(std::nullopt, c));
  CHECK(ha.failover_priority == 3);
  CHECK_FALSE(ha.nofailover);
  CHECK_FALSE(ha.check_timeline);

  auto never = load_minimal(dir, "tags: {failover_priority: 0}\n");
  CHECK(to_ha_settings(never, effective_dynamic(std::nullopt, never)).nofailover);

  auto dynamic = effective_dynamic(std::nullopt, c);
  dynamic["check_timeline"] = true;
  CHECK(to_ha_settings(c, dynamic).check_timeline);
}

TEST_CASE("Patroni's legacy credential layout is still read", "[config][settings]") {
  temp_dir dir;
  auto c = load_minimal(
      dir,
      "postgresql: {authentication: null, superuser: {username: su, password: p},\n"
      "             replication: {username: rep, password: r}, pg_rewind: {username: rw}}\n");
  CHECK(c.postgresql.authentication.superuser.username == "su");
  CHECK(c.postgresql.authentication.replication.username == "rep");
  CHECK(c.postgresql.use_pg_rewind);  // implied by the pg_rewind block
}

TEST_CASE("a dynamic config breaking the timing rule gets a shorter retry_timeout",
          "[config][dynamic]") {
  auto shorter =
      effective_dynamic(boost::json::object{{"ttl", 20}, {"loop_wait", 2}, {"retry_timeout", 10}});
  CHECK(shorter.at("ttl") == boost::json::value(20));
  CHECK(shorter.at("loop_wait") == boost::json::value(2));
  CHECK(shorter.at("retry_timeout") == boost::json::value(9));

  auto odd =
      effective_dynamic(boost::json::object{{"ttl", 25}, {"loop_wait", 10}, {"retry_timeout", 10}});
  CHECK(odd.at("loop_wait") == boost::json::value(10));
  CHECK(odd.at("retry_timeout") == boost::json::value(7));

  // a loop as long as the lock: the loop shortens too, to leave a 1 s deadline
  auto both =
      effective_dynamic(boost::json::object{{"ttl", 10}, {"loop_wait", 10}, {"retry_timeout", 10}});
  CHECK(both.at("loop_wait") == boost::json::value(8));
  CHECK(both.at("retry_timeout") == boost::json::value(1));

  // small but consistent values (fast test clusters) are left alone
  auto fast =
      effective_dynamic(boost::json::object{{"ttl", 6}, {"loop_wait", 1}, {"retry_timeout", 2}});
  CHECK(fast.at("ttl") == boost::json::value(6));
  CHECK(fast.at("loop_wait") == boost::json::value(1));
  CHECK(fast.at("retry_timeout") == boost::json::value(2));

  boost::json::object ok = {{"ttl", 30}, {"loop_wait", 10}, {"retry_timeout", 10}};
  CHECK_FALSE(enforce_timing_rule(ok));
}

TEST_CASE("the watchdog section reaches the supervisor, with the dynamic ttl and loop_wait",
          "[config][settings][watchdog]") {
  temp_dir dir;
  auto c =
      load_minimal(dir, "watchdog: {mode: Require, device: /dev/watchdog1, safety_margin: -1}\n");
  auto dynamic = effective_dynamic(boost::json::object{{"ttl", 40}, {"loop_wait", 5}});
  auto wd = to_postgres_settings(c, dynamic).watchdog;
  CHECK(wd.mode == praetor::watchdog_mode::required);
  CHECK(wd.device == "/dev/watchdog1");
  CHECK(wd.safety_margin == -1);
  CHECK(wd.ttl == 40);
  CHECK(wd.loop_wait == 5);

  SECTION("Patroni's other spellings and defaults") {
    temp_dir other;
    auto automatic = load_minimal(other, "watchdog: {mode: auto}\n");
    auto s = to_postgres_settings(automatic, effective_dynamic(boost::json::object{})).watchdog;
    CHECK(s.mode == praetor::watchdog_mode::automatic);
    CHECK(s.device == "/dev/watchdog");
    CHECK(s.safety_margin == 5);
    CHECK(s.ttl == 30);
    CHECK(s.loop_wait == 10);
    temp_dir disabled;
    CHECK(to_postgres_settings(load_minimal(disabled, "watchdog: {mode: disabled}\n"), {})
              .watchdog.mode == praetor::watchdog_mode::off);
  }
}
