// validate(): every problem it reports, with its key path and message.
#include "config/validate.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "config/node_config.hpp"
#include "config/patch_config.hpp"
#include "config/permanent_slots.hpp"
#include "config/to_settings.hpp"
#include "config/yaml_json.hpp"
#include "tests/unit/config/temp_dir.hpp"

using namespace praetor::config;
using praetor::config::test::minimal_config;
using praetor::config::test::temp_dir;

namespace {

// The minimal configuration with `overlay` (YAML; null removes a key) merged over it.
node_config minimal_with(const temp_dir& dir, const std::string& overlay = "") {
  auto base = parse_yaml(minimal_config(dir.path()), "base").value->as_object();
  if (!overlay.empty()) {
    auto patch = parse_yaml(overlay, "overlay");
    REQUIRE(patch.value);
    patch_config(base, patch.value->as_object());
  }
  return node_config_from_json(base);
}

// The one error validate() reports for `overlay`; fails the test when there is not exactly one.
config_error only_error(const temp_dir& dir, const std::string& overlay) {
  auto errors = validate(minimal_with(dir, overlay));
  INFO("overlay: " << overlay);
  for (const auto& e : errors) INFO(to_string(e));
  REQUIRE(errors.size() == 1);
  return errors.front();
}

}  // namespace

TEST_CASE("the minimal real configuration is valid", "[config][validate]") {
  temp_dir dir;
  auto errors = validate(minimal_with(dir));
  for (const auto& e : errors) INFO(to_string(e));
  CHECK(errors.empty());
}

TEST_CASE("each missing required key is reported by its path", "[config][validate]") {
  temp_dir dir;
  auto [overlay, path] = GENERATE(table<std::string, std::string>({
      {"scope: null", "scope"},
      {"name: null", "name"},
      {"restapi: {listen: null}", "restapi.listen"},
      {"restapi: {connect_address: null}", "restapi.connect_address"},
      {"zookeeper: {hosts: null}", "zookeeper.hosts"},
      {"zookeeper: null", "zookeeper.hosts"},
      {"postgresql: {listen: null}", "postgresql.listen"},
      {"postgresql: {connect_address: null}", "postgresql.connect_address"},
      {"postgresql: {data_dir: null}", "postgresql.data_dir"},
      {"postgresql: {authentication: {superuser: {username: null}}}",
       "postgresql.authentication.superuser.username"},
      {"postgresql: {authentication: {replication: null}}",
       "postgresql.authentication.replication.username"},
  }));
  auto e = only_error(dir, overlay);
  CHECK(e.path == path);
  CHECK_THAT(e.message, Catch::Contains("required"));
}

TEST_CASE("a config with nothing in it reports every required key at once", "[config][validate]") {
  auto errors = validate(node_config_from_json({{"unknown_key", 1}}));
  std::vector<std::string> paths;
  for (const auto& e : errors) paths.push_back(e.path);
  CHECK(paths == std::vector<std::string>{"name", "postgresql.authentication.replication.username",
                                          "postgresql.authentication.superuser.username",
                                          "postgresql.connect_address", "postgresql.data_dir",
                                          "postgresql.listen", "restapi.connect_address",
                                          "restapi.listen", "scope", "zookeeper.hosts"});
}

