// GET /cluster bodies (docs/compatibility.md, "REST API"): member order, roles, host/port, lag.
#include "actors/rest_frontend/cluster_json.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/unit/rest/snapshots.hpp"

using namespace praetor;
using namespace praetor::rest;
namespace json = boost::json;

TEST_CASE("cluster JSON lists members by name with lag for non-leaders", "[cluster_json]") {
  auto view = test::two_member_view(50331744);
  auto o = cluster_json(&view);
  const auto& members = o.at("members").as_array();
  REQUIRE(members.size() == 2);
  const auto& leader = members[0].as_object();
  const auto& replica = members[1].as_object();
  CHECK(json::serialize(leader) ==
        R"({"name":"node1","role":"leader","state":"running",)"
        R"("api_url":"http://127.0.0.1:8008/patroni","host":"127.0.0.1","port":5432,)"
        R"("timeline":2})");
  CHECK(replica.at("name") == "node2");
  CHECK(replica.at("role") == "replica");
  CHECK(replica.at("host") == "127.0.0.2");
  CHECK(replica.at("port").as_int64() == 5433);
  CHECK(replica.at("tags").at("zone") == "b");
  CHECK(replica.at("lag").to_number<std::int64_t>() == 100);
  CHECK_FALSE(o.contains("pause"));

  SECTION("ahead of the optime: lag 0; no xlog_location: unknown") {
    view.members[0].xlog_location = lsn{50331744 + 5000};
    auto lag = cluster_json(&view).at("members").at(1).at("lag");
    CHECK(lag.to_number<std::int64_t>() == 0);
    view.members[0].xlog_location.reset();
    CHECK(cluster_json(&view).at("members").at(1).at("lag") == "unknown");
  }
  SECTION("no leader: everybody has a lag") {
    view.leader.reset();
    auto m = cluster_json(&view).at("members");
    CHECK(m.at(0).at("role") == "replica");
    CHECK(m.at(0).at("lag").to_number<std::int64_t>() == 0);
  }
  SECTION("standby cluster, pause and a scheduled switchover") {
    (*view.config)["standby_cluster"] = json::object{{"host", "10.0.0.9"}, {"port", 5432}};
    (*view.config)["pause"] = true;
    view.failover = failover_request{"node1", "node2", "2024-05-01T12:00:00+00:00", {}};
    auto c = cluster_json(&view);
    CHECK(c.at("members").at(0).at("role") == "standby_leader");
    CHECK(c.at("pause") == true);
    CHECK(json::serialize(c.at("scheduled_switchover")) ==
          R"({"at":"2024-05-01T12:00:00+00:00","from":"node1","to":"node2"})");
  }
}

TEST_CASE("cluster JSON: the members the sync key names are sync_standby", "[cluster_json][sync]") {
  auto view = test::sync_view(50331744);  // sync key {leader: node1, sync_standby: node2}
  auto roles = [](const json::object& o) {
    std::vector<std::string> out;
    for (const auto& m : o.at("members").as_array())
      out.emplace_back(m.at("name").as_string().c_str() + std::string(":") +
                       m.at("role").as_string().c_str());
    return out;
  };
  using strings = std::vector<std::string>;
  CHECK(roles(cluster_json(&view)) ==
        strings{"node1:leader", "node2:sync_standby", "node3:replica"});
  auto node2 = cluster_json(&view).at("members").at(1).as_object();
  CHECK(node2.at("lag").to_number<std::int64_t>() == 100);  // still has a lag, as a replica

  SECTION("whether or not synchronous mode is on, as utils.py cluster_as_json") {
    view.config->erase("synchronous_mode");
    CHECK(roles(cluster_json(&view)) ==
          strings{"node1:leader", "node2:sync_standby", "node3:replica"});
  }
  SECTION("the leader stays the leader even if the key names it; names compare exactly") {
    view.sync.members = {"node1", "NODE3"};
    CHECK(roles(cluster_json(&view)) == strings{"node1:leader", "node2:replica", "node3:replica"});
  }
  SECTION("several sync standbys") {
    view.sync.members = {"node2", "node3"};
    CHECK(roles(cluster_json(&view)) ==
          strings{"node1:leader", "node2:sync_standby", "node3:sync_standby"});
  }
  SECTION("an empty key names no one") {
    view.sync = sync_key{};
    CHECK(roles(cluster_json(&view)) == strings{"node1:leader", "node2:replica", "node3:replica"});
  }
}

TEST_CASE("cluster JSON without a view", "[cluster_json]") {
  CHECK(json::serialize(cluster_json(nullptr)) == R"({"members":[]})");
}
