#include "config/validate.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "config/address.hpp"
#include "config/dynamic.hpp"
#include "config/option_args.hpp"
#include "config/patroni_values.hpp"
#include "config/permanent_slots.hpp"
#include "config/unsupported.hpp"
#include "config/value_checks.hpp"

namespace praetor::config {
namespace {

namespace fs = std::filesystem;

void check_zookeeper(const boost::json::object& doc, errors_t& errors) {
  auto* zk = expect_map(doc, "zookeeper", "zookeeper", errors);
  if (!find_key(doc, "zookeeper")) {
    errors.push_back({"zookeeper.hosts",
                      "is required but missing (the zookeeper section is "
                      "absent; praetor supports ZooKeeper only)"});
    return;
  }
  if (!zk) return;
  auto* hosts = find_key(*zk, "hosts");
  std::vector<std::string> list;
  if (!hosts || hosts->is_null()) {
    errors.push_back({"zookeeper.hosts", "is required but missing"});
    return;
  }
  if (hosts->is_string()) {
    list = split_list(std::string(hosts->get_string()));
  } else if (hosts->is_array()) {
    for (const auto& h : hosts->get_array()) {
      if (!h.is_string()) {
        errors.push_back({"zookeeper.hosts",
                          "every host must be a string \"host:port\", found " + describe_type(h)});
        return;
      }
      list.push_back(std::string(h.get_string()));
    }
  } else {
    errors.push_back({"zookeeper.hosts",
                      "must be a list of host:port or a \"h1:2181,h2:2181\" "
                      "string, not " +
                          describe_type(*hosts)});
    return;
  }
  if (list.empty()) errors.push_back({"zookeeper.hosts", "is required but empty"});
  for (const auto& h : list)
    if (h.find(':') != std::string::npos && !split_host_port(h))
      errors.push_back({"zookeeper.hosts", "'" + h + "' is not host:port (port 1-65535)"});
}

void check_data_dir(const std::string& data_dir, errors_t& errors) {
  if (data_dir.empty()) return;
  const std::string path = "postgresql.data_dir";
  std::error_code ec;
  fs::path dir(data_dir);
  auto status = fs::status(dir, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status))
      errors.push_back({path, "'" + data_dir + "' exists but is not a directory"});
    return;
  }
  // Patroni creates the missing folders (initdb and pg_basebackup make the whole path): the
  // nearest folder that exists must let this user create the rest.
  fs::path ancestor = fs::absolute(dir, ec).parent_path();
  while (!ancestor.empty() && !fs::exists(fs::status(ancestor, ec)) &&
         ancestor != ancestor.root_path())
    ancestor = ancestor.parent_path();
  auto ancestor_status = fs::status(ancestor, ec);
  if (!fs::is_directory(ancestor_status)) {
    errors.push_back(
        {path, "'" + ancestor.string() + "' on the path to '" + data_dir + "' is not a directory"});
  } else if (::access(ancestor.c_str(), R_OK | W_OK | X_OK) != 0) {
    errors.push_back({path, "the directory '" + ancestor.string() +
                                "' is not readable and writable by this user, so '" + data_dir +
                                "' cannot be created"});
  }
}

void check_bin_dir(const std::string& bin_dir, errors_t& errors) {
  if (bin_dir.empty()) return;
  const std::string path = "postgresql.bin_dir";
  std::error_code ec;
  if (!fs::is_directory(bin_dir, ec)) {
    errors.push_back({path, "'" + bin_dir + "' is not a directory"});
    return;
  }
  for (const char* program : {"postgres", "initdb"}) {
    fs::path p = fs::path(bin_dir) / program;
    if (!fs::is_regular_file(p, ec) || ::access(p.c_str(), X_OK) != 0)
      errors.push_back({path, "'" + bin_dir + "' has no executable " + program +
                                  "; point bin_dir at PostgreSQL's bin folder"});
  }
}

