// The dcs_session actor against a real ZooKeeper, with a fake decider collecting what it hears.
#include "actors/dcs_session/dcs_session.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "backends/dcs/zookeeper/zookeeper_client.hpp"
#include "tests/integration/dcs/decider_probe.hpp"
#include "tests/support/zk_server.hpp"

using namespace praetor;
using namespace std::chrono_literals;
using test::decider_inbox;

namespace {

dcs_settings settings_for(const test::zk_server& zk, std::string name = "node1") {
  dcs_settings s;
  s.hosts = {zk.hosts()};
  s.base_path = "/service/demo";
  s.member_name = std::move(name);
  s.ttl = 10;
  s.loop_wait = 2;
  s.retry_timeout = 2;
  return s;
}

member_record node1_record() {
  member_record m;
  m.name = "node1";
  m.conn_url = "postgres://127.0.0.1:5432/postgres";
  m.api_url = "http://127.0.0.1:8008/patroni";
  m.state = "running";
  m.role = "replica";
  m.xlog_location = lsn{50331744};
  m.tl = timeline{1};
  return m;
}

// One actor system with a fake decider and a dcs_session; every actor gets an exit message
// when the test ends, also on failure, so that ~actor_system() returns.
struct session_under_test {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<decider_inbox> box = std::make_shared<decider_inbox>();
  std::shared_ptr<dcs::zookeeper_client> client;
  ha_decider_actor decider;
  dcs_session_actor session;

  explicit session_under_test(const dcs_settings& s) {
    sys = std::make_unique<caf::actor_system>(cfg);
    decider = sys->spawn(test::fake_decider, box);
    client = std::make_shared<dcs::zookeeper_client>(s);
    session =
        sys->spawn<caf::detached>(dcs_session, decider, s, std::shared_ptr<dcs::client>(client));
  }
  void stop_session() {
    if (session) caf::anon_send_exit(session, caf::exit_reason::user_shutdown);
    session = nullptr;
  }
  ~session_under_test() {
    stop_session();
    caf::anon_send_exit(decider, caf::exit_reason::user_shutdown);
    sys.reset();
  }
  template <class Pred>
  bool wait(Pred pred, std::chrono::milliseconds t = 20s) {
    return box->wait(pred, t);
  }
  bool wait_connected() {
    return wait([](decider_inbox& b) {
      return !b.statuses.empty() && b.statuses.back().state == session_state::connected &&
             !b.views.empty();
    });
  }
};

// A plain client of our own, to look at what the actor wrote.
struct observer {
  dcs::zookeeper_client client;
  explicit observer(const test::zk_server& zk) : client(zk.hosts(), 10000, 2000) {
    client.start([](const dcs_session_status&) {}, [](const std::string&) {});
    for (int i = 0; i < 500 && client.session_id() == 0; ++i) std::this_thread::sleep_for(20ms);
  }
};

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 15s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return pred();
}

}  // namespace

