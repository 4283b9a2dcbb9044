// What to run for a run_callback: Patroni's `shlex.split(callbacks[action]) + [action, role,
// scope]` (postgresql/__init__.py, call_nowait), as a pure function over the configured
// `postgresql.callbacks` map.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "messages/callbacks.hpp"

namespace praetor::callbacks {

// The word the program receives for an action or a role (also the config key for an action).
std::string_view action_name(callback_action action);
std::string_view role_name(callback_role role);

struct callback_command {
  // The program (argv[0], looked up in PATH when it has no '/') and its arguments, ending with
  // action, role and scope. Empty when nothing is to run: no callback is configured for the
  // action, its value is blank, or it could not be split (then `error` says why).
  std::vector<std::string> argv;
  std::string error;  // names the config key and what to fix; "" otherwise
};

// `callbacks` maps an action's name ("on_start", ...) to the configured command line.
callback_command callback_argv(const std::map<std::string, std::string>& callbacks,
                               const run_callback& request, const std::string& scope);

}  // namespace praetor::callbacks