void check_credentials(const boost::json::object& pg, errors_t& errors) {
  const std::string base = "postgresql.authentication";
  auto* auth_value = find_key(pg, "authentication");
  const boost::json::object* auth = nullptr;
  bool legacy = false;
  if (auth_value && !auth_value->is_null()) {
    auth = expect_map(pg, "authentication", base, errors);
    if (!auth) return;
  } else {
    legacy = true;  // Patroni's old form: superuser/replication directly under postgresql
    auth = &pg;
  }
  for (const char* user : {"superuser", "replication", "rewind"}) {
    std::string user_path = legacy ? "postgresql." + std::string(user) : base + "." + user;
    bool required = std::string(user) != "rewind";
    if (legacy && std::string(user) == "superuser" && !find_key(pg, "superuser") &&
        find_key(pg, "pg_rewind"))
      continue;  // Patroni takes the superuser from the legacy pg_rewind block
    auto* entry = find_key(*auth, user);
    if (!entry || entry->is_null()) {
      if (required) errors.push_back({base + "." + user + ".username", "is required but missing"});
      continue;
    }
    if (!entry->is_object()) {
      errors.push_back(
          {user_path, "must be a map with username and password, not " + describe_type(*entry)});
      continue;
    }
    expect_text(entry->get_object(), "username", user_path + ".username", required, errors);
    expect_text(entry->get_object(), "password", user_path + ".password", false, errors);
    for (const auto& option : pg_credential_options())
      expect_text(entry->get_object(), option, user_path + "." + option, false, errors);
  }
}

void check_option_args(const boost::json::object& parent, std::string_view key,
                       const std::string& tool, const std::string& path,
                       const std::vector<std::string>& refused, errors_t& errors) {
  auto* v = find_key(parent, key);
  if (!v) return;
  auto result = user_option_args(*v, tool, path, refused);
  errors.insert(errors.end(), result.errors.begin(), result.errors.end());
}

void check_postgresql(const node_config& config, const boost::json::object& doc, errors_t& errors) {
  if (!find_key(doc, "postgresql")) {
    for (const char* key :
         {"listen", "connect_address", "data_dir", "authentication.superuser.username",
          "authentication.replication.username"})
      errors.push_back({std::string("postgresql.") + key, "is required but missing"});
    return;
  }
  auto* pg = expect_map(doc, "postgresql", "postgresql", errors);
  if (!pg) return;
  for (const char* key : {"listen", "connect_address", "data_dir"})
    expect_text(*pg, key, std::string("postgresql.") + key, true, errors);
  for (const char* key : {"config_dir", "bin_dir", "pgpass", "database", "proxy_address"})
    expect_text(*pg, key, std::string("postgresql.") + key, false, errors);
  expect_host_port(*pg, "connect_address", "postgresql.connect_address", errors);
  // listen may name several hosts before the one port: "127.0.0.1,10.0.0.1:5432".
  expect_host_port(*pg, "listen", "postgresql.listen", errors);
  check_credentials(*pg, errors);
  expect_map(*pg, "parameters", "postgresql.parameters", errors);
  expect_lines(*pg, "pg_hba", "postgresql.pg_hba", errors);
  expect_int(*pg, "pg_ctl_timeout", "postgresql.pg_ctl_timeout", true, errors);
  for (const char* key :
       {"use_pg_rewind", "use_unix_socket", "use_unix_socket_repl",
        "remove_data_directory_on_rewind_failure", "remove_data_directory_on_diverged_timelines"})
    expect_bool(*pg, key, std::string("postgresql.") + key, errors);
  if (auto* callbacks = expect_map(*pg, "callbacks", "postgresql.callbacks", errors))
    for (const auto& [event, script] : *callbacks) {
      std::string path = "postgresql.callbacks." + std::string(event);
      if (!script.is_string() && !script.is_array())
        errors.push_back({path, "must be a script path, not " + describe_type(script)});
    }
  if (auto* methods = find_key(*pg, "create_replica_methods"); methods && !methods->is_null()) {
    bool ok =
        methods->is_array() && std::all_of(methods->get_array().begin(), methods->get_array().end(),
                                           [](const auto& m) { return m.is_string(); });
    if (!ok)
      errors.push_back({"postgresql.create_replica_methods",
                        "must be a list of method names (e.g. [basebackup])"});
  }
  // Each method but basebackup may have a section of its own: a map with a command.
  for (const auto& method : config.postgresql.create_replica_methods) {
    if (method == "basebackup") continue;
    const std::string path = "postgresql." + method;
    if (auto* section = expect_map(*pg, method, path, errors))
      expect_text(*section, "command", path + ".command", false, errors);
  }
  check_option_args(*pg, "basebackup", "basebackup", "postgresql.basebackup",
                    basebackup_refused_options(), errors);
  check_data_dir(config.postgresql.data_dir, errors);
  check_bin_dir(config.postgresql.bin_dir, errors);
  if (!config.postgresql.config_dir.empty()) {
    std::error_code ec;
    if (fs::exists(config.postgresql.config_dir, ec) &&
        !fs::is_directory(config.postgresql.config_dir, ec))
      errors.push_back({"postgresql.config_dir",
                        "'" + config.postgresql.config_dir + "' exists but is not a directory"});
  }
}

