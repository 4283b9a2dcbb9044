#include "actors/dcs_session/dcs_writes.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "actors/dcs_session/member_upkeep.hpp"
#include "backends/dcs/cluster_loader.hpp"
#include "backends/dcs/memory/memory_client.hpp"

using namespace praetor;
using namespace praetor::dcs;

namespace {
struct node {
  std::string name;
  memory_client client;
  paths p{"/service/demo"};
  std::mutex mu;
  std::vector<std::string> fired;
  node(std::shared_ptr<memory_store> store, std::string n)
      : name(std::move(n)), client(std::move(store)) {
    client.start([](const dcs_session_status&) {},
                 [this](const std::string& path) {
                   std::lock_guard l(mu);
                   fired.push_back(path);
                 });
  }
  template <class Command>
  dcs_result run(const Command& c) {
    write_context w{client, p, name};
    return apply(w, c);
  }
};

member_record record(std::string state, std::string role) {
  member_record m;
  m.conn_url = "postgres://127.0.0.1:5432/postgres";
  m.api_url = "http://127.0.0.1:8008/patroni";
  m.state = std::move(state);
  m.role = std::move(role);
  return m;
}
}  // namespace

TEST_CASE("writes: the initialize race has one winner", "[dcs][writes]") {
  auto store = std::make_shared<memory_store>();
  node a(store, "a"), b(store, "b");
  auto ra = a.run(race_initialize{});
  auto rb = b.run(race_initialize{});
  CHECK(ra.op == "race_initialize");
  CHECK(ra.ok);
  CHECK(!rb.ok);
  CHECK_THAT(rb.detail, Catch::Contains("/service/demo/initialize"));
  CHECK(a.run(write_initialize{"7212345678901234567"}).ok);
  CHECK(store->peek("/service/demo/initialize")->data == "7212345678901234567");
  CHECK(a.run(cancel_initialize{}).ok);
  CHECK(!store->peek("/service/demo/initialize"));
  CHECK(a.run(cancel_initialize{}).ok);             // missing is fine
  CHECK(b.run(write_initialize{"1234567890"}).ok);  // creates when missing
}

TEST_CASE("writes: the leader lock", "[dcs][writes]") {
  auto store = std::make_shared<memory_store>();
  node a(store, "a"), b(store, "b");
  CHECK(a.run(acquire_leader{}).ok);
  auto lost = b.run(acquire_leader{});
  CHECK(!lost.ok);
  CHECK_THAT(lost.detail, Catch::Contains("held by a"));
  CHECK(a.run(refresh_leader{}).ok);
  CHECK(!b.run(refresh_leader{}).ok);

  SECTION("refresh re-creates the lock of our old session under the new one") {
    // A leader znode naming us, owned by another session of ours (after a session change).
    memory_client old_session(store);
    old_session.start([](const dcs_session_status&) {}, [](const std::string&) {});
    a.client.restart_session();
    REQUIRE(old_session.create("/service/demo/leader", "a", true, true).ok());
    CHECK(store->peek("/service/demo/leader")->stat.ephemeral_owner == old_session.session_id());
    CHECK(a.run(refresh_leader{}).ok);
    CHECK(store->peek("/service/demo/leader")->stat.ephemeral_owner == a.client.session_id());
  }
  SECTION("release writes status, then ends the session") {
    REQUIRE(a.run(publish_member{record("running", "master")}).ok);
    CHECK(a.run(release_leader{lsn{4242}}).ok);
    CHECK(!store->peek("/service/demo/leader"));
    CHECK(!store->peek("/service/demo/members/a"));
    CHECK(store->peek("/service/demo/status")->data == R"({"optime":4242})");
    CHECK(b.run(acquire_leader{}).ok);
  }
}

TEST_CASE("writes: config CAS", "[dcs][writes]") {
  auto store = std::make_shared<memory_store>();
  node a(store, "a");
  boost::json::object cfg{{"ttl", 30}};
  CHECK(!a.run(write_config{cfg, znode_version{3}}).ok);  // missing + a version: fail
  CHECK(a.run(write_config{cfg, znode_version{-1}}).ok);  // missing, unconditional: create
  CHECK(a.run(write_config{{{"ttl", 20}}, znode_version{0}}).ok);
  auto stale = a.run(write_config{{{"ttl", 10}}, znode_version{0}});
  CHECK(!stale.ok);
  CHECK_THAT(stale.detail, Catch::Contains("bad version"));
  CHECK(store->peek("/service/demo/config")->data == R"({"ttl":20})");
}

