// Unplanned failover on a real three-node cluster: the primary's machine dies (daemon and
// postmaster killed together), a replica takes over once the dead session expires, the other
// replica follows it, and the old primary, restarted, rejoins as a replica (pg_rewind). A writer
// commits a row every 20 ms through a multi-host connection string during each fault.
#include <signal.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "acked_rows.hpp"
#include "praetor_cluster.hpp"
#include "tests/support/pg_writer.hpp"

using namespace praetor;
using namespace praetor::test;
using namespace std::chrono_literals;

namespace {
std::string value(const std::optional<std::vector<std::vector<std::optional<std::string>>>>& rows) {
  return rows && !rows->empty() && !(*rows)[0].empty() && (*rows)[0][0] ? *(*rows)[0][0] : "";
}

// Starts `w` and waits until it commits.
void start_writing(pg_writer& w) {
  w.start();
  REQUIRE(eventually(30s, [&] { return w.acknowledged().size() > 20; }));
}

// Replication is asynchronous: a primary that dies may take its last acknowledged commits with
// it, but only those of its last moment. Every row acknowledged a second before `fault` must be
// on node i.
void check_kept_before(praetor_cluster& c, std::size_t i, const pg_writer& w,
                       std::chrono::steady_clock::time_point fault) {
  auto kept = check_acked_rows(c, i, w, fault - 1s);
  REQUIRE(kept);
  INFO(kept->acknowledged << " rows acknowledged a second before the fault, " << kept->present
                          << " on node " << i);
  CHECK(kept->missing_ids.empty());
  auto all = check_acked_rows(c, i, w);
  REQUIRE(all);
  WARN(all->missing_ids.size() << " of " << all->acknowledged << " acknowledged rows not on node "
                               << i);
}

// The writes themselves witness the demotion (a node whose status query fails may still take
// writes): they stop within `deadline` of the fault, and none is acknowledged for `span` after
// that, while no lock can be seen.
void check_writes_stop(const pg_writer& w, std::chrono::steady_clock::time_point fault,
                       std::chrono::seconds deadline, std::chrono::seconds span) {
  REQUIRE(eventually(deadline,
                     [&] { return acked_since(w, std::chrono::steady_clock::now() - 1s) == 0; }));
  auto acked = w.acknowledged();
  if (!acked.empty()) CHECK(acked.back().at - fault < deadline);
  auto from = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(span);
  CHECK(acked_since(w, from) == 0);
}
}  // namespace

TEST_CASE("the primary dies: a replica takes over and the old primary rejoins",
          "[cluster][failover]") {
  praetor_cluster c(3);
  auto old_primary = c.start_all_and_wait(120s);
  REQUIRE(old_primary);

  pg_writer writer(c.writer_conninfo());
  start_writing(writer);
  auto survivors = c.others_than(*old_primary);

  auto killed = std::chrono::steady_clock::now();
  c.kill_node_and_postmaster(*old_primary);

  // ttl 20 in the test profile: the dead session expires, the leader znode goes with it.
  std::optional<std::size_t> new_primary;
  bool took_over = eventually(90s, [&] {
    new_primary = c.primary_among(survivors);
    return new_primary && c.streaming_count(*new_primary) == "1";
  });
  INFO("survivor logs:\n" << c.log_of(survivors[0]) << "\n---\n" << c.log_of(survivors[1]));
  REQUIRE(took_over);
  // The timeline it writes WAL on now (pg_control's checkpoint timeline moves only with the
  // first checkpoint after the promotion, which may still be running).
  CHECK(value(c.query(*new_primary,
                      "SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)")) != "00000001");
  // The writer's multi-host connection string finds the new primary by itself.
  REQUIRE(eventually(30s, [&] { return acked_since(writer, killed) > 20; }));
  WARN("write outage of the unplanned failover: " << writer.longest_gap().count() << " ms");
  check_kept_before(c, *new_primary, writer, killed);

  REQUIRE(c.start_node(*old_primary));
  bool rejoined = eventually(120s, [&] {
    return c.in_recovery(*old_primary) == std::optional<bool>(true) &&
           c.streaming_count(*new_primary) == "2";
  });
  INFO("old primary's log:\n" << c.log_of(*old_primary));
  REQUIRE(rejoined);
  writer.stop();
  // Rewound onto the new timeline: it has every row the new primary has, and no other.
  auto on_new = value(c.query(*new_primary, "SELECT count(*) FROM " + writer.table()));
  REQUIRE(!on_new.empty());
  CHECK(eventually(20s, [&] {
    return value(c.query(*old_primary, "SELECT count(*) FROM " + writer.table())) == on_new;
  }));
  CHECK(c.primary_among({0, 1, 2}) == new_primary);
}

