// What a rejoin asks the upstream before deciding to rewind (docs/architecture.md, "The main
// scenarios, room by room"): its system identifier and timeline over a replication connection
// (IDENTIFY_SYSTEM, then TIMELINE_HISTORY), and that its last checkpoint is on its current timeline
// (pg_rewind reads the source's timeline from its control file, which a fresh promotion updates
// only at the next checkpoint). Blocking libpq calls: worker thread only. Errors are values.
#pragma once

#include <optional>
#include <string>

#include "messages/pg.hpp"
#include "messages/settings.hpp"
#include "messages/wal.hpp"

namespace praetor::pg {

// "name (host:port)": how messages name the member (or remote primary) an action talks to.
std::string describe_upstream(const upstream_member& up);

struct upstream_identity {
  std::string sysid;
  timeline tl;
  lsn wal_position;     // IDENTIFY_SYSTEM's xlogpos
  std::string history;  // the upstream's <tl>.history text; "" on timeline 1
};

// As the replication user over a walsender connection. nullopt with `error` naming the member.
std::optional<upstream_identity> identify_upstream(const postgres_settings& s,
                                                   const upstream_member& up, std::string& error);

// As the superuser: fails when the upstream is in recovery; runs CHECKPOINT when
// pg_control_checkpoint()'s timeline is behind `upstream_tl`.
bool ensure_checkpoint_after_promote(const postgres_settings& s, const upstream_member& up,
                                     timeline upstream_tl, std::string& error);

}  // namespace praetor::pg
