// Pure renderers for what praetor writes or runs for PostgreSQL, Patroni's way: the effective
// server parameters, postgresql.conf, primary_conninfo, the pgpass line, pg_hba.conf, and the
// argv of the postmaster, initdb and pg_basebackup. No I/O here, so unit tests read the exact
// text. Thread-safe (no state).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "messages/pg.hpp"
#include "messages/settings.hpp"

namespace praetor::pg {

// The recovery side of a replica's configuration.
struct replica_config {
  upstream_member upstream;  // empty host = a replica with no upstream yet (no primary_conninfo)
  // A custom bootstrap's recovery_conf: a point-in-time recovery, written as given (with no
  // upstream and none of the replica's recovery targets), that ends in a promotion.
  std::map<std::string, std::string> point_in_time;
};

// pg_hba.conf and pg_ident.conf: the files postgresql.parameters names (hba_file, ident_file),
// else the ones in the configuration directory. A file of the user's is theirs: praetor writes
// no pg_hba.conf then, as Patroni writes none (user_hba_file).
std::string hba_file(const postgres_settings& s);
std::string ident_file(const postgres_settings& s);
bool user_hba_file(const postgres_settings& s);

// Parameters sorted by name, each as PostgreSQL text ("on"/"off" for booleans).
using parameter_map = std::map<std::string, std::string>;

// Patroni's command-line parameters with their defaults, overridden by
// settings.parameters, plus every other parameter of settings.parameters, plus the forced
// listen_addresses, port, cluster_name, hot_standby=on, wal_log_hints=on and
// unix_socket_directories (socket_dir()).
parameter_map effective_parameters(const postgres_settings& s);

// The names passed as --name=value on the postmaster's command line (without wal_keep_*).
const std::vector<std::string>& command_line_parameter_names();

// Where the unix socket lives: parameter unix_socket_directories (first entry) if set, else
// settings.unix_socket_dir, else the data directory's parent.
std::string socket_dir(const postgres_settings& s);

std::string config_dir(const postgres_settings& s);  // config_dir, or data_dir when empty

// '...' quoting of postgresql.conf: quotes and backslashes doubled.
std::string conf_quote(const std::string& value);

// libpq keyword -> value, for format_dsn.
using dsn_params = std::map<std::string, std::string>;

// A libpq conninfo string as Patroni's format_dsn writes it: dbname, user, passfile, password,
// host, port, the ssl* keys, application_name, krbsrvname, gssencmode, channel_binding,
// target_session_attrs, in that order, each only when given; values with quote, backslash or
// space backslash-escaped.
std::string format_dsn(const dsn_params& params);

// `who`'s user and libpq options (sslmode, sslcert, ...) for a connection to `upstream`.
dsn_params connection_params(const pg_credentials& who, const upstream_member& upstream);

// The replication user's connection to `upstream` (with its options), passfile when it has a
// password, application_name=<member_name>, and sslmode, gssencmode, channel_binding = prefer
// unless the options say otherwise.
std::string render_primary_conninfo(const postgres_settings& s, const upstream_member& upstream);

// "host:port:*:user:password" with ':' and '\' escaped, newline-terminated.
std::string render_pgpass_line(const std::string& host, int port, const std::string& user,
                               const std::string& password);

// The whole postgresql.conf: the "do not edit" header, include of postgresql.base.conf, the
// parameters sorted, hba_file/ident_file, and for a replica the recovery settings under
// "# recovery.conf" (postgresql.recovery_conf but its recovery targets, primary_conninfo,
// primary_slot_name when use_slots, recovery_target*='' and recovery_target_timeline='latest').
std::string render_postgresql_conf(const postgres_settings& s, const replica_config* replica);

// pg_hba.conf as Patroni writes it: postgresql.pg_hba alone when set (replacing the file), else
// the existing file (initdb's) followed by bootstrap.pg_hba when `with_bootstrap_lines`. Nothing
// of praetor's own goes in: the operator's lines decide how praetor itself logs in, as Patroni's.
std::string render_pg_hba(const postgres_settings& s, const std::string& existing,
                          bool with_bootstrap_lines);

std::vector<std::string> postmaster_argv(const postgres_settings& s);
std::vector<std::string> initdb_argv(const postgres_settings& s, const std::string& pwfile);
// DSN of the clone source for pg_basebackup as the replication user, with its options (no
// password: it comes from the pgpass file).
std::string basebackup_dsn(const postgres_settings& s, const upstream_member& source);
std::vector<std::string> basebackup_argv(const postgres_settings& s, const upstream_member& source);

// The role pg_rewind connects as: postgresql.authentication.rewind, else the superuser.
const pg_credentials& rewind_credentials(const postgres_settings& s);
// DSN of the rewind source as rewind_credentials() with their options, target_session_attrs
// read-write (no password: it comes from a passfile).
std::string rewind_dsn(const postgres_settings& s, const upstream_member& source);
// pg_rewind -D <data> --source-server=<rewind_dsn> (PG 13+ runs crash recovery itself first).
std::vector<std::string> rewind_argv(const postgres_settings& s, const upstream_member& source);
// Single-user crash recovery as Patroni runs it: ends in a clean "shut down" state without
// archiving (archive_command=false keeps the .ready files for the real archiver).
std::vector<std::string> single_user_recovery_argv(const postgres_settings& s);

std::string binary(const postgres_settings& s, const std::string& name);  // <bin_dir>/<name>

}  // namespace praetor::pg
