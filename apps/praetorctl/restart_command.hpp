// `praetorctl restart CLUSTER [MEMBER...] [--role ROLE] [--scheduled TIME] [--pending]
// [--pg-version X.Y[.Z]] [--timeout T] [--force]`: POST /restart to each chosen member, as
// patronictl 3.0.2's restart does, in its order: the cluster shown and the members chosen
// (member_choice); unless --force, "When should the restart take place (e.g. ...)" (default
// now) when --scheduled was not given, then "Are you sure you want to restart members ...?"
// (or "... to schedule restart of members ... at <time>?"), then "Restart if the PostgreSQL
// version is less than provided (e.g. 9.5.2)" when --pg-version was not given. A time other
// than "now" goes in the body as "schedule" (ISO-8601 with offset, local time when it names no
// zone; refused while the cluster is paused); with --force a restart already scheduled on the
// member is deleted first (DELETE /restart). One line per member: 200 "Success: restart on
// member X", 202 "Success: restart scheduled on member X", 409 "Failed: another restart is
// already scheduled on member X", otherwise "Failed: restart for member X, ...". Exit status 1
// when a member could not be asked or refused. Not done: patronictl's --any.
// Threads: the main thread.
#pragma once

#include <optional>
#include <string>

#include "apps/praetorctl/command_env.hpp"
#include "apps/praetorctl/member_choice.hpp"

namespace praetor::ctl {

struct restart_options {
  bool pending = false;                   // only where pending_restart is set
  std::optional<std::string> pg_version;  // only where the running version is lower; "" = any;
                                          // asked for unless --force when absent
  std::optional<std::string> scheduled;   // when; "now" = at once; asked for unless --force
  std::string timeout;                    // passed on as given; "" = the daemon's default
};

int run_restart(const command_env& env, const member_selection& selection,
                const restart_options& options);

}  // namespace praetor::ctl
