// `praetorctl reinit CLUSTER [MEMBER...] [--force] [--wait]`: POST /reinitialize to each chosen
// replica in turn, as patronictl 3.0.2's reinit does. Only replicas are candidates, so naming
// the leader alone is refused before any request ("No replica among provided members");
// without names it asks which member (none with --force), then "Are you sure you want to
// reinitialize members ...?". The body is {"force": <--force>}; an answer ending in
// " already in progress" asks "Do you want to cancel it and reinitialize anyway?" and sends
// again with force. Each answer gets check_response's line ("Success: reinitialize for member
// X", or "Failed: ..." with the daemon's text). With --wait, GET /patroni on the started
// members every 2 s until their state is no longer "creating replica" (a member that does not
// answer is asked again). Exit status 1 when a member could not be asked or refused.
// Threads: the main thread.
#pragma once

#include "apps/praetorctl/command_env.hpp"
#include "apps/praetorctl/member_choice.hpp"

namespace praetor::ctl {

int run_reinit(const command_env& env, const member_selection& selection, bool wait);

}  // namespace praetor::ctl