TEST_CASE("wrongly typed values are reported by path", "[config][validate]") {
  temp_dir dir;
  SECTION("ttl: \"abc\"") {
    auto e = only_error(dir, "bootstrap: {dcs: {ttl: abc}}");
    CHECK(e.path == "bootstrap.dcs.ttl");
    CHECK(e.message == "must be an integer, not the string \"abc\"");
  }
  SECTION("tags.replicatefrom: a map") {
    auto e = only_error(dir, "tags: {replicatefrom: {a: 1}}");
    CHECK(e.path == "tags.replicatefrom");
    CHECK_THAT(e.message, Catch::StartsWith("must be a string"));
  }
  SECTION("parameters not a map") {
    auto e = only_error(dir, "postgresql: {parameters: [max_connections, 100]}");
    CHECK(e.path == "postgresql.parameters");
    CHECK(e.message == "must be a map of keys, not a list");
  }
  SECTION("dynamic parameters not a map") {
    auto e = only_error(dir, "bootstrap: {dcs: {postgresql: {parameters: 5}}}");
    CHECK(e.path == "bootstrap.dcs.postgresql.parameters");
  }
  SECTION("synchronous_mode not a boolean") {
    auto e = only_error(dir, "bootstrap: {dcs: {synchronous_mode: sometimes}}");
    CHECK(e.path == "bootstrap.dcs.synchronous_mode");
  }
  SECTION("pg_ctl_timeout") {
    auto e = only_error(dir, "postgresql: {pg_ctl_timeout: soon}");
    CHECK(e.path == "postgresql.pg_ctl_timeout");
  }
  SECTION("scope as a map") {
    auto e = only_error(dir, "scope: {a: b}");
    CHECK(e.path == "scope");
    CHECK(e.message == "must be a string, not a map");
  }
  SECTION("zookeeper.hosts as a number") {
    auto e = only_error(dir, "zookeeper: {hosts: 5}");
    CHECK(e.path == "zookeeper.hosts");
  }
  SECTION("log.level unknown") {
    auto e = only_error(dir, "log: {level: LOUD}");
    CHECK(e.path == "log.level");
    CHECK_THAT(e.message, Catch::Contains("LOUD"));
  }
}

TEST_CASE("malformed host:port values are reported", "[config][validate]") {
  temp_dir dir;
  auto [overlay, path, bad] = GENERATE(table<std::string, std::string, std::string>({
      {"restapi: {listen: 0.0.0.0}", "restapi.listen", "0.0.0.0"},
      {"restapi: {connect_address: '10.0.0.1:http'}", "restapi.connect_address", "10.0.0.1:http"},
      {"postgresql: {connect_address: '10.0.0.1:99999'}", "postgresql.connect_address",
       "10.0.0.1:99999"},
      {"postgresql: {listen: 'localhost:'}", "postgresql.listen", "localhost:"},
      {"zookeeper: {hosts: ['zk1:2181', 'zk2:abc']}", "zookeeper.hosts", "zk2:abc"},
      {"zookeeper: {hosts: 'zk1:2181,zk2:0'}", "zookeeper.hosts", "zk2:0"},
  }));
  auto e = only_error(dir, overlay);
  CHECK(e.path == path);
  CHECK_THAT(e.message, Catch::Contains("'" + bad + "'") && Catch::Contains("host:port"));
}

TEST_CASE("several listen hosts, IPv6 and a bare ZooKeeper host are accepted",
          "[config][validate]") {
  temp_dir dir;
  auto errors = validate(minimal_with(dir,
                                      "postgresql: {listen: '127.0.0.1,10.0.0.1:5432'}\n"
                                      "restapi: {listen: '[::1]:8008', connect_address: '*:8008'}\n"
                                      "zookeeper: {hosts: 'zk1, zk2:2181'}\n"));
  for (const auto& e : errors) INFO(to_string(e));
  CHECK(errors.empty());
}

TEST_CASE("a timing that breaks loop_wait + 2*retry_timeout <= ttl is a warning, not an error",
          "[config][validate]") {
  temp_dir dir;
  // What Patroni's acceptance suite sends: accepted, as Patroni accepts it.
  auto c = minimal_with(dir, "bootstrap: {dcs: {ttl: 20, loop_wait: 2, retry_timeout: 10}}");
  CHECK(validate(c).empty());
  auto w = warnings(c);
  REQUIRE(w.size() == 1);
  CHECK(w[0].path == "bootstrap.dcs.retry_timeout");
  CHECK_THAT(w[0].message, Catch::Contains("loop_wait (2)") &&
                               Catch::Contains("retry_timeout (10)") &&
                               Catch::Contains("ttl (20)") && Catch::Contains("retry_timeout 9"));

  SECTION("defaults count for absent keys") {
    auto d = timing_warning({{"ttl", 25}, {"loop_wait", nullptr}}, "bootstrap.dcs");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("ttl (25)") && Catch::Contains("retry_timeout 7"));
  }
  SECTION("exactly equal is fine") {
    CHECK_FALSE(timing_warning({{"ttl", 30}, {"loop_wait", 10}, {"retry_timeout", 10}}, ""));
    CHECK(warnings(minimal_with(dir)).empty());
  }
  SECTION("a DCS value is checked with an empty prefix, and accepted") {
    CHECK(validate_dynamic({{"ttl", 10}}, "").empty());
    auto d = timing_warning({{"ttl", 10}}, "");
    REQUIRE(d);
    CHECK(d->path == "retry_timeout");
  }
  SECTION("an unreadable value is an error, not also a warning") {
    CHECK_FALSE(timing_warning({{"ttl", "soon"}}, ""));
    CHECK(validate_dynamic({{"ttl", "soon"}}, "").size() == 1);
  }
}

