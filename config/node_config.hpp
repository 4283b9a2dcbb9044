// The local configuration of one praetor node: Patroni's YAML file (plus PATRONI_* overrides)
// read into typed fields. Only what praetor uses is typed; the whole merged document is kept in
// `raw` so that the validator can report wrongly typed values by key path and so that later
// features can read keys not typed here. Unknown keys are ignored, as Patroni ignores them.
// Conversion is tolerant (a wrongly typed value reads as its default); validate() reports it.
// Plain values: build on one thread, then copy freely.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "messages/settings.hpp"

namespace praetor::config {

struct restapi_config {
  std::string listen;             // "host:port"; "*" or empty host = all addresses
  std::string connect_address;    // "host:port" peers and patronictl use
  pg_credentials authentication;  // empty username = no authentication
  std::string certfile;           // HTTPS when set
  std::string keyfile;
  std::string keyfile_password;  // for an encrypted keyfile
  std::string cafile;            // anchors for client certificates
  std::string verify_client;     // none / optional / required, lower-cased
};

struct zookeeper_config {
  std::vector<std::string> hosts;  // "host:port" each; from a list or "h1:2181,h2:2181"
};

struct bootstrap_config {
  bool present = false;     // a `bootstrap` section exists: may initialize a cluster
  boost::json::object dcs;  // raw, written to <base>/config by the race winner
  std::string method = "initdb";
  // The section bootstrap.<method> names, when it has a command (else initdb, as Patroni).
  std::vector<std::string> method_command;  // split as shlex, without Patroni's parameters
  bool method_no_params = false;
  bool method_keep_existing_recovery_conf = false;
  std::map<std::string, std::string> method_recovery_conf;
  boost::json::value initdb;                // raw options (list or map)
  std::vector<std::string> initdb_args;     // "--opt" / "--k=v"; refused options left out
  std::vector<std::string> pg_hba;          // lines added to pg_hba.conf after initdb
  std::vector<std::string> post_bootstrap;  // post_bootstrap (else post_init), split as shlex
  std::vector<bootstrap_user> users;        // `users`, in the file's order
};

struct pg_authentication {
  pg_credentials superuser;
  pg_credentials replication;
  pg_credentials rewind;  // empty username = use the superuser for pg_rewind
};

struct postgresql_config {
  std::string listen;           // "host[,host...]:port"
  std::string connect_address;  // "host:port"
  std::string data_dir;
  std::string config_dir;  // empty = data_dir
  std::string bin_dir;     // empty = $PATH
  std::string pgpass;      // empty = Patroni's default ~/pgpass
  std::string database = "postgres";
  pg_authentication authentication;
  boost::json::object parameters;   // local postgresql.parameters, raw
  std::vector<std::string> pg_hba;  // replaces pg_hba.conf when not empty
  int pg_ctl_timeout = 60;          // s
  bool use_pg_rewind = false;
  boost::json::value basebackup;             // raw options (list or map)
  std::vector<std::string> basebackup_args;  // "--opt" / "--k=v"; refused options left out
  bool use_unix_socket = false;
  std::map<std::string, std::string> callbacks;      // on_start, on_stop, ... -> script
  std::vector<std::string> create_replica_methods;   // empty = basebackup
  std::vector<replica_method> replica_methods;       // those, read with their sections
  std::map<std::string, std::string> recovery_conf;  // postgresql.recovery_conf, as text
};

struct log_config {
  std::string level = "INFO";
  std::string dir;     // empty = stderr
  std::string format;  // empty = praetor's default
  // The log file in dir rotates at file_size bytes and keeps file_num old ones (Patroni's
  // RotatingFileHandler defaults).
  int file_size = 25'000'000;
  int file_num = 4;
};

struct watchdog_config {
  std::string mode = "automatic";  // off | automatic | required (normalised from Patroni's
                                   // spellings: false/disable(d) -> off, auto, require)
  int safety_margin = 5;           // s before the lock could expire that the fence fires
  std::string device = "/dev/watchdog";
  std::string driver = "default";  // only Linux's default driver is carried out
};

// Patroni's create_replica methods by name, each with its section postgresql.<name> of
// `document` (the whole configuration): "basebackup" is built in; another method is its
// section's command (or its name) with the section's other keys as --key=str(value). No names:
// basebackup alone.
std::vector<replica_method> replica_methods_of(const std::vector<std::string>& names,
                                               const boost::json::object& document);

struct node_config {
  std::string scope;
  std::string dcs_namespace = "/service/";  // the `namespace` key
  std::string name;
  restapi_config restapi;
  zookeeper_config zookeeper;
  bootstrap_config bootstrap;
  postgresql_config postgresql;
  boost::json::object tags;  // raw: nofailover, noloadbalance, clonefrom, nosync, replicatefrom...
  log_config log;
  watchdog_config watchdog;
  boost::json::object raw;  // the merged document (file <- environment) this was read from
  // <data_dir>/patroni.dynamic.json when the loader found one: the cluster's last known dynamic
  // configuration, used instead of bootstrap.dcs while the DCS has none.
  std::optional<boost::json::object> dynamic_cache;
};

// Reads the typed fields out of a merged document. Never throws; see validate() for problems.
node_config node_config_from_json(const boost::json::object& document);

}  // namespace praetor::config
