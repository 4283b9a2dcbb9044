// Patroni's divergence check (docs/architecture.md, "The main scenarios, room by room") on captured
// text, and the argv of the rewind and crash-recovery tools.
#include "backends/postgres/divergence.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "backends/postgres/files_render.hpp"

using namespace praetor;

namespace {

lsn at(const char* text) {
  return lsn::parse(text).value();
}

pg::controldata with_state(const std::string& state, const char* min_recovery = "0/0",
                           const char* min_tli = "0") {
  pg::controldata cd;
  cd.cluster_state = state;
  cd.tl = {1};
  cd.checkpoint = at("0/3000060");
  cd.fields["Minimum recovery ending location"] = min_recovery;
  cd.fields["Min recovery ending loc's timeline"] = min_tli;
  return cd;
}

}  // namespace

TEST_CASE("timeline history lines are parsed, garbage skipped", "[postgres][divergence]") {
  auto h = pg::parse_timeline_history(
      "1\t0/3000110\tno recovery target specified\n\n"
      "garbage line\n"
      "2\t0/5000000\tbefore 2024-01-01 00:00:00+00\n"
      "x\t0/1\tbad tli\n");
  REQUIRE(h.size() == 2);
  CHECK(h[0] == pg::history_entry{{1}, at("0/3000110"), "no recovery target specified"});
  CHECK(h[1] == pg::history_entry{{2}, at("0/5000000"), "before 2024-01-01 00:00:00+00"});
}

TEST_CASE("the local position comes from the state pg_controldata reports",
          "[postgres][divergence]") {
  auto primary = pg::local_position_from(with_state("shut down"));
  REQUIRE(primary);
  CHECK_FALSE(primary->in_recovery);
  CHECK(primary->tl.value == 1);
  CHECK(primary->position == at("0/3000060"));

  auto replica = pg::local_position_from(with_state("shut down in recovery", "0/4000000", "2"));
  REQUIRE(replica);
  CHECK(replica->in_recovery);
  CHECK(replica->tl.value == 2);
  CHECK(replica->position == at("0/4000000"));

  // A zero minimum recovery point: it was a primary when it stopped.
  auto was_primary = pg::local_position_from(with_state("in archive recovery"));
  REQUIRE(was_primary);
  CHECK_FALSE(was_primary->in_recovery);

  CHECK_FALSE(pg::local_position_from(with_state("in production")));
  CHECK(pg::needs_crash_recovery(with_state("in production")));
  CHECK(pg::needs_crash_recovery(with_state("shutting down")));
  CHECK_FALSE(pg::needs_crash_recovery(with_state("shut down")));
  CHECK_FALSE(pg::needs_crash_recovery(with_state("in archive recovery")));
}

TEST_CASE("divergence verdicts follow Patroni's rules", "[postgres][divergence]") {
  std::vector<pg::history_entry> tl2 = {{{1}, at("0/3000110")}};
  auto former_primary = [](const char* where) { return pg::local_position{false, {1}, at(where)}; };
  auto replica = [](const char* where) { return pg::local_position{true, {1}, at(where)}; };

  CHECK_FALSE(pg::check_divergence(former_primary("0/9000000"), {1}, {}).diverged);
  CHECK(pg::check_divergence(pg::local_position{false, {3}, at("0/1")}, {2}, tl2).diverged);
  // Clean switchover: the shutdown checkpoint starts before the switchpoint (which is its end).
  CHECK_FALSE(pg::check_divergence(former_primary("0/3000060"), {2}, tl2).diverged);
  // The old primary kept writing, or its checkpoint never reached the new primary.
  CHECK(pg::check_divergence(former_primary("0/3000110"), {2}, tl2).diverged);
  CHECK(pg::check_divergence(former_primary("0/4000000"), {2}, tl2).diverged);
  // A replica exactly at the switchpoint is fine; past it, not.
  CHECK_FALSE(pg::check_divergence(replica("0/3000110"), {2}, tl2).diverged);
  CHECK(pg::check_divergence(replica("0/3000111"), {2}, tl2).diverged);
  // The history skips our timeline, or does not list it.
  std::vector<pg::history_entry> skips = {{{2}, at("0/5000000")}};
  CHECK(pg::check_divergence(replica("0/1000000"), {3}, skips).diverged);
  CHECK(pg::check_divergence(replica("0/1000000"), {2}, {}).diverged);
  auto v = pg::check_divergence(former_primary("0/4000000"), {2}, tl2);
  CHECK(v.reason.find("0/3000110") != std::string::npos);
}

TEST_CASE("pg_rewind and single-user recovery command lines", "[postgres][divergence]") {
  postgres_settings s;
  s.data_dir = "/data/pg";
  s.bin_dir = "/usr/lib/postgresql/15/bin";
  s.superuser = {"postgres", "x", {}};
  upstream_member up{"node2", "10.0.0.2", 5433};
  auto argv = pg::rewind_argv(s, up);
  REQUIRE(argv.size() == 4);
  CHECK(argv[0] == "/usr/lib/postgresql/15/bin/pg_rewind");
  CHECK(argv[3] ==
        "--source-server=dbname=postgres user=postgres host=10.0.0.2 port=5433 "
        "target_session_attrs=read-write");
  s.rewind = {"rewinder", "y", {}};
  CHECK(pg::rewind_dsn(s, up).find(" user=rewinder ") != std::string::npos);
  auto single = pg::single_user_recovery_argv(s);
  CHECK(single[1] == "--single");
  CHECK(single.back() == "template1");
  CHECK(std::find(single.begin(), single.end(), "archive_command=false") != single.end());
}