TEST_CASE("ttl, loop_wait and retry_timeout must be positive", "[config][validate]") {
  temp_dir dir;
  auto [overlay, path] = GENERATE(table<std::string, std::string>({
      {"bootstrap: {dcs: {loop_wait: 0}}", "bootstrap.dcs.loop_wait"},
      {"bootstrap: {dcs: {retry_timeout: -1}}", "bootstrap.dcs.retry_timeout"},
      {"bootstrap: {dcs: {ttl: 0}}", "bootstrap.dcs.ttl"},
  }));
  auto e = only_error(dir, overlay);
  CHECK(e.path == path);
  CHECK_THAT(e.message, Catch::StartsWith("must be positive"));
}

TEST_CASE("an unusable data directory is reported", "[config][validate]") {
  temp_dir dir;
  SECTION("exists but is a file") {
    auto file = dir.write("a-file", "x");
    auto e = only_error(dir, "postgresql: {data_dir: " + file + "}");
    CHECK(e.path == "postgresql.data_dir");
    CHECK_THAT(e.message, Catch::Contains("not a directory"));
  }
  SECTION("missing parents are fine: they are created, as Patroni's initdb creates them") {
    CHECK(validate(minimal_with(dir, "postgresql: {data_dir: " +
                                         (dir.path() / "no/such/data").string() + "}"))
              .empty());
  }
  SECTION("an ancestor is a file") {
    auto file = dir.write("plain-ancestor", "x");
    auto e = only_error(dir, "postgresql: {data_dir: " + file + "/deeper/data}");
    CHECK(e.path == "postgresql.data_dir");
    CHECK_THAT(e.message, Catch::Contains("is not a directory"));
  }
  SECTION("its parent is a file") {
    auto file = dir.write("plain", "x");
    auto e = only_error(dir, "postgresql: {data_dir: " + file + "/data}");
    CHECK(e.path == "postgresql.data_dir");
    CHECK_THAT(e.message, Catch::Contains("is not a directory"));
  }
  SECTION("an existing directory is fine") {
    std::filesystem::create_directories(dir.path() / "data");
    CHECK(validate(minimal_with(dir)).empty());
  }
  SECTION("its parent is not writable") {
    std::filesystem::create_directories(dir.path() / "ro");
    ::chmod((dir.path() / "ro").c_str(), 0500);
    const auto config = "postgresql: {data_dir: " + (dir.path() / "ro/new/data").string() + "}";
    if (::geteuid() != 0) {
      auto e = only_error(dir, config);
      CHECK(e.path == "postgresql.data_dir");
      CHECK_THAT(e.message, Catch::Contains("not readable and writable"));
    } else {
      // Root may write anywhere: the check runs as nobody in a child, which owns the folders
      // so that only the missing write permission stands in the way.
      const auto path = dir.path().string();
      REQUIRE(::chown(path.c_str(), 65534, 65534) == 0);
      REQUIRE(::chown((dir.path() / "ro").c_str(), 65534, 65534) == 0);
      ::chmod(path.c_str(), 0755);
      pid_t child = ::fork();
      REQUIRE(child >= 0);
      if (child == 0) {
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
        auto errors = validate(minimal_with(dir, config));
        bool found = false;
        for (const auto& e : errors)
          found = found || (e.path == "postgresql.data_dir" &&
                            e.message.find("not readable and writable") != std::string::npos);
        ::_exit(found ? 0 : 1);
      }
      int status = 0;
      REQUIRE(::waitpid(child, &status, 0) == child);
      REQUIRE(WIFEXITED(status));
      CHECK(WEXITSTATUS(status) == 0);  // 1: not reported, 2: could not become nobody
      REQUIRE(::chown(path.c_str(), 0, 0) == 0);
    }
    ::chmod((dir.path() / "ro").c_str(), 0700);
  }
}

