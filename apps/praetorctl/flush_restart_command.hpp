// `praetorctl flush CLUSTER [MEMBER...] restart [--role ROLE] [--force]`: cancels scheduled
// restarts as patronictl 3.0.2's flush does. The members are chosen and confirmed as for
// restart (action "flush"); a member whose record shows a scheduled_restart gets
// DELETE /restart and a check_response line ("Success: flush scheduled restart for member X",
// or "Failed: ..., status code=404, (no restarts are scheduled)"); the others
// "No scheduled restart for member X". Exit status 1 when a member could not be asked or
// refused otherwise than with 404 (nothing scheduled any more is what flush wanted).
// Threads: the main thread.
#pragma once

#include <string>

#include "apps/praetorctl/command_env.hpp"
#include "apps/praetorctl/http_client.hpp"
#include "apps/praetorctl/member_choice.hpp"
#include "messages/member.hpp"

namespace praetor::ctl {

// DELETE /restart to `m` and its check_response line ("flush scheduled restart"). The answer.
http_outcome delete_scheduled_restart(const member_record& m, const command_env& env,
                                      bool silent_success);

int run_flush_restart(const command_env& env, const member_selection& selection);

}  // namespace praetor::ctl
