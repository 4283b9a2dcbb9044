// `praetorctl pause|resume [--wait]`: maintenance mode on or off, as patronictl 3.0.2's
// toggle_pause does it: refused when the cluster already is in the asked state, then
// PATCH /config {"pause": true|null} to the first member that answers, leader first; with
// --wait, until every member's record says so (at most loop_wait + 1 s).
// Threads: the main thread.
#pragma once

#include "apps/praetorctl/command_env.hpp"

namespace praetor::ctl {

int run_pause(const command_env& env, bool pause, bool wait);

}  // namespace praetor::ctl
