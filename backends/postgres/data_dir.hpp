// The data directory's files, written and read Patroni's way: PG_VERSION check, emptying,
// postgresql.conf (the initdb one renamed to postgresql.base.conf once), standby.signal,
// pg_hba.conf, the pgpass file and postmaster.pid. Every writer makes the file owned by the
// PostgreSQL OS user. Errors are values (a sentence naming the file and the cause).
// Thread-safety: no shared state; callers make sure one action at a time touches a directory.
#pragma once

#include <optional>
#include <string>

#include "backends/postgres/files_render.hpp"
#include "backends/postgres/process.hpp"

namespace praetor::pg {

// True when there is no PG_VERSION in data_dir (also when the directory does not exist).
bool data_dir_empty(const std::string& data_dir);

// Removes everything inside data_dir but keeps the directory itself (owned, mode 0700).
bool empty_data_dir(const std::string& data_dir, const run_as_user& user, std::string& error);

// Renames data_dir to <data_dir>_<stamp> (Patroni's move_data_directory; `stamp` is local time
// as YYYY-MM-DD-HH-MM-SS), so that nothing is deleted. The new path, or "" when there was no
// directory to move; nullopt with `error` when the rename failed.
std::optional<std::string> move_data_dir_aside(const std::string& data_dir,
                                               const std::string& stamp, std::string& error);

// Writes `content` to `path` atomically (temp file + rename), owned by `user`, with `mode`.
bool write_owned_file(const std::string& path, const std::string& content, const run_as_user& user,
                      unsigned mode, std::string& error);

// Reads a whole file; nullopt if it cannot be read.
std::optional<std::string> read_file(const std::string& path);

// Renames initdb's postgresql.conf to postgresql.base.conf (once), then writes ours.
bool write_postgresql_conf(const postgres_settings& s, const replica_config* replica,
                           const run_as_user& user, std::string& error);

// standby.signal present (replica) or absent (primary).
bool set_standby_signal(const std::string& data_dir, bool present, const run_as_user& user,
                        std::string& error);
// recovery.signal present (a point-in-time recovery) or absent.
bool set_recovery_signal(const std::string& data_dir, bool present, const run_as_user& user,
                         std::string& error);

// Rewrites <config_dir>/pg_hba.conf from what is there now (see render_pg_hba); nothing when
// postgresql.parameters names an hba_file of the user's.
bool write_pg_hba(const postgres_settings& s, bool with_bootstrap_lines, const run_as_user& user,
                  std::string& error);

// The pgpass file with one line for `upstream` and the replication user; mode 0600.
bool write_pgpass(const postgres_settings& s, const upstream_member& upstream,
                  const run_as_user& user, std::string& error);

// A passfile with the one line for `who` at host:port, for a single program run (pg_rewind,
// post_bootstrap) so that the configured pgpass keeps the replication user's line: beside the
// data directory, named after `purpose`, owned by `user`, mode 0600. Its path; the caller
// removes it after the run.
std::optional<std::string> write_temporary_passfile(const postgres_settings& s,
                                                    const std::string& purpose,
                                                    const std::string& host, int port,
                                                    const pg_credentials& who,
                                                    const run_as_user& user, std::string& error);

// The pid in postmaster.pid's first line, nullopt when the file is missing or malformed.
std::optional<int> read_postmaster_pid(const std::string& data_dir);

// How many processes still attach the shared memory segment named in postmaster.pid (line 7:
// key and id). A SIGKILLed postmaster leaves backends behind for a moment, and a new
// postmaster refuses to start while any is attached ("pre-existing shared memory block is
// still in use"). 0 when there is no file, no segment, or it cannot be read.
int shared_memory_attachments(const std::string& data_dir);

}  // namespace praetor::pg
