// Patroni's restart_matches and its postmaster start time text, as the supervisor uses them
// for POST /restart, at once or at the scheduled time.
#include "actors/postgres_supervisor/restart_conditions.hpp"

#include <catch2/catch.hpp>

using namespace praetor;

TEST_CASE("a restart matches unless a filter says otherwise", "[restart_conditions]") {
  pg_status primary;
  primary.role = pg_role::primary;
  primary.server_version = 150004;
  CHECK(restart_mismatch({}, primary).empty());
  CHECK(restart_mismatch({"primary", 0, false}, primary).empty());
  CHECK(restart_mismatch({"replica", 0, false}, primary) == "host role mismatch");
  CHECK(restart_mismatch({"", 150005, false}, primary).empty());
  CHECK(restart_mismatch({"", 150004, false}, primary) == "postgres version mismatch");
  CHECK(restart_mismatch({"", 0, true}, primary) == "pending restart flag is not set");
  primary.pending_restart = true;
  CHECK(restart_mismatch({"", 0, true}, primary).empty());
  // Patroni reports the last filter that fails.
  CHECK(restart_mismatch({"replica", 150004, false}, primary) == "postgres version mismatch");
}

TEST_CASE("postmaster start time as Patroni's query formats it", "[restart_conditions]") {
  CHECK(postmaster_start_text(0).empty());
  CHECK(postmaster_start_text(1'900'000'000'123) == "2030-03-17 17:46:40.123 UTC");
  CHECK(postmaster_start_text(1'900'000'000'000) == "2030-03-17 17:46:40.000 UTC");
}