void check_bootstrap(const boost::json::object& doc, errors_t& errors) {
  auto* b = expect_map(doc, "bootstrap", "bootstrap", errors);
  if (!b) return;
  if (auto* dcs = expect_map(*b, "dcs", "bootstrap.dcs", errors)) {
    auto dyn = validate_dynamic(*dcs, "bootstrap.dcs");
    errors.insert(errors.end(), dyn.begin(), dyn.end());
  } else if (!find_key(*b, "dcs")) {
    auto dyn = validate_dynamic({}, "bootstrap.dcs");  // the defaults still obey the rule
    errors.insert(errors.end(), dyn.begin(), dyn.end());
  }
  expect_text(*b, "method", "bootstrap.method", false, errors);
  if (auto* method = find_key(*b, "method");
      method && method->is_string() && method->get_string() != "initdb") {
    const std::string name(method->get_string());
    const std::string path = "bootstrap." + name;
    if (auto* section = expect_map(*b, name, path, errors)) {
      expect_command(*section, "command", path + ".command", errors);
      expect_bool(*section, "no_params", path + ".no_params", errors);
      if (auto* recovery = expect_map(*section, "recovery_conf", path + ".recovery_conf", errors))
        for (const auto& [key, value] : *recovery)
          if (value.is_object() || value.is_array())
            errors.push_back({path + ".recovery_conf." + std::string(key),
                              "must be a value for postgresql.conf, not " + describe_type(value)});
    }
    if (!find_key(*b, name) || !find_key(*b, name)->is_object() ||
        !find_key(find_key(*b, name)->get_object(), "command"))
      spdlog::warn(
          "configuration: bootstrap.method is '{}' but bootstrap.{}.command is not set: "
          "initdb bootstraps the cluster, as in Patroni",
          name, name);
  }
  check_option_args(*b, "initdb", "initdb", "bootstrap.initdb", initdb_refused_options(), errors);
  expect_lines(*b, "pg_hba", "bootstrap.pg_hba", errors);
  for (const char* key : {"post_bootstrap", "post_init"})
    expect_command(*b, key, std::string("bootstrap.") + key, errors);
  if (auto* users = expect_map(*b, "users", "bootstrap.users", errors))
    for (const auto& [name, entry] : *users) {
      const std::string path = "bootstrap.users." + std::string(name);
      if (!entry.is_object()) {
        errors.push_back(
            {path, "must be a map with password and options, not " + describe_type(entry)});
        continue;
      }
      expect_text(entry.get_object(), "password", path + ".password", false, errors);
      expect_lines(entry.get_object(), "options", path + ".options", errors);
    }
}

void check_restapi(const boost::json::object& doc, errors_t& errors) {
  if (!find_key(doc, "restapi")) {
    errors.push_back({"restapi.listen", "is required but missing"});
    errors.push_back({"restapi.connect_address", "is required but missing"});
    return;
  }
  auto* rest = expect_map(doc, "restapi", "restapi", errors);
  if (!rest) return;
  expect_text(*rest, "listen", "restapi.listen", true, errors);
  expect_text(*rest, "connect_address", "restapi.connect_address", true, errors);
  expect_host_port(*rest, "listen", "restapi.listen", errors);
  expect_host_port(*rest, "connect_address", "restapi.connect_address", errors);
  for (const char* key : {"certfile", "keyfile", "keyfile_password", "cafile", "verify_client"})
    expect_text(*rest, key, std::string("restapi.") + key, false, errors);
  if (const auto* v = find_key(*rest, "verify_client"); v && v->is_string()) {
    const std::string mode = lower(std::string(v->get_string()));
    if (mode != "none" && mode != "optional" && mode != "required")
      errors.push_back({"restapi.verify_client", "must be none, optional or required, not \"" +
                                                     std::string(v->get_string()) + "\""});
  }
  if (auto* auth = expect_map(*rest, "authentication", "restapi.authentication", errors)) {
    expect_text(*auth, "username", "restapi.authentication.username", true, errors);
    expect_text(*auth, "password", "restapi.authentication.password", true, errors);
  }
  const auto& r = *rest;
  if (find_key(r, "keyfile") && !find_key(r, "certfile"))
    errors.push_back({"restapi.certfile", "is required when restapi.keyfile is set"});
}

