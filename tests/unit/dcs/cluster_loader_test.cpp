#include "backends/dcs/cluster_loader.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "backends/dcs/memory/memory_client.hpp"

using namespace praetor;
using namespace praetor::dcs;

namespace {
struct fixture {
  std::shared_ptr<memory_store> store = std::make_shared<memory_store>();
  memory_client writer{store}, reader{store};
  paths p{"/service/demo"};
  std::vector<std::string> fired;
  std::mutex mu;
  fixture() {
    writer.start([](const dcs_session_status&) {}, [](const std::string&) {});
    reader.start([](const dcs_session_status&) {},
                 [this](const std::string& path) {
                   std::lock_guard l(mu);
                   fired.push_back(path);
                 });
  }
  void put(const std::string& path, const std::string& data, bool ephemeral = false) {
    REQUIRE(writer.create(path, data, ephemeral, true).ok());
  }
  bool was_fired(const std::string& path) {
    std::lock_guard l(mu);
    return std::find(fired.begin(), fired.end(), path) != fired.end();
  }
};
}  // namespace

TEST_CASE("loader: a missing cluster is an empty view", "[dcs][loader]") {
  fixture f;
  auto r = load_cluster(f.reader, f.p, true);
  REQUIRE(r.ok());
  CHECK(!r.view->initialize);
  CHECK(!r.view->leader);
  CHECK(r.view->members.empty());
  CHECK(r.view->loaded_at_ms > 1600000000000);
  // Armed for the base's creation: the first writer wakes us.
  f.put(f.p.initialize(), "");
  CHECK(f.was_fired(f.p.base()));
}

TEST_CASE("loader: reads the whole Patroni layout", "[dcs][loader]") {
  fixture f;
  f.put(f.p.initialize(), "7212345678901234567");
  f.put(f.p.config(), R"({"ttl":30,"loop_wait":10,"postgresql":{"use_pg_rewind":true}})");
  REQUIRE(f.writer.set(f.p.config(), R"({"ttl":30,"loop_wait":10})", znode_version{-1}).ok());
  f.put(
      f.p.member("node2"),
      R"({"conn_url":"postgres://127.0.0.1:5433/postgres","api_url":"http://127.0.0.1:8009/patroni","state":"running","role":"replica","version":"3.0.2","xlog_location":50331744,"timeline":2})",
      true);
  f.put(
      f.p.member("node1"),
      R"({"conn_url":"postgres://127.0.0.1:5432/postgres","api_url":"http://127.0.0.1:8008/patroni","state":"running","role":"master","version":"3.0.2","tags":{"nofailover":true},"timeline":2})",
      true);
  f.put(f.p.leader(), "node1", true);
  f.put(f.p.status(), R"({"optime":50331800,"slots":{"node2":50331744}})");
  f.put(f.p.failover(), R"({"leader":"node1","member":"node2"})");
  f.put(f.p.history(),
        R"([[1,50331648,"no recovery target specified","2024-01-01T00:00:00+00:00","node1"]])");

  auto r = load_cluster(f.reader, f.p, true);
  REQUIRE(r.ok());
  const auto& v = *r.view;
  CHECK(v.initialize == std::optional<std::string>("7212345678901234567"));
  REQUIRE(v.config);
  CHECK(v.config->at("ttl").as_int64() == 30);
  CHECK(v.config_version.value == 1);
  REQUIRE(v.leader);
  CHECK(v.leader->name == "node1");
  CHECK(v.leader->owner_session == f.writer.session_id());
  REQUIRE(v.members.size() == 2);
  CHECK(v.members[0].name == "node1");  // sorted by name
  CHECK(v.members[0].role == "master");
  CHECK(v.members[0].nofailover());
  CHECK(v.members[1].name == "node2");
  CHECK(v.members[1].xlog_location == std::optional<lsn>(lsn{50331744}));
  CHECK(v.members[1].port() == 5433);
  CHECK(v.leader_member() == &v.members[0]);
  CHECK(v.optime.value == 50331800);
  CHECK(v.slots == slot_positions{{"node2", lsn{50331744}}});
  REQUIRE(v.failover);
  CHECK(v.failover->leader == "node1");
  CHECK(v.failover->member == "node2");
  CHECK(v.failover->version.value == 0);
  REQUIRE(v.history.size() == 1);
  CHECK(v.history[0].as_array()[0].as_int64() == 1);

  SECTION("watches: config, status, failover, history data; members and base children") {
    f.writer.set(f.p.config(), "{}", znode_version{-1});
    f.writer.set(f.p.status(), R"({"optime":1})", znode_version{-1});
    f.writer.set(f.p.failover(), "{}", znode_version{-1});
    f.writer.set(f.p.history(), "[]", znode_version{-1});
    f.writer.create(f.p.member("node3"), "{}", true, true);
    CHECK(f.was_fired(f.p.config()));
    CHECK(f.was_fired(f.p.status()));
    CHECK(f.was_fired(f.p.failover()));
    CHECK(f.was_fired(f.p.history()));
    CHECK(f.was_fired(f.p.members()));
    CHECK(!f.was_fired(f.p.base()));
    f.writer.remove(f.p.leader(), znode_version{-1});  // the leader vanishing: a base child event
    CHECK(f.was_fired(f.p.base()));
  }
  SECTION("without watch nothing fires") {
    fixture g;
    g.put(g.p.config(), "{}");
    REQUIRE(load_cluster(g.reader, g.p, false).ok());
    g.writer.set(g.p.config(), "{\"a\":1}", znode_version{-1});
    CHECK(g.fired.empty());
  }
}

