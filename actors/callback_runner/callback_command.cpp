#include "actors/callback_runner/callback_command.hpp"

#include "config/shell_words.hpp"

namespace praetor::callbacks {

std::string_view action_name(callback_action action) {
  return boost::describe::enum_to_string(action, "on_unknown");
}

std::string_view role_name(callback_role role) {
  return boost::describe::enum_to_string(role, "unknown");
}

callback_command callback_argv(const std::map<std::string, std::string>& callbacks,
                               const run_callback& request, const std::string& scope) {
  const std::string action(action_name(request.action));
  auto it = callbacks.find(action);
  if (it == callbacks.end()) return {};
  auto split = config::split_shell_words(it->second);
  if (!split.ok())
    return {{},
            "postgresql.callbacks." + action +
                " cannot be split into a program and its "
                "arguments (" +
                split.error + "): `" + it->second + "`; fix its quoting"};
  // Blank means no callback. (Patroni would run the action name itself as the program.)
  if (split.words.empty()) return {};
  auto argv = std::move(split.words);
  argv.push_back(action);
  argv.emplace_back(role_name(request.role));
  argv.push_back(scope);
  return {std::move(argv), {}};
}

}  // namespace praetor::callbacks