// The four boolean tags take any value and mean Python's truth of it, as in Patroni (which
// publishes them as written): only the type of replicatefrom is checked.
void check_tags(const boost::json::object& doc, errors_t& errors) {
  auto* tags = expect_map(doc, "tags", "tags", errors);
  if (!tags) return;
  expect_text(*tags, "replicatefrom", "tags.replicatefrom", false, errors);
}

// A quoted "false" is a non-empty string, so true for Patroni and for praetor alike: say so.
void warn_string_tags(const boost::json::object& doc, std::vector<config_error>& out) {
  auto* tags = find_key(doc, "tags");
  if (!tags || !tags->is_object()) return;
  for (const char* key : {"nofailover", "noloadbalance", "clonefrom", "nosync"}) {
    auto* v = find_key(tags->get_object(), key);
    if (!v || !v->is_string()) continue;
    if (auto b = parse_bool(*v); b && !*b)
      out.push_back({std::string("tags.") + key,
                     "\"" + std::string(v->get_string()) +
                         "\" is a non-empty string, which counts as true (as in Patroni); write "
                         "false without quotes to mean false"});
  }
}

}  // namespace

std::vector<config_error> validate_dynamic(const boost::json::object& dynamic,
                                           const std::string& prefix) {
  errors_t errors;
  auto path = [&](const std::string& key) { return join_path(prefix, key); };
  for (const char* key : {"ttl", "loop_wait", "retry_timeout"})
    expect_int(dynamic, key, path(key), true, errors);
  for (const char* key :
       {"maximum_lag_on_failover", "maximum_lag_on_syncnode", "primary_start_timeout",
        "master_start_timeout", "primary_stop_timeout", "master_stop_timeout",
        "synchronous_node_count", "max_timelines_history", "member_slots_ttl"})
    expect_int(dynamic, key, path(key), false, errors);
  for (const char* key : {"check_timeline", "synchronous_mode_strict", "failsafe_mode"})
    expect_bool(dynamic, key, path(key), errors);
  if (auto* mode = find_key(dynamic, "synchronous_mode");
      mode && !mode->is_null() && !parse_synchronous_mode(*mode))
    errors.push_back(
        {path("synchronous_mode"), "must be a boolean or 'quorum', not " + describe_type(*mode)});
  if (auto* standby = expect_map(dynamic, "standby_cluster", path("standby_cluster"), errors)) {
    const auto at = [&](const char* key) { return path("standby_cluster") + "." + key; };
    for (const char* key : {"host", "primary_slot_name", "restore_command",
                            "archive_cleanup_command", "recovery_min_apply_delay"})
      expect_text(*standby, key, at(key), false, errors);
    if (auto* port = find_key(*standby, "port");
        port && !(port->is_string() && port->get_string().empty()))
      expect_int(*standby, "port", at("port"), false, errors);
    if (auto* slot = find_key(*standby, "primary_slot_name"); slot && slot->is_string() &&
                                                              !slot->get_string().empty() &&
                                                              !valid_slot_name(slot->get_string()))
      errors.push_back({at("primary_slot_name"),
                        "'" + std::string(slot->get_string()) +
                            "' is no valid replication slot name: use 1 to 63 lower case "
                            "letters, digits and underscores"});
    if (auto* methods = find_key(*standby, "create_replica_methods");
        methods && !methods->is_null() &&
        !(methods->is_string() && methods->get_string().empty()) &&
        !(methods->is_array() &&
          std::all_of(methods->get_array().begin(), methods->get_array().end(),
                      [](const auto& m) { return m.is_string(); })))
      errors.push_back(
          {at("create_replica_methods"), "must be a list of method names (e.g. [basebackup])"});
  }
  add_unless_reported(errors, unsupported_dynamic(dynamic, prefix));
  if (expect_map(dynamic, "slots", path("slots"), errors))
    add_unless_reported(errors, read_permanent_slots(dynamic, prefix).errors);
  if (auto* ignore = find_key(dynamic, "ignore_slots"); ignore && !ignore->is_null()) {
    if (!ignore->is_array()) {
      errors.push_back({path("ignore_slots"),
                        "must be a list of slot matchers ({name, type, "
                        "database, plugin}), not " +
                            describe_type(*ignore)});
    } else {
      for (const auto& entry : ignore->get_array()) {
        if (!entry.is_object()) {
          errors.push_back({path("ignore_slots"),
                            "every entry must be a map of name, type, "
                            "database and plugin, found " +
                                describe_type(entry)});
          continue;
        }
        for (const char* key : {"name", "type", "database", "plugin"})
          expect_text(entry.get_object(), key, path("ignore_slots") + "." + key, false, errors);
        expect_one_of(entry.get_object(), "type", path("ignore_slots.type"),
                      {"physical", "logical"}, errors);
      }
    }
  }
  expect_strict_bool(dynamic, "pause", path("pause"), errors);
  if (auto* pg = expect_map(dynamic, "postgresql", path("postgresql"), errors)) {
    expect_bool(*pg, "use_slots", path("postgresql.use_slots"), errors);
    expect_bool(*pg, "use_pg_rewind", path("postgresql.use_pg_rewind"), errors);
    expect_map(*pg, "parameters", path("postgresql.parameters"), errors);
  }

  sort_errors(errors);
  return errors;
}

