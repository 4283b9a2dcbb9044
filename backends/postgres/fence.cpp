#include "backends/postgres/fence.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "backends/postgres/process.hpp"

namespace praetor::pg {
namespace {
fence* started = nullptr;  // never destroyed: the process's exit closes the socket
}

bool fence::start(const std::string& member_name, std::string& error) {
  if (started) return true;
  auto* f = new fence(member_name);
  std::lock_guard lock(f->mutex_);
  if (!f->spawn(error)) {
    delete f;
    return false;
  }
  started = f;
  return true;
}

fence* fence::get() {
  return started;
}

bool fence::spawn(std::string& error) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
    error = std::string("socketpair: ") + std::strerror(errno);
    return false;
  }
  spawn_spec spec;
  spec.argv = {"/proc/self/exe", "--fence-guard", name_};
  spec.input_fd = sv[1];
  auto pid = spawn_process(spec, error);
  ::close(sv[1]);
  if (pid <= 0) {
    ::close(sv[0]);
    error = "cannot start the fence guard: " + error;
    return false;
  }
  fd_ = sv[0];
  guard_pid_ = pid;
  spdlog::info("fence: guard pid {} watches PostgreSQL for this daemon", pid);
  return true;
}

void fence::send(const std::string& line) {
  auto data = line + "\n";
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (fd_ < 0) {
      std::string error;
      if (!spawn(error)) {
        spdlog::error("fence: {}; PostgreSQL is not fenced until it can be started", error);
        return;
      }
      // What the new guard must know first.
      std::string state;
      if (watched_ > 0) state += "watch " + std::to_string(watched_) + "\n";
      if (lease_until_) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            *lease_until_ - std::chrono::steady_clock::now());
        state += "lease " + std::to_string(std::max<std::int64_t>(0, left.count())) + "\n";
      }
      data = state + data;
    }
    if (::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size()))
      return;
    spdlog::error("fence: the guard (pid {}) is gone ({}); starting it again", guard_pid_,
                  std::strerror(errno));
    ::close(fd_);
    fd_ = -1;
    int status = 0;
    ::waitpid(guard_pid_, &status, WNOHANG);
  }
}

void fence::watch(int postmaster_pid) {
  std::lock_guard lock(mutex_);
  watched_ = postmaster_pid;
  send("watch " + std::to_string(postmaster_pid));
}

void fence::unwatch(int postmaster_pid) {
  std::lock_guard lock(mutex_);
  if (watched_ == postmaster_pid) watched_ = 0;
  send("unwatch " + std::to_string(postmaster_pid));
}

void fence::lease(std::chrono::milliseconds ms) {
  std::lock_guard lock(mutex_);
  lease_until_ = std::chrono::steady_clock::now() + ms;
  send("lease " + std::to_string(ms.count()));
}

void fence::unlease() {
  std::lock_guard lock(mutex_);
  if (!lease_until_) return;
  lease_until_.reset();
  send("unlease");
}

void fence::leave() {
  std::lock_guard lock(mutex_);
  send("leave");
}

}  // namespace praetor::pg
