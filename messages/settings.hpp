// The settings each resource-owning actor is spawned with. config/ builds them from the YAML
// file (plus PATRONI_* overrides and the dynamic configuration); the actors and backends read
// them and nothing else of the configuration.
#pragma once

#include <boost/describe.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <vector>

#include "messages/ha.hpp"

namespace praetor {

// One of postgresql.authentication's users: every connection praetor or PostgreSQL opens as
// that user carries its libpq options (sslmode, sslcert, sslkey, sslpassword, sslrootcert,
// sslcrl, sslcrldir, gssencmode, channel_binding), as written.
struct pg_credentials {
  std::string username;
  std::string password;  // may be empty (trust / peer)
  std::map<std::string, std::string> options;
  bool operator==(const pg_credentials&) const = default;
};
BOOST_DESCRIBE_STRUCT(pg_credentials, (), (username, password, options))

// The libpq keywords an authentication section may carry besides username and password.
inline const std::vector<std::string>& pg_credential_options() {
  static const std::vector<std::string> names = {"sslmode",     "sslcert",     "sslkey",
                                                 "sslpassword", "sslrootcert", "sslcrl",
                                                 "sslcrldir",   "gssencmode",  "channel_binding"};
  return names;
}

// bootstrap.users: a role the bootstrap creates (or alters) after initdb, as Patroni 3.0.2.
struct bootstrap_user {
  std::string name;
  std::string password;              // may be empty
  std::vector<std::string> options;  // CREATE ROLE options (createdb, ...); LOGIN unless NOLOGIN
  bool operator==(const bootstrap_user&) const = default;
};
BOOST_DESCRIBE_STRUCT(bootstrap_user, (), (name, password, options))

// One entry of the dynamic configuration's ignore_slots: a replication slot it matches is never
// dropped. An empty field matches anything (Patroni's matcher).
struct slot_matcher {
  std::string name;
  std::string type;  // physical | logical
  std::string database;
  std::string plugin;
  bool operator==(const slot_matcher&) const = default;
};
BOOST_DESCRIBE_STRUCT(slot_matcher, (), (name, type, database, plugin))

// One of postgresql.create_replica_methods, as Patroni's create_replica runs it: "basebackup"
// is pg_basebackup with postgresql.basebackup; any other name is a command from the section of
// that name (postgresql.<name>.command, else the name itself) with --key=value for each other key
// of the section, then --scope, --role=replica, --datadir and --connstring unless no_params.
struct replica_method {
  std::string name;
  std::vector<std::string> command;  // words
  std::vector<std::string> options;  // "--key=value", in the section's order
  bool no_params = false;
  bool keep_data = false;       // the data directory is not removed before the command runs
  bool without_leader = false;  // no_leader (or no_master): needs no member to clone from
  bool operator==(const replica_method&) const = default;
};
BOOST_DESCRIBE_STRUCT(replica_method, (),
                      (name, command, options, no_params, keep_data, without_leader))

// Patroni's watchdog section, for the postgres_supervisor that opens the device while this
// member leads. ttl and loop_wait come from the dynamic configuration: the device's timeout
// follows them.
enum class watchdog_mode { off, automatic, required };
BOOST_DESCRIBE_ENUM(watchdog_mode, off, automatic, required)
struct watchdog_settings {
  // Off unless a configuration asks (config/ gives Patroni's default, automatic): settings
  // built in code, as tests build them, never arm a machine's real watchdog.
  watchdog_mode mode = watchdog_mode::off;
  std::string device = "/dev/watchdog";
  int safety_margin = 5;  // s; -1 = half the ttl
  int ttl = 30;
  int loop_wait = 10;
  bool operator==(const watchdog_settings&) const = default;
};
BOOST_DESCRIBE_STRUCT(watchdog_settings, (), (mode, device, safety_margin, ttl, loop_wait))

// For postgres_supervisor and slot_manager.
struct postgres_settings {
  std::string scope;        // cluster_name
  std::string member_name;  // application_name, and the name our slot on the upstream has
  std::string data_dir;
  std::string config_dir;    // defaults to data_dir
  std::string bin_dir;       // where initdb, postgres, pg_basebackup live
  std::string listen_host;   // postgresql.listen host part (listen_addresses)
  int port = 5432;           // postgresql.listen port part
  std::string connect_host;  // postgresql.connect_address host part
  int connect_port = 5432;
  std::string database = "postgres";
  std::string pgpass;           // path of the passfile praetor writes
  std::string unix_socket_dir;  // for local connections; "" = the parameters' or /tmp
  pg_credentials superuser;
  pg_credentials replication;
  pg_credentials rewind;
  boost::json::object parameters;             // effective postgresql.parameters (dynamic <- local)
  std::vector<std::string> initdb_args;       // already in --opt / --key=value form
  std::vector<std::string> bootstrap_pg_hba;  // bootstrap.pg_hba lines
  std::vector<std::string> post_bootstrap;    // bootstrap.post_bootstrap (or post_init) argv
  // A custom bootstrap (bootstrap.method naming a section with a command): its argv, with
  // --scope and --datadir unless no_params; empty = initdb. Its recovery_conf, when given,
  // is a point-in-time recovery the new cluster runs to its end before it serves.
  std::vector<std::string> bootstrap_command;
  std::map<std::string, std::string> bootstrap_recovery_conf;
  // keep_existing_recovery_conf: the recovery the command prepared (recovery.signal or
  // standby.signal, its settings) is run as it is, not removed.
  bool bootstrap_keep_recovery = false;
  std::vector<bootstrap_user> bootstrap_users;
  std::vector<std::string> pg_hba;           // postgresql.pg_hba lines; replace pg_hba.conf if set
  std::vector<std::string> basebackup_args;  // already in --opt / --key=value form
  std::vector<replica_method> replica_methods;  // in order; [basebackup] when none configured
  // postgresql.recovery_conf: recovery settings a replica gets besides its own (restore_command,
  // archive_cleanup_command, ...); the recovery targets, primary_conninfo and primary_slot_name
  // in it are left out, as Patroni leaves them.
  std::map<std::string, std::string> recovery_conf;
  // standby_cluster.recovery_min_apply_delay: for the standby leader following the remote only.
  std::string standby_min_apply_delay;
  int pg_ctl_timeout = 60;  // s to wait for a start or stop
  // primary_stop_timeout, in synchronous mode only (0 otherwise): a primary's stop waits this
  // long instead of pg_ctl_timeout before PostgreSQL is killed, as Patroni's.
  int primary_stop_timeout = 0;
  bool use_slots = true;
  int loop_wait = 10;   // s between status heartbeats
  bool paused = false;  // maintenance mode: a scheduled restart waits, no slot is dropped
  std::vector<slot_matcher> ignore_slots;  // slots never dropped (dynamic ignore_slots)
  watchdog_settings watchdog;
  bool operator==(const postgres_settings&) const = default;
  // How long a stop of PostgreSQL in `role` may take before it is killed.
  int stop_timeout(bool primary) const {
    return primary && primary_stop_timeout > 0 ? primary_stop_timeout : pg_ctl_timeout;
  }
};
BOOST_DESCRIBE_STRUCT(postgres_settings, (),
                      (scope, member_name, data_dir, config_dir, bin_dir, listen_host, port,
                       connect_host, connect_port, database, pgpass, unix_socket_dir, superuser,
                       replication, rewind, parameters, initdb_args, bootstrap_pg_hba,
                       post_bootstrap, bootstrap_command, bootstrap_recovery_conf,
                       bootstrap_keep_recovery, bootstrap_users, pg_hba, basebackup_args,
                       replica_methods, recovery_conf, standby_min_apply_delay, pg_ctl_timeout,
                       primary_stop_timeout, use_slots, loop_wait, paused, ignore_slots, watchdog))

// For dcs_session.
struct dcs_settings {
  std::vector<std::string> hosts;  // "host:port" each
  std::string base_path;           // "/<namespace>/<scope>", slashes collapsed
  std::string member_name;
  int ttl = 30;  // s: the requested session timeout
  int loop_wait = 10;
  int retry_timeout = 10;
  bool operator==(const dcs_settings&) const = default;
};
BOOST_DESCRIBE_STRUCT(dcs_settings, (),
                      (hosts, base_path, member_name, ttl, loop_wait, retry_timeout))

// For rest_frontend.
struct rest_settings {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8008;
  std::string username;  // restapi.authentication; empty = no auth
  std::string password;
  std::string certfile;  // TLS when set (issue 4)
  std::string keyfile;
  std::string keyfile_password;
  std::string cafile;         // PEM anchors for client certificates; "" = the system's
  std::string verify_client;  // "", "none", "optional" or "required" (restapi.verify_client)
  bool operator==(const rest_settings&) const = default;
};
BOOST_DESCRIBE_STRUCT(rest_settings, (),
                      (listen_host, listen_port, username, password, certfile, keyfile,
                       keyfile_password, cafile, verify_client))

// POST /reload or SIGHUP: take these settings (from the configuration file read again), write
// the configuration files and have the postmaster reload them, whether or not anything
// changed (as Patroni on SIGHUP).
struct reload_postgres {
  postgres_settings settings;
  bool operator==(const reload_postgres&) const = default;
};

// Every actor's settings that follow the cluster's dynamic configuration: the decider derives
// them again whenever the `config` znode changes and hands each actor its part.
struct node_settings {
  ha_settings ha;
  postgres_settings postgres;
  dcs_settings dcs;
  rest_settings rest;
  bool operator==(const node_settings&) const = default;
};

}  // namespace praetor