std::optional<config_error> timing_warning(const boost::json::object& dynamic,
                                           const std::string& prefix) {
  boost::json::object effective = dynamic;
  for (const char* key : {"ttl", "loop_wait", "retry_timeout"}) {
    auto* v = find_key(dynamic, key);
    if (!v || v->is_null()) {
      effective.erase(key);
      continue;
    }
    auto i = v->is_bool() ? std::nullopt : parse_int(*v);
    if (!i || *i <= 0) return std::nullopt;  // validate_dynamic reports it as an error
    effective[key] = *i;
  }
  auto sentence = enforce_timing_rule(effective);
  if (!sentence) return std::nullopt;
  return config_error{join_path(prefix, "retry_timeout"), *sentence};
}

std::vector<config_error> warnings(const node_config& config) {
  std::vector<config_error> out;
  if (auto* b = find_key(config.raw, "bootstrap"); b && b->is_object()) {
    auto* dcs = find_key(b->get_object(), "dcs");
    auto w = timing_warning(dcs && dcs->is_object() ? dcs->get_object() : boost::json::object{},
                            "bootstrap.dcs");
    if (w) out.push_back(*w);
  }
  warn_string_tags(config.raw, out);
  // Settings of Patroni's Python logging that have no counterpart here: said, not refused (a
  // Patroni configuration keeps working), and not silently dropped either.
  if (auto* log = find_key(config.raw, "log"); log && log->is_object()) {
    if (find_key(log->get_object(), "traceback_level"))
      out.push_back({"log.traceback_level",
                     "has no effect in praetor: it logs no Python tracebacks (errors are one line "
                     "naming what failed)"});
    if (find_key(log->get_object(), "max_queue_size"))
      out.push_back({"log.max_queue_size",
                     "has no effect in praetor: it writes each log line at once, with no queue "
                     "to bound"});
  }
  return out;
}

std::vector<config_error> validate(const node_config& config) {
  errors_t errors;
  const auto& doc = config.raw;
  expect_text(doc, "scope", "scope", true, errors);
  if (!find_key(doc, "name") && !config.name.empty()) {
    // legacy postgresql.name supplied it
  } else {
    expect_text(doc, "name", "name", true, errors);
  }
  expect_text(doc, "namespace", "namespace", false, errors);
  check_restapi(doc, errors);
  check_zookeeper(doc, errors);
  check_bootstrap(doc, errors);
  check_postgresql(config, doc, errors);
  check_tags(doc, errors);
  if (auto* log = expect_map(doc, "log", "log", errors)) {
    expect_one_of(*log, "level", "log.level",
                  {"DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL"}, errors);
    expect_text(*log, "dir", "log.dir", false, errors);
    expect_int(*log, "file_size", "log.file_size", true, errors);
    expect_int(*log, "file_num", "log.file_num", false, errors);
  }
  if (auto* watchdog = expect_map(doc, "watchdog", "watchdog", errors)) {
    expect_one_of(
        *watchdog, "mode", "watchdog.mode",
        {"off", "automatic", "required", "false", "disable", "disabled", "auto", "require"},
        errors);
    expect_int(*watchdog, "safety_margin", "watchdog.safety_margin", false, errors);
    expect_text(*watchdog, "device", "watchdog.device", false, errors);
    expect_text(*watchdog, "driver", "watchdog.driver", false, errors);
  }
  add_unless_reported(errors, unsupported_local(doc));
  warn_unknown(doc, "",
               {"scope", "namespace", "name", "restapi", "ctl", "zookeeper", "bootstrap",
                "postgresql", "tags", "watchdog", "log", "citus", "exhibitor", "etcd", "etcd3",
                "consul", "kubernetes", "raft"});
  sort_errors(errors);
  return errors;
}

}  // namespace praetor::config
