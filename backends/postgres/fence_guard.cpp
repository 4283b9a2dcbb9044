#include "backends/postgres/fence_guard.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <vector>

namespace praetor::pg {
namespace {

std::optional<std::int64_t> number_after(std::string_view line, std::string_view word) {
  if (!line.starts_with(word) || line.size() <= word.size() || line[word.size()] != ' ')
    return std::nullopt;
  auto digits = line.substr(word.size() + 1);
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc{} || end != digits.data() + digits.size() || n < 0) return std::nullopt;
  return n;
}

std::int64_t boottime_ms() {
  timespec ts{};
  clock_gettime(CLOCK_BOOTTIME, &ts);
  return std::int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1'000'000;
}

// One log line in the daemon's format, on the daemon's stderr.
void log_line(const std::string& name, const char* level, const std::string& text) {
  char when[32];
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  tm local{};
  localtime_r(&now.tv_sec, &local);
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &local);
  std::fprintf(stderr, "%s,%03ld %s: [%s] fence: %s\n", when, now.tv_nsec / 1'000'000, level,
               name.c_str(), text.c_str());
  std::fflush(stderr);
}

std::vector<int> children_of(int pid) {
  std::vector<int> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    int child = 0;
    auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), child);
    if (err != std::errc{} || end != name.data() + name.size()) continue;
    std::ifstream in(entry.path() / "stat");
    std::string stat;
    if (!std::getline(in, stat)) continue;  // gone meanwhile
    if (parent_pid_from_stat(stat) == pid) out.push_back(child);
  }
  return out;
}

void stop_postmaster(const std::string& name, int pid, const std::string& why) {
  int children = kill_postmaster_and_children(pid);
  if (children >= 0)
    log_line(name, "error",
             why + ": killed PostgreSQL (postmaster pid " + std::to_string(pid) + " and " +
                 std::to_string(children) + " of its processes) so that it takes no more writes");
}

}  // namespace

std::optional<int> parent_pid_from_stat(std::string_view stat) {
  auto close = stat.rfind(')');
  if (close == std::string_view::npos || close + 4 >= stat.size()) return std::nullopt;
  auto rest = stat.substr(close + 2);  // "S 1234 ..."
  auto space = rest.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  auto digits = rest.substr(space + 1);
  digits = digits.substr(0, digits.find(' '));
  int ppid = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ppid);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return ppid;
}

int kill_postmaster_and_children(int pid) {
  if (pid <= 0 || ::kill(pid, SIGSTOP) != 0) return -1;
  int killed = 0;
  for (int child : children_of(pid)) {
    // Its group too, for what it started (an archive_command's shell).
    if (::kill(-child, SIGKILL) == 0 || ::kill(child, SIGKILL) == 0) ++killed;
  }
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);
  return killed;
}

bool fence_rules::apply(std::string_view line, std::int64_t now_ms) {
  if (auto n = number_after(line, "watch")) {
    pgid = static_cast<int>(*n);
    // A lease that ran out while no postmaster was watched was the last primary's: the daemon
    // that starts a new postmaster runs, and grants a new lease if it is to be a primary.
    if (deadline_ms && now_ms >= *deadline_ms) deadline_ms.reset();
  } else if (auto u = number_after(line, "unwatch")) {
    if (pgid == static_cast<int>(*u)) pgid = 0;
  } else if (auto ms = number_after(line, "lease")) {
    deadline_ms = now_ms + *ms;
  } else if (line == "unlease") {
    deadline_ms.reset();
  } else if (line == "leave") {
    leave = true;
  } else {
    return false;
  }
  return true;
}

bool fence_rules::lease_expired(std::int64_t now_ms) const {
  return pgid > 0 && deadline_ms && now_ms >= *deadline_ms;
}

int run_fence_guard(int fd, const std::string& name) {
  // Signals meant for the daemon (a terminal's Ctrl-C, a service manager's SIGTERM to the
  // group) must not take the fence away while the daemon lives: only the socket's end counts.
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGTERM, SIG_IGN);
  ::signal(SIGHUP, SIG_IGN);
  ::signal(SIGPIPE, SIG_IGN);
  int timer = timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC);
  if (timer < 0) {
    log_line(name, "error", std::string("timerfd_create: ") + std::strerror(errno));
    return 1;
  }
  fence_rules rules;
  std::string pending;
  char buf[512];
  for (;;) {
    itimerspec when{};  // all zero disarms
    if (rules.pgid > 0 && rules.deadline_ms) {
      auto at = std::max<std::int64_t>(*rules.deadline_ms, 1);
      when.it_value.tv_sec = at / 1000;
      when.it_value.tv_nsec = (at % 1000) * 1'000'000;
    }
    timerfd_settime(timer, TFD_TIMER_ABSTIME, &when, nullptr);
    pollfd fds[2] = {{fd, POLLIN, 0}, {timer, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      log_line(name, "error", std::string("poll: ") + std::strerror(errno));
      break;
    }
    if (rules.lease_expired(boottime_ms())) {
      stop_postmaster(name, rules.pgid,
                      "the leader lock's lease ran out without the daemon renewing it (frozen?)");
      rules.pgid = 0;
      rules.deadline_ms.reset();
    }
    if (fds[0].revents == 0) continue;
    auto n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the daemon is gone
    pending.append(buf, static_cast<std::size_t>(n));
    for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
      auto line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      if (!rules.apply(line, boottime_ms()))
        log_line(name, "warning", "ignoring a line it cannot read: '" + line + "'");
    }
  }
  if (rules.kill_on_daemon_exit())
    stop_postmaster(name, rules.pgid, "the daemon ended without stopping PostgreSQL");
  return 0;
}

}  // namespace praetor::pg
