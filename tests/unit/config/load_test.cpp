// Reading the file, the directory form, PATRONI_* overrides, YAML scalar typing and the
// initdb/basebackup option conversion.
#include "config/load.hpp"

#include <catch2/catch.hpp>

#include "config/env_overrides.hpp"
#include "config/option_args.hpp"
#include "config/yaml_json.hpp"
#include "tests/unit/config/temp_dir.hpp"

using namespace praetor::config;
using praetor::config::test::minimal_config;
using praetor::config::test::temp_dir;

TEST_CASE("the minimal real configuration of section 2.6 is read into typed fields",
          "[config][load]") {
  temp_dir dir;
  auto file = dir.write("patroni.yml", minimal_config(dir.path()));
  auto outcome = load_node_config(file, {});
  REQUIRE(outcome.errors.empty());
  REQUIRE(outcome.ok());
  const node_config& c = *outcome.config;
  CHECK(c.scope == "batman");
  CHECK(c.dcs_namespace == "/service/");
  CHECK(c.name == "node1");
  CHECK(c.restapi.listen == "0.0.0.0:8008");
  CHECK(c.restapi.connect_address == "10.0.0.1:8008");
  CHECK(c.restapi.authentication.username == "admin");
  CHECK(c.restapi.authentication.password == "secret");
  CHECK(c.zookeeper.hosts == std::vector<std::string>{"zk1:2181", "zk2:2181", "zk3:2181"});
  CHECK(c.bootstrap.present);
  CHECK(c.bootstrap.method == "initdb");
  CHECK(c.bootstrap.dcs.at("ttl").as_int64() == 30);
  CHECK(c.bootstrap.dcs.at("postgresql").at("use_pg_rewind").as_bool());
  CHECK(c.bootstrap.initdb_args == std::vector<std::string>{"--encoding=UTF8", "--data-checksums"});
  CHECK(c.bootstrap.pg_hba ==
        std::vector<std::string>{"host replication replicator 10.0.0.0/24 md5",
                                 "host all all 0.0.0.0/0 md5"});
  CHECK(c.postgresql.listen == "0.0.0.0:5432");
  CHECK(c.postgresql.connect_address == "10.0.0.1:5432");
  CHECK(c.postgresql.data_dir == (dir.path() / "data").string());
  CHECK(c.postgresql.bin_dir == "/usr/lib/postgresql/15/bin");
  CHECK(c.postgresql.database == "postgres");
  CHECK(c.postgresql.authentication.superuser.username == "postgres");
  CHECK(c.postgresql.authentication.superuser.password == "pw");
  CHECK(c.postgresql.authentication.replication.username == "replicator");
  CHECK(c.postgresql.authentication.rewind.username == "rewind_user");
  CHECK(c.postgresql.parameters.at("unix_socket_directories").as_string() == "/var/run/postgresql");
  CHECK(c.postgresql.pg_ctl_timeout == 60);
  CHECK(c.tags.at("nofailover").as_bool() == false);
  CHECK(c.watchdog.mode == "off");  // YAML 1.1: unquoted off is the boolean false
  CHECK(c.log.level == "INFO");
}

TEST_CASE("a malformed YAML file gives one error naming the file, line and column",
          "[config][load]") {
  temp_dir dir;
  auto file =
      dir.write("broken.yml", "scope: batman\nname: node1\nrestapi: {listen: [0.0.0.0:8008\n");
  auto outcome = load_node_config(file, {});
  CHECK_FALSE(outcome.config);
  REQUIRE(outcome.errors.size() == 1);
  CHECK(outcome.errors[0].path == file);
  CHECK_THAT(outcome.errors[0].message, Catch::Contains("line "));
  CHECK_THAT(outcome.errors[0].message, Catch::Contains("column "));
  CHECK_THAT(to_string(outcome.errors[0]), Catch::StartsWith(file + ": line "));
}

TEST_CASE("a malformed YAML file points at the bad line", "[config][load]") {
  temp_dir dir;
  auto file = dir.write("broken.yml", "scope: batman\nname: node1\n  bad: indentation\n");
  auto outcome = load_node_config(file, {});
  REQUIRE(outcome.errors.size() == 1);
  CHECK_THAT(outcome.errors[0].message, Catch::StartsWith("line 3,"));
}

TEST_CASE("a missing configuration path is an error naming it", "[config][load]") {
  temp_dir dir;
  auto missing = (dir.path() / "nope.yml").string();
  auto outcome = load_node_config(missing, {});
  CHECK_FALSE(outcome.config);
  REQUIRE(outcome.errors.size() == 1);
  CHECK(outcome.errors[0].path == missing);
}

