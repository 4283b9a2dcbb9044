// pg_controldata: running it and parsing its "Name:   value" lines into the few facts the
// supervisor needs. parse_controldata is pure (unit-tested on captured text).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "backends/postgres/process.hpp"
#include "messages/settings.hpp"
#include "messages/wal.hpp"

namespace praetor::pg {

struct controldata {
  std::string sysid;          // "Database system identifier"
  std::string cluster_state;  // "Database cluster state", e.g. "in production", "shut down"
  timeline tl;                // "Latest checkpoint's TimeLineID"
  lsn checkpoint;             // "Latest checkpoint location"
  std::map<std::string, std::string> fields;  // every line, by name
};

controldata parse_controldata(const std::string& text);

// A server in recovery refuses to run with max_connections, max_prepared_transactions,
// max_locks_per_transaction, max_worker_processes or max_wal_senders below what the WAL it
// replays was written with (pg_controldata's "... setting" lines). Patroni's
// effective_configuration: the parameters to raise, with their values from `cd`.
std::map<std::string, std::int64_t> raised_for_recovery(const postgres_settings& s,
                                                        const controldata& cd);

// Runs <bin_dir>/pg_controldata on the data directory (LANG=C so the labels are English).
// nullopt with `error` (including the tool's output) when it fails.
std::optional<controldata> read_controldata(const postgres_settings& s, const run_as_user& user,
                                            std::string& error);

}  // namespace praetor::pg
