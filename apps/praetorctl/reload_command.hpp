// `praetorctl reload CLUSTER [MEMBER...] [--role ROLE] [--force]`: POST /reload to each chosen
// member, as patronictl 3.0.2's reload does: the members chosen and confirmed ("Are you sure
// you want to reload members ...?") as for restart, then one line per member: 200 "No changes
// to apply on member X", 202 "Reload request received for member X and will be processed
// within <loop_wait> seconds", otherwise "Failed: reload for member X, status code=.., (..)".
// Exit status 1 when a member could not be asked or refused.
// Threads: the main thread.
#pragma once

#include "apps/praetorctl/command_env.hpp"
#include "apps/praetorctl/member_choice.hpp"

namespace praetor::ctl {

int run_reload(const command_env& env, const member_selection& selection);

}  // namespace praetor::ctl