TEST_CASE("a directory's yml/yaml files are deep-merged in lexical order", "[config][load]") {
  temp_dir dir;
  dir.write("conf/10-base.yml", minimal_config(dir.path()));
  dir.write("conf/20-local.yaml",
            "name: node2\n"
            "postgresql: {parameters: {shared_buffers: 256MB}}\n"
            "restapi: {authentication: null}\n");
  dir.write("conf/30-ignored.txt", "name: not-me\n");
  dir.write("conf/05-first.yml", "name: overwritten-later\nscope: overwritten-later\n");
  auto outcome = load_node_config((dir.path() / "conf").string(), {});
  REQUIRE(outcome.errors.empty());
  const node_config& c = *outcome.config;
  CHECK(c.name == "node2");
  CHECK(c.scope == "batman");
  // merged into, not replaced: the base file's parameter is still there
  CHECK(c.postgresql.parameters.at("shared_buffers").as_string() == "256MB");
  CHECK(c.postgresql.parameters.at("unix_socket_directories").as_string() == "/var/run/postgresql");
  CHECK(c.postgresql.data_dir == (dir.path() / "data").string());
  // null removes a key, as Patroni's patch_config does
  CHECK(c.restapi.authentication.username.empty());
}

TEST_CASE("PATRONI_* variables override the file", "[config][load][env]") {
  temp_dir dir;
  auto file = dir.write("patroni.yml", minimal_config(dir.path()));
  std::map<std::string, std::string> env = {{"PATRONI_NAME", "from-env"},
                                            {"PATRONI_POSTGRESQL_DATA_DIR", "/srv/pg/data"},
                                            {"PATRONI_SUPERUSER_PASSWORD", "s3cret"},
                                            {"PATRONI_ZOOKEEPER_HOSTS", "'h1:2181','h2:2182'"},
                                            {"PATRONI_RESTAPI_USERNAME", "ops"},
                                            {"HOME", "/root"}};
  auto outcome = load_node_config(file, env);
  REQUIRE(outcome.ok());
  const node_config& c = *outcome.config;
  CHECK(c.name == "from-env");
  CHECK(c.postgresql.data_dir == "/srv/pg/data");
  CHECK(c.postgresql.authentication.superuser.password == "s3cret");
  CHECK(c.postgresql.authentication.superuser.username == "postgres");  // merged, not replaced
  CHECK(c.zookeeper.hosts == std::vector<std::string>{"h1:2181", "h2:2182"});
  CHECK(c.restapi.authentication.username == "ops");
  CHECK(c.restapi.authentication.password == "secret");
}

TEST_CASE("PATRONI_ZOOKEEPER_HOSTS also takes a plain comma list", "[config][env]") {
  auto tree = environment_configuration({{"PATRONI_ZOOKEEPER_HOSTS", "h1:2181,h2:2181"}});
  auto hosts = tree.at("zookeeper").at("hosts").as_array();
  REQUIRE(hosts.size() == 2);
  CHECK(hosts[0].as_string() == "h1:2181");
  CHECK(hosts[1].as_string() == "h2:2181");
}

TEST_CASE("environment rules follow Patroni 3.0.2", "[config][env]") {
  auto tree = environment_configuration({{"PATRONI_LOGLEVEL", "DEBUG"},
                                         {"PATRONI_SCOPE", "gotham"},
                                         {"PATRONI_REPLICATION_USERNAME", "repl"},
                                         {"PATRONI_REWIND_SSLMODE", "require"},
                                         {"PATRONI_RESTAPI_LISTEN", "127.0.0.1:8009"},
                                         {"PATRONI_LOG_FILE_NUM", "7"},
                                         {"PATRONI_ALICE_PASSWORD", "pw"},
                                         {"PATRONI_ALICE_OPTIONS", "createdb,login"},
                                         {"PATRONI_EMPTY_VALUE", ""},
                                         {"PATRONI_NAME", ""}});
  CHECK(tree.at("log").at("level").as_string() == "DEBUG");  // legacy spelling
  CHECK(tree.at("log").at("file_num").as_int64() == 7);
  CHECK(tree.at("scope").as_string() == "gotham");
  CHECK(tree.at("postgresql").at("authentication").at("replication").at("username").as_string() ==
        "repl");
  CHECK(tree.at("postgresql").at("authentication").at("rewind").at("sslmode").as_string() ==
        "require");
  CHECK(tree.at("restapi").at("listen").as_string() == "127.0.0.1:8009");
  CHECK(tree.at("bootstrap").at("users").at("ALICE").at("password").as_string() == "pw");
  CHECK(tree.at("bootstrap").at("users").at("ALICE").at("options").as_array().size() == 2);
  CHECK_FALSE(tree.contains("name"));  // empty values are ignored
}

