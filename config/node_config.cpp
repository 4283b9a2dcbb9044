#include "config/node_config.hpp"

#include "config/address.hpp"
#include "config/option_args.hpp"
#include "config/patroni_values.hpp"
#include "config/shell_words.hpp"
#include "messages/cluster_flags.hpp"

namespace praetor::config {
namespace {

const boost::json::value* find(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

const boost::json::object& object_at(const boost::json::object& o, std::string_view key) {
  static const boost::json::object empty;
  auto* v = find(o, key);
  return v && v->is_object() ? v->get_object() : empty;
}

// Scalars read as text (Patroni would str() them); maps, lists and null read as `fallback`.
std::string text_at(const boost::json::object& o, std::string_view key, std::string fallback = {}) {
  auto* v = find(o, key);
  if (!v || v->is_null() || v->is_object() || v->is_array()) return fallback;
  return scalar_text(*v);
}

bool bool_at(const boost::json::object& o, std::string_view key, bool fallback) {
  auto* v = find(o, key);
  if (!v) return fallback;
  return parse_bool(*v).value_or(fallback);
}

int int_at(const boost::json::object& o, std::string_view key, int fallback) {
  auto* v = find(o, key);
  if (!v) return fallback;
  auto i = parse_int(*v);
  return i ? static_cast<int>(*i) : fallback;
}

std::vector<std::string> lines_at(const boost::json::object& o, std::string_view key) {
  std::vector<std::string> out;
  auto* v = find(o, key);
  if (v && v->is_array())
    for (const auto& line : v->get_array())
      if (!line.is_object() && !line.is_array() && !line.is_null())
        out.push_back(scalar_text(line));
  return out;
}

pg_credentials credentials_from(const boost::json::object& o) {
  pg_credentials c{text_at(o, "username"), text_at(o, "password"), {}};
  for (const auto& key : pg_credential_options())
    if (auto value = text_at(o, key); !value.empty()) c.options[key] = value;
  return c;
}

std::string normalised_watchdog_mode(const boost::json::value* v) {
  if (!v) return "automatic";
  if (v->is_bool()) return v->get_bool() ? "automatic" : "off";
  std::string mode = lower(scalar_text(*v));
  if (mode == "off" || mode == "disable" || mode == "disabled" || mode == "false") return "off";
  if (mode == "require" || mode == "required") return "required";
  return "automatic";
}

// Patroni's create_replica: "basebackup" is built in; another method is its section's command
// (or its name) with the section's other keys as --key=value (Python's str of the value).
replica_method replica_method_from(const std::string& name, const boost::json::object& section) {
  replica_method m;
  m.name = name;
  if (name == "basebackup") return m;
  auto flag = [&section](const char* key) {
    auto* v = find(section, key);
    return v && python_truthy(v);
  };
  m.no_params = flag("no_params");
  m.keep_data = flag("keep_data");
  m.without_leader = flag("no_leader") || flag("no_master");
  auto command = text_at(section, "command");
  m.command = split_shell_words(command.empty() ? name : command).words;
  for (const auto& [key, value] : section) {
    if (key == "command" || value.is_object() || value.is_array()) continue;
    if (m.no_params &&
        (key == "no_params" || key == "no_master" || key == "no_leader" || key == "keep_data"))
      continue;
    if (!m.no_params &&
        (key == "scope" || key == "role" || key == "datadir" || key == "connstring"))
      continue;  // praetor's own values follow
    m.options.push_back("--" + std::string(key) + "=" + python_str(value));
  }
  return m;
}

}  // namespace

std::vector<replica_method> replica_methods_of(const std::vector<std::string>& names,
                                               const boost::json::object& document) {
  std::vector<replica_method> out;
  const auto& pg = object_at(document, "postgresql");
  for (const auto& name : names.empty() ? std::vector<std::string>{"basebackup"} : names)
    out.push_back(replica_method_from(name, object_at(pg, name)));
  return out;
}

node_config node_config_from_json(const boost::json::object& doc) {
  node_config c;
  c.raw = doc;
  c.scope = text_at(doc, "scope");
  c.dcs_namespace = text_at(doc, "namespace", "/service/");
  c.name = text_at(doc, "name");

  const auto& rest = object_at(doc, "restapi");
  c.restapi.listen = text_at(rest, "listen");
  c.restapi.connect_address = text_at(rest, "connect_address");
  c.restapi.authentication = credentials_from(object_at(rest, "authentication"));
  c.restapi.certfile = text_at(rest, "certfile");
  c.restapi.keyfile = text_at(rest, "keyfile");
  c.restapi.keyfile_password = text_at(rest, "keyfile_password");
  c.restapi.cafile = text_at(rest, "cafile");
  c.restapi.verify_client = lower(text_at(rest, "verify_client"));  // as Patroni

  const auto& zk = object_at(doc, "zookeeper");
  if (auto* hosts = find(zk, "hosts")) {
    if (hosts->is_array()) {
      for (const auto& h : hosts->get_array())
        if (h.is_string()) c.zookeeper.hosts.push_back(std::string(h.get_string()));
    } else if (hosts->is_string()) {
      c.zookeeper.hosts = split_list(std::string(hosts->get_string()));
    }
  }

  if (auto* bootstrap = find(doc, "bootstrap"); bootstrap && bootstrap->is_object()) {
    const auto& b = bootstrap->get_object();
    c.bootstrap.present = true;
    c.bootstrap.dcs = object_at(b, "dcs");
    c.bootstrap.method = text_at(b, "method", "initdb");
    if (auto* section = find(b, c.bootstrap.method);
        c.bootstrap.method != "initdb" && section && section->is_object()) {
      const auto& m = section->get_object();
      c.bootstrap.method_command = split_shell_words(text_at(m, "command")).words;
      c.bootstrap.method_no_params = bool_at(m, "no_params", false);
      c.bootstrap.method_keep_existing_recovery_conf =
          python_truthy(find(m, "keep_existing_recovery_conf"));
      for (const auto& [key, value] : object_at(m, "recovery_conf"))
        if (!value.is_null() && !value.is_object() && !value.is_array())
          c.bootstrap.method_recovery_conf[std::string(key)] = scalar_text(value);
    }
    if (auto* initdb = find(b, "initdb")) c.bootstrap.initdb = *initdb;
    c.bootstrap.initdb_args =
        user_option_args(c.bootstrap.initdb, "initdb", "bootstrap.initdb", initdb_refused_options())
            .args;
    c.bootstrap.pg_hba = lines_at(b, "pg_hba");
    auto script = text_at(b, "post_bootstrap");
    if (script.empty()) script = text_at(b, "post_init");
    c.bootstrap.post_bootstrap = split_shell_words(script).words;
    for (const auto& [name, entry] : object_at(b, "users")) {
      if (!entry.is_object()) continue;  // validate() names it
      bootstrap_user u{std::string(name), text_at(entry.get_object(), "password"), {}};
      if (auto* options = find(entry.get_object(), "options"); options && options->is_array())
        for (const auto& o : options->get_array())
          if (o.is_string()) u.options.emplace_back(o.get_string());
      c.bootstrap.users.push_back(std::move(u));
    }
  }

  const auto& pg = object_at(doc, "postgresql");
  auto& p = c.postgresql;
  p.listen = text_at(pg, "listen");
  p.connect_address = text_at(pg, "connect_address");
  p.data_dir = text_at(pg, "data_dir");
  p.config_dir = text_at(pg, "config_dir");
  p.bin_dir = text_at(pg, "bin_dir");
  p.pgpass = text_at(pg, "pgpass");
  p.database = text_at(pg, "database", "postgres");
  if (auto* auth = find(pg, "authentication"); auth && auth->is_object()) {
    const auto& a = auth->get_object();
    p.authentication.superuser = credentials_from(object_at(a, "superuser"));
    p.authentication.replication = credentials_from(object_at(a, "replication"));
    p.authentication.rewind = credentials_from(object_at(a, "rewind"));
    p.use_pg_rewind = bool_at(pg, "use_pg_rewind", false);
  } else {
    // Patroni's legacy form: credentials directly under postgresql; pg_rewind implies rewind.
    p.authentication.superuser = credentials_from(object_at(pg, "superuser"));
    p.authentication.replication = credentials_from(object_at(pg, "replication"));
    p.use_pg_rewind = find(pg, "pg_rewind") != nullptr;
  }
  if (p.authentication.superuser.username.empty() && find(pg, "pg_rewind"))
    p.authentication.superuser = credentials_from(object_at(pg, "pg_rewind"));
  if (c.name.empty()) c.name = text_at(pg, "name");  // legacy postgresql.name
  p.parameters = object_at(pg, "parameters");
  p.pg_hba = lines_at(pg, "pg_hba");
  p.pg_ctl_timeout = int_at(pg, "pg_ctl_timeout", 60);
  if (auto* bb = find(pg, "basebackup")) p.basebackup = *bb;
  p.basebackup_args = user_option_args(p.basebackup, "basebackup", "postgresql.basebackup",
                                       basebackup_refused_options())
                          .args;
  p.use_unix_socket = bool_at(pg, "use_unix_socket", false);
  for (const auto& [event, script] : object_at(pg, "callbacks"))
    if (script.is_string()) p.callbacks[std::string(event)] = std::string(script.get_string());
  if (auto* methods = find(pg, "create_replica_methods"); methods && methods->is_array()) {
    for (const auto& m : methods->get_array())
      if (m.is_string()) p.create_replica_methods.push_back(std::string(m.get_string()));
  } else if (auto* legacy = find(pg, "create_replica_method"); legacy && legacy->is_array()) {
    for (const auto& m : legacy->get_array())
      if (m.is_string()) p.create_replica_methods.push_back(std::string(m.get_string()));
  }

  p.replica_methods = replica_methods_of(p.create_replica_methods, doc);
  for (const auto& [key, value] : object_at(pg, "recovery_conf"))
    if (!value.is_null() && !value.is_object() && !value.is_array())
      p.recovery_conf[std::string(key)] = scalar_text(value);

  c.tags = object_at(doc, "tags");

  const auto& log = object_at(doc, "log");
  c.log.level = text_at(log, "level", "INFO");
  c.log.dir = text_at(log, "dir");
  c.log.file_size = int_at(log, "file_size", 25'000'000);
  c.log.file_num = int_at(log, "file_num", 4);
  c.log.format = text_at(log, "format");

  c.watchdog.mode = normalised_watchdog_mode(find(object_at(doc, "watchdog"), "mode"));
  c.watchdog.safety_margin = int_at(object_at(doc, "watchdog"), "safety_margin", 5);
  c.watchdog.device = text_at(object_at(doc, "watchdog"), "device", "/dev/watchdog");
  c.watchdog.driver = text_at(object_at(doc, "watchdog"), "driver", "default");
  return c;
}

}  // namespace praetor::config
