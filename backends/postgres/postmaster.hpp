// The running postmaster, our child: its pid, signals by stop mode, and a waiter thread blocked
// in waitpid(pid) that learns of its death at once and calls a callback (the supervisor turns
// that into a `postmaster_exited` message). The fence guard (fence.hpp) watches every postmaster
// launched, so that none outlives the daemon unless the daemon lets it go; without a guard the
// parent-death signal ties it to the daemon instead.
//
// Thread-safety: every member function may be called from any thread. The exit callback runs
// on the waiter thread and must only hand the event on (e.g. one anon_send).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "backends/postgres/process.hpp"
#include "messages/pg.hpp"

namespace praetor::pg {

// smart = SIGTERM, fast = SIGINT, immediate = SIGQUIT (PostgreSQL's shutdown signals).
int stop_signal(stop_mode mode);

class postmaster {
 public:
  using exit_callback = std::function<void(int pid, int wait_status)>;

  // Spawns `spec` and starts the waiter. nullptr (with `error`) when it could not be spawned.
  static std::shared_ptr<postmaster> launch(const spawn_spec& spec, exit_callback on_exit,
                                            std::string& error);

  // If still running: SIGKILL (a handle dropped without stop() must not leave a process
  // behind), then joins the waiter.
  ~postmaster();
  postmaster(const postmaster&) = delete;
  postmaster& operator=(const postmaster&) = delete;

  int pid() const { return pid_; }
  bool running() const;
  std::optional<int> wait_status() const;
  // True once stop() or signal_stop() was called: an exit after that is not a crash.
  bool stop_requested() const;

  // Sends a signal that does not end it (SIGHUP for a reload).
  bool signal(int sig);
  // Marks the stop as ours and sends the mode's signal.
  void signal_stop(stop_mode mode);
  // Waits until it has exited; false on timeout.
  bool wait_exit(std::chrono::milliseconds timeout);
  // signal_stop(mode), wait `timeout`, then SIGKILL and wait. True when it ended in time.
  bool stop(stop_mode mode, std::chrono::milliseconds timeout);
  // The daemon exits and leaves PostgreSQL running (maintenance mode): the destructor neither
  // kills nor waits for it, and the fence guard lets it be.
  void let_go();

 private:
  postmaster() = default;
  void wait_loop(exit_callback on_exit);

  int pid_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable exited_cv_;
  std::optional<int> wait_status_;
  bool stop_requested_ = false;
  bool let_go_ = false;
  std::thread waiter_;
};

}  // namespace praetor::pg
