// What a reloaded configuration file may not change under a running member.
#include "actors/ha/settings_change.hpp"

#include <catch2/catch.hpp>

using praetor::node_settings;
using praetor::ha::fixed_setting_changed;

TEST_CASE("a reload may change tags and parameters, not identity or places", "[settings_change]") {
  node_settings running;
  running.ha.name = "n1";
  running.ha.scope = "demo";
  running.postgres.data_dir = "/var/lib/pg";
  running.postgres.port = 5432;
  running.dcs.hosts = {"127.0.0.1:2181"};
  running.dcs.base_path = "/service/demo";

  auto next = running;
  next.ha.tags = boost::json::object{{"nofailover", true}};
  next.ha.nofailover = true;
  next.postgres.parameters = boost::json::object{{"work_mem", "8MB"}};
  next.ha.conn_url = "postgres://127.0.0.2:5432/postgres";
  CHECK(fixed_setting_changed(running, next).empty());

  auto renamed = running;
  renamed.ha.name = "n9";
  CHECK(fixed_setting_changed(running, renamed) == "name");
  auto moved = running;
  moved.postgres.data_dir = "/srv/pg";
  CHECK(fixed_setting_changed(running, moved) == "postgresql.data_dir");
  auto port = running;
  port.postgres.port = 5433;
  CHECK(fixed_setting_changed(running, port) == "postgresql.listen");
  auto zk = running;
  zk.dcs.hosts = {"127.0.0.1:2182"};
  CHECK(fixed_setting_changed(running, zk) == "zookeeper.hosts");
  auto ns = running;
  ns.dcs.base_path = "/other/demo";
  CHECK(fixed_setting_changed(running, ns) == "namespace");
}
