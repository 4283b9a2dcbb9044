#include "backends/postgres/postmaster.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <cerrno>

#include "backends/postgres/fence.hpp"

namespace praetor::pg {

int stop_signal(stop_mode mode) {
  switch (mode) {
    case stop_mode::smart:
      return SIGTERM;
    case stop_mode::fast:
      return SIGINT;
    case stop_mode::immediate:
      return SIGQUIT;
  }
  return SIGINT;
}

std::shared_ptr<postmaster> postmaster::launch(const spawn_spec& spec, exit_callback on_exit,
                                               std::string& error) {
  std::shared_ptr<postmaster> pm(new postmaster());
  auto fenced = spec;
  // PostgreSQL must not outlive the daemon: the fence guard stops it when the daemon dies, or
  // without a guard the parent-death signal does (immediate shutdown).
  auto* guard = fence::get();
  if (!guard) fenced.parent_death_signal = SIGQUIT;
  pm->pid_ = spawn_process(fenced, error);
  if (pm->pid_ < 0) return nullptr;
  if (guard) guard->watch(pm->pid_);
  pm->waiter_ = std::thread([raw = pm.get(), cb = std::move(on_exit)] { raw->wait_loop(cb); });
  return pm;
}

void postmaster::wait_loop(exit_callback on_exit) {
  int status = 0;
  pid_t r;
  do r = waitpid(pid_, &status, 0);
  while (r < 0 && errno == EINTR);
  {
    std::lock_guard lock(mutex_);
    wait_status_ = r == pid_ ? status : -1;
  }
  if (auto* guard = fence::get()) guard->unwatch(pid_);
  exited_cv_.notify_all();
  if (on_exit) on_exit(pid_, status);
}

void postmaster::let_go() {
  std::lock_guard lock(mutex_);
  let_go_ = true;
}

postmaster::~postmaster() {
  bool leaving;
  {
    std::lock_guard lock(mutex_);
    leaving = let_go_ && !wait_status_;
  }
  if (leaving) {
    if (auto* guard = fence::get()) guard->leave();
    waiter_.detach();  // blocked in waitpid until the process exits
    return;
  }
  if (running()) {
    {
      std::lock_guard lock(mutex_);
      stop_requested_ = true;
    }
    kill(pid_, SIGKILL);
  }
  if (waiter_.joinable()) {
    if (waiter_.get_id() == std::this_thread::get_id())
      waiter_.detach();
    else
      waiter_.join();
  }
}

bool postmaster::running() const {
  std::lock_guard lock(mutex_);
  return !wait_status_;
}

std::optional<int> postmaster::wait_status() const {
  std::lock_guard lock(mutex_);
  return wait_status_;
}

bool postmaster::stop_requested() const {
  std::lock_guard lock(mutex_);
  return stop_requested_;
}

bool postmaster::signal(int sig) {
  std::lock_guard lock(mutex_);
  // Once reaped, the pid may belong to someone else: never signal it then.
  if (wait_status_) return false;
  return kill(pid_, sig) == 0;
}

void postmaster::signal_stop(stop_mode mode) {
  std::lock_guard lock(mutex_);
  stop_requested_ = true;
  if (!wait_status_) kill(pid_, stop_signal(mode));
}

bool postmaster::wait_exit(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return exited_cv_.wait_for(lock, timeout, [this] { return wait_status_.has_value(); });
}

bool postmaster::stop(stop_mode mode, std::chrono::milliseconds timeout) {
  signal_stop(mode);
  if (wait_exit(timeout)) return true;
  {
    std::lock_guard lock(mutex_);
    if (!wait_status_) kill(pid_, SIGKILL);
  }
  wait_exit(std::chrono::seconds(30));
  return false;
}

}  // namespace praetor::pg
