#include "actors/callback_runner/callback_runner.hpp"

#include <spdlog/spdlog.h>
#include <sys/wait.h>

#include <cstring>

#include "actors/actor_meter/measured.hpp"
#include "actors/actor_meter/report.hpp"
#include "actors/callback_runner/callback_command.hpp"
#include "actors/callback_runner/callback_process.hpp"
#include "config/shell_words.hpp"

namespace praetor {
namespace {

using self_ptr = callback_runner_actor::stateful_pointer<callback_runner_state>;
using steady = std::chrono::steady_clock;
using callbacks::lane;
using callbacks::running_callback;
using callbacks::waiting_callback;

// Often enough that a replaced callback's successor starts without a noticeable delay and a
// timeout is enforced to within a tick; cheap, since it only runs while a callback does.
constexpr auto poll_period = std::chrono::milliseconds(50);

void arm_poll(self_ptr self) {
  auto& s = self->state;
  if (s.poll_armed || !(s.main_lane.busy() || s.reload_lane.busy())) return;
  s.poll_armed = true;
  self->delayed_send(self, poll_period, callback_reap_due{});
}

std::string spawn_failure(const waiting_callback& cb, int error_number) {
  std::string what = "Failed to execute callback " + cb.action + " `" +
                     config::quote_shell_words(cb.argv) + "`: " + std::strerror(error_number);
  const std::string& program = cb.argv.front();
  switch (error_number) {
    case ENOENT:
      return what + ". Check postgresql.callbacks." + cb.action + ": " + program +
             (program.find('/') == std::string::npos ? " is not found in PATH"
                                                     : " does not exist") +
             "; give the path of an existing program";
    case EACCES:
    case EPERM:
      return what + ". Make " + program + " (and the directories above it) executable by OS user " +
             callbacks::current_user_name() + ", e.g. chmod +x";
    case ENOEXEC:
      return what + ". " + program + " is not a binary and has no #! line; add one such as " +
             "#!/bin/sh";
    default:
      return what + ". Check postgresql.callbacks." + cb.action;
  }
}

void start(self_ptr self, lane& l, waiting_callback cb) {
  const auto line = config::quote_shell_words(cb.argv);
  int error_number = 0;
  const pid_t pid = callbacks::spawn_callback_process(cb.argv, error_number);
  if (pid < 0) {
    spdlog::error("{}", spawn_failure(cb, error_number));
    return;
  }
  const auto timeout = self->state.timeout;
  const auto deadline = timeout.count() > 0 ? steady::now() + timeout : steady::time_point::max();
  spdlog::info("Running callback {} (pid {}): {}", cb.action, pid, line);
  l.running = running_callback{pid, std::move(cb.action), line, deadline, {}};
}

// SIGKILLs a callback and its process group. False when the kill failed (logged); the
// callback is then waited for, as Patroni does.
bool kill_running(running_callback& r, std::string because) {
  if (!r.killed_because.empty()) return true;  // already on its way out
  if (int e = callbacks::kill_callback_group(r.pid); e != 0) {
    spdlog::warn(
        "Failed to kill callback {} (pid {}) `{}`: {}; the next callback of its kind "
        "starts when it ends",
        r.action, r.pid, r.command_line, std::strerror(e));
    return false;
  }
  r.killed_because = std::move(because);
  return true;
}

// What became of a reaped callback, in the log.
void report_end(const running_callback& r, const callbacks::process_end& end) {
  if (!r.killed_because.empty()) {
    spdlog::debug("Callback {} (pid {}) is gone after it was killed", r.action, r.pid);
    return;
  }
  if (!end.known) {
    spdlog::warn("Callback {} (pid {}) `{}` ended, its exit status is unknown", r.action, r.pid,
                 r.command_line);
    return;
  }
  if (WIFEXITED(end.wait_status) && WEXITSTATUS(end.wait_status) == 0) {
    spdlog::info("Callback {} (pid {}) finished", r.action, r.pid);
    return;
  }
  spdlog::warn(
      "Callback {} (pid {}) `{}` {}; check its output above and the program set in "
      "postgresql.callbacks.{}",
      r.action, r.pid, r.command_line, callbacks::describe_wait_status(end.wait_status), r.action);
}

// Reaps a lane's callback if it ended, starts the one waiting behind it, enforces the timeout.
void poll(self_ptr self, lane& l) {
  if (!l.running) {
    if (l.waiting) {  // its predecessor could not be started or was reaped last time
      auto next = std::move(*l.waiting);
      l.waiting.reset();
      start(self, l, std::move(next));
    }
    return;
  }
  auto& r = *l.running;
  if (auto end = callbacks::poll_callback_process(r.pid); end.ended) {
    report_end(r, end);
    l.running.reset();
    if (l.waiting) {
      auto next = std::move(*l.waiting);
      l.waiting.reset();
      start(self, l, std::move(next));
    }
    return;
  }
  if (r.killed_because.empty() && steady::now() >= r.deadline && kill_running(r, "timeout")) {
    const auto seconds = std::chrono::duration<double>(self->state.timeout).count();
    spdlog::warn(
        "Killed callback {} (pid {}) `{}` because it was still running after {:g} s, "
        "the callback timeout; make it finish sooner, or let it start its slow work "
        "in the background and exit",
        r.action, r.pid, r.command_line, seconds);
  }
}

void run(self_ptr self, const run_callback& request) {
  auto& s = self->state;
  auto command = callbacks::callback_argv(s.callbacks, request, s.scope);
  const std::string action(callbacks::action_name(request.action));
  if (!command.error.empty()) {
    spdlog::error("Cannot run callback {}: {}", action, command.error);
    return;
  }
  if (command.argv.empty()) {
    spdlog::debug("No callback configured for {}", action);
    return;
  }
  lane& l = request.action == callback_action::on_reload ? s.reload_lane : s.main_lane;
  waiting_callback cb{action, std::move(command.argv)};
  if (!l.running) {
    start(self, l, std::move(cb));
    return;
  }
  // Patroni's words: "Killed <cmd> because it was still running".
  auto& previous = *l.running;
  if (previous.killed_because.empty() && kill_running(previous, "replaced by " + action))
    spdlog::warn(
        "Killed callback {} (pid {}) `{}` because it was still running when {} was "
        "called",
        previous.action, previous.pid, previous.command_line, action);
  if (l.waiting)
    spdlog::info("Callback {} will not run: {} was called before it could start", l.waiting->action,
                 action);
  l.waiting = std::move(cb);
}

}  // namespace

callback_runner_state::~callback_runner_state() {
  for (lane* l : {&main_lane, &reload_lane})
    if (l->running && !callbacks::poll_callback_process(l->running->pid).ended)
      spdlog::info("Leaving callback {} (pid {}) running: the callback runner stops",
                   l->running->action, l->running->pid);
}

callback_runner_actor::behavior_type callback_runner(
    callback_runner_actor::stateful_pointer<callback_runner_state> self,
    std::map<std::string, std::string> callbacks, std::string scope,
    std::chrono::milliseconds timeout) {
  self->state.callbacks = std::move(callbacks);
  self->state.scope = std::move(scope);
  self->state.timeout = timeout;
  return {
      measured(self->state.meter,
               [=](const run_callback& request) {
                 run(self, request);
                 arm_poll(self);
               }),
      measured(self->state.meter,
               [=](callback_reap_due) {
                 self->state.poll_armed = false;
                 poll(self, self->state.main_lane);
                 poll(self, self->state.reload_lane);
                 arm_poll(self);
               }),
      [=](metrics_report) -> actor_metrics {
        const auto& st = self->state;
        self->state.meter.set_actions_in_flight((st.main_lane.running ? 1 : 0) +
                                                (st.reload_lane.running ? 1 : 0));
        return metrics_of(self->state.meter, self);
      },
  };
}

}  // namespace praetor
