// The callback_runner actor: runs Patroni's `postgresql.callbacks` (docs/compatibility.md,
// "Behaviour differences worth knowing"). It owns the callback processes: it starts them, reaps
// them, and kills them.
//
// On run_callback{action, role} it runs `<callbacks[action], split as shlex does> <action>
// <role> <scope>` with no shell, and returns at once; nothing is configured (or the value is
// blank) -> nothing runs. Like Patroni 3.0.2's CallbackExecutor it has two lanes, on_reload in
// one and every other action in the other, and at most one callback running per lane:
//
//   idle    --run-->       running
//   running --ended-->     idle      reaped
//   running --run-->       killing   SIGKILL to its process group; the new one waits
//   running --timeout-->   killing   nothing waits
//   killing --run-->       killing   the newer one replaces the waiting one, which never runs
//   killing --reaped-->    running   the waiting one, or idle if none
//
// Patroni kills the previous on_reload without waiting for it to be gone; here both lanes wait
// for the reap (a SIGKILLed process is gone within one poll), so two callbacks of one lane never
// overlap. A callback that started other processes in the background and exited is left alone,
// as in Patroni; only a kill takes its process group with it.
//
// Timeout: Patroni 3.0.2 has none (a callback runs until it ends or the next one of its lane
// kills it). Here a callback still running `timeout` after it started is SIGKILLed with its
// process group and logged, so that a hung script is reported and not left forever; a timeout
// of zero or less means none, Patroni's behaviour. Recommended: the cluster's ttl (30 s by
// default). Not loop_wait: callbacks that move a virtual IP or update DNS through a cloud API
// often take 10 to 30 s, and Patroni lets them finish; killing one halfway would leave the
// address half moved. A callback still running after ttl is answering an event the cluster has
// had time to overtake (a new leader may have been elected meanwhile).
//
// Failures (program missing or not executable, bad quoting in the config, exit code != 0,
// killed) are logged with the command and what to do; nothing is thrown or answered.
//
// Threads: spawn it detached. Its handlers only posix_spawn (which returns once the program is
// exec'd), waitpid with WNOHANG and kill; exits are found by a poll every 50 ms while a callback
// runs (callback_reap_due), so it never reaps a pid it may still have to kill. When the actor
// ends, running callbacks are left running (an on_stop at shutdown must get to finish) and
// become init's children when the daemon exits.
//
//   auto callbacks = sys.spawn<caf::detached>(praetor::callback_runner,
//                                             node.postgresql.callbacks, node.scope,
//                                             std::chrono::seconds(ttl));
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/actor_meter/actor_meter.hpp"
#include "messages/actors.hpp"

namespace praetor {

namespace callbacks {

// A callback the runner has started and not yet reaped.
struct running_callback {
  pid_t pid = 0;
  std::string action;                              // "on_start", ...
  std::string command_line;                        // argv, quoted, for the log
  std::chrono::steady_clock::time_point deadline;  // time_point::max() when no timeout
  std::string killed_because;                      // "" unless we killed it
};

// A callback that waits in its lane for the killed one before it to be reaped.
struct waiting_callback {
  std::string action;
  std::vector<std::string> argv;
};

struct lane {
  std::optional<running_callback> running;
  std::optional<waiting_callback> waiting;
  bool busy() const { return running.has_value() || waiting.has_value(); }
};

}  // namespace callbacks

struct callback_runner_state {
  actor_meter meter{"callback_runner"};  // GET /metrics, /actors
  // Not an aggregate: CAF would otherwise try to build the state from the actor pointer.
  callback_runner_state() = default;
  // Reaps what has already ended; leaves running callbacks running (see above).
  ~callback_runner_state();

  std::map<std::string, std::string> callbacks;  // postgresql.callbacks: action -> command line
  std::string scope;
  std::chrono::milliseconds timeout{0};  // <= 0: none
  callbacks::lane main_lane;             // on_start, on_stop, on_restart, on_role_change
  callbacks::lane reload_lane;           // on_reload
  bool poll_armed = false;               // a callback_reap_due is on its way
  static inline const char* name = "callback_runner";
};

callback_runner_actor::behavior_type callback_runner(
    callback_runner_actor::stateful_pointer<callback_runner_state> self,
    std::map<std::string, std::string> callbacks, std::string scope,
    std::chrono::milliseconds timeout);

}  // namespace praetor