TEST_CASE("a bin_dir without postgres or initdb is reported", "[config][validate]") {
  temp_dir dir;
  std::filesystem::create_directories(dir.path() / "bin");
  auto postgres = dir.write("bin/postgres", "#!/bin/sh\n");
  std::filesystem::permissions(postgres, std::filesystem::perms::owner_all);
  auto e = only_error(dir, "postgresql: {bin_dir: " + (dir.path() / "bin").string() + "}");
  CHECK(e.path == "postgresql.bin_dir");
  CHECK_THAT(e.message, Catch::Contains("no executable initdb"));

  auto missing = validate(minimal_with(dir, "postgresql: {bin_dir: /nonexistent/bin}"));
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].path == "postgresql.bin_dir");
  CHECK_THAT(missing[0].message, Catch::Contains("not a directory"));
}

TEST_CASE("refused initdb options are reported one by one", "[config][validate]") {
  temp_dir dir;
  auto errors = validate(minimal_with(
      dir, "bootstrap: {initdb: [nosync, {pgdata: /x}, data-checksums, version, {a: 1, b: 2}]}"));
  std::vector<std::string> messages;
  for (const auto& e : errors) {
    CHECK(e.path == "bootstrap.initdb");
    messages.push_back(e.message);
  }
  REQUIRE(messages.size() == 4);
  CHECK_THAT(messages[0], Catch::Contains("key: value"));  // the two-key map
  CHECK_THAT(messages[1], Catch::Contains("'nosync' is not allowed"));
  CHECK_THAT(messages[2], Catch::Contains("'pgdata' is not allowed"));
  CHECK_THAT(messages[3], Catch::Contains("'version' is not allowed"));

  auto as_map = only_error(dir, "bootstrap: {initdb: {pwfile: /tmp/pw, encoding: UTF8}}");
  CHECK_THAT(as_map.message, Catch::Contains("'pwfile' is not allowed"));
  auto scalar = only_error(dir, "bootstrap: {initdb: data-checksums}");
  CHECK_THAT(scalar.message, Catch::Contains("list or a map"));
}

TEST_CASE("errors are sorted by path and print as path: message", "[config][validate]") {
  temp_dir dir;
  auto errors = validate(minimal_with(dir,
                                      "tags: {replicatefrom: [a]}\nscope: null\n"
                                      "bootstrap: {dcs: {ttl: abc}}\n"));
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].path == "bootstrap.dcs.ttl");
  CHECK(errors[1].path == "scope");
  CHECK(errors[2].path == "tags.replicatefrom");
  CHECK(to_string(errors[1]) == "scope: is required but missing");
}

TEST_CASE("boolean tags take any value with Python's truth, as Patroni's", "[config][validate]") {
  temp_dir dir;
  // Patroni's acceptance suite writes clonefrom: "true"
  auto c = minimal_with(dir, "tags: {clonefrom: 'true', nofailover: 1, nosync: maybe}");
  CHECK(validate(c).empty());
  CHECK(warnings(c).empty());
  SECTION("a quoted 'false' is accepted, and the operator is told it means true") {
    auto q = minimal_with(dir, "tags: {nosync: 'false'}");
    CHECK(validate(q).empty());
    auto w = warnings(q);
    REQUIRE(w.size() == 1);
    CHECK(w[0].path == "tags.nosync");
    CHECK_THAT(w[0].message, Catch::Contains("counts as true"));
  }
}

TEST_CASE("pause must be a boolean", "[config][validate]") {
  CHECK(validate_dynamic({{"pause", true}}, "").empty());
  CHECK(validate_dynamic({{"pause", false}}, "").empty());
  CHECK(validate_dynamic({{"pause", nullptr}}, "").empty());
  REQUIRE(validate_dynamic({{"pause", "yes"}}, "").size() == 1);  // not a boolean at all
}