TEST_CASE("loader: garbage values never fail the load", "[dcs][loader]") {
  fixture f;
  f.put(f.p.member("bad"), "{not json", true);
  f.put(f.p.member("array"), "[1,2]", true);
  f.put(
      f.p.member("good"),
      R"({"conn_url":"postgres://h:5432/postgres","api_url":"http://h:8008/patroni","state":"running","role":"replica","version":"3.0.2"})",
      true);
  f.put(f.p.member("legacy"), "postgres://h2:5432/postgres?application_name=http://h2:8008/patroni",
        true);
  f.put(f.p.status(), "garbage");
  f.put(f.p.config(), "also garbage");
  f.put(f.p.history(), "{}");
  f.put(f.p.sync(), "{\"sync_standby\": [1]}");

  auto r = load_cluster(f.reader, f.p, true);
  REQUIRE(r.ok());
  const auto& v = *r.view;
  REQUIRE(v.members.size() == 2);  // "array" and "bad" skipped
  CHECK(v.members[0].name == "good");
  CHECK(v.members[0].state == "running");
  CHECK(v.members[1].name == "legacy");
  CHECK(v.members[1].api_url == "http://h2:8008/patroni");
  CHECK(v.optime.value == 0);
  CHECK(!v.config);
  CHECK(v.history.empty());
  CHECK(v.sync.empty());             // nobody named synchronous
  CHECK(v.sync.version.value == 0);  // the lock holder overwrites it by compare-and-set
}

TEST_CASE("loader: legacy failover text and the optime/leader fallback", "[dcs][loader]") {
  fixture f;
  f.put(f.p.failover(), "node1:node2");
  f.put(f.p.optime_leader(), "67108864");
  auto r = load_cluster(f.reader, f.p, false);
  REQUIRE(r.ok());
  REQUIRE(r.view->failover);
  CHECK(r.view->failover->leader == "node1");
  CHECK(r.view->failover->member == "node2");
  CHECK(r.view->optime.value == 67108864);

  f.put(f.p.status(), R"({"optime":99})");  // status wins over the legacy key
  CHECK(load_cluster(f.reader, f.p, false).view->optime.value == 99);

  f.writer.set(f.p.failover(), "{}", znode_version{-1});  // cleared: no request
  CHECK(!load_cluster(f.reader, f.p, false).view->failover);
}

TEST_CASE("loader: an unusable session is an error naming the znode", "[dcs][loader]") {
  fixture f;
  f.put(f.p.initialize(), "");
  f.store->set_connected(f.reader.session_id(), false);
  auto r = load_cluster(f.reader, f.p, true);
  CHECK(!r.ok());
  CHECK(r.error.code == error_code::connection_loss);
  CHECK_THAT(r.error.detail, Catch::Contains("/service/demo"));
}

TEST_CASE("loader: optime_from_status", "[dcs][loader]") {
  CHECK(optime_from_status(R"({"optime":123})").value == 123);
  CHECK(optime_from_status(R"({"optime":"x"})").value == 0);
  CHECK(optime_from_status("nope").value == 0);
  CHECK(optime_from_status("").value == 0);
  CHECK(slots_from_status(R"({"optime":1,"slots":{"a":5,"b":"x","c":-1}})") ==
        slot_positions{{"a", lsn{5}}});
  CHECK(slots_from_status(R"({"optime":1,"slots":[1]})").empty());
}
