#include "backends/postgres/process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <thread>

extern char** environ;

namespace praetor::pg {
namespace {

namespace fs = std::filesystem;

std::optional<run_as_user> user_from_passwd(const passwd* pw, std::string& error) {
  run_as_user u;
  u.switch_user = true;
  u.uid = pw->pw_uid;
  u.gid = pw->pw_gid;
  u.name = pw->pw_name;
  u.home = pw->pw_dir ? pw->pw_dir : "/";
  // initgroups() reads /etc/group and is not async-signal-safe: compute the list here and only
  // setgroups() it in the child.
  int n = 32;
  std::vector<gid_t> groups(static_cast<std::size_t>(n));
  if (getgrouplist(pw->pw_name, pw->pw_gid, groups.data(), &n) < 0) {
    groups.resize(static_cast<std::size_t>(n));
    if (getgrouplist(pw->pw_name, pw->pw_gid, groups.data(), &n) < 0) {
      error = "cannot list the groups of OS user " + u.name;
      return std::nullopt;
    }
  }
  groups.resize(static_cast<std::size_t>(n));
  u.groups = std::move(groups);
  return u;
}

// Everything the child needs, prepared before fork so that the child only makes system calls.
struct prepared_exec {
  std::string program;  // argv[0], or where $PATH finds it when it names no folder
  std::vector<std::string> env_storage;
  std::vector<char*> argv;
  std::vector<char*> envp;
};

void prepare(const spawn_spec& spec, prepared_exec& p) {
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    if (kv.rfind("PATRONI_", 0) == 0 || kv.rfind("KUBERNETES_", 0) == 0) continue;
    auto key = kv.substr(0, kv.find('='));
    bool overridden = false;
    for (const auto& x : spec.extra_env)
      if (std::string_view(x).substr(0, x.find('=')) == key) overridden = true;
    if (spec.user.switch_user && (key == "HOME" || key == "USER" || key == "LOGNAME"))
      overridden = true;
    if (!overridden) p.env_storage.emplace_back(kv);
  }
  if (spec.user.switch_user) {
    p.env_storage.push_back("HOME=" + spec.user.home);
    p.env_storage.push_back("USER=" + spec.user.name);
    p.env_storage.push_back("LOGNAME=" + spec.user.name);
  }
  for (const auto& x : spec.extra_env) p.env_storage.push_back(x);
  // A bare name is looked up in $PATH as a shell (and Patroni's subprocess) would, here before
  // fork: the child may only make system calls.
  p.program = spec.argv.front();
  if (p.program.find('/') == std::string::npos)
    if (const char* path = std::getenv("PATH"))
      for (std::string_view rest = path; !rest.empty();) {
        auto colon = rest.find(':');
        std::string dir(rest.substr(0, colon));
        rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
        std::string candidate = (dir.empty() ? "." : dir) + "/" + spec.argv.front();
        if (::access(candidate.c_str(), X_OK) == 0) {
          p.program = candidate;
          break;
        }
      }
  for (const auto& a : spec.argv) p.argv.push_back(const_cast<char*>(a.c_str()));
  p.argv.push_back(nullptr);
  for (auto& e : p.env_storage) p.envp.push_back(e.data());
  p.envp.push_back(nullptr);
}

// Runs in the forked child: async-signal-safe calls only. Never returns.
[[noreturn]] void exec_child(const spawn_spec& spec, const prepared_exec& p, int out_fd,
                             int err_pipe, pid_t parent) {
  auto fail = [&err_pipe](int step) {
    int e[2] = {step, errno};
    ssize_t ignored = write(err_pipe, e, sizeof e);
    (void)ignored;
    _exit(127);
  };
  setpgid(0, 0);
  sigset_t all;
  sigemptyset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; ++s)
    if (s != SIGKILL && s != SIGSTOP) sigaction(s, &dfl, nullptr);
  int in_fd = spec.input_fd >= 0 ? spec.input_fd : open("/dev/null", O_RDONLY);
  if (in_fd < 0 || dup2(in_fd, 0) < 0) fail(1);
  if (out_fd >= 0 && (dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)) fail(1);
  if (dup2(err_pipe, 3) < 0) fail(1);
  err_pipe = 3;
  fcntl(3, F_SETFD, FD_CLOEXEC);
  syscall(SYS_close_range, 4U, ~0U, 0U);
  if (spec.user.switch_user) {
    if (setgroups(spec.user.groups.size(), spec.user.groups.data()) < 0) fail(2);
    if (setgid(spec.user.gid) < 0) fail(3);
    if (setuid(spec.user.uid) < 0) fail(4);
  }
  // The user may not be able to enter the daemon's folder (praetor run by root): then "/".
  if (chdir(spec.cwd.c_str()) < 0 && chdir("/") < 0) fail(5);
  // After the user switch, which clears the setting; and the daemon may already be gone.
  if (spec.parent_death_signal != 0) {
    if (prctl(PR_SET_PDEATHSIG, spec.parent_death_signal) < 0) fail(7);
    if (getppid() != parent) _exit(127);
  }
  execve(p.program.c_str(), p.argv.data(), p.envp.data());
  fail(6);
  _exit(127);
}