TEST_CASE("restapi.verify_client must be none, optional or required", "[config][validate]") {
  temp_dir dir;
  for (const char* good : {"none", "optional", "REQUIRED"})
    CHECK(
        validate(minimal_with(dir, std::string("restapi: {verify_client: ") + good + "}")).empty());
  auto e = only_error(dir, "restapi: {verify_client: always}");
  CHECK(e.path == "restapi.verify_client");
  CHECK(e.message == "must be none, optional or required, not \"always\"");
  // As Patroni: lower-cased, and handed to the REST front end with its cafile.
  auto c = minimal_with(dir, "restapi: {verify_client: Required, cafile: /etc/ssl/ca.pem}");
  CHECK(to_rest_settings(c).verify_client == "required");
  CHECK(to_rest_settings(c).cafile == "/etc/ssl/ca.pem");
}

TEST_CASE("a Patroni setting praetor does not carry out is refused by its key",
          "[config][validate][unsupported]") {
  temp_dir dir;
  auto [overlay, path] = GENERATE(table<std::string, std::string>({
      {"bootstrap: {dcs: {postgresql: {callbacks: {on_start: /bin/true}}}}",
       "bootstrap.dcs.postgresql.callbacks"},
      {"bootstrap: {dcs: {postgresql: {create_replica_methods: [wal_e]}}}",
       "bootstrap.dcs.postgresql.create_replica_methods"},
      {"postgresql: {pre_promote: /bin/fence.sh}", "postgresql.pre_promote"},
      {"postgresql: {proxy_address: '10.0.0.1:6432'}", "postgresql.proxy_address"},
      {"postgresql: {config_base_name: custom}", "postgresql.config_base_name"},
      {"restapi: {allowlist: [10.0.0.0/8]}", "restapi.allowlist"},
      {"zookeeper: {use_ssl: true}", "zookeeper.use_ssl"},
      {"watchdog: {mode: required, driver: testing}", "watchdog.driver"},
      {"etcd: {host: '127.0.0.1:2379'}", "etcd"},
      {"citus: {group: 0, database: citus}", "citus"},
  }));
  auto e = only_error(dir, overlay);
  CHECK(e.path == path);
  CHECK_THAT(e.message, Catch::Contains("praetor"));
}

TEST_CASE("a setting praetor does not carry out passes when it asks for nothing",
          "[config][validate][unsupported]") {
  temp_dir dir;
  auto c = minimal_with(dir,
                        "bootstrap: {method: initdb, dcs: {synchronous_mode: false, failsafe_mode: "
                        "'off', standby_cluster: {host: '', port: null}, slots: {}, "
                        "ignore_slots: []}}\n"
                        "postgresql: {create_replica_methods: [basebackup], pg_ident: [], "
                        "remove_data_directory_on_diverged_timelines: false}\n"
                        "zookeeper: {use_ssl: false}\n"
                        "watchdog: {mode: automatic, device: /dev/watchdog, driver: default}\n");
  auto errors = validate(c);
  for (const auto& e : errors) INFO(to_string(e));
  CHECK(errors.empty());
}

TEST_CASE("watchdog: required mode and another device are carried out, in Patroni's spellings",
          "[config][validate][watchdog]") {
  for (const char* mode : {"required", "Require", "auto", "automatic", "disabled", "off"}) {
    temp_dir dir;
    auto c = minimal_with(dir, std::string("watchdog: {mode: ") + mode +
                                   ", device: /dev/watchdog1, safety_margin: -1}\n");
    auto errors = validate(c);
    for (const auto& e : errors) INFO(to_string(e));
    CHECK(errors.empty());
  }
  temp_dir dir;
  auto e = only_error(dir, "watchdog: {mode: required, driver: testing}\n");
  CHECK(e.path == "watchdog.driver");
  CHECK_THAT(e.message, Catch::Contains("'testing'") && Catch::Contains("watchdog drivers"));
  temp_dir off;
  CHECK(validate(minimal_with(off, "watchdog: {mode: 'off', driver: testing}\n")).empty());
}