TEST_CASE("writes: member upkeep deletes first only when peers must notice", "[dcs][writes]") {
  auto store = std::make_shared<memory_store>();
  node a(store, "a"), peer(store, "peer");
  REQUIRE(a.run(publish_member{record("starting", "replica")}).ok);
  auto stored = store->peek("/service/demo/members/a");
  REQUIRE(stored);
  CHECK(
      stored->data ==
      R"({"conn_url":"postgres://127.0.0.1:5432/postgres","api_url":"http://127.0.0.1:8008/patroni","state":"starting","role":"replica","version":"3.0.2"})");
  CHECK(stored->stat.ephemeral_owner == a.client.session_id());

  auto watch_members = [&] {
    peer.client.children("/service/demo/members", true);
    std::lock_guard l(peer.mu);
    peer.fired.clear();
  };
  auto members_event = [&] {
    std::lock_guard l(peer.mu);
    return std::count(peer.fired.begin(), peer.fired.end(), "/service/demo/members");
  };

  // Same record again: nothing is written.
  REQUIRE(a.run(publish_member{record("starting", "replica")}).ok);
  CHECK(store->peek("/service/demo/members/a")->stat.version == 0);

  // A plain change (xlog_location) is a set: no child event for peers.
  auto r = record("starting", "replica");
  r.xlog_location = lsn{100};
  watch_members();
  REQUIRE(a.run(publish_member{r}).ok);
  CHECK(store->peek("/service/demo/members/a")->stat.version == 1);
  CHECK(members_event() == 0);

  // starting -> running is notable: delete + create, peers see a child event.
  r.state = "running";
  watch_members();
  REQUIRE(a.run(publish_member{r}).ok);
  CHECK(members_event() >= 1);
  CHECK(store->peek("/service/demo/members/a")->stat.version == 0);
  CHECK_THAT(store->peek("/service/demo/members/a")->data, Catch::Contains("\"running\""));

  // After an expiry the record is gone and comes back under the new session.
  store->expire_session(a.client.session_id());
  CHECK(!store->peek("/service/demo/members/a"));
  REQUIRE(a.run(publish_member{r}).ok);
  CHECK(store->peek("/service/demo/members/a")->stat.ephemeral_owner == a.client.session_id());
}

TEST_CASE("member_needs_delete_first follows section 1.6", "[dcs][writes]") {
  auto stored = record("running", "replica");
  stored.name = "a";
  auto wanted = stored;
  CHECK(!member_needs_delete_first(stored, 7, wanted, 7));
  CHECK(member_needs_delete_first(stored, 6, wanted, 7));  // another session of ours
  wanted.tags["nofailover"] = true;
  CHECK(member_needs_delete_first(stored, 7, wanted, 7));
  wanted = stored;
  wanted.version = "3.0.3";
  CHECK(member_needs_delete_first(stored, 7, wanted, 7));
  wanted = stored;
  wanted.checkpoint_after_promote = false;
  CHECK(member_needs_delete_first(stored, 7, wanted, 7));
  wanted = stored;
  wanted.state = "stopping";  // leaving running
  CHECK(member_needs_delete_first(stored, 7, wanted, 7));
  auto starting = record("starting", "replica");
  auto stopped = record("stopped", "replica");
  CHECK(!member_needs_delete_first(starting, 7, stopped, 7));  // neither is running
  wanted = stored;
  wanted.xlog_location = lsn{5};
  CHECK(!member_needs_delete_first(stored, 7, wanted, 7));
}

TEST_CASE("writes: publish_status", "[dcs][writes]") {
  auto store = std::make_shared<memory_store>();
  node a(store, "a");
  CHECK(a.run(publish_status{lsn{1}, {}}).ok);
  CHECK(a.run(publish_status{lsn{50331800}, {}}).ok);
  CHECK(store->peek("/service/demo/status")->data == R"({"optime":50331800})");
  CHECK(status_value(lsn{0}) == R"({"optime":0})");
  // Patroni's form with permanent logical slots, which the replicas read back.
  CHECK(a.run(publish_status{lsn{50331800}, {{"s1", lsn{50331700}}}}).ok);
  const auto data = store->peek("/service/demo/status")->data;
  CHECK(data == R"({"optime":50331800,"slots":{"s1":50331700}})");
  CHECK(slots_from_status(data) == slot_positions{{"s1", lsn{50331700}}});
}

TEST_CASE("writes: the failover key is set as Patroni writes it, and cleared by CAS",
          "[dcs][writes][failover]") {
  auto store = std::make_shared<memory_store>();
  node a(store, "a");
  auto set = a.run(write_failover{failover_request{"a", "b", "2026-11-27T13:00:00+00:00", {}},
                                  znode_version{-1}});
  CHECK(set.ok);
  auto stored = a.client.get(a.p.failover(), false);
  REQUIRE(stored.error.ok());
  CHECK(stored.data == R"({"leader":"a","member":"b","scheduled_at":"2026-11-27T13:00:00+00:00"})");
  auto version = znode_version{stored.stat.version};

  SECTION("a clear with an old version leaves a newer request alone") {
    REQUIRE(a.run(write_failover{failover_request{"a", "c", "", {}}, znode_version{-1}}).ok);
    auto clear = a.run(clear_failover{version});
    CHECK_FALSE(clear.ok);
    CHECK_THAT(clear.detail, Catch::Contains("changed since it was read"));
    CHECK(a.client.get(a.p.failover(), false).data == R"({"leader":"a","member":"c"})");
  }
  SECTION("a clear with the read version writes {}") {
    CHECK(a.run(clear_failover{version}).ok);
    CHECK(a.client.get(a.p.failover(), false).data == "{}");
  }
  SECTION("DELETE /switchover: an empty request with the read version") {
    CHECK(a.run(write_failover{failover_request{}, version}).ok);
    CHECK(a.client.get(a.p.failover(), false).data == "{}");
    auto stale = a.run(write_failover{failover_request{}, version});
    CHECK_FALSE(stale.ok);
  }
}
