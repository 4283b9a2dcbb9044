#include "actors/callback_runner/callback_process.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace praetor::callbacks {

pid_t spawn_callback_process(const std::vector<std::string>& argv, int& error_number) {
  if (argv.empty()) {
    error_number = EINVAL;
    return -1;
  }
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  // Patroni starts callbacks with close_fds=True: the daemon's sockets, the ZooKeeper
  // connection and the postmaster's pipes are none of the callback's business.
  posix_spawn_file_actions_addclosefrom_np(&files, 3);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group: one kill reaches what it started too (Patroni kills the children
  // it finds), and a terminal's Ctrl-C meant for the daemon does not reach it.
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  // A CAF or Asio thread may block signals or ignore SIGPIPE; a script must not inherit that.
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &files, &attr, args.data(), environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&files);
  if (rc != 0) {
    error_number = rc;
    return -1;
  }
  return pid;
}

process_end poll_callback_process(pid_t pid) {
  int status = 0;
  pid_t r;
  do r = waitpid(pid, &status, WNOHANG);
  while (r < 0 && errno == EINTR);
  if (r == 0) return {false, true, 0};
  if (r < 0) return {true, false, 0};  // ECHILD: someone else reaped it
  return {true, true, status};
}

int kill_callback_group(pid_t pid) {
  if (pid <= 0) return EINVAL;
  return kill(-pid, SIGKILL) == 0 ? 0 : errno;
}

std::string describe_wait_status(int wait_status) {
  if (WIFEXITED(wait_status)) return "exited with code " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    const int sig = WTERMSIG(wait_status);
    const char* name = sigdescr_np(sig);  // thread-safe, unlike strsignal
    return "was killed by signal " + std::to_string(sig) +
           (name ? std::string(" (") + name + ")" : "");
  }
  return "ended with wait status " + std::to_string(wait_status);
}

std::string current_user_name() {
  const uid_t uid = geteuid();
  if (const passwd* pw = getpwuid(uid)) return pw->pw_name;
  return "uid " + std::to_string(uid);
}

}  // namespace praetor::callbacks
