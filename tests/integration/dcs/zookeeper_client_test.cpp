// The ZooKeeper client against a real server: the same contract the memory twin honours.
#include "backends/dcs/zookeeper/zookeeper_client.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <thread>

#include "tests/support/zk_server.hpp"

using namespace praetor;
using namespace praetor::dcs;
using namespace std::chrono_literals;

namespace {
struct observed {
  std::mutex mu;
  std::vector<dcs_session_status> statuses;
  std::vector<std::string> watches;
  void attach(client& c) {
    c.start(
        [this](const dcs_session_status& s) {
          std::lock_guard l(mu);
          statuses.push_back(s);
        },
        [this](const std::string& p) {
          std::lock_guard l(mu);
          watches.push_back(p);
        });
  }
  std::size_t fired(const std::string& path) {
    std::lock_guard l(mu);
    return static_cast<std::size_t>(std::count(watches.begin(), watches.end(), path));
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

// Requests the server has received from sessions ("[1]" in the client list of `stat`; the
// four-letter connection itself shows "[0]").
long received_requests(const test::zk_server& zk) {
  auto text = zk.four_letter("stat");
  long total = 0;
  for (auto at = text.find("[1]("); at != std::string::npos; at = text.find("[1](", at + 1)) {
    auto count = text.find("recved=", at);
    if (count != std::string::npos) total += std::stol(text.substr(count + 7));
  }
  return total;
}

// A server of its own and two connected sessions on it, a and b; ob sees what b's callbacks
// get.
struct two_sessions {
  test::zk_server zk;
  bool started = zk.start();
  zookeeper_client a{zk.hosts(), 10000, 2000}, b{zk.hosts(), 10000, 2000};
  observed oa, ob;
  two_sessions() {
    REQUIRE(started);
    oa.attach(a);
    ob.attach(b);
    REQUIRE(eventually([&] { return a.session_id() != 0 && b.session_id() != 0; }));
  }
};
}  // namespace

TEST_CASE("zookeeper_client: the client contract against a real ZooKeeper",
          "[dcs][zookeeper][integration]") {
  two_sessions sessions;
  auto &a = sessions.a, &b = sessions.b;
  auto& ob = sessions.ob;
  CHECK(a.session_id() != b.session_id());

  CHECK(a.create("/service/demo/initialize", "", false, false).code == error_code::no_node);
  CHECK(a.create("/service/demo/initialize", "", false, true).ok());
  CHECK(b.create("/service/demo/initialize", "", false, true).code == error_code::node_exists);
  auto init = b.get("/service/demo/initialize", false);
  REQUIRE(init.error.ok());
  CHECK(init.data.empty());

  REQUIRE(a.create("/service/demo/leader", "a", true, false).ok());
  auto leader = b.get("/service/demo/leader", false);
  CHECK(leader.data == "a");
  CHECK(leader.stat.ephemeral_owner == a.session_id());

  REQUIRE(a.create("/service/demo/config", "{}", false, false).ok());
  CHECK(a.set("/service/demo/config", "{\"x\":1}", znode_version{0}).ok());
  CHECK(a.set("/service/demo/config", "{\"x\":2}", znode_version{0}).code ==
        error_code::bad_version);
  CHECK(a.get("/service/demo/config", false).stat.version == 1);
  CHECK(a.remove("/service/demo", znode_version{-1}).code == error_code::not_empty);

  // Watches fire once; a missing node is watched for its creation.
  b.get("/service/demo/config", true);
  a.set("/service/demo/config", "1", znode_version{-1});
  a.set("/service/demo/config", "2", znode_version{-1});
  CHECK(eventually([&] { return ob.fired("/service/demo/config") == 1; }));
  CHECK(b.children("/service/demo/members", true).error.code == error_code::no_node);
  a.create("/service/demo/members/a", "{}", true, true);
  CHECK(eventually([&] { return ob.fired("/service/demo/members") == 1; }));
  auto kids = b.children("/service/demo", true);
  REQUIRE(kids.error.ok());
  CHECK(kids.names.size() == 4);

  // Big values are read whole.
  std::string big(200 * 1024, 'x');
  REQUIRE(a.create("/service/demo/history", big, false, false).ok());
  CHECK(b.get("/service/demo/history", false).data.size() == big.size());

  // Closing the session removes its ephemerals; the base child watch fires.
  a.close();
  CHECK(eventually([&] { return ob.fired("/service/demo") == 1; }));
  CHECK(b.get("/service/demo/leader", false).error.code == error_code::no_node);
  CHECK(b.get("/service/demo/members/a", false).error.code == error_code::no_node);
  CHECK(a.get("/service/demo/config", false).error.code == error_code::session_expired);
}

TEST_CASE("zookeeper_client: get_many answers a batch in order, as get() would each",
          "[dcs][zookeeper][integration]") {
  two_sessions sessions;
  auto &a = sessions.a, &b = sessions.b;
  auto& ob = sessions.ob;
  CHECK(b.get_many({}).empty());

  REQUIRE(a.create("/s/leader", "a", true, true).ok());
  REQUIRE(a.create("/s/config", "{}", false, true).ok());
  REQUIRE(a.set("/s/config", "{\"ttl\":30}", znode_version{0}).ok());
  REQUIRE(a.create("/s/empty", "", false, true).ok());
  const std::string big(300 * 1024, 'h');
  REQUIRE(a.create("/s/history", big, false, true).ok());

  auto got = b.get_many({{"/s/config", true},
                         {"/s/leader", false},
                         {"/s/missing", false},
                         {"/s/failover", true},
                         {"/s/empty", false},
                         {"/s/history", false}});
  REQUIRE(got.size() == 6);
  REQUIRE(got[0].error.ok());
  CHECK(got[0].data == "{\"ttl\":30}");
  CHECK(got[0].stat.version == 1);
  REQUIRE(got[1].error.ok());
  CHECK(got[1].data == "a");
  CHECK(got[1].stat.ephemeral_owner == a.session_id());
  CHECK(got[2].error.code == error_code::no_node);
  CHECK(got[3].error.code == error_code::no_node);
  REQUIRE(got[4].error.ok());
  CHECK(got[4].data.empty());
  CHECK(got[5].data.size() == big.size());

  // The watches asked for are armed: on a change of what was there, and on the creation of
  // what was missing.
  a.set("/s/config", "{}", znode_version{-1});
  CHECK(eventually([&] { return ob.fired("/s/config") == 1; }));
  a.create("/s/failover", "{}", false, false);
  CHECK(eventually([&] { return ob.fired("/s/failover") == 1; }));
  CHECK(ob.fired("/s/leader") == 0);

  b.close();
  for (const auto& r : b.get_many({{"/s/config", false}, {"/s/leader", false}}))
    CHECK(r.error.code == error_code::session_expired);
}

TEST_CASE("zookeeper_client: a session expiry gives a new session by itself",
          "[dcs][zookeeper][integration]") {
  test::zk_server zk;
  REQUIRE(zk.start());
  zookeeper_client a(zk.hosts(), 10000, 2000);
  observed oa;
  oa.attach(a);
  REQUIRE(eventually([&] { return a.session_id() != 0; }));
  auto first = a.session_id();
  REQUIRE(a.create("/x", "", true, false).ok());
  auto id = a.client_id();
  REQUIRE(id);
  REQUIRE(test::expire_zk_session(zk.hosts(), *id));
  CHECK(eventually([&] { return a.session_id() != 0 && a.session_id() != first; }));
  CHECK(a.get("/x", false).error.code == error_code::no_node);
  std::lock_guard l(oa.mu);
  std::vector<session_state> states;
  for (const auto& s : oa.statuses) states.push_back(s.state);
  auto expired = std::find(states.begin(), states.end(), session_state::expired);
  REQUIRE(expired != states.end());
  auto connecting = std::find(expired, states.end(), session_state::connecting);
  REQUIRE(connecting != states.end());
  CHECK(std::find(connecting, states.end(), session_state::connected) != states.end());
  CHECK(oa.statuses.back().session_id == a.session_id());
}

TEST_CASE("zookeeper_client: not connected means fail fast", "[dcs][zookeeper][integration]") {
  test::zk_server zk;  // never started
  zookeeper_client a(zk.hosts(), 10000, 2000);
  observed oa;
  oa.attach(a);
  auto t0 = std::chrono::steady_clock::now();
  CHECK(a.get("/x", false).error.code == error_code::connection_loss);
  CHECK(a.create("/x", "", false, true).code == error_code::connection_loss);
  CHECK(std::chrono::steady_clock::now() - t0 < 1s);
  REQUIRE(zk.start());
  CHECK(eventually([&] { return a.session_id() != 0; }, 30s));
  CHECK(a.create("/x", "", false, true).ok());
}

TEST_CASE("zookeeper_client: a server restart keeps the session and its ephemerals",
          "[dcs][zookeeper][integration]") {
  test::zk_server zk;
  REQUIRE(zk.start());
  zookeeper_client a(zk.hosts(), 10000, 2000);
  observed oa;
  oa.attach(a);
  REQUIRE(eventually([&] { return a.session_id() != 0; }));
  auto session = a.session_id();
  REQUIRE(a.create("/service/demo/leader", "a", true, true).ok());
  REQUIRE(zk.restart());
  CHECK(eventually([&] {
    std::lock_guard l(oa.mu);
    return oa.statuses.back().state == session_state::connected &&
           std::any_of(oa.statuses.begin(), oa.statuses.end(),
                       [](const auto& s) { return s.state == session_state::disconnected; });
  }));
  CHECK(a.session_id() == session);
  auto leader = a.get("/service/demo/leader", false);
  REQUIRE(leader.error.ok());
  CHECK(leader.stat.ephemeral_owner == session);
}

TEST_CASE("zookeeper_client: a frozen server counts as lost after the read timeout, not 2/3 ttl",
          "[dcs][zookeeper][integration][safety]") {
  test::zk_server zk;
  REQUIRE(zk.start());
  // A 30 s session: the C client alone would wait 20 s before giving the connection up.
  zookeeper_client a(zk.hosts(), 30000, 2000);
  observed oa;
  oa.attach(a);
  REQUIRE(eventually([&] { return a.session_id() != 0; }));
  auto session = a.session_id();
  auto last_state = [&] {
    std::lock_guard l(oa.mu);
    return oa.statuses.back().state;
  };
  std::this_thread::sleep_for(1500ms);
  CHECK(last_state() == session_state::connected);  // answers keep it connected

  zk.freeze();
  auto frozen = std::chrono::steady_clock::now();
  bool noticed = eventually([&] { return last_state() == session_state::disconnected; }, 10s);
  auto took = std::chrono::steady_clock::now() - frozen;
  zk.thaw();
  REQUIRE(noticed);
  CHECK(took < 4s);  // read timeout 2 s plus one ping interval
  CHECK(eventually([&] { return last_state() == session_state::connected; }, 10s));
  CHECK(a.session_id() == session);
}

TEST_CASE("zookeeper_client: answers to operations stand in for the silence questions",
          "[dcs][zookeeper][integration]") {
  test::zk_server zk;
  REQUIRE(zk.start());
  // Read timeout 2 s: a question once the server has been quiet for about 1 s.
  zookeeper_client a(zk.hosts(), 30000, 2000);
  observed oa;
  oa.attach(a);
  REQUIRE(eventually([&] { return a.session_id() != 0; }));
  std::this_thread::sleep_for(500ms);

  // Idle: about one question a second.
  auto before = received_requests(zk);
  std::this_thread::sleep_for(4s);
  auto questions = received_requests(zk) - before;
  CHECK(questions >= 2);
  CHECK(questions <= 6);

  // Busy: an answer every 200 ms already shows the server is there, so (almost) no questions.
  before = received_requests(zk);
  long operations = 0;
  for (auto end = std::chrono::steady_clock::now() + 6s; std::chrono::steady_clock::now() < end;
       ++operations) {
    CHECK(a.get("/", false).error.ok());
    std::this_thread::sleep_for(200ms);
  }
  CHECK(received_requests(zk) - before - operations <= 2);
  std::lock_guard l(oa.mu);
  CHECK(oa.statuses.back().state == session_state::connected);
}
