// Child processes for PostgreSQL's tools and the postmaster: fork/exec with an explicit argv (no
// shell), an environment, a working directory, output to a log file or a pipe, and — when the
// daemon runs as root — the data directory owner's uid/gid/groups set in the child before exec
// (PostgreSQL refuses root). Every function here is thread-safe: nothing is shared but the
// process table, and each caller waits only for the pid it spawned (no waitpid(-1) anywhere).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace praetor::pg {

// Who PostgreSQL's processes run as. switch_user is false when the daemon is not root: then
// children simply inherit our identity.
struct run_as_user {
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups (initgroups' list, computed before fork)
  std::string name;
  std::string home;
};

// The identity for `data_dir`: ourselves when not root; else the data directory's owner, or
// the `postgres` OS user when the directory does not exist yet (or belongs to root).
// nullopt (with `error`) when that user cannot be found.
std::optional<run_as_user> resolve_run_as(const std::string& data_dir, std::string& error);

// Creates `dir` (and missing parents) and makes it owned by `user` with mode 0700, as
// PostgreSQL requires of a data directory. False (with `error`) on failure.
bool ensure_private_dir(const std::string& dir, const run_as_user& user, std::string& error);

// Creates the missing folders above `dir` (not `dir` itself), owned by `user`.
bool ensure_parent_dirs(const std::string& dir, const run_as_user& user, std::string& error);

// Makes an existing file or directory owned by `user` (no-op unless user.switch_user).
bool chown_to(const std::string& path, const run_as_user& user, std::string& error);

struct spawn_spec {
  std::vector<std::string> argv;       // argv[0]: a path, or a bare name looked up in $PATH
  std::vector<std::string> extra_env;  // "K=V", added to ours (PATRONI_* are never passed on)
  std::string cwd = "/";
  std::string log_path;  // stdout+stderr appended here; "" = inherit ours
  int output_fd = -1;    // when >= 0: stdout+stderr go here instead of log_path
  int input_fd = -1;     // when >= 0: the child's stdin (else /dev/null)
  run_as_user user;
  // When non-zero, the child receives this signal the moment the daemon dies (PR_SET_PDEATHSIG),
  // so that PostgreSQL never outlives the daemon that holds its lease. Such a child is forked by
  // a thread that lives as long as the process: the kernel ties the signal to the forking thread.
  int parent_death_signal = 0;
};

// Forks and execs. Returns the pid, or -1 with `error` (naming the program and the errno text,
// including a failed exec, which the child reports through a close-on-exec pipe). The child
// gets its own process group, so a terminal's Ctrl-C does not reach PostgreSQL behind our back.
pid_t spawn_process(const spawn_spec& spec, std::string& error);

struct command_result {
  int exit_code = -1;      // exit status; 128+signal when killed; -1 when it never ran
  bool timed_out = false;  // killed by us after the timeout (or on cancel)
  std::string output;      // stdout+stderr, at most the last 256 KiB
  std::string error;       // why it could not be run, "" when it ran
  bool ok() const { return error.empty() && !timed_out && exit_code == 0; }
  // The last `max_chars` characters of output, for error messages.
  std::string tail(std::size_t max_chars = 800) const;
};

// Runs argv[0] with argv, waits at most `timeout` (then SIGKILLs the child's process group),
// capturing stdout and stderr together. `cancel`, when set to true by another thread, ends the
// wait early like a timeout. `cwd`: the child's folder ("/" when the user cannot enter it).
command_result run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                           const run_as_user& user, const std::vector<std::string>& extra_env = {},
                           const std::atomic<bool>* cancel = nullptr, const std::string& cwd = "/");

// A process we did not start (e.g. a postmaster found through postmaster.pid): true when `pid`
// exists and its command name is postgres/postmaster.
bool is_live_postmaster(pid_t pid);

// Sends `sig` to a process that is not our child and polls until it is gone, SIGKILLing it after
// `timeout`. True when it ended before the SIGKILL.
bool stop_foreign_process(pid_t pid, int sig, std::chrono::milliseconds timeout);

}  // namespace praetor::pg