TEST_CASE("ignore_slots is a list of matchers", "[config][validate]") {
  CHECK(validate_dynamic(boost::json::parse(R"({"ignore_slots": [{"name": "a"},
            {"type": "logical", "database": "postgres", "plugin": "test_decoding"}]})")
                             .as_object(),
                         "")
            .empty());
  auto scalar = validate_dynamic({{"ignore_slots", "a"}}, "");
  REQUIRE(scalar.size() == 1);
  CHECK(scalar[0].path == "ignore_slots");
  auto type = validate_dynamic(
      boost::json::parse(R"({"ignore_slots": [{"type": "both"}]})").as_object(), "");
  REQUIRE(type.size() == 1);
  CHECK(type[0].path == "ignore_slots.type");
}

TEST_CASE("a value of the wrong type is one error, not also a refusal",
          "[config][validate][unsupported]") {
  auto errors = validate_dynamic({{"synchronous_mode", "sometimes"}}, "");
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0].message, Catch::StartsWith("must be a boolean or 'quorum'"));
  CHECK(validate_dynamic({{"synchronous_mode", "Quorum"}}, "").empty());
}

TEST_CASE("the configuration Patroni's acceptance suite writes is valid", "[config][validate]") {
  temp_dir dir;
  // The shape of Patroni 3.0.2's features/environment.py: postgres0.yml, its test overrides
  // and bootstrap.dcs additions (wal_keep_segments, archive settings), a string clonefrom tag.
  auto c = minimal_with(
      dir,
      "restapi: {authentication: null, listen: '127.0.0.1:8008', connect_address: "
      "'127.0.0.1:8008'}\n"
      "bootstrap:\n"
      "  dcs: {ttl: 30, loop_wait: 2, retry_timeout: 10, maximum_lag_on_failover: 1048576,\n"
      "        postgresql: {use_pg_rewind: true, parameters: {wal_keep_segments: 100, "
      "archive_mode: 'on', archive_command: 'true'}}}\n"
      "  initdb: [{encoding: UTF8}, data-checksums, {auth: md5}, {auth-host: md5}]\n"
      "  pg_hba: ['host replication replicator 127.0.0.1/32 md5']\n"
      "  users: {admin: {password: 'admin%', options: [createrole, createdb]}}\n"
      "  post_bootstrap: psql -w -c \"SELECT 1\"\n"
      "postgresql:\n"
      "  listen: '127.0.0.1:5361'\n"
      "  connect_address: '127.0.0.1:5361'\n"
      "  data_dir: " +
          (dir.path() / "data/postgres0").string() +
          "\n"
          "  basebackup: [{checkpoint: fast}]\n"
          "  callbacks: {on_role_change: 'python3 features/callback2.py postgres0 5361'}\n"
          "  use_unix_socket: true\n"
          "  use_unix_socket_repl: true\n"
          "  authentication: {replication: {sslmode: verify-ca, sslrootcert: /tmp/ca.pem, "
          "sslcert: /tmp/c.pem, sslkey: /tmp/k.pem}}\n"
          "  pg_hba: ['local all all trust', 'hostssl all all all md5 clientcert=verify-ca']\n"
          "  parameters: {shared_buffers: 1MB, unix_socket_directories: /tmp}\n"
          "tags: {nofailover: false, noloadbalance: false, clonefrom: 'true', nosync: false}\n"
          "watchdog: null\n");
  auto errors = validate(c);
  for (const auto& e : errors) INFO(to_string(e));
  CHECK(errors.empty());
  REQUIRE(c.bootstrap.users.size() == 1);
  CHECK(c.bootstrap.users[0].name == "admin");
  CHECK(c.bootstrap.users[0].options == std::vector<std::string>{"createrole", "createdb"});
  CHECK(c.bootstrap.post_bootstrap == std::vector<std::string>{"psql", "-w", "-c", "SELECT 1"});
  CHECK(c.postgresql.authentication.replication.options.at("sslmode") == "verify-ca");
}

