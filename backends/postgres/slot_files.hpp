// Copying a logical replication slot to a replica, as Patroni 3.0.2 does: PostgreSQL cannot
// create a logical slot in recovery, but a replica loads the slots it finds in pg_replslot when
// it starts, and pg_replication_slot_advance moves them on from there. So the primary's
// pg_replslot/<name>/state file is read over SQL (pg_read_binary_file, which needs a superuser
// or pg_read_server_files) and written into the stopped replica's data directory. Blocking
// calls: worker thread only. Errors are values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backends/postgres/process.hpp"
#include "messages/pg.hpp"
#include "messages/settings.hpp"

namespace praetor::pg {

struct slot_state_file {
  std::string name;
  std::string type;  // as the primary has it: logical | physical
  std::string database;
  std::string plugin;
  std::string state;  // the binary content of pg_replslot/<name>/state
};

// The named slots' state files on `up`, which must be a primary (not in recovery), as the
// rewind user (the superuser when there is none). nullopt with `error` naming the member.
std::optional<std::vector<slot_state_file>> read_slot_states(const postgres_settings& s,
                                                             const upstream_member& up,
                                                             const std::vector<std::string>& names,
                                                             std::string& error);

// Puts one slot's state into the (stopped) instance's pg_replslot/<name>, replacing what is
// there: written to <name>.tmp, fsynced, renamed, owned by `user`.
bool install_slot_state(const std::string& data_dir, const slot_state_file& slot,
                        const run_as_user& user, std::string& error);

}  // namespace praetor::pg
