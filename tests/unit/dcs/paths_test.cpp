#include <catch2/catch.hpp>

#include "backends/dcs/paths.hpp"

using praetor::dcs::paths;

TEST_CASE("paths: base collapses slashes as Patroni does", "[dcs][paths]") {
  CHECK(paths::of("service", "demo").base() == "/service/demo");
  CHECK(paths::of("/service/", "demo").base() == "/service/demo");
  CHECK(paths::of("", "demo").base() == "/service/demo");
  CHECK(paths("//service//demo/").base() == "/service/demo");
}

TEST_CASE("paths: every znode of section 1.2", "[dcs][paths]") {
  paths p("/service/demo");
  CHECK(p.initialize() == "/service/demo/initialize");
  CHECK(p.config() == "/service/demo/config");
  CHECK(p.leader() == "/service/demo/leader");
  CHECK(p.members() == "/service/demo/members");
  CHECK(p.member("node1") == "/service/demo/members/node1");
  CHECK(p.status() == "/service/demo/status");
  CHECK(p.optime_leader() == "/service/demo/optime/leader");
  CHECK(p.failover() == "/service/demo/failover");
  CHECK(p.sync() == "/service/demo/sync");
  CHECK(p.history() == "/service/demo/history");
  CHECK(p.failsafe() == "/service/demo/failsafe");
}
