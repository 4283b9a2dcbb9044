// The daemon's end of the fence guard (fence_guard.hpp): one guard process per daemon, started
// once by start() (the node's first step) and told, by any thread, which postmaster to watch
// and how long the lock holder's lease runs. A guard that died is started again on the next
// line and told what it must know.
//
// Without a started guard (tests that run a postmaster alone, or a guard that cannot be
// started) postmasters are tied to the daemon by the parent-death signal instead: they still
// die with it, but a frozen daemon is not fenced, and maintenance mode cannot leave PostgreSQL
// running on exit.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

namespace praetor::pg {

class fence {
 public:
  // Starts the guard (praetor --fence-guard NAME, from /proc/self/exe). False with `error`
  // when it could not be started.
  static bool start(const std::string& member_name, std::string& error);
  // The started fence, or null.
  static fence* get();

  void watch(int postmaster_pid);
  void unwatch(int postmaster_pid);
  // The lock holder's lease: PostgreSQL is stopped unless renewed within `ms`.
  void lease(std::chrono::milliseconds ms);
  void unlease();
  // This daemon exits and leaves PostgreSQL running (maintenance mode): the guard lets it be.
  void leave();

 private:
  explicit fence(std::string member_name) : name_(std::move(member_name)) {}
  bool spawn(std::string& error);
  void send(const std::string& line);

  std::mutex mutex_;
  std::string name_;
  int fd_ = -1;
  int guard_pid_ = 0;
  // Replayed to a restarted guard.
  int watched_ = 0;
  std::optional<std::chrono::steady_clock::time_point> lease_until_;
};

}  // namespace praetor::pg
