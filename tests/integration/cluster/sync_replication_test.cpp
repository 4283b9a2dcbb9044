// Synchronous mode on a real cluster: the lock holder names a confirmed standby in
// synchronous_standby_names and in the sync key, replaces it when it leaves, and only that
// standby may take over, with every acknowledged commit; in strict mode commits wait while no
// standby is there and go on when one comes back. Quorum commit: ANY 1 of the standbys, so that
// losing one never holds a commit up.
#include <catch2/catch.hpp>
#include <thread>

#include "acked_rows.hpp"
#include "praetor_cluster.hpp"
#include "tests/support/pg_writer.hpp"

using namespace praetor;
using namespace praetor::test;
using namespace std::chrono_literals;

namespace {

// Node 0 bootstraps alone, then the others join it.
void start_with_first_as_primary(praetor_cluster& c) {
  REQUIRE(c.start_node(0));
  REQUIRE(eventually(90s, [&] { return c.in_recovery(0) == std::optional<bool>(false); }));
  for (std::size_t i = 1; i < c.nodes().size(); ++i) REQUIRE(c.start_node(i));
  auto others = std::to_string(c.nodes().size() - 1);
  REQUIRE(eventually(120s, [&] { return c.streaming_count(0) == others; }));
}

bool sync_key_is(praetor_cluster& c, const std::string& leader,
                 const std::vector<std::string>& members) {
  auto view = c.load_view();
  return view && view->sync.leader == leader && view->sync.members == members;
}

std::string ssn_on(praetor_cluster& c, std::size_t i) {
  return first_value(c.query(i, "SHOW synchronous_standby_names"));
}

}  // namespace

TEST_CASE(
    "synchronous mode: the confirmed standby is named, and alone takes over with every "
    "acknowledged commit",
    "[cluster][sync][failover][safety]") {
  praetor_cluster c(3);
  // node3 may never be synchronous, and would win a tie of the leader race otherwise.
  c.nodes()[2].tags = "{nosync: true, failover_priority: 10}";
  c.rewrite_configs();
  start_with_first_as_primary(c);

  REQUIRE(c.http_call(0, "PATCH", "/config", R"({"synchronous_mode": true})").first == 200);
  bool named = eventually(
      30s, [&] { return ssn_on(c, 0) == "node2" && sync_key_is(c, "node1", {"node2"}); });
  INFO("node1's log:\n" << c.log_of(0));
  REQUIRE(named);
  CHECK(first_value(c.query(0,
                            "SELECT sync_state FROM pg_stat_replication WHERE "
                            "application_name = 'node2'")) == "sync");
  CHECK(c.http_get(1, "/sync").first == 200);
  CHECK(c.http_get(2, "/async").first == 200);
  CHECK(c.http_get(2, "/sync").first == 503);

  pg_writer writer(c.writer_conninfo());
  writer.start();
  REQUIRE(eventually(30s, [&] { return writer.acknowledged().size() > 50; }));
  auto killed = std::chrono::steady_clock::now();
  c.kill_node_and_postmaster(0);

  std::optional<std::size_t> new_primary;
  bool took_over = eventually(90s, [&] {
    new_primary = c.primary_among({1, 2});
    return new_primary.has_value();
  });
  INFO("node2's log:\n" << c.log_of(1) << "\n---\nnode3's log:\n" << c.log_of(2));
  REQUIRE(took_over);
  CHECK(*new_primary == 1);  // the synchronous standby, not node3 with its higher priority
  REQUIRE(eventually(30s, [&] { return acked_since(writer, killed) > 20; }));
  writer.stop();
  // Every commit acknowledged before the fault waited for node2: none is missing.
  auto kept = check_acked_rows(c, 1, writer, killed);
  REQUIRE(kept);
  INFO(kept->acknowledged << " rows acknowledged before the fault, " << kept->present
                          << " on node2");
  CHECK(kept->missing_ids.empty());
  // node3 may not be synchronous: the new primary names nobody.
  CHECK(eventually(30s, [&] { return sync_key_is(c, "node2", {}); }));
  CHECK(ssn_on(c, 1).empty());
}

