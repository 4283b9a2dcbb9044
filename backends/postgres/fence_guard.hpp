// The fence guard: a small process of its own (`praetor --fence-guard NAME`, started by the
// daemon with one end of a socket as its stdin) that stops PostgreSQL when the daemon cannot:
//
// - when the daemon dies (its end of the socket closes), at once, unless the daemon said it
//   leaves PostgreSQL running on purpose (maintenance mode);
// - when the lock holder's lease runs out: the daemon grants a lease whenever its HA loop
//   confirms the leader lock, shorter than the time ZooKeeper needs to expire the session and
//   let another member take the lock. A daemon that is frozen (SIGSTOP, a hang, a stall in swap)
//   renews nothing, and its primary is stopped before any other member can be promoted.
//
// "Stopped" is SIGKILL to the postmaster and to every process it started, at once, so no
// client's COMMIT is acknowledged afterwards. The next start runs crash recovery.
// Deadlines are kept on CLOCK_BOOTTIME, which the wall clock moving does not change and which
// counts a machine's suspension (the ZooKeeper server counts it too).
//
// The daemon's lines: "watch PGID", "unwatch PGID", "lease MS", "unlease", "leave".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace praetor::pg {

// What the guard knows, and the rules it follows. Pure: times are passed in.
struct fence_rules {
  int pgid = 0;                             // the postmaster's process group; 0 = none
  std::optional<std::int64_t> deadline_ms;  // on the guard's clock; nullopt = no lease
  bool leave = false;                       // the daemon leaves PostgreSQL running on exit

  // Applies one of the daemon's lines; false (and nothing changed) for a line it cannot read.
  bool apply(std::string_view line, std::int64_t now_ms);
  // The lease ran out with a postmaster to stop.
  bool lease_expired(std::int64_t now_ms) const;
  // The daemon is gone: stop the postmaster unless told to leave it.
  bool kill_on_daemon_exit() const { return pgid > 0 && !leave; }
};

// The parent pid in the text of /proc/PID/stat ("pid (comm) state ppid ..."; comm may hold
// spaces and parentheses); nullopt when it does not read so.
std::optional<int> parent_pid_from_stat(std::string_view stat);

// Kills the postmaster `pid` (and its process group) and every process whose parent it is.
// PostgreSQL's children each lead a process group of their own (setsid), so the postmaster's
// group alone would leave each backend running until it notices the postmaster is gone, and
// one in the middle of a statement could still commit. The postmaster is stopped first, so
// that it forks nothing while its children are found. Returns how many children were killed,
// -1 when the postmaster was already gone.
int kill_postmaster_and_children(int pid);

// The guard's main loop: reads the daemon's lines from `fd` until it closes, stops the
// postmaster as the rules say, and returns the process's exit status. `name` is the member's,
// for the log lines it writes to stderr.
int run_fence_guard(int fd, const std::string& name);

}  // namespace praetor::pg
