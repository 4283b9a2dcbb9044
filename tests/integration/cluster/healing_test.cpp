// Healing after a split on a real three-node cluster: a replica that received WAL the new
// leader never had is left on the old timeline past the branch point, where PostgreSQL alone
// would retry for ever. The daemon finds it, rewinds it, and the cluster converges.
#include <signal.h>

#include <catch2/catch.hpp>

#include "praetor_cluster.hpp"

using namespace praetor;
using namespace praetor::test;
using namespace std::chrono_literals;

TEST_CASE("a replica that received WAL the new leader never had is rewound onto the new timeline",
          "[cluster][failover][heal]") {
  praetor_cluster c(3);
  // node3 never takes over, so the race goes to the other replica even though node3 is ahead.
  c.nodes()[2].tags = "{nofailover: true}";
  c.rewrite_configs();
  auto primary = c.start_all_and_wait(120s);
  REQUIRE(primary);
  REQUIRE(*primary != 2);
  const std::size_t candidate = *primary == 0 ? 1 : 0;
  const std::size_t ahead = 2;
  REQUIRE(c.query(*primary, "CREATE TABLE heal (v text)"));
  REQUIRE(eventually(20s, [&] {
    return first_value(c.query(candidate, "SELECT count(*) FROM heal")) == "0" &&
           first_value(c.query(ahead, "SELECT count(*) FROM heal")) == "0";
  }));

  // The primary stops sending to the candidate (the walsender serving it frozen: WAL that was
  // never sent cannot be in flight); node3 goes on receiving.
  auto sender = first_value(c.query(*primary,
                                    "SELECT pid FROM pg_stat_replication WHERE "
                                    "application_name = '" +
                                        c.nodes()[candidate].name + "'"));
  REQUIRE_FALSE(sender.empty());
  REQUIRE(::kill(std::stoi(sender), SIGSTOP) == 0);
  REQUIRE(c.query(*primary,
                  "INSERT INTO heal SELECT 'only on the old timeline' FROM "
                  "generate_series(1, 100)"));
  REQUIRE(eventually(
      20s, [&] { return first_value(c.query(ahead, "SELECT count(*) FROM heal")) == "100"; }));

  // The machine dies; its frozen walsender goes with its postmaster's process group.
  c.kill_node_and_postmaster(*primary);
  // The candidate takes over from where it stopped; node3 is past that point on timeline 1.
  REQUIRE(eventually(90s, [&] { return c.in_recovery(candidate) == std::optional<bool>(false); }));
  bool converged = eventually(120s, [&] {
    return c.streaming_count(candidate) == "1" &&
           first_value(c.query(ahead, "SELECT count(*) FROM heal")) == "0";
  });
  {
    INFO("node3's log:\n" << c.log_of(ahead));
    REQUIRE(converged);
    CHECK_THAT(c.log_of(ahead), Catch::Contains("diverged from the leader"));
  }
  REQUIRE(c.query(candidate, "INSERT INTO heal VALUES ('after healing')"));
  CHECK(eventually(20s, [&] {
    return first_value(c.query(ahead, "SELECT count(*) FROM heal WHERE v = 'after healing'")) ==
           "1";
  }));

  // The old primary, started again, rejoins as well: one primary, both others streaming.
  REQUIRE(c.start_node(*primary));
  bool rejoined = eventually(120s, [&] {
    return c.single_primary() == std::optional<std::size_t>(candidate) &&
           c.streaming_count(candidate) == "2";
  });
  INFO("old primary's log:\n" << c.log_of(*primary));
  CHECK(rejoined);
}
