// watchdog.mode required on a machine without a watchdog device (this one: no softdog, a
// container): the member replicates, says watchdog_failed in GET /patroni as Patroni does, and
// never takes the lock, not even when the leader is gone.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "praetor_cluster.hpp"

using namespace praetor;
using namespace praetor::test;
using namespace std::chrono_literals;

TEST_CASE("watchdog required without a device: the member never leads, says watchdog_failed",
          "[cluster][watchdog]") {
  praetor_cluster c(2);
  std::ofstream(c.nodes()[1].config_path, std::ios::app)
      << "watchdog: {mode: required, device: /nonexistent/watchdog}\n";
  // Node 0 first: it bootstraps (a required member that won the initialize race would give the
  // cluster up, as Patroni does).
  REQUIRE(c.start_node(0));
  REQUIRE(eventually(90s, [&] { return c.in_recovery(0) == std::optional<bool>(false); }));
  REQUIRE(c.start_node(1));
  // Running as a replica and streaming (pg_basebackup's own WAL stream counts as streaming too,
  // while the clone is still under way).
  bool streaming = eventually(120s, [&] {
    return c.in_recovery(1) == std::optional<bool>(true) && c.streaming_count(0) == "1";
  });
  INFO("node 1's log:\n" << c.log_of(1));
  REQUIRE(streaming);

  auto [code, body] = c.http_get(1, "/patroni");
  CHECK(code == 200);
  auto status = boost::json::parse(body).as_object();
  REQUIRE(status.contains("watchdog_failed"));
  CHECK(status.at("watchdog_failed") == true);
  CHECK_FALSE(
      boost::json::parse(c.http_get(0, "/patroni").second).as_object().contains("watchdog_failed"));
  CHECK(says({0, c.log_of(1)},
             "watchdog device /nonexistent/watchdog is not writable: No such file or directory"));

  c.kill_node_and_postmaster(0);
  // ttl is 20 s in the test profile: the dead session expires, then node 1 finds no leader.
  const bool refused = eventually(60s, [&] {
    return says({0, c.log_of(1)}, "Watchdog device is not usable");
  });
  std::this_thread::sleep_for(6s);  // three more loops
  INFO("node 1's log after the leader died:\n" << c.log_of(1));
  CHECK(refused);
  CHECK(c.in_recovery(1) == std::optional<bool>(true));
  auto view = c.load_view();
  REQUIRE(view);
  CHECK_FALSE(view->leader);
}