TEST_CASE("bootstrap.post_bootstrap and bootstrap.users are checked", "[config][validate]") {
  temp_dir dir;
  auto section = only_error(dir, "bootstrap: {method: m, m: /bin/m.sh}");
  CHECK(section.path == "bootstrap.m");
  auto command = only_error(dir, "bootstrap: {method: m, m: {command: \"m.sh 'x\"}}");
  CHECK(command.path == "bootstrap.m.command");
  auto recovery = only_error(dir,
                             "bootstrap: {method: m, m: {command: m.sh, recovery_conf: "
                             "{restore_command: [cp]}}}");
  CHECK(recovery.path == "bootstrap.m.recovery_conf.restore_command");
  auto quote = only_error(dir, "bootstrap: {post_bootstrap: \"psql -c 'SELECT 1\"}");
  CHECK(quote.path == "bootstrap.post_bootstrap");
  CHECK_THAT(quote.message, Catch::Contains("No closing quotation"));
  auto user = only_error(dir, "bootstrap: {users: {admin: secret}}");
  CHECK(user.path == "bootstrap.users.admin");
  auto options = only_error(dir, "bootstrap: {users: {admin: {options: createdb}}}");
  CHECK(options.path == "bootstrap.users.admin.options");
  auto ssl = only_error(dir, "postgresql: {authentication: {replication: {sslmode: [a]}}}");
  CHECK(ssl.path == "postgresql.authentication.replication.sslmode");
}

TEST_CASE("standby_cluster: wrong types and slot names are refused by key",
          "[config][validate][standby]") {
  auto [section, path] = GENERATE(table<std::string, std::string>({
      {R"({"host": "h", "port": "five"})", "standby_cluster.port"},
      {R"({"host": "h", "primary_slot_name": "Bad-Slot"})", "standby_cluster.primary_slot_name"},
      {R"({"host": "h", "create_replica_methods": "basebackup"})",
       "standby_cluster.create_replica_methods"},
      {R"({"host": ["h"]})", "standby_cluster.host"},
  }));
  auto errors =
      validate_dynamic(boost::json::object{{"standby_cluster", boost::json::parse(section)}}, "");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].path == path);
  // the defaults Patroni writes (empty strings) pass
  CHECK(validate_dynamic(boost::json::parse(R"({"standby_cluster": {"host": "", "port": "",
      "primary_slot_name": "", "create_replica_methods": "", "restore_command": ""}})")
                             .as_object(),
                         "")
            .empty());
}

TEST_CASE("permanent slots: Patroni's forms are read, a bad entry is refused by its name",
          "[config][validate][slots]") {
  auto read = read_permanent_slots(boost::json::parse(R"({"slots": {
      "plain": null, "empty": {}, "phys": {"type": "physical", "database": "ignored"},
      "cdc": {"database": "postgres", "plugin": "test_decoding"},
      "typed": {"type": "logical", "database": "app", "plugin": "pgoutput"}}})")
                                       .as_object());
  CHECK(read.errors.empty());
  CHECK(read.slots ==
        std::vector<praetor::permanent_slot>{{"cdc", "logical", "postgres", "test_decoding"},
                                             {"empty", "physical", "", ""},
                                             {"phys", "physical", "", ""},
                                             {"plain", "physical", "", ""},
                                             {"typed", "logical", "app", "pgoutput"}});

  auto [slots, path, says] = GENERATE(table<std::string, std::string, std::string>({
      {R"({"Bad-Name": null})", "slots.Bad-Name", "no valid replication slot name"},
      {R"({"s": {"type": "logical", "database": "postgres"}})", "slots.s",
       "needs both database and plugin"},
      {R"({"s": {"type": "both"}})", "slots.s.type", "must be physical or logical"},
      {R"({"s": 5})", "slots.s", "must be a map"},
  }));
  auto errors = validate_dynamic(boost::json::object{{"slots", boost::json::parse(slots)}}, "");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].path == path);
  CHECK_THAT(errors[0].message, Catch::Contains(says));
}

TEST_CASE("log: file_size and file_num are the rotation's, Python-only keys are said to do nothing",
          "[config][validate][log]") {
  temp_dir dir;
  auto c = minimal_with(dir,
                        "log: {file_size: 1000000, file_num: 2, traceback_level: DEBUG, "
                        "max_queue_size: 100}");
  CHECK(validate(c).empty());
  CHECK(c.log.file_size == 1'000'000);
  CHECK(c.log.file_num == 2);
  std::vector<std::string> said;
  for (const auto& w : warnings(c)) said.push_back(w.path);
  CHECK(said == std::vector<std::string>{"log.traceback_level", "log.max_queue_size"});
  auto e = only_error(dir, "log: {file_size: big}");
  CHECK(e.path == "log.file_size");
}
