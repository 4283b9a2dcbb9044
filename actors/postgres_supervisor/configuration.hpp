// The postgres supervisor's configuration files and what follows them: new settings, a reload,
// synchronous mode's synchronous_standby_names (which outranks the configuration's), and the
// lock holder's lease handed to the fence guard and the kernel watchdog. Internal to
// actors/postgres_supervisor; the actor's thread only.
#pragma once

#include "actors/postgres_supervisor/supervisor_steps.hpp"

namespace praetor::supervisor {

// Writes postgresql.conf for the role we run in and has the postmaster reload it (after the
// running action, if one runs).
void reload_configuration(self_ptr self);
// A data_dir without its trailing '/'.
void normalize(postgres_settings& s);
// Takes new settings; reloads when what the files say changed.
void apply_settings(self_ptr self, postgres_settings next);
// Hands the kernel watchdog the settings' watchdog part; a change of its health is reported.
void configure_watchdog(self_ptr self);
// Synchronous mode's value of synchronous_standby_names, written and reloaded at once.
void set_sync_standbys(self_ptr self, const set_synchronous_standby_names& m);
// The lock holder's lease, to the fence guard (none in tests that run no guard) and the kernel
// watchdog: armed or renewed while the lease runs, disarmed once it ends.
void pass_on_lease(self_ptr self, const fence_lease& m);

}  // namespace praetor::supervisor
