// The fence's lease: granted only to the lock holder running as the primary outside maintenance
// mode, and always shorter than the time the lock needs to pass once the daemon is silent.
#include "actors/ha/fence_lease.hpp"

#include <catch2/catch.hpp>

#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;

TEST_CASE("the lease ends before the session could expire", "[fence][safety]") {
  ha_settings s;
  s.ttl = 30;
  s.loop_wait = 10;  // read timeout 8 s: the margin is 10 s, not safety_margin's 5
  CHECK(ha::fence_lease_length_ms(s, 0) == 20'000);
  s.ttl = 20;
  s.loop_wait = 2;  // read timeout 2 s: safety_margin (5 s) is the larger
  CHECK(ha::fence_lease_length_ms(s, 0) == 15'000);
  CHECK(ha::fence_lease_length_ms(s, 10'000) == 5'000);  // the server granted 10 s only
  s.safety_margin = -1;                                  // Patroni's: half the ttl
  CHECK(ha::fence_lease_length_ms(s, 0) == 10'000);
  s.safety_margin = 30;  // nothing left: never shorter than a loop and a second
  CHECK(ha::fence_lease_length_ms(s, 0) == 3'000);
  // Whatever the timings, a lease shorter than the session (when it can be) and longer than a loop.
  for (int ttl : {10, 20, 30, 60})
    for (int loop_wait : {1, 2, 5, 10}) {
      if (loop_wait * 3 > ttl) continue;
      ha_settings t;
      t.ttl = ttl;
      t.loop_wait = loop_wait;
      auto lease = ha::fence_lease_length_ms(t, 0);
      INFO("ttl " << ttl << " loop_wait " << loop_wait);
      CHECK(lease > loop_wait * 1000);
      CHECK(lease + std::max(loop_wait - 2, 2) * 1000 < ttl * 1000);
    }
}

TEST_CASE("only the lock holder running as the primary gets a lease", "[fence]") {
  auto in = running_node(pg_role::primary);
  set_leader(in, "n1", session_of_n1);
  REQUIRE(ha::fence_lease_ms(in));
  CHECK(*ha::fence_lease_ms(in) > 0);
  SECTION("maintenance mode: the lease ends") {
    in.settings.paused = true;
    CHECK(ha::fence_lease_ms(in) == std::optional<std::int64_t>(0));
  }
  // A primary without a confirmed lock keeps the lease it was granted, unrenewed: ending it
  // would leave a daemon that freezes now with an unfenced primary.
  SECTION("another member holds the lock: no renewal, the lease runs out") {
    set_leader(in, "n2", 0x2002);
    CHECK_FALSE(ha::fence_lease_ms(in));
  }
  SECTION("the session is lost: no renewal, the lease runs out") {
    in.session.state = session_state::disconnected;
    CHECK_FALSE(ha::fence_lease_ms(in));
  }
  SECTION("a replica holding the lock (promoting): no lease") {
    in.pg.role = pg_role::replica;
    CHECK(ha::fence_lease_ms(in) == std::optional<std::int64_t>(0));
  }
  SECTION("stopping for a switchover under the lock: renewed") {
    in.pg.state = "stopping";
    CHECK(ha::fence_lease_ms(in) > 0);
  }
  SECTION("demoted: the lease ends") {
    in.session.state = session_state::disconnected;
    in.pg.state = "stopped";
    in.pg.role = pg_role::unknown;
    CHECK(ha::fence_lease_ms(in) == std::optional<std::int64_t>(0));
  }
}
