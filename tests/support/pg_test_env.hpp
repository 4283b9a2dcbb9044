// Test helpers for PostgreSQL tests: a temporary folder the `postgres` OS user owns (when the
// tests run as root, PostgreSQL's processes run as that user and must reach their files), free
// loopback ports, and a last-resort cleanup that kills every process whose command line names
// a path under that folder. POSIX and the standard library only.
#pragma once

#include <string>
#include <vector>

#include "tests/support/loopback_port.hpp"

namespace praetor::test {

// Creates /tmp/praetor-pg-XXXXXX (mode 0700, owned by `postgres` when root). The destructor
// kills leftover processes that run from it (see kill_processes_under) and removes it.
class pg_temp_dir {
 public:
  pg_temp_dir();
  ~pg_temp_dir();
  pg_temp_dir(const pg_temp_dir&) = delete;
  pg_temp_dir& operator=(const pg_temp_dir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// True while `pid` exists (and is not a zombie).
bool process_alive(int pid);

// The pids of processes whose command line mentions `dir` (e.g. postgres -D <dir>/...).
std::vector<int> processes_under(const std::string& dir);

// SIGKILLs every process of processes_under(dir); returns how many there were.
int kill_processes_under(const std::string& dir);

}  // namespace praetor::test
