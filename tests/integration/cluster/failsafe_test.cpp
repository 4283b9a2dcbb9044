// Failsafe mode on a real three-node cluster: ZooKeeper stops, and the primary goes on taking
// writes while both replicas accept its POST /failsafe; one replica's machine dies, and the
// primary stops taking writes; ZooKeeper back, the cluster converges.
#include <catch2/catch.hpp>

#include "acked_rows.hpp"
#include "praetor_cluster.hpp"
#include "tests/support/pg_writer.hpp"

using namespace praetor;
using namespace praetor::test;
using namespace std::chrono_literals;

TEST_CASE(
    "failsafe mode: without ZooKeeper the primary goes on while every member answers, and "
    "demotes when one is gone",
    "[cluster][failover][failsafe][safety]") {
  praetor_cluster c(3);
  auto primary = c.start_all_and_wait(120s);
  REQUIRE(primary);
  auto patched = c.http_call(*primary, "PATCH", "/config", R"({"failsafe_mode": true})");
  REQUIRE(patched.first == 200);
  // The leader lists every member in the failsafe key.
  REQUIRE(eventually(30s, [&] {
    auto r = c.http_get(*primary, "/failsafe");
    return r.first == 200 && says(r, c.nodes()[0].name) && says(r, c.nodes()[1].name) &&
           says(r, c.nodes()[2].name);
  }));

  pg_writer writer(c.writer_conninfo());
  writer.start();
  REQUIRE(eventually(30s, [&] { return writer.acknowledged().size() > 20; }));
  c.zookeeper().stop();
  auto stopped = std::chrono::steady_clock::now();
  // Test profile: retry_timeout 4 s, sessions of 10 s. Well past both, still the primary.
  std::this_thread::sleep_for(15s);
  INFO("primary's log:\n" << c.log_of(*primary));
  CHECK(c.in_recovery(*primary) == std::optional<bool>(false));
  CHECK(acked_since(writer, std::chrono::steady_clock::now() - 3s) > 0);
  CHECK(says(c.http_get(*primary, "/patroni"), "\"failsafe_mode_is_active\":true"));
  CHECK_THAT(c.log_of(*primary),
             Catch::Contains("continue to run as a leader because failsafe mode is enabled"));

  // A replica's machine dies: the primary's next round fails and it stops taking writes.
  const auto gone = c.others_than(*primary).front();
  c.kill_node_and_postmaster(gone);
  auto killed = std::chrono::steady_clock::now();
  bool demoted = eventually(20s, [&] {
    return c.in_recovery(*primary) != std::optional<bool>(false) &&
           acked_since(writer, std::chrono::steady_clock::now() - 2s) == 0;
  });
  REQUIRE(demoted);
  WARN("writes stopped "
       << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                killed)
              .count()
       << " ms after a member died (ZooKeeper down "
       << std::chrono::duration_cast<std::chrono::seconds>(killed - stopped).count() << " s)");

  // ZooKeeper and the member back: one primary streaming to both others.
  REQUIRE(c.zookeeper().start());
  REQUIRE(c.start_node(gone));
  std::optional<std::size_t> now_primary;
  CHECK(eventually(120s, [&] {
    now_primary = c.single_primary();
    return now_primary && c.streaming_count(*now_primary) == "2";
  }));
}
