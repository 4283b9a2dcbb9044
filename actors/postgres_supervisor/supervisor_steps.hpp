// The postgres supervisor's own steps, shared by its files (postgres_supervisor.cpp,
// operator_actions.cpp): reporting the status, accepting a command's seq, and launching a long
// action on the worker thread. Internal to actors/postgres_supervisor; the actor's thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "actors/postgres_supervisor/postgres_supervisor.hpp"

namespace praetor::supervisor {

using self_ptr = postgres_supervisor_actor::stateful_pointer<postgres_supervisor_state>;
using action_fn = std::function<action_outcome(const action_context&)>;

// Has the callback runner run postgresql.callbacks' `action` (when any is configured).
void callback(self_ptr self, callback_action action, callback_role role);
// The role callbacks are told: master while we run as the primary, standby_leader while we
// follow a standby cluster's remote primary with the lock, else replica.
callback_role role_now(const postgres_supervisor_state& st);

// Wall clock, ms since the epoch.
std::int64_t wall_ms();

// The current pg_status to the decider.
void send_status(self_ptr self);

// Accepts a command's seq at once (the decider must see it even if the command is refused);
// false when it cannot run now (no user to run as, or an action still running).
bool accept(self_ptr self, std::uint64_t seq, const char* what);

// Runs `fn` on the worker thread as the action `action`, with pg_status.state `state` until
// it reports; its end comes back as pg_action_done.
void launch(self_ptr self, const std::string& action, const std::string& state, action_fn fn,
            std::shared_ptr<pg::connection> conn = nullptr);

}  // namespace praetor::supervisor
