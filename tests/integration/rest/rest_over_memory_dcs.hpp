// The REST front end wired as in a daemon for the endpoints that write to the DCS: the real
// rest_frontend actor over loopback HTTP, a real dcs_session actor over the in-memory DCS, and
// a fake decider. The test plays the decider's part of pushing snapshots to the REST actor.
#pragma once

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "actors/dcs_session/dcs_session.hpp"
#include "actors/rest_frontend/basic_auth.hpp"
#include "actors/rest_frontend/rest_frontend.hpp"
#include "backends/dcs/memory/memory_client.hpp"
#include "tests/integration/dcs/decider_probe.hpp"
#include "tests/integration/rest/raw_client.hpp"
#include "tests/support/loopback_port.hpp"
#include "tests/unit/rest/snapshots.hpp"

namespace praetor::test {

using namespace std::chrono_literals;

inline constexpr const char* failover_path = "/service/demo/failover";

inline std::string request(const std::string& method, const std::string& path,
                           std::optional<std::string> body, const std::string& auth) {
  std::string r = method + " " + path + " HTTP/1.0\r\nHost: x\r\n";
  if (!auth.empty()) r += "Authorization: " + auth + "\r\n";
  if (body) r += "Content-Length: " + std::to_string(body->size()) + "\r\n";
  return r + "\r\n" + body.value_or("");
}

// A dcs_session over the memory store, a fake decider, and the rest_frontend under test with
// restapi.authentication admin:secret. Every actor is stopped when the test ends.
struct rest_over_memory_dcs {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<dcs::memory_store> store = std::make_shared<dcs::memory_store>();
  std::shared_ptr<test::decider_inbox> box = std::make_shared<test::decider_inbox>();
  ha_decider_actor decider;
  dcs_session_actor session;
  rest_frontend_actor rest;
  int port = 0;
  const std::string good_auth = "Basic " + rest::base64_encode("admin:secret");

  rest_over_memory_dcs() {
    sys = std::make_unique<caf::actor_system>(cfg);
    decider = sys->spawn(test::fake_decider, box);
    dcs_settings d;
    d.base_path = "/service/demo";
    d.member_name = "node1";
    d.loop_wait = 10;
    session = sys->spawn<caf::detached>(
        dcs_session, decider, d,
        std::shared_ptr<dcs::client>(std::make_shared<dcs::memory_client>(store)));
    REQUIRE(box->wait([](test::decider_inbox& b) {
      return !b.statuses.empty() && b.statuses.back().state == session_state::connected;
    }));
    port = test::free_loopback_port();
    rest_settings api;
    api.listen_port = port;
    api.username = "admin";
    api.password = "secret";
    rest_peers peers;
    peers.dcs = session;
    rest = sys->spawn(rest_frontend, api, peers);
    push(rest::test::primary_snapshot());
    for (int i = 0; i < 100 && !get_ok(); ++i) std::this_thread::sleep_for(20ms);
    REQUIRE(get_ok());
  }
  ~rest_over_memory_dcs() {
    caf::anon_send_exit(rest, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(session, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(decider, caf::exit_reason::user_shutdown);
    // A detached actor's thread ends only when its last handle is gone.
    rest = nullptr;
    session = nullptr;
    decider = nullptr;
    sys.reset();
  }

  bool get_ok() {
    try {
      rest::test::raw_client c(port);
      c.send("GET /patroni HTTP/1.0\r\n\r\n");
      return rest::test::status_of(c.read_to_close(2s)) == 200;
    } catch (const std::exception&) {
      return false;
    }
  }
  void push(node_snapshot s) { caf::anon_send(rest, std::move(s)); }

  // Sends a request and reads the whole answer (HTTP/1.0: the server closes after it).
  std::string call(const std::string& method, const std::string& path,
                   std::optional<std::string> body, std::optional<std::string> auth = {}) {
    rest::test::raw_client c(port);
    c.send(request(method, path, std::move(body), auth.value_or(good_auth)));
    return c.read_to_close(10s);
  }

  std::optional<boost::json::object> failover_key() const {
    auto node = store->peek(failover_path);
    if (!node) return std::nullopt;
    return boost::json::parse(node->data).as_object();
  }
  int failover_version() const { return store->peek(failover_path)->stat.version; }

  // The latest view dcs_session loaded, once it satisfies `pred`.
  template <class Pred>
  cluster_view view_where(Pred pred) {
    cluster_view out;
    REQUIRE(box->wait([&](test::decider_inbox& b) {
      if (b.views.empty() || !pred(b.views.back())) return false;
      out = b.views.back();
      return true;
    }));
    return out;
  }
};

}  // namespace praetor::test