const char* step_name(int step) {
  switch (step) {
    case 1: return "redirecting its output";
    case 2: return "setgroups";
    case 3: return "setgid";
    case 4: return "setuid";
    case 5: return "chdir";
    case 7: return "prctl(PR_SET_PDEATHSIG)";
    default: return "exec";
  }
}

}  // namespace

std::optional<run_as_user> resolve_run_as(const std::string& data_dir, std::string& error) {
  if (geteuid() != 0) {
    run_as_user u;
    u.uid = geteuid();
    u.gid = getegid();
    if (const passwd* pw = getpwuid(u.uid)) u.name = pw->pw_name;
    return u;
  }
  struct stat st {};
  if (stat(data_dir.c_str(), &st) == 0 && st.st_uid != 0) {
    const passwd* pw = getpwuid(st.st_uid);
    if (!pw) {
      error = "the owner (uid " + std::to_string(st.st_uid) + ") of data directory " + data_dir +
              " has no passwd entry; chown it to the postgres OS user";
      return std::nullopt;
    }
    return user_from_passwd(pw, error);
  }
  const passwd* pw = getpwnam("postgres");
  if (!pw) {
    error = "running as root and there is no `postgres` OS user to run PostgreSQL as; create it "
            "or run praetor as the data directory's owner";
    return std::nullopt;
  }
  return user_from_passwd(pw, error);
}

