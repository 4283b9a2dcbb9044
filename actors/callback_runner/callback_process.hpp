// The OS side of a callback: start a program without a shell, in a process group of its own,
// look for its exit without waiting, kill it with everything it started. Every function returns
// at once (spawning waits only until the program is exec'd), so that the actor calling them
// never stalls its mailbox.
//
// Contract: a pid given to any of these must be one spawn_callback_process returned and
// poll_callback_process has not yet reported as ended. Its process group id is its pid, and
// it stays reserved for us until we reap the pid, so kill_callback_group cannot hit a stranger.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace praetor::callbacks {

// Starts argv[0] (looked up in PATH when it has no '/', as Patroni's Popen does) with argv and
// the daemon's environment and working directory. stdin is /dev/null; stdout and stderr are the
// daemon's own; no other descriptor is passed on; signal mask and handlers are reset.
// Returns the pid, or -1 with `error_number` (errno: ENOENT, EACCES, ENOEXEC, ...).
pid_t spawn_callback_process(const std::vector<std::string>& argv, int& error_number);

struct process_end {
  bool ended = false;   // false: still running
  bool known = true;    // false: the pid was reaped elsewhere (the status is lost)
  int wait_status = 0;  // waitpid's status when known
};

// Reaps the process if it has ended (waitpid with WNOHANG).
process_end poll_callback_process(pid_t pid);

// SIGKILLs the process and every process still in its group (what it started and did not move
// elsewhere). Returns 0, or the errno of kill(2) (EPERM when it became another user's).
int kill_callback_group(pid_t pid);

// "exited with code 3", "was killed by signal 9 (Killed)", ...
std::string describe_wait_status(int wait_status);

// The OS user the daemon (and so every callback) runs as, for error messages.
std::string current_user_name();

}  // namespace praetor::callbacks
