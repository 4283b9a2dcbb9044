// The fence guard's rules: what each of the daemon's lines changes, when the lease has run out,
// and when the daemon's exit stops PostgreSQL.
#include "backends/postgres/fence_guard.hpp"

#include <catch2/catch.hpp>

using praetor::pg::fence_rules;

TEST_CASE("the fence guard follows the daemon's lines", "[fence][safety]") {
  fence_rules r;
  CHECK_FALSE(r.kill_on_daemon_exit());  // nothing watched yet
  REQUIRE(r.apply("watch 4242", 1000));
  CHECK(r.pgid == 4242);
  CHECK(r.kill_on_daemon_exit());           // the daemon dies: its postmaster goes with it
  CHECK_FALSE(r.lease_expired(1'000'000));  // no lease: no deadline

  REQUIRE(r.apply("lease 5000", 1000));
  CHECK_FALSE(r.lease_expired(5999));
  CHECK(r.lease_expired(6000));
  REQUIRE(r.apply("lease 5000", 4000));  // renewed
  CHECK_FALSE(r.lease_expired(6000));
  CHECK(r.lease_expired(9000));
  REQUIRE(r.apply("unlease", 4500));
  CHECK_FALSE(r.lease_expired(100'000));

  REQUIRE(r.apply("unwatch 1", 5000));  // another postmaster's end changes nothing
  CHECK(r.pgid == 4242);
  REQUIRE(r.apply("unwatch 4242", 5000));
  CHECK(r.pgid == 0);
  REQUIRE(r.apply("lease 10", 5000));
  CHECK_FALSE(r.lease_expired(6000));  // nothing to stop
  CHECK_FALSE(r.kill_on_daemon_exit());
}

TEST_CASE("maintenance mode: the daemon leaves PostgreSQL running on exit", "[fence]") {
  fence_rules r;
  REQUIRE(r.apply("watch 77", 0));
  REQUIRE(r.apply("leave", 0));
  CHECK_FALSE(r.kill_on_daemon_exit());
}

TEST_CASE("the fence guard ignores lines it cannot read", "[fence][bad-input]") {
  fence_rules r;
  REQUIRE(r.apply("watch 77", 0));
  for (const char* line : {"", "watch", "watch -3", "watch 12x", "lease", "lease soon", "kill 77",
                           "unlease now", "watch  77"}) {
    INFO(line);
    CHECK_FALSE(r.apply(line, 0));
  }
  CHECK(r.pgid == 77);
  CHECK_FALSE(r.deadline_ms.has_value());
}