TEST_CASE("the postmaster alone dies: restarted in place, same primary", "[cluster][failover]") {
  praetor_cluster c(3);
  auto primary = c.start_all_and_wait(120s);
  REQUIRE(primary);
  pg_writer writer(c.writer_conninfo());
  start_writing(writer);
  int postmaster = c.postmaster_pid(*primary);
  REQUIRE(postmaster > 0);
  ::kill(postmaster, SIGKILL);
  auto killed = std::chrono::steady_clock::now();
  bool writable = eventually(30s, [&] { return acked_since(writer, killed) > 20; });
  INFO("primary's log:\n" << c.log_of(*primary));
  REQUIRE(writable);
  WARN("writable again " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                writer.first_ack_after(killed) - killed)
                                .count()
                         << " ms after the postmaster was killed");
  CHECK(c.node_alive(*primary));
  CHECK(eventually(
      30s, [&] { return c.single_primary() == primary && c.streaming_count(*primary) == "2"; }));
  writer.stop();
  // Restarted in place, crash recovery replays every commit it acknowledged: nothing is lost.
  auto kept = check_acked_rows(c, *primary, writer);
  REQUIRE(kept);
  INFO(kept->acknowledged << " acknowledged rows, " << kept->present << " on the primary");
  CHECK(kept->missing_ids.empty());
  // The supervisor counts the restart of what it owns; the DCS session was never lost.
  auto metrics = c.http_get(*primary, "/metrics");
  CHECK(says(metrics, "praetor_actor_restarts_total{actor=\"postgres_supervisor\"} 1\n"));
  CHECK(says(metrics, "praetor_actor_restarts_total{actor=\"dcs_session\"} 0\n"));
}

TEST_CASE("ZooKeeper stops: the primary demotes within retry_timeout, and recovers after",
          "[cluster][failover][safety]") {
  praetor_cluster c(3);
  auto primary = c.start_all_and_wait(120s);
  REQUIRE(primary);
  pg_writer writer(c.writer_conninfo());
  start_writing(writer);
  c.zookeeper().stop();
  auto stopped = std::chrono::steady_clock::now();
  // retry_timeout is 4 s in the test profile; allow for detection and the demotion itself.
  bool demoted = eventually(20s, [&] {
    for (std::size_t i = 0; i < 3; ++i)
      if (c.in_recovery(i) == std::optional<bool>(false)) return false;
    return true;
  });
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - stopped);
  INFO("primary's log:\n" << c.log_of(*primary));
  REQUIRE(demoted);
  WARN("no writable primary " << took.count() << " ms after ZooKeeper stopped");
  CHECK(took < 12s);  // retry_timeout (4 s) plus detection and an immediate-enough stop
  // Without a lock nobody acknowledges a write.
  check_writes_stop(writer, stopped, 12s, 3s);
  REQUIRE(c.zookeeper().start());
  auto restarted = std::chrono::steady_clock::now();
  std::optional<std::size_t> recovered_on;
  bool recovered = eventually(90s, [&] {
    recovered_on = c.single_primary();
    return recovered_on && c.streaming_count(*recovered_on) == "2";
  });
  REQUIRE(recovered);
  REQUIRE(eventually(30s, [&] { return acked_since(writer, restarted) > 20; }));
  check_kept_before(c, *recovered_on, writer, stopped);
}

TEST_CASE("the primary's daemon alone dies: its postmaster goes with it, a replica takes over",
          "[cluster][failover][safety]") {
  praetor_cluster c(3);
  auto primary = c.start_all_and_wait(120s);
  REQUIRE(primary);
  int postmaster = c.postmaster_pid(*primary);
  REQUIRE(postmaster > 0);
  ::kill(c.nodes()[*primary].pid, SIGKILL);
  // No writable primary without its daemon: the postmaster is fenced at once, not after ttl.
  CHECK(eventually(5s, [&] { return !process_alive(postmaster); }));
  CHECK_FALSE(c.in_recovery(*primary).has_value());
  c.node_alive(*primary);  // reap the daemon
  auto survivors = c.others_than(*primary);
  CHECK(eventually(90s, [&] {
    auto p = c.primary_among(survivors);
    return p && c.streaming_count(*p) == "1";
  }));
}

