// Has the local data diverged from the upstream's timeline? Patroni's check (docs/architecture.md,
// "The main scenarios, room by room") as pure functions: the local position from pg_controldata,
// the upstream's timeline history as TIMELINE_HISTORY returns it, and the verdict. No I/O:
// unit-tested on text.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backends/postgres/controldata.hpp"
#include "messages/pg.hpp"
#include "messages/wal.hpp"

namespace praetor::pg {

// One line of a <tli>.history file (messages/pg.hpp: parent timeline, switchpoint, reason).
using history_entry = timeline_switch;

// "parentTLI<TAB>switchpoint<TAB>reason" lines; malformed lines are skipped.
std::vector<history_entry> parse_timeline_history(const std::string& text);

// The lines of <data_dir>/pg_wal/<TL>.history and the file's modification time (ms since the
// epoch); nullopt when the file cannot be read.
struct timeline_history_file {
  std::vector<history_entry> lines;
  std::int64_t mtime_ms = 0;
};
std::optional<timeline_history_file> read_timeline_history(const std::string& data_dir,
                                                           timeline tl);

// Where a stopped instance's WAL ends, and whether it was a replica then.
struct local_position {
  bool in_recovery = false;
  timeline tl;
  lsn position;
};

// True for the states a primary is left in by a crash ("in production", "in crash recovery",
// "shutting down"): single-user crash recovery must run before the position can be read.
bool needs_crash_recovery(const controldata& cd);

// "shut down": the checkpoint location and its timeline (a former primary); "shut down in
// recovery" / "in archive recovery": the minimum recovery ending location and its timeline (a
// replica; a zero one means it was a primary when it stopped). nullopt for any other state.
std::optional<local_position> local_position_from(const controldata& cd);

struct divergence_verdict {
  bool diverged = false;
  std::string reason;  // one sentence for the log and last_error
};

// local TL > upstream TL: diverged; equal: not; else the history entry whose parent is the
// local TL decides: a replica diverged iff its position is past the switchpoint, a former
// primary iff its checkpoint is at or past it (its shutdown checkpoint is its last record, so a
// switchpoint beyond the checkpoint is the checkpoint's end: what Patroni reads with pg_waldump).
// A greater parent first, or no entry: diverged.
divergence_verdict check_divergence(const local_position& local, timeline upstream_tl,
                                    const std::vector<history_entry>& upstream_history);

}  // namespace praetor::pg