TEST_CASE("strict synchronous mode: without a standby commits wait, and go on when one is back",
          "[cluster][sync][safety]") {
  praetor_cluster c(2);
  start_with_first_as_primary(c);
  REQUIRE(c.http_call(0, "PATCH", "/config",
                      R"({"synchronous_mode": true, "synchronous_mode_strict": true})")
              .first == 200);
  REQUIRE(eventually(30s, [&] { return sync_key_is(c, "node1", {"node2"}); }));

  pg_writer writer(c.conninfo_at(c.nodes()[0].pg_port));
  writer.start();
  REQUIRE(eventually(30s, [&] { return writer.acknowledged().size() > 20; }));

  REQUIRE(c.stop_node(1));
  bool starred = eventually(30s, [&] { return ssn_on(c, 0) == "*"; });
  INFO("node1's log:\n" << c.log_of(0));
  REQUIRE(starred);
  CHECK(sync_key_is(c, "node1", {}));
  auto waiting = writer.acknowledged().size();
  std::this_thread::sleep_for(3s);
  CHECK(writer.acknowledged().size() == waiting);         // nothing acknowledged without a standby
  CHECK(c.in_recovery(0) == std::optional<bool>(false));  // still the primary

  REQUIRE(c.start_node(1));
  CHECK(eventually(60s, [&] { return writer.acknowledged().size() > waiting + 20; }));
  CHECK(eventually(30s, [&] { return sync_key_is(c, "node1", {"node2"}); }));
  writer.stop();
}

TEST_CASE(
    "quorum commit: ANY 1 of two standbys, a standby's loss never holds commits up, and the "
    "survivor takes over with every acknowledged commit",
    "[cluster][sync][quorum][failover][safety]") {
  praetor_cluster c(3);
  start_with_first_as_primary(c);
  REQUIRE(c.http_call(0, "PATCH", "/config", R"({"synchronous_mode": "quorum"})").first == 200);
  auto quorum_is = [&](const std::vector<std::string>& voters, int quorum) {
    auto view = c.load_view();
    return view && view->sync.leader == "node1" && view->sync.members == voters &&
           view->sync.quorum == quorum;
  };
  bool both = eventually(30s, [&] {
    return ssn_on(c, 0) == "ANY 1 (node2,node3)" && quorum_is({"node2", "node3"}, 1);
  });
  INFO("node1's log:\n" << c.log_of(0));
  REQUIRE(both);
  CHECK(c.http_get(1, "/quorum").first == 200);
  CHECK(c.http_get(1, "/sync").first == 503);
  CHECK(c.http_get(0, "/read-only-quorum").first == 200);
  CHECK(c.http_get(2, "/async").first == 503);

  pg_writer writer(c.writer_conninfo());
  writer.start();
  REQUIRE(eventually(30s, [&] { return writer.acknowledged().size() > 50; }));
  // node3 goes: ANY 1 lets node2 acknowledge alone, at once; the key then drops node3.
  auto before = writer.acknowledged().size();
  c.kill_node_and_postmaster(2);
  CHECK(eventually(5s, [&] { return writer.acknowledged().size() > before + 20; }));
  bool shrunk =
      eventually(30s, [&] { return ssn_on(c, 0) == "ANY 1 (node2)" && quorum_is({"node2"}, 0); });
  REQUIRE(shrunk);

  auto killed = std::chrono::steady_clock::now();
  c.kill_node_and_postmaster(0);
  bool took_over = eventually(90s, [&] { return c.primary_among({1}).has_value(); });
  INFO("node2's log:\n" << c.log_of(1));
  REQUIRE(took_over);
  REQUIRE(eventually(30s, [&] { return acked_since(writer, killed) > 20; }));
  writer.stop();
  auto kept = check_acked_rows(c, 1, writer, killed);
  REQUIRE(kept);
  INFO(kept->acknowledged << " rows acknowledged before the fault, " << kept->present
                          << " on node2");
  CHECK(kept->missing_ids.empty());
}
