// Process control against real short-lived programs (no PostgreSQL needed).
#include "backends/postgres/process.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "backends/postgres/postmaster.hpp"

using namespace praetor;
using namespace std::chrono_literals;

TEST_CASE("run_command captures output and exit code", "[postgres][process]") {
  pg::run_as_user me;  // no switch
  auto r = pg::run_command({"/bin/sh", "-c", "echo hello; echo oops >&2; exit 3"}, 10s, me);
  CHECK(r.error.empty());
  CHECK(r.exit_code == 3);
  CHECK(r.output.find("hello") != std::string::npos);
  CHECK(r.output.find("oops") != std::string::npos);
  CHECK_FALSE(r.ok());
}

TEST_CASE("run_command kills on timeout", "[postgres][process]") {
  pg::run_as_user me;
  auto t0 = std::chrono::steady_clock::now();
  auto r = pg::run_command({"/bin/sleep", "30"}, 300ms, me);
  CHECK(r.timed_out);
  CHECK(std::chrono::steady_clock::now() - t0 < 5s);
}

TEST_CASE("a bare program name is found in $PATH, as Patroni's scripts are",
          "[postgres][process]") {
  pg::run_as_user me;
  auto r = pg::run_command({"sh", "-c", "echo found; exit 4"}, 10s, me);
  CHECK(r.error.empty());
  CHECK(r.exit_code == 4);
  CHECK(r.output.find("found") != std::string::npos);
  auto missing = pg::run_command({"praetor-no-such-program"}, 1s, me);
  CHECK_FALSE(missing.ok());
  CHECK(missing.error.find("praetor-no-such-program") != std::string::npos);
}

TEST_CASE("a missing binary is an error value naming it", "[postgres][process]") {
  pg::run_as_user me;
  auto r = pg::run_command({"/nonexistent/initdb"}, 1s, me);
  CHECK_FALSE(r.ok());
  CHECK(r.error.find("/nonexistent/initdb") != std::string::npos);
}

TEST_CASE("postmaster handle reports a death at once and tells a stop from a crash",
          "[postgres][process]") {
  pg::spawn_spec spec;
  spec.argv = {"/bin/sleep", "30"};
  std::atomic<int> exited_pid{0};
  std::string error;
  auto pm = pg::postmaster::launch(
      spec, [&](int pid, int) { exited_pid = pid; }, error);
  REQUIRE(pm);
  CHECK(pm->running());
  kill(pm->pid(), SIGKILL);
  CHECK(pm->wait_exit(2s));
  CHECK_FALSE(pm->stop_requested());
  for (int i = 0; i < 100 && exited_pid == 0; ++i) std::this_thread::sleep_for(10ms);
  CHECK(exited_pid == pm->pid());

  auto pm2 = pg::postmaster::launch(spec, nullptr, error);
  REQUIRE(pm2);
  CHECK(pm2->stop(stop_mode::fast, 5s));  // sleep dies of SIGINT
  CHECK(pm2->stop_requested());
  CHECK_FALSE(pm2->running());
}

TEST_CASE("a data directory is made with its missing parents, all owned by PostgreSQL's user",
          "[postgres][process]") {
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/praetor-process-test-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  const fs::path root(tmpl);
  const auto data_dir = (root / "not/yet/there/data").string();
  std::string error;
  auto user = pg::resolve_run_as(data_dir, error);  // as root: the postgres OS user
  REQUIRE(user);
  REQUIRE(pg::ensure_private_dir(data_dir, *user, error));
  INFO(error);
  for (const auto& p :
       {root / "not", root / "not/yet", root / "not/yet/there", fs::path(data_dir)}) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    CHECK(st.st_uid == user->uid);
  }
  struct stat leaf {};
  REQUIRE(::stat(data_dir.c_str(), &leaf) == 0);
  CHECK((leaf.st_mode & 0777) == 0700);
  struct stat top {};
  REQUIRE(::stat(root.c_str(), &top) == 0);
  CHECK(top.st_uid == ::geteuid());  // what existed before is left alone
  fs::remove_all(root);
}
