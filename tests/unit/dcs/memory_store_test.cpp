#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

#include "backends/dcs/memory/memory_client.hpp"

using namespace praetor;
using namespace praetor::dcs;

namespace {
// Collects what a client reports; callbacks may run on another thread.
struct recorder {
  std::mutex mu;
  std::vector<std::string> watches;
  std::vector<session_state> states;
  void attach(client& c) {
    c.start([this](const dcs_session_status& s) {
              std::lock_guard l(mu);
              states.push_back(s.state);
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
}  // namespace

TEST_CASE("memory: create is atomic and reports node_exists", "[dcs][memory]") {
  auto store = std::make_shared<memory_store>();
  memory_client a(store), b(store);
  recorder ra, rb;
  ra.attach(a);
  rb.attach(b);
  CHECK(a.create("/s/c/initialize", "", false, false).code == error_code::no_node);
  CHECK(a.create("/s/c/initialize", "", false, true).ok());
  CHECK(b.create("/s/c/initialize", "", false, true).code == error_code::node_exists);
  auto g = b.get("/s/c/initialize", false);
  REQUIRE(g.error.ok());
  CHECK(g.data.empty());
  CHECK(g.stat.ephemeral_owner == 0);
}

TEST_CASE("memory: ephemerals vanish when the session closes or expires", "[dcs][memory]") {
  auto store = std::make_shared<memory_store>();
  memory_client a(store), b(store);
  recorder ra, rb;
  ra.attach(a);
  rb.attach(b);
  REQUIRE(a.create("/s/c/leader", "a", true, true).ok());
  REQUIRE(a.create("/s/c/members/a", "{}", true, true).ok());
  auto g = b.get("/s/c/leader", false);
  REQUIRE(g.error.ok());
  CHECK(g.stat.ephemeral_owner == a.session_id());

  SECTION("expiry") {
    auto old_session = a.session_id();
    store->expire_session(old_session);
    CHECK(b.get("/s/c/leader", false).error.code == error_code::no_node);
    CHECK(b.get("/s/c/members/a", false).error.code == error_code::no_node);
    CHECK(b.get("/s/c/members", false).error.ok());  // the persistent parent stays
    // The client opened a new session by itself, reporting expired, connecting, connected.
    CHECK(a.session_id() != old_session);
    CHECK(a.session_id() != 0);
    std::lock_guard l(ra.mu);
    REQUIRE(ra.states.size() == 5);
    CHECK(ra.states[2] == session_state::expired);
    CHECK(ra.states[3] == session_state::connecting);
    CHECK(ra.states[4] == session_state::connected);
  }
  SECTION("close") {
    a.close();
    CHECK(b.get("/s/c/leader", false).error.code == error_code::no_node);
    CHECK(a.get("/s/c/members", false).error.code == error_code::session_expired);
  }
  SECTION("restart_session") {
    auto old_session = a.session_id();
    a.restart_session();
    CHECK(a.session_id() != old_session);
    CHECK(b.get("/s/c/leader", false).error.code == error_code::no_node);
    CHECK(a.create("/s/c/leader", "a", true, true).ok());
  }
}

TEST_CASE("memory: compare-and-set on the znode version", "[dcs][memory]") {
  auto store = std::make_shared<memory_store>();
  memory_client a(store);
  recorder ra;
  ra.attach(a);
  REQUIRE(a.create("/s/c/config", "{}", false, true).ok());
  CHECK(a.get("/s/c/config", false).stat.version == 0);
  CHECK(a.set("/s/c/config", "{\"ttl\":30}", znode_version{0}).ok());
  CHECK(a.set("/s/c/config", "{\"ttl\":20}", znode_version{0}).code == error_code::bad_version);
  CHECK(a.get("/s/c/config", false).data == "{\"ttl\":30}");
  CHECK(a.set("/s/c/config", "{\"ttl\":20}", znode_version{-1}).ok());
  CHECK(a.get("/s/c/config", false).stat.version == 2);
  CHECK(a.remove("/s/c/config", znode_version{1}).code == error_code::bad_version);
  CHECK(a.remove("/s/c", znode_version{-1}).code == error_code::not_empty);
  CHECK(a.remove("/s/c/config", znode_version{2}).ok());
  CHECK(a.set("/s/c/config", "{}", znode_version{-1}).code == error_code::no_node);
}

TEST_CASE("memory: watches fire once and must be re-armed", "[dcs][memory]") {
  auto store = std::make_shared<memory_store>();
  memory_client a(store), b(store);
  recorder ra, rb;
  ra.attach(a);
  rb.attach(b);
  REQUIRE(a.create("/s/c/config", "{}", false, true).ok());

  b.get("/s/c/config", true);
  a.set("/s/c/config", "1", znode_version{-1});
  a.set("/s/c/config", "2", znode_version{-1});
  CHECK(rb.fired("/s/c/config") == 1);
  b.get("/s/c/config", true);
  a.set("/s/c/config", "3", znode_version{-1});
  CHECK(rb.fired("/s/c/config") == 2);

  // A child watch fires when a child is added or removed.
  b.children("/s/c/members", true);  // missing: armed for its creation
  a.create("/s/c/members/a", "{}", true, true);
  CHECK(rb.fired("/s/c/members") == 1);
  b.children("/s/c/members", true);
  a.close();  // the ephemeral child goes with the session
  CHECK(rb.fired("/s/c/members") == 2);
  // The writer's own watch works too, and an unwatched path never fires.
  CHECK(rb.fired("/s/c/leader") == 0);
}

TEST_CASE("memory: a disconnected session fails fast and keeps its ephemerals",
          "[dcs][memory]") {
  auto store = std::make_shared<memory_store>();
  memory_client a(store), b(store);
  recorder ra, rb;
  ra.attach(a);
  rb.attach(b);
  REQUIRE(a.create("/s/c/leader", "a", true, true).ok());
  store->set_connected(a.session_id(), false);
  CHECK(a.get("/s/c/leader", false).error.code == error_code::connection_loss);
  CHECK(b.get("/s/c/leader", false).error.ok());
  store->set_connected(a.session_id(), true);
  CHECK(a.get("/s/c/leader", false).error.ok());
  std::lock_guard l(ra.mu);
  REQUIRE(ra.states.size() == 4);
  CHECK(ra.states[2] == session_state::disconnected);
  CHECK(ra.states[3] == session_state::connected);
}