bool chown_to(const std::string& path, const run_as_user& user, std::string& error) {
  if (!user.switch_user) return true;
  if (chown(path.c_str(), user.uid, user.gid) < 0) {
    error = "cannot chown " + path + " to " + user.name + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

bool ensure_parent_dirs(const std::string& dir, const run_as_user& user, std::string& error) {
  std::error_code ec;
  // The folders made on the way belong to the data directory's owner, as they would had that
  // user run initdb or pg_basebackup (which make the whole path) itself.
  const fs::path parent = fs::absolute(dir, ec).parent_path();
  std::vector<fs::path> made;
  for (fs::path p = parent; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    made.push_back(p);
    if (p == p.root_path()) break;
  }
  fs::create_directories(parent, ec);
  if (ec) {
    error = "cannot create directory " + parent.string() + ": " + ec.message();
    return false;
  }
  for (const auto& p : made)
    if (!chown_to(p.string(), user, error)) return false;
  return true;
}

bool ensure_private_dir(const std::string& dir, const run_as_user& user, std::string& error) {
  if (!ensure_parent_dirs(dir, user, error)) return false;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    error = "cannot create directory " + dir + ": " + ec.message();
    return false;
  }
  if (!chown_to(dir, user, error)) return false;
  if (chmod(dir.c_str(), 0700) < 0) {
    error = "cannot chmod 0700 " + dir + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

namespace {

pid_t fork_exec(const spawn_spec& spec, std::string& error) {
  if (spec.argv.empty()) {
    error = "no program to run";
    return -1;
  }
  prepared_exec p;
  prepare(spec, p);
  int out_fd = -1;
  if (spec.output_fd >= 0) {
    out_fd = fcntl(spec.output_fd, F_DUPFD_CLOEXEC, 0);
  } else if (!spec.log_path.empty()) {
    out_fd = open(spec.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (out_fd < 0) {
      error = "cannot open log file " + spec.log_path + ": " + std::strerror(errno);
      return -1;
    }
  }
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) < 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    if (out_fd >= 0) close(out_fd);
    return -1;
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) exec_child(spec, p, out_fd, pipe_fds[1], parent);
  int fork_errno = errno;
  close(pipe_fds[1]);
  if (out_fd >= 0) close(out_fd);
  if (pid < 0) {
    close(pipe_fds[0]);
    error = "cannot fork to run " + spec.argv[0] + ": " + std::strerror(fork_errno);
    return -1;
  }
  int e[2] = {0, 0};
  ssize_t n;
  do n = read(pipe_fds[0], e, sizeof e);
  while (n < 0 && errno == EINTR);
  close(pipe_fds[0]);
  if (n == static_cast<ssize_t>(sizeof e)) {
    int status;
    waitpid(pid, &status, 0);
    error = "cannot start " + spec.argv[0] + " (" + step_name(e[0]) +
            (spec.user.switch_user ? " as OS user " + spec.user.name : std::string()) +
            "): " + std::strerror(e[1]) + "; check that the binary exists and that this user may "
            "execute it";
    return -1;
  }
  return pid;
}

// Forks children that must die with the daemon. The kernel sends the parent-death signal when
// the thread that forked exits, so these forks happen on one thread that lives as long as the
// process (never joined; it sleeps on its queue).
class lasting_forker {
 public:
  static lasting_forker& instance() {
    static auto* forker = new lasting_forker();  // never destroyed: the thread must outlive callers
    return *forker;
  }

  pid_t spawn(const spawn_spec& spec, std::string& error) {
    std::packaged_task<pid_t()> job([&] { return fork_exec(spec, error); });
    auto result = job.get_future();
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
    return result.get();
  }

 private:
  lasting_forker() {
    std::thread([this] {
      for (;;) {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [this] { return !jobs_.empty(); });
        auto job = std::move(jobs_.front());
        jobs_.pop_front();
        lock.unlock();
        job();
      }
    }).detach();
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::packaged_task<pid_t()>> jobs_;
};

}  // namespace

pid_t spawn_process(const spawn_spec& spec, std::string& error) {
  if (spec.parent_death_signal != 0) return lasting_forker::instance().spawn(spec, error);
  return fork_exec(spec, error);
}

std::string command_result::tail(std::size_t max_chars) const {
  if (output.size() <= max_chars) return output;
  return "..." + output.substr(output.size() - max_chars);
}

command_result run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                           const run_as_user& user, const std::vector<std::string>& extra_env,
                           const std::atomic<bool>* cancel, const std::string& cwd) {
  command_result r;
  int out[2];
  if (pipe2(out, O_CLOEXEC) < 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  spawn_spec spec;
  spec.argv = argv;
  spec.extra_env = extra_env;
  spec.user = user;
  spec.cwd = cwd;
  spec.output_fd = out[1];
  pid_t pid = spawn_process(spec, r.error);
  close(out[1]);
  if (pid < 0) {
    close(out[0]);
    return r;
  }
  constexpr std::size_t keep = 256 * 1024;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  for (;;) {
    if (cancel && cancel->load()) {
      r.timed_out = true;
      break;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timed_out = true;
      break;
    }
    pollfd pfd{out[0], POLLIN, 0};
    int rc = poll(&pfd, 1, static_cast<int>(std::min<long>(left.count(), 200)));
    if (rc < 0 && errno != EINTR) break;
    if (rc <= 0) continue;
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the child (and any grandchild holding the pipe) is done
    r.output.append(buf, static_cast<std::size_t>(n));
    if (r.output.size() > 2 * keep) r.output.erase(0, r.output.size() - keep);
  }
  close(out[0]);
  if (r.timed_out) kill(-pid, SIGKILL), kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (r.output.size() > keep) r.output.erase(0, r.output.size() - keep);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) r.exit_code = 128 + WTERMSIG(status);
  return r;
}

bool is_live_postmaster(pid_t pid) {
  if (pid <= 0 || kill(pid, 0) < 0) return false;
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(comm, name);
  return name == "postgres" || name == "postmaster";
}

bool stop_foreign_process(pid_t pid, int sig, std::chrono::milliseconds timeout) {
  if (kill(pid, sig) < 0) return errno == ESRCH;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (kill(pid, 0) < 0 && errno == ESRCH) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid, SIGKILL);
  for (int i = 0; i < 50 && !(kill(pid, 0) < 0 && errno == ESRCH); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return false;
}

}  // namespace praetor::pg
