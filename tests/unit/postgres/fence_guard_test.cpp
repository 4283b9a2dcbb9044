// The fence guard's rules: what each of the daemon's lines changes, when the lease has run out,
// and when the daemon's exit stops PostgreSQL.
#include "backends/postgres/fence_guard.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

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

TEST_CASE("a lease that ran out with no postmaster watched does not stop the next one",
          "[fence][safety]") {
  fence_rules r;
  REQUIRE(r.apply("watch 100", 0));
  REQUIRE(r.apply("lease 5000", 0));      // a primary that lost its lock: never renewed again
  REQUIRE(r.apply("unwatch 100", 2000));  // demoted: its postmaster stopped in time
  CHECK_FALSE(r.lease_expired(6000));
  REQUIRE(r.apply("watch 200", 7000));  // started again as a replica
  CHECK_FALSE(r.lease_expired(7000));
  CHECK(r.kill_on_daemon_exit());
  // A lease still running when the next postmaster starts goes on counting.
  REQUIRE(r.apply("lease 5000", 8000));
  REQUIRE(r.apply("watch 300", 9000));
  CHECK(r.lease_expired(13'000));
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

TEST_CASE("the parent pid is read from /proc/PID/stat, whatever the command's name holds",
          "[fence][bad-input]") {
  using praetor::pg::parent_pid_from_stat;
  CHECK(parent_pid_from_stat("4242 (postgres) S 4200 4242 4242 0 -1") == 4200);
  CHECK(parent_pid_from_stat("77 (postgres: walsender rep (x) 1) R 4242 77 77 0") == 4242);
  CHECK_FALSE(parent_pid_from_stat(""));
  CHECK_FALSE(parent_pid_from_stat("12 (no close"));
  CHECK_FALSE(parent_pid_from_stat("12 (x) S"));
  CHECK_FALSE(parent_pid_from_stat("12 (x) S abc 1"));
}

namespace {
// 'Z' or gone: the process no longer runs (an orphan's zombie waits for its new parent).
bool process_ended(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return true;
  auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
}
}  // namespace

TEST_CASE("a fenced postmaster's children die with it, though each leads its own session",
          "[fence][safety]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  pid_t postmaster = ::fork();
  REQUIRE(postmaster >= 0);
  if (postmaster == 0) {
    ::setpgid(0, 0);
    pid_t backend = ::fork();
    if (backend == 0) {
      ::setsid();        // as PostgreSQL's children do
      ::raise(SIGSTOP);  // a frozen backend: it would never notice the postmaster's death
      ::_exit(0);
    }
    (void)!::write(fds[1], &backend, sizeof backend);
    for (;;) ::pause();
  }
  ::close(fds[1]);
  pid_t backend = 0;
  REQUIRE(::read(fds[0], &backend, sizeof backend) == sizeof backend);
  ::close(fds[0]);
  REQUIRE(backend > 0);

  CHECK(praetor::pg::kill_postmaster_and_children(postmaster) == 1);
  int status = 0;
  REQUIRE(::waitpid(postmaster, &status, 0) == postmaster);
  CHECK(WIFSIGNALED(status));
  bool backend_gone = false;
  for (int i = 0; i < 100 && !backend_gone; ++i) {
    backend_gone = process_ended(backend);
    if (!backend_gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(backend_gone);
  CHECK(praetor::pg::kill_postmaster_and_children(postmaster) == -1);  // gone already
}