TEST_CASE(
    "the primary's daemon freezes: the fence stops its PostgreSQL before another member is "
    "promoted, and after SIGCONT it rejoins",
    "[cluster][failover][safety][fence]") {
  praetor_cluster c(3);
  auto primary = c.start_all_and_wait(120s);
  REQUIRE(primary);
  pg_writer writer(c.writer_conninfo());
  start_writing(writer);
  int postmaster = c.postmaster_pid(*primary);
  REQUIRE(postmaster > 0);
  auto survivors = c.others_than(*primary);

  const int daemon = c.nodes()[*primary].pid;
  REQUIRE(::kill(daemon, SIGSTOP) == 0);
  auto frozen = std::chrono::steady_clock::now();
  // Test profile: ttl 20 and loop_wait 2, but the test ZooKeeper grants 10 s sessions: the
  // lease is 5 s, the session expires 10 s after the server last heard from the daemon. Watch
  // both, every 200 ms.
  std::optional<std::chrono::steady_clock::time_point> fenced_at, promoted_at;
  std::optional<std::size_t> new_primary;
  eventually(90s, [&] {
    auto now = std::chrono::steady_clock::now();
    if (!fenced_at && !process_alive(postmaster)) fenced_at = now;
    if (!promoted_at) {
      new_primary = c.primary_among(survivors);
      if (new_primary) promoted_at = now;
    }
    return fenced_at && promoted_at;
  });
  ::kill(daemon, SIGCONT);
  INFO("frozen primary's log:\n" << c.log_of(*primary));
  REQUIRE(fenced_at);
  REQUIRE(promoted_at);
  auto ms = [&](auto t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t - frozen).count();
  };
  WARN("fenced " << ms(*fenced_at) << " ms after the freeze, a replica promoted after "
                 << ms(*promoted_at) << " ms");
  CHECK(*fenced_at < *promoted_at);  // never two writable primaries
  CHECK(*fenced_at - frozen < 8s);   // the lease (5 s), a renewal's age and a poll
  REQUIRE(eventually(30s, [&] { return acked_since(writer, *promoted_at) > 20; }));
  check_kept_before(c, *new_primary, writer, frozen);

  // Thawed: the old primary finds its PostgreSQL gone and the lock elsewhere, and rejoins.
  bool rejoined = eventually(120s, [&] {
    return c.in_recovery(*primary) == std::optional<bool>(true) &&
           c.streaming_count(*new_primary) == "2";
  });
  INFO("old primary's log:\n" << c.log_of(*primary));
  CHECK(rejoined);
  CHECK(c.primary_among({0, 1, 2}) == new_primary);
}

TEST_CASE(
    "ZooKeeper freezes (no answers, no closed connection): the primary demotes before its lock "
    "could expire",
    "[cluster][failover][safety]") {
  praetor_cluster c(3);
  auto primary = c.start_all_and_wait(120s);
  REQUIRE(primary);
  pg_writer writer(c.writer_conninfo());
  start_writing(writer);
  c.zookeeper().freeze();
  auto frozen = std::chrono::steady_clock::now();
  // Test profile: ttl 20, loop_wait 2 (read timeout 2 s), retry_timeout 4.
  bool demoted = eventually(18s, [&] {
    for (std::size_t i = 0; i < 3; ++i)
      if (c.in_recovery(i) == std::optional<bool>(false)) return false;
    return true;
  });
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - frozen);
  INFO("primary's log:\n" << c.log_of(*primary));
  if (demoted) check_writes_stop(writer, frozen, 12s, 2s);  // still frozen: no lock to be seen
  c.zookeeper().thaw();
  auto thawed = std::chrono::steady_clock::now();
  REQUIRE(demoted);
  WARN("no writable primary " << took.count() << " ms after ZooKeeper froze");
  CHECK(took < 12s);  // read timeout + retry_timeout + the stop, well inside ttl (20 s)
  std::optional<std::size_t> recovered_on;
  bool recovered = eventually(90s, [&] {
    recovered_on = c.single_primary();
    return recovered_on && c.streaming_count(*recovered_on) == "2";
  });
  REQUIRE(recovered);
  REQUIRE(eventually(30s, [&] { return acked_since(writer, thawed) > 20; }));
  check_kept_before(c, *recovered_on, writer, frozen);
}