TEST_CASE("dcs_session: a joining node writes Patroni's layout", "[dcs][session][integration]") {
  test::zk_server zk;
  REQUIRE(zk.start());
  session_under_test t(settings_for(zk));
  REQUIRE(t.wait_connected());
  observer o(zk);
  REQUIRE(o.client.session_id() != 0);

  caf::anon_send(t.session, race_initialize{});
  caf::anon_send(t.session, publish_member{node1_record()});
  caf::anon_send(t.session, acquire_leader{});
  caf::anon_send(t.session, write_initialize{"7212345678901234567"});
  caf::anon_send(t.session, write_config{{{"ttl", 10}, {"loop_wait", 2}}, znode_version{-1}});
  caf::anon_send(t.session, publish_status{lsn{50331800}, {}});
  REQUIRE(t.wait([](decider_inbox& b) { return b.has_result("publish_status"); }));
  {
    std::lock_guard l(t.box->mu);
    CHECK(t.box->last_result("race_initialize").ok);
    CHECK(t.box->last_result("publish_member").ok);
    CHECK(t.box->last_result("acquire_leader").ok);
    CHECK(t.box->last_result("write_initialize").ok);
    CHECK(t.box->last_result("write_config").ok);
    CHECK(t.box->last_result("publish_status").ok);
  }

  auto session = t.client->session_id();
  auto member = o.client.get("/service/demo/members/node1", false);
  REQUIRE(member.error.ok());
  CHECK(
      member.data ==
      R"({"conn_url":"postgres://127.0.0.1:5432/postgres","api_url":"http://127.0.0.1:8008/patroni","state":"running","role":"replica","version":"3.0.2","xlog_location":50331744,"timeline":1})");
  CHECK(member.stat.ephemeral_owner == session);
  auto leader = o.client.get("/service/demo/leader", false);
  CHECK(leader.data == "node1");
  CHECK(leader.stat.ephemeral_owner == session);
  CHECK(o.client.get("/service/demo/initialize", false).data == "7212345678901234567");
  CHECK(o.client.get("/service/demo/initialize", false).stat.ephemeral_owner == 0);
  CHECK(o.client.get("/service/demo/config", false).data == R"({"ttl":10,"loop_wait":2})");
  CHECK(o.client.get("/service/demo/status", false).data == R"({"optime":50331800})");

  // The last view pushed shows it all.
  REQUIRE(t.wait([](decider_inbox& b) {
    return !b.views.empty() && b.views.back().leader && b.views.back().optime.value == 50331800;
  }));
  std::lock_guard l(t.box->mu);
  const auto& v = t.box->views.back();
  CHECK(v.leader->name == "node1");
  REQUIRE(v.members.size() == 1);
  CHECK(v.members[0] == node1_record());
  CHECK(v.initialize == std::optional<std::string>("7212345678901234567"));
}

TEST_CASE("dcs_session: ephemerals vanish when the session ends", "[dcs][session][integration]") {
  test::zk_server zk;
  REQUIRE(zk.start());
  session_under_test t(settings_for(zk));
  REQUIRE(t.wait_connected());
  caf::anon_send(t.session, publish_member{node1_record()});
  caf::anon_send(t.session, acquire_leader{});
  REQUIRE(t.wait([](decider_inbox& b) { return b.has_result("acquire_leader"); }));
  observer o(zk);
  REQUIRE(o.client.get("/service/demo/leader", false).error.ok());
  REQUIRE(o.client.get("/service/demo/members/node1", false).error.ok());

  t.stop_session();  // the actor quits and closes its handle
  CHECK(eventually([&] {
    return o.client.get("/service/demo/leader", false).error.code == dcs::error_code::no_node;
  }));
  CHECK(o.client.get("/service/demo/members/node1", false).error.code == dcs::error_code::no_node);
  CHECK(o.client.get("/service/demo/members", false).error.ok());
}

TEST_CASE("dcs_session: a watch reaches the decider as a cluster_view",
          "[dcs][session][integration]") {
  test::zk_server zk;
  REQUIRE(zk.start());
  session_under_test t(settings_for(zk));
  REQUIRE(t.wait_connected());
  caf::anon_send(t.session, write_config{{{"ttl", 10}}, znode_version{-1}});
  REQUIRE(t.wait([](decider_inbox& b) { return b.has_result("write_config"); }));

  observer o(zk);
  // Another party (patronictl edit-config, say) changes config; a peer joins.
  REQUIRE(
      o.client.set("/service/demo/config", R"({"ttl":10,"pause":true})", znode_version{-1}).ok());
  REQUIRE(t.wait([](decider_inbox& b) {
    return !b.views.empty() && b.views.back().config && b.views.back().config->contains("pause");
  }));
  REQUIRE(
      o.client.create("/service/demo/members/node2", R"({"state":"running"})", true, true).ok());
  REQUIRE(t.wait(
      [](decider_inbox& b) { return !b.views.empty() && b.views.back().find_member("node2"); }));
  REQUIRE(o.client.create("/service/demo/leader", "node2", true, false).ok());
  REQUIRE(t.wait([](decider_inbox& b) {
    return !b.views.empty() && b.views.back().leader && b.views.back().leader->name == "node2";
  }));
  // And our own acquire loses the race, said as a dcs_result.
  caf::anon_send(t.session, acquire_leader{});
  REQUIRE(t.wait([](decider_inbox& b) { return b.has_result("acquire_leader"); }));
  std::lock_guard l(t.box->mu);
  CHECK(!t.box->last_result("acquire_leader").ok);
  CHECK_THAT(t.box->last_result("acquire_leader").detail, Catch::Contains("node2"));
}

TEST_CASE("dcs_session: a session expiry is survived", "[dcs][session][integration]") {
  test::zk_server zk;
  REQUIRE(zk.start());
  session_under_test t(settings_for(zk));
  REQUIRE(t.wait_connected());
  caf::anon_send(t.session, publish_member{node1_record()});
  caf::anon_send(t.session, acquire_leader{});
  REQUIRE(t.wait([](decider_inbox& b) { return b.has_result("acquire_leader"); }));
  auto old_session = t.client->session_id();
  auto id = t.client->client_id();
  REQUIRE(id);
  std::size_t statuses_before;
  {
    std::lock_guard l(t.box->mu);
    statuses_before = t.box->statuses.size();
  }

  REQUIRE(test::expire_zk_session(zk.hosts(), *id));
  REQUIRE(t.wait([&](decider_inbox& b) {
    return b.statuses.size() > statuses_before &&
           b.statuses.back().state == session_state::connected &&
           b.statuses.back().session_id != old_session;
  }));
  {
    std::lock_guard l(t.box->mu);
    std::vector<session_state> seen;
    for (auto i = statuses_before; i < t.box->statuses.size(); ++i)
      seen.push_back(t.box->statuses[i].state);
    auto expired = std::find(seen.begin(), seen.end(), session_state::expired);
    REQUIRE(expired != seen.end());
    CHECK(std::find(expired, seen.end(), session_state::connected) != seen.end());
  }

  observer o(zk);
  // The old session's ephemerals are gone...
  CHECK(o.client.get("/service/demo/leader", false).error.code == dcs::error_code::no_node);
  CHECK(o.client.get("/service/demo/members/node1", false).error.code == dcs::error_code::no_node);
  // ...and the member record and the lock come back under the new session.
  auto results_before = [&] {
    std::lock_guard l(t.box->mu);
    return t.box->results.size();
  }();
  caf::anon_send(t.session, publish_member{node1_record()});
  caf::anon_send(t.session, acquire_leader{});
  REQUIRE(t.wait([&](decider_inbox& b) { return b.results.size() >= results_before + 2; }));
  {
    std::lock_guard l(t.box->mu);
    CHECK(t.box->last_result("publish_member").ok);
    CHECK(t.box->last_result("acquire_leader").ok);
  }
  auto member = o.client.get("/service/demo/members/node1", false);
  REQUIRE(member.error.ok());
  CHECK(member.stat.ephemeral_owner == t.client->session_id());
  CHECK(member.stat.ephemeral_owner != old_session);
}

TEST_CASE("dcs_session: refresh_leader moves the lock of an old session to the new one",
          "[dcs][session][integration]") {
  test::zk_server zk;
  REQUIRE(zk.start());
  session_under_test t(settings_for(zk));
  REQUIRE(t.wait_connected());
  observer o(zk);
  // The leader znode names us but belongs to another session (ours before a restart).
  REQUIRE(o.client.create("/service/demo/leader", "node1", true, true).ok());
  caf::anon_send(t.session, refresh_leader{});
  REQUIRE(t.wait([](decider_inbox& b) { return b.has_result("refresh_leader"); }));
  {
    std::lock_guard l(t.box->mu);
    CHECK(t.box->last_result("refresh_leader").ok);
  }
  auto leader = o.client.get("/service/demo/leader", false);
  REQUIRE(leader.error.ok());
  CHECK(leader.stat.ephemeral_owner == t.client->session_id());

  // release_leader: status written, lock and member record gone, a new session.
  auto before = t.client->session_id();
  caf::anon_send(t.session, publish_member{node1_record()});
  caf::anon_send(t.session, release_leader{lsn{777}});
  REQUIRE(t.wait([](decider_inbox& b) { return b.has_result("release_leader"); }));
  CHECK(o.client.get("/service/demo/status", false).data == R"({"optime":777})");
  CHECK(eventually([&] {
    return o.client.get("/service/demo/leader", false).error.code == dcs::error_code::no_node;
  }));
  CHECK(o.client.get("/service/demo/members/node1", false).error.code == dcs::error_code::no_node);
  CHECK(eventually([&] {
    auto now = t.client->session_id();
    return now != 0 && now != before;
  }));
}

TEST_CASE("dcs_session: a ZooKeeper that is not running at start", "[dcs][session][integration]") {
  test::zk_server zk;  // not started yet
  session_under_test t(settings_for(zk));
  // Not connected: reported, and after a while a "not reachable" detail; no crash.
  REQUIRE(t.wait([](decider_inbox& b) {
    return !b.statuses.empty() && b.statuses.front().state == session_state::connecting;
  }));
  REQUIRE(t.wait(
      [](decider_inbox& b) {
        return !b.statuses.empty() &&
               b.statuses.back().detail.find("not reachable") != std::string::npos;
      },
      10s));
  caf::anon_send(t.session, acquire_leader{});
  REQUIRE(t.wait([](decider_inbox& b) { return b.has_result("acquire_leader"); }));
  {
    std::lock_guard l(t.box->mu);
    CHECK(!t.box->last_result("acquire_leader").ok);
    CHECK(t.box->views.empty());
  }
  REQUIRE(zk.start());
  REQUIRE(t.wait_connected());
  caf::anon_send(t.session, acquire_leader{});
  REQUIRE(t.wait([](decider_inbox& b) {
    return b.results.size() >= 2 && b.results.back().op == "acquire_leader" && b.results.back().ok;
  }));
}
