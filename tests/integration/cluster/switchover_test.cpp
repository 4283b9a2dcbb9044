// Planned changes of primary on a real three-node cluster, with a writer committing a row every
// 20 ms through a multi-host connection string the whole time: switchover to a named candidate
// and to "any" (REST), through Debian's patronictl, and a scheduled switchover that happens at
// its time while a cancelled one does not. Every acknowledged row must be on the new primary.
#include <catch2/catch.hpp>

#include "acked_rows.hpp"
#include "messages/iso_time.hpp"
#include "praetor_cluster.hpp"
#include "tests/support/pg_writer.hpp"

using namespace praetor;
using namespace praetor::test;
using namespace std::chrono_literals;

namespace {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string name_of(praetor_cluster& c, std::size_t i) {
  return c.nodes()[i].name;
}

// Waits for the cluster to settle on `primary` with both others streaming from it.
bool settled_on(praetor_cluster& c, std::size_t primary, std::chrono::seconds timeout) {
  return eventually(
      timeout, [&] { return c.single_primary() == primary && c.streaming_count(primary) == "2"; });
}

// Every acknowledged row of `w` is on node i.
void check_nothing_lost(praetor_cluster& c, std::size_t i, const pg_writer& w) {
  auto check = check_acked_rows(c, i, w);
  REQUIRE(check);
  REQUIRE(check->acknowledged > 0);
  INFO(check->acknowledged << " acknowledged rows, " << check->present << " on the new primary");
  CHECK(check->missing_ids.empty());
}

std::size_t other_than(std::size_t a, std::size_t b) {
  for (std::size_t i = 0; i < 3; ++i)
    if (i != a && i != b) return i;
  return 0;
}

}  // namespace

TEST_CASE("switchover to a named candidate, then to any: no acknowledged row lost",
          "[cluster][switchover][safety]") {
  praetor_cluster c(3);
  auto primary = c.start_all_and_wait(120s);
  REQUIRE(primary);
  pg_writer writer(c.writer_conninfo());
  writer.start();
  REQUIRE(eventually(20s, [&] { return writer.acknowledged().size() > 20; }));

  // To a named candidate.
  auto candidate = (*primary + 1) % 3;
  auto [code, body] = c.request_switchover(*primary, candidate);
  INFO("old primary's log:\n"
       << c.log_of(*primary) << "\ncandidate's log:\n"
       << c.log_of(candidate));
  CHECK(code == 200);
  CHECK(body == "Successfully switched over to \"" + name_of(c, candidate) + "\"");
  REQUIRE(settled_on(c, candidate, 60s));
  REQUIRE(eventually(20s, [&] { return writer.acknowledged().size() > 20 + 100; }));
  WARN("switchover to a named candidate: longest write gap " << writer.longest_gap().count()
                                                             << " ms");
  auto [hcode, history] = c.http_get(candidate, "/history");
  CHECK(hcode == 200);
  // The promotion took the recovery settings out of the file: no restart is pending for that.
  CHECK_FALSE(says(c.http_get(candidate, "/patroni"), "pending_restart"));

  // To any: the old primary may not be picked again as its own successor.
  auto before = candidate;
  std::tie(code, body) =
      c.http_call(before, "POST", "/switchover", "{\"leader\":\"" + name_of(c, before) + "\"}", 40);
  CHECK(code == 200);
  CHECK_THAT(body, Catch::StartsWith("Successfully switched over to"));
  std::optional<std::size_t> after;
  REQUIRE(eventually(60s, [&] {
    after = c.single_primary();
    return after && *after != before && c.streaming_count(*after) == "2";
  }));
  auto acked_before_stop = writer.acknowledged().size();
  REQUIRE(eventually(20s, [&] { return writer.acknowledged().size() > acked_before_stop + 50; }));
  writer.stop();
  WARN("longest write gap over both switchovers " << writer.longest_gap().count() << " ms");
  check_nothing_lost(c, *after, writer);
  // The key is cleared once it is done.
  auto [ccode, cluster] = c.http_get(*after, "/cluster");
  CHECK(ccode == 200);
  CHECK(cluster.find("scheduled_switchover") == std::string::npos);
}

TEST_CASE("Debian's patronictl drives switchover and failover",
          "[cluster][switchover][patronictl]") {
  praetor_cluster c(3);
  auto primary = c.start_all_and_wait(120s);
  REQUIRE(primary);
  auto target = (*primary + 2) % 3;
  auto [code, out] = run_shell("patronictl -c " + c.nodes()[0].config_path +
                               " switchover --force --candidate " + name_of(c, target));
  INFO(out);
  CHECK(code == 0);
  CHECK_THAT(out, Catch::Contains("Successfully switched over to \"" + name_of(c, target) + "\""));
  REQUIRE(settled_on(c, target, 60s));

  auto next = other_than(*primary, target);
  std::tie(code, out) = run_shell("patronictl -c " + c.nodes()[0].config_path +
                                  " failover --force --candidate " + name_of(c, next));
  INFO(out);
  INFO("logs after the failover:\n"
       << c.log_of(0) << "\n---\n"
       << c.log_of(1) << "\n---\n"
       << c.log_of(2));
  CHECK(code == 0);
  CHECK_THAT(out, Catch::Contains("Successfully failed over to \"" + name_of(c, next) + "\""));
  CHECK(settled_on(c, next, 60s));
}

TEST_CASE("a scheduled switchover happens at its time, a cancelled one does not",
          "[cluster][switchover]") {
  praetor_cluster c(3);
  auto primary = c.start_all_and_wait(120s);
  REQUIRE(primary);
  auto leader = name_of(c, *primary);
  auto candidate = (*primary + 1) % 3;
  auto request = [&](std::int64_t at_ms) {
    return "{\"leader\":\"" + leader + "\",\"candidate\":\"" + name_of(c, candidate) +
           "\",\"scheduled_at\":\"" + format_iso_time(at_ms) + "\"}";
  };

  // Cancelled: scheduled 6 s ahead, deleted, and nothing happens at that time.
  auto [code, body] = c.http_call(*primary, "POST", "/switchover", request(wall_ms() + 6000));
  CHECK(code == 202);
  CHECK(body == "Switchover scheduled");
  auto [gcode, cluster] = c.http_get(*primary, "/cluster");
  CHECK_THAT(cluster, Catch::Contains("scheduled_switchover"));
  std::tie(code, body) = c.http_call(*primary, "DELETE", "/switchover");
  CHECK(code == 200);
  CHECK(body == "scheduled switchover deleted");
  std::tie(code, body) = c.http_call(*primary, "DELETE", "/switchover");
  CHECK(code == 404);
  std::this_thread::sleep_for(10s);
  CHECK(c.single_primary() == primary);

  // Kept: scheduled 8 s ahead; the primary changes then, not before.
  auto at = wall_ms() + 8000;
  std::tie(code, body) = c.http_call(*primary, "POST", "/switchover", request(at));
  CHECK(code == 202);
  std::this_thread::sleep_for(5s);
  CHECK(c.single_primary() == primary);
  bool switched = eventually(40s, [&] { return c.single_primary() == candidate; });
  INFO("old primary's log:\n" << c.log_of(*primary));
  REQUIRE(switched);
  CHECK(wall_ms() >= at);
  CHECK(settled_on(c, candidate, 60s));
}
