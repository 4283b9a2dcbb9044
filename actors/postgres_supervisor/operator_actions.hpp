// An operator's actions on PostgreSQL, done by the postgres supervisor: POST /restart now or at
// a scheduled time (one at a time, published as pg_status.scheduled_restart), DELETE /restart,
// and POST /reinitialize's re-clone. Internal to actors/postgres_supervisor; the actor's thread.
#pragma once

#include <cstdint>

#include "actors/postgres_supervisor/supervisor_steps.hpp"

namespace praetor::supervisor {

// Answered once PostgreSQL runs again, or at once when refused.
caf::result<restart_result> restart_now(self_ptr self, const restart_conditions& conditions);

// Kept and published; due later as scheduled_restart_due{generation}.
restart_result schedule_restart(self_ptr self, restart_postgres r);

// The scheduled time of `generation` came (a stale generation is ignored).
void run_scheduled_restart(self_ptr self, std::uint64_t generation);

// Drops the scheduled restart (DELETE /restart, or done).
void drop_scheduled_restart(self_ptr self);

// Stop at once, empty the data directory, clone again; with force after cancelling a running
// action.
void reinitialize(self_ptr self, const reinitialize_postgres& cmd);

}  // namespace praetor::supervisor