TEST_CASE("PATRONI_CONFIGURATION is used when no path is given", "[config][load][env]") {
  temp_dir dir;
  auto outcome = load_node_config("", {{"PATRONI_CONFIGURATION", minimal_config(dir.path())}});
  REQUIRE(outcome.ok());
  CHECK(outcome.config->scope == "batman");

  auto broken = load_node_config("", {{"PATRONI_CONFIGURATION", "scope: [a"}});
  REQUIRE(broken.errors.size() == 1);
  CHECK(broken.errors[0].path == "PATRONI_CONFIGURATION");
}

TEST_CASE("without a file or PATRONI_CONFIGURATION the environment alone is the config",
          "[config][load][env]") {
  auto outcome = load_node_config("", {{"PATRONI_SCOPE", "s"}, {"PATRONI_NAME", "n"}});
  REQUIRE(outcome.ok());
  CHECK(outcome.config->scope == "s");
  CHECK(outcome.config->name == "n");
  auto empty = load_node_config("", {});
  CHECK_FALSE(empty.config);
  CHECK(empty.errors.size() == 1);
}

TEST_CASE("plain YAML scalars are typed as PyYAML types them", "[config][yaml]") {
  auto parsed = parse_yaml(
      "a: yes\nb: 'on'\nc: 0x10\nd: 017\ne: 1.5\nf: ~\ng: 0.0.0.0:8008\nh: Off\ni: \"12\"\nj: -3\n",
      "test");
  REQUIRE(parsed.value);
  const auto& o = parsed.value->as_object();
  CHECK(o.at("a") == boost::json::value(true));
  CHECK(o.at("b") == boost::json::value("on"));
  CHECK(o.at("c") == boost::json::value(16));
  CHECK(o.at("d") == boost::json::value(15));
  CHECK(o.at("e") == boost::json::value(1.5));
  CHECK(o.at("f").is_null());
  CHECK(o.at("g") == boost::json::value("0.0.0.0:8008"));
  CHECK(o.at("h") == boost::json::value(false));
  CHECK(o.at("i") == boost::json::value("12"));
  CHECK(o.at("j") == boost::json::value(-3));
}

TEST_CASE("initdb options become --opt and --key=value arguments", "[config][options]") {
  auto list = parse_yaml("[{encoding: UTF8}, data-checksums, {locale: en_US.UTF-8}]", "t").value;
  auto from_list = user_option_args(*list, "initdb", "bootstrap.initdb", initdb_refused_options());
  CHECK(from_list.errors.empty());
  CHECK(from_list.args ==
        std::vector<std::string>{"--encoding=UTF8", "--data-checksums", "--locale=en_US.UTF-8"});

  auto map = parse_yaml("{encoding: UTF8, auth-local: trust, empty: ''}", "t").value;
  auto from_map = user_option_args(*map, "initdb", "bootstrap.initdb", initdb_refused_options());
  CHECK(from_map.errors.empty());
  // map entries with an empty value are skipped, as Patroni does; order is the file's
  CHECK(from_map.args == std::vector<std::string>{"--encoding=UTF8", "--auth-local=trust"});
}

TEST_CASE("basebackup options become arguments and refused ones are reported",
          "[config][options]") {
  auto opts =
      parse_yaml("[verbose, {max-rate: 100M}, {checkpoint: fast}, {pgdata: /x}]", "t").value;
  auto result =
      user_option_args(*opts, "basebackup", "postgresql.basebackup", basebackup_refused_options());
  CHECK(result.args ==
        std::vector<std::string>{"--verbose", "--max-rate=100M", "--checkpoint=fast"});
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].path == "postgresql.basebackup");
  CHECK_THAT(result.errors[0].message, Catch::Contains("'pgdata' is not allowed"));

  temp_dir dir;
  // merged over the minimal file through the directory form
  dir.write("conf/a.yml", minimal_config(dir.path()));
  dir.write("conf/b.yml", "postgresql: {basebackup: {max-rate: 100M, checkpoint: fast}}\n");
  auto outcome = load_node_config((dir.path() / "conf").string(), {});
  REQUIRE(outcome.ok());
  CHECK(outcome.config->postgresql.basebackup_args ==
        std::vector<std::string>{"--max-rate=100M", "--checkpoint=fast"});
}
