// The supervisor's failover actions against real PostgreSQL 15: promote, graceful demote
// (switchover with the shutdown checkpoint proven received), rejoin with pg_rewind and by
// re-cloning, and a crash restart timed until the primary takes writes again. Two nodes per
// test on free loopback ports in a temporary folder; every postmaster is stopped on the way
// out (actor exit), and pg_temp_dir kills anything left under its folder.
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "backends/postgres/data_dir.hpp"
#include "tests/integration/postgres/pg_nodes.hpp"
#include "tests/support/pg_test_env.hpp"

using namespace praetor;
using namespace praetor::test;
using namespace std::chrono_literals;

namespace {

// Stops every node's actors when the test leaves, also on a failed REQUIRE.
struct nodes_guard {
  caf::actor_system& sys;
  std::vector<node*> nodes;
  ~nodes_guard() {
    for (auto* n : nodes) shutdown(sys, n->sup);
    for (auto* n : nodes) shutdown(sys, n->decider);
  }
};

postgres_settings two_node_settings(const std::string& dir, const std::string& name) {
  auto s = pg_node_settings(dir, name, free_loopback_port());
  s.use_slots = false;  // slots are slot_manager's business, not what these tests are about
  return s;
}

std::string last(const node& n) {
  auto st = n.inbox->last_status();
  return st.state + " / action " + st.action + " / " + st.last_error;
}

// A primary with table t, and a streaming replica cloned from it.
void primary_and_replica(node& a, node& b) {
  caf::anon_send(a.sup, bootstrap_postgres{1});
  auto primary = a.inbox->wait_status(is_running_as(pg_role::primary), 60s);
  INFO("node1: " << last(a));
  REQUIRE(primary);
  REQUIRE(query(a.settings, "CREATE TABLE t (v text); INSERT INTO t VALUES ('before')").ok);
  caf::anon_send(b.sup, clone_postgres{1, a.as_upstream()});
  auto replica = b.inbox->wait_status(
      [](const pg_status& s) {
        return s.state == "running" && s.role == pg_role::replica && s.streaming;
      },
      60s);
  INFO("node2: " << last(b));
  REQUIRE(replica);
}

// node1 a primary with table t, node2 streaming from it; both stopped when the test leaves.
struct streaming_pair {
  pg_temp_dir tmp;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  node a = start_node(sys, two_node_settings(tmp.path(), "node1"));
  node b = start_node(sys, two_node_settings(tmp.path(), "node2"));
  nodes_guard guard{sys, {&a, &b}};
  streaming_pair() { primary_and_replica(a, b); }
};

// Returns the promoted status: last_error carries what promote noted ("" when all was well).
pg_status promote(node& b, std::uint64_t seq, lsn wanted = {}) {
  caf::anon_send(b.sup, promote_postgres{seq, wanted});
  auto accepted =
      b.inbox->wait_status([seq](const pg_status& s) { return s.accepted_seq == seq; }, 5s);
  REQUIRE(accepted);
  CHECK(accepted->action == "promote");
  auto promoted = b.inbox->wait_status(
      [seq](const pg_status& s) {
        return s.accepted_seq == seq && s.action.empty() && s.state == "running" &&
               s.role == pg_role::primary;
      },
      40s);
  INFO("promote: " << last(b));
  REQUIRE(promoted);
  CHECK(promoted->tl.value == 2);
  return *promoted;
}

// Writes a row on the old primary that the new one never sees, then stops it (fast).
void diverge_and_stop(node& a, std::uint64_t seq) {
  REQUIRE(query(a.settings, "INSERT INTO t VALUES ('diverged on node1')").ok);
  caf::anon_send(a.sup, stop_postgres{seq, stop_mode::fast});
  auto stopped = a.inbox->wait_status(
      [seq](const pg_status& s) { return s.accepted_seq == seq && s.state == "stopped"; }, 40s);
  REQUIRE(stopped);
  CHECK(stopped->shutdown_checkpoint.value > 0);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

auto streaming_from(const node& up) {
  std::string where = "127.0.0.1:" + std::to_string(up.settings.port);
  return [where](const pg_status& s) {
    return s.state == "running" && s.role == pg_role::replica && s.streaming &&
           s.upstream == where && s.action.empty();
  };
}

// After command `seq`, `n` streams from `leader` on timeline 2, with the leader's row and
// without the one only timeline 1 had.
void check_rewound_onto(node& n, const node& leader, std::uint64_t seq) {
  auto following = n.inbox->wait_status(
      [&](const pg_status& s) {
        return s.accepted_seq == seq && streaming_from(leader)(s) && s.tl.value == 2;
      },
      60s);
  INFO(n.settings.member_name << ": " << last(n));
  REQUIRE(following);
  CHECK(query_value(n.settings, "SELECT count(*) FROM t WHERE v = 'diverged on node1'") == "0");
  CHECK(query_value(n.settings, "SELECT count(*) FROM t WHERE v = 'on node2'") == "1");
}

}  // namespace

TEST_CASE("promote a replica, then rejoin the diverged old primary with pg_rewind",
          "[postgres][integration][failover]") {
  streaming_pair pair;
  auto& a = pair.a;
  auto& b = pair.b;

  CHECK(promote(b, 2).last_error.empty());
  // A restart must start it as a primary: no standby.signal, no recovery settings.
  CHECK_FALSE(std::filesystem::exists(b.settings.data_dir + "/standby.signal"));
  auto conf = read_text(b.settings.data_dir + "/postgresql.conf");
  CHECK(conf.find("primary_conninfo") == std::string::npos);
  CHECK(conf.find("recovery_target_timeline") == std::string::npos);
  REQUIRE(query(b.settings, "INSERT INTO t VALUES ('on node2')").ok);

  // The artificial split: node1 still runs as a primary on timeline 1 and takes a write.
  diverge_and_stop(a, 2);

  auto t0 = std::chrono::steady_clock::now();
  caf::anon_send(a.sup, rejoin_postgres{3, b.as_upstream(), {true, false}});
  auto accepted = a.inbox->wait_status([](const pg_status& s) { return s.accepted_seq == 3; }, 5s);
  REQUIRE(accepted);
  CHECK(accepted->action == "rejoin");
  auto rejoined = a.inbox->wait_status(streaming_from(b), 60s);
  INFO("node1: " << last(a));
  REQUIRE(rejoined);
  auto took =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  WARN("rejoin with pg_rewind until streaming took " << took.count() << " ms");
  CHECK(rejoined->tl.value == 2);
  CHECK(rejoined->last_error.empty());  // rewound: re-cloning was not allowed, and it says so
  CHECK(query_value(a.settings, "SELECT count(*) FROM t WHERE v = 'on node2'") == "1");
  CHECK(query_value(a.settings, "SELECT count(*) FROM t WHERE v = 'diverged on node1'") == "0");
  REQUIRE(query(b.settings, "INSERT INTO t VALUES ('after rejoin')").ok);
  CHECK(wait_value(a.settings, "SELECT count(*) FROM t WHERE v = 'after rejoin'", "1", 10s));
}

TEST_CASE("graceful demote, then promote the replica: a switchover that loses nothing",
          "[postgres][integration][failover]") {
  streaming_pair pair;
  auto& a = pair.a;
  auto& b = pair.b;
  REQUIRE(query(a.settings, "INSERT INTO t SELECT 'row ' || g FROM generate_series(1, 500) g").ok);

  // node1 stops cleanly and stays stopped: the decider releases the lock with the shutdown
  // checkpoint before it knows the new leader.
  caf::anon_send(a.sup, demote_postgres{2, demote_mode::graceful, {}});
  auto accepted = a.inbox->wait_status([](const pg_status& s) { return s.accepted_seq == 2; }, 5s);
  REQUIRE(accepted);
  CHECK(accepted->action == "demote");
  auto demoted = a.inbox->wait_status(
      [](const pg_status& s) {
        return s.accepted_seq == 2 && s.action.empty() && s.state == "stopped";
      },
      60s);
  INFO("node1: " << last(a));
  REQUIRE(demoted);
  CHECK(demoted->last_error.empty());
  const lsn shutdown_cp = demoted->shutdown_checkpoint;
  REQUIRE(shutdown_cp.value > 0);

  // The candidate has replayed past the old primary's shutdown checkpoint: nothing is lost.
  auto caught_up = b.inbox->wait_status(
      [shutdown_cp](const pg_status& s) { return s.replayed_location > shutdown_cp; }, 20s);
  REQUIRE(caught_up);
  // It has the shutdown checkpoint already: promote says nothing is missing.
  CHECK(promote(b, 2, shutdown_cp).last_error.empty());
  CHECK(query_value(b.settings, "SELECT count(*) FROM t") == "501");

  // Then it rejoins the new leader: a clean shutdown point is on the new timeline's history,
  // so no rewind is needed.
  caf::anon_send(a.sup, rejoin_postgres{3, b.as_upstream(), {true, false}});

  auto following = a.inbox->wait_status(
      [&](const pg_status& s) { return streaming_from(b)(s) && s.tl.value == 2; }, 30s);
  INFO("node1: " << last(a));
  REQUIRE(following);
  REQUIRE(query(b.settings, "INSERT INTO t VALUES ('after switchover')").ok);
  CHECK(wait_value(a.settings, "SELECT count(*) FROM t WHERE v = 'after switchover'", "1", 10s));
}

TEST_CASE("rejoin without pg_rewind: refused, then re-cloned when allowed",
          "[postgres][integration][failover]") {
  streaming_pair pair;
  auto& a = pair.a;
  auto& b = pair.b;
  CHECK(promote(b, 2).last_error.empty());
  REQUIRE(query(b.settings, "INSERT INTO t VALUES ('on node2')").ok);
  diverge_and_stop(a, 2);
  const std::string marker = a.settings.data_dir + "/praetor_test_marker";
  std::ofstream(marker) << "old data\n";

  caf::anon_send(a.sup, rejoin_postgres{3, b.as_upstream(), {false, false}});
  auto refused = a.inbox->wait_status(
      [](const pg_status& s) { return s.accepted_seq == 3 && s.action.empty(); }, 30s);
  REQUIRE(refused);
  CHECK(refused->state == "diverged");
  CHECK(refused->last_error.find("use_pg_rewind is off") != std::string::npos);
  CHECK(std::filesystem::exists(marker));

  caf::anon_send(a.sup, rejoin_postgres{4, b.as_upstream(), {false, true}});
  auto recloned = a.inbox->wait_status(
      [&](const pg_status& s) { return s.accepted_seq == 4 && streaming_from(b)(s); }, 60s);
  INFO("node1: " << last(a));
  REQUIRE(recloned);
  CHECK_FALSE(std::filesystem::exists(marker));
  CHECK(recloned->tl.value == 2);
  CHECK(recloned->last_error.find("re-cloned from node2") != std::string::npos);
  CHECK(query_value(a.settings, "SELECT count(*) FROM t WHERE v = 'on node2'") == "1");
  CHECK(query_value(a.settings, "SELECT count(*) FROM t WHERE v = 'diverged on node1'") == "0");
}

TEST_CASE("a running replica left on the old timeline past the branch point is rewound",
          "[postgres][integration][failover]") {
  // node1 primary, node2 and node3 its replicas. node2 is promoted while node1 goes on taking
  // writes that node3 receives: node3 then runs on timeline 1 past the point where timeline 2
  // branched off, and PostgreSQL alone never follows node2.
  streaming_pair pair;
  auto& a = pair.a;
  auto& b = pair.b;
  node c = start_node(pair.sys, two_node_settings(pair.tmp.path(), "node3"));
  nodes_guard guard{pair.sys, {&c}};
  caf::anon_send(c.sup, clone_postgres{1, a.as_upstream()});
  REQUIRE(c.inbox->wait_status(streaming_from(a), 60s));
  CHECK(promote(b, 2).last_error.empty());
  REQUIRE(query(b.settings, "INSERT INTO t VALUES ('on node2')").ok);
  REQUIRE(query(a.settings, "INSERT INTO t VALUES ('diverged on node1')").ok);
  CHECK(wait_value(c.settings, "SELECT count(*) FROM t WHERE v = 'diverged on node1'", "1", 10s));

  // Running is refused without stop_first; with it, stopped, rewound and following node2.
  caf::anon_send(c.sup, rejoin_postgres{2, b.as_upstream(), {true, false}});
  auto refused = c.inbox->wait_status([](const pg_status& s) { return s.accepted_seq == 2; }, 5s);
  REQUIRE(refused);
  CHECK_THAT(refused->last_error, Catch::Contains("PostgreSQL is running"));
  caf::anon_send(c.sup, rejoin_postgres{3, b.as_upstream(), {true, false}, true});
  check_rewound_onto(c, b, 3);
}

TEST_CASE("a lock-less primary's demote checks its data against the new leader and rewinds",
          "[postgres][integration][failover]") {
  streaming_pair pair;
  auto& a = pair.a;
  auto& b = pair.b;
  CHECK(promote(b, 2).last_error.empty());
  REQUIRE(query(b.settings, "INSERT INTO t VALUES ('on node2')").ok);
  REQUIRE(query(a.settings, "INSERT INTO t VALUES ('diverged on node1')").ok);
  caf::anon_send(a.sup,
                 demote_postgres{2, demote_mode::immediate_nolock, b.as_upstream(), {true, false}});
  check_rewound_onto(a, b, 2);
}

TEST_CASE("a SIGKILLed postmaster restarted in place takes writes again quickly",
          "[postgres][integration][failover]") {
  pg_temp_dir tmp;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto a = start_node(sys, two_node_settings(tmp.path(), "node1"));
  nodes_guard guard{sys, {&a}};
  caf::anon_send(a.sup, bootstrap_postgres{1});
  REQUIRE(a.inbox->wait_status(is_running_as(pg_role::primary), 60s));
  REQUIRE(query(a.settings, "CREATE TABLE t (v int); INSERT INTO t VALUES (1)").ok);
  int postmaster = find_postmaster(a.settings.data_dir);
  REQUIRE(postmaster > 0);

  auto t0 = std::chrono::steady_clock::now();
  kill(postmaster, SIGKILL);
  auto crashed = a.inbox->wait_status([](const pg_status& s) { return s.state == "crashed"; }, 2s);
  REQUIRE(crashed);
  auto t_crash = std::chrono::steady_clock::now();
  caf::anon_send(a.sup, start_postgres{2, true, {}});
  bool writable = false;
  while (!writable && std::chrono::steady_clock::now() - t0 < 20s) {
    writable = query(a.settings, "INSERT INTO t VALUES (2)").ok;
    if (!writable) std::this_thread::sleep_for(20ms);
  }
  auto t_write = std::chrono::steady_clock::now();
  auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  WARN("SIGKILL -> crashed reported: " << ms(t_crash - t0) << " ms; SIGKILL -> writable: "
                                       << ms(t_write - t0) << " ms");
  INFO("node1: " << last(a));
  REQUIRE(writable);
  CHECK(t_write - t0 < 2500ms);
  CHECK(query_value(a.settings, "SELECT count(*) FROM t") == "2");
  auto running = a.inbox->wait_status(
      [](const pg_status& s) { return s.accepted_seq == 2 && s.state == "running"; }, 10s);
  REQUIRE(running);
  CHECK(running->role == pg_role::primary);
}

TEST_CASE("failover commands that cannot apply are refused with a reason, seq accepted",
          "[postgres][integration][failover]") {
  pg_temp_dir tmp;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto a = start_node(sys, two_node_settings(tmp.path(), "node1"));
  nodes_guard guard{sys, {&a}};
  auto refused = [&a](std::uint64_t seq) {
    return a.inbox->wait_status(
        [seq](const pg_status& s) { return s.accepted_seq == seq && s.action.empty(); }, 5s);
  };
  caf::anon_send(a.sup, promote_postgres{11, {}});
  auto p = refused(11);
  REQUIRE(p);
  CHECK(p->last_error.find("refused promote") != std::string::npos);
  caf::anon_send(a.sup, demote_postgres{12, demote_mode::graceful, {}});
  auto d = refused(12);
  REQUIRE(d);
  CHECK(d->last_error.find("refused demote") != std::string::npos);
  caf::anon_send(a.sup, rejoin_postgres{13, {}, {true, false}});
  auto r = refused(13);
  REQUIRE(r);
  CHECK(r->last_error.find("refused rejoin") != std::string::npos);
  CHECK(r->state == "stopped");
  CHECK(processes_under(tmp.path()).empty());
}

TEST_CASE("a promote told to wait for WAL that never comes promotes after the wait, and says so",
          "[postgres][integration][failover]") {
  streaming_pair pair;
  auto& a = pair.a;
  auto& b = pair.b;
  // The old leader is gone for good (immediate stop): WAL beyond what node2 has never arrives.
  caf::anon_send(a.sup, stop_postgres{2, stop_mode::immediate});
  REQUIRE(a.inbox->wait_status([](const pg_status& s) { return s.state == "stopped"; }, 40s));
  const lsn far_ahead{0x7000000000};
  auto promoted = promote(b, 2, far_ahead);
  INFO(promoted.last_error);
  CHECK(promoted.last_error.find("short of the old leader's shutdown checkpoint 70/0") !=
        std::string::npos);
  REQUIRE(query(b.settings, "INSERT INTO t VALUES ('writable')").ok);
}
