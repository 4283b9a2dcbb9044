// GET /cluster bodies (patroni-compat.md 3.4): member order, roles, host/port, lag.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "actors/rest_frontend/cluster_json.hpp"
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

TEST_CASE("cluster JSON without a view", "[cluster_json]") {
  CHECK(json::serialize(cluster_json(nullptr)) == R"({"members":[]})");
}
