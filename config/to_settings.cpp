#include "config/to_settings.hpp"

#include <algorithm>

#include "config/address.hpp"
#include "config/dynamic.hpp"
#include "config/patroni_values.hpp"
#include "config/permanent_slots.hpp"
#include "messages/cluster_flags.hpp"

namespace praetor::config {
namespace {

std::int64_t int_of(const boost::json::object& o, std::string_view key, std::int64_t fallback) {
  auto* v = o.if_contains(key);
  if (!v) return fallback;
  return parse_int(*v).value_or(fallback);
}

bool use_slots_of(const boost::json::object& dynamic) {
  auto* pg = dynamic.if_contains("postgresql");
  if (!pg || !pg->is_object()) return true;
  auto* v = pg->get_object().if_contains("use_slots");
  return v ? parse_bool(*v).value_or(true) : true;
}

std::string text_of(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && !v->is_null() && !v->is_object() && !v->is_array() ? scalar_text(*v) : std::string();
}

std::vector<std::string> string_list(const boost::json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (auto* v = o.if_contains(key); v && v->is_array())
    for (const auto& item : v->get_array())
      if (item.is_string()) out.emplace_back(item.get_string());
  return out;
}

bool flag_of(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && parse_bool(*v).value_or(false);
}

// Python's truth, as Patroni's Cluster.is_paused() and as the REST API and praetorctl read it
// (messages/cluster_flags.hpp): a quoted "false" written straight into the key pauses too.
bool paused_of(const boost::json::object& dynamic) {
  return truthy_key(dynamic, "pause");
}

synchronous_mode synchronous_mode_of(const boost::json::object& dynamic) {
  auto* v = dynamic.if_contains("synchronous_mode");
  return v ? parse_synchronous_mode(*v).value_or(synchronous_mode::off) : synchronous_mode::off;
}

}  // namespace

std::string dcs_base_path(const std::string& dcs_namespace, const std::string& scope) {
  std::string joined = "/" + dcs_namespace + "/" + scope;
  std::string out;
  for (char c : joined)
    if (c != '/' || out.empty() || out.back() != '/') out.push_back(c);
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

postgres_settings to_postgres_settings(const node_config& c, const boost::json::object& dynamic) {
  postgres_settings s;
  const auto& pg = c.postgresql;
  s.scope = c.scope;
  s.member_name = c.name;
  s.data_dir = pg.data_dir;
  s.config_dir = pg.config_dir.empty() ? pg.data_dir : pg.config_dir;
  s.bin_dir = pg.bin_dir;
  if (auto listen = split_host_port(pg.listen)) {
    s.listen_host = listen->host;
    s.port = listen->port;
  }
  if (auto connect = split_host_port(pg.connect_address)) {
    s.connect_host = connect->host;
    s.connect_port = connect->port;
  }
  s.database = pg.database;
  s.pgpass = pg.pgpass;
  s.superuser = pg.authentication.superuser;
  s.replication = pg.authentication.replication;
  s.rewind = pg.authentication.rewind;
  s.parameters = effective_parameters(dynamic, pg.parameters);
  s.parameters["listen_addresses"] = s.listen_host;
  s.parameters["port"] = s.port;
  s.parameters["cluster_name"] = c.scope;
  // Synchronous mode owns synchronous_standby_names: until the lock holder names standbys, a
  // primary starts with none, or with '*' in strict mode so that no commit is acknowledged
  // before a standby has it.
  if (synchronous_mode_of(dynamic) != synchronous_mode::off) {
    if (flag_of(dynamic, "synchronous_mode_strict"))
      s.parameters["synchronous_standby_names"] = "*";
    else
      s.parameters.erase("synchronous_standby_names");
  }
  // A logical slot copied to a replica is only usable after a failover if the primary kept the
  // catalog rows it needs: the replica's feedback holds them (Patroni enforces it the same way).
  if (use_slots_of(dynamic) && !python_truthy(c.tags.if_contains("nofailover"))) {
    const auto slots = read_permanent_slots(dynamic).slots;
    if (std::any_of(slots.begin(), slots.end(), [](const auto& p) { return p.type == "logical"; }))
      s.parameters["hot_standby_feedback"] = "on";
  }
  // A replica whose upstream went away tries its new one only wal_retrieve_retry_interval
  // after the last failed attempt (5 s by default): after a failover that is how long a
  // synchronous commit waits for it. 1 s unless the configuration says otherwise.
  if (!s.parameters.contains("wal_retrieve_retry_interval"))
    s.parameters["wal_retrieve_retry_interval"] = "1s";
  if (auto* dirs = s.parameters.if_contains("unix_socket_directories"); dirs && dirs->is_string()) {
    // PostgreSQL puts its socket in the first listed directory.
    auto list = split_list(std::string(dirs->get_string()));
    if (!list.empty()) s.unix_socket_dir = list.front();
  }
  s.initdb_args = c.bootstrap.initdb_args;
  s.bootstrap_pg_hba = c.bootstrap.pg_hba;
  s.post_bootstrap = c.bootstrap.post_bootstrap;
  if (!c.bootstrap.method_command.empty()) {
    // Patroni's _custom_bootstrap: the command, then --scope and --datadir unless no_params
    s.bootstrap_command = c.bootstrap.method_command;
    if (!c.bootstrap.method_no_params) {
      s.bootstrap_command.push_back("--scope=" + c.scope);
      s.bootstrap_command.push_back("--datadir=" + pg.data_dir);
    }
    s.bootstrap_recovery_conf = c.bootstrap.method_recovery_conf;
    s.bootstrap_keep_recovery = c.bootstrap.method_keep_existing_recovery_conf;
  }
  s.bootstrap_users = c.bootstrap.users;
  s.pg_hba = pg.pg_hba;
  // The dynamic postgresql.pg_hba serves every member whose file sets none (Patroni merges the
  // local postgresql section over the dynamic one).
  if (s.pg_hba.empty())
    if (const auto* dyn_pg = dynamic.if_contains("postgresql"); dyn_pg && dyn_pg->is_object())
      s.pg_hba = string_list(dyn_pg->get_object(), "pg_hba");
  s.basebackup_args = pg.basebackup_args;
  s.replica_methods = pg.replica_methods;
  // The dynamic postgresql.recovery_conf, with the local file's keys over it.
  if (const auto* dyn_pg = dynamic.if_contains("postgresql"); dyn_pg && dyn_pg->is_object())
    if (const auto* rc = dyn_pg->get_object().if_contains("recovery_conf"); rc && rc->is_object())
      for (const auto& [key, value] : rc->get_object())
        if (!value.is_null() && !value.is_object() && !value.is_array())
          s.recovery_conf[std::string(key)] = scalar_text(value);
  for (const auto& [key, value] : pg.recovery_conf) s.recovery_conf[key] = value;
  if (const auto* standby = standby_cluster_section(dynamic)) {
    // Patroni clones every member of a standby cluster with the section's methods (basebackup
    // when it names none), and adds its archive settings to every replica's recovery.
    s.replica_methods = replica_methods_of(string_list(*standby, "create_replica_methods"), c.raw);
    for (const char* key : {"restore_command", "archive_cleanup_command"})
      if (auto v = text_of(*standby, key); !v.empty()) s.recovery_conf[key] = v;
    s.standby_min_apply_delay = text_of(*standby, "recovery_min_apply_delay");
  }
  s.pg_ctl_timeout = pg.pg_ctl_timeout;
  if (synchronous_mode_of(dynamic) != synchronous_mode::off)
    s.primary_stop_timeout =
        static_cast<int>(std::max<std::int64_t>(0, int_of(dynamic, "primary_stop_timeout", 0)));
  s.use_slots = use_slots_of(dynamic);
  s.loop_wait = static_cast<int>(int_of(dynamic, "loop_wait", 10));
  s.paused = paused_of(dynamic);
  s.watchdog.mode = c.watchdog.mode == "off"        ? watchdog_mode::off
                    : c.watchdog.mode == "required" ? watchdog_mode::required
                                                    : watchdog_mode::automatic;
  s.watchdog.device = c.watchdog.device;
  s.watchdog.safety_margin = c.watchdog.safety_margin;
  s.watchdog.ttl = static_cast<int>(int_of(dynamic, "ttl", 30));
  s.watchdog.loop_wait = s.loop_wait;
  if (const auto* list = dynamic.if_contains("ignore_slots"); list && list->is_array())
    for (const auto& entry : list->get_array()) {
      if (!entry.is_object()) continue;  // validate_dynamic names it
      const auto& o = entry.get_object();
      auto text = [&o](const char* key) {
        auto* v = o.if_contains(key);
        return v && v->is_string() ? std::string(v->get_string()) : std::string();
      };
      s.ignore_slots.push_back({text("name"), text("type"), text("database"), text("plugin")});
    }
  return s;
}

dcs_settings to_dcs_settings(const node_config& c, const boost::json::object& dynamic) {
  dcs_settings s;
  s.hosts = c.zookeeper.hosts;
  s.base_path = dcs_base_path(c.dcs_namespace, c.scope);
  s.member_name = c.name;
  s.ttl = static_cast<int>(int_of(dynamic, "ttl", 30));
  s.loop_wait = static_cast<int>(int_of(dynamic, "loop_wait", 10));
  s.retry_timeout = static_cast<int>(int_of(dynamic, "retry_timeout", 10));
  return s;
}

rest_settings to_rest_settings(const node_config& c) {
  rest_settings s;
  if (auto listen = split_host_port(c.restapi.listen)) {
    s.listen_host = listen->host;
    s.listen_port = listen->port;
  }
  s.username = c.restapi.authentication.username;
  s.password = c.restapi.authentication.password;
  s.certfile = c.restapi.certfile;
  s.keyfile = c.restapi.keyfile;
  s.keyfile_password = c.restapi.keyfile_password;
  s.cafile = c.restapi.cafile;
  s.verify_client = c.restapi.verify_client;
  return s;
}

namespace {

// postgresql.<key> of the dynamic configuration as a Patroni boolean; false when absent.
bool dynamic_postgresql_flag(const boost::json::object& dynamic, std::string_view key) {
  auto* pg = dynamic.if_contains("postgresql");
  if (!pg || !pg->is_object()) return false;
  auto* v = pg->get_object().if_contains(key);
  return v && parse_bool(*v).value_or(false);
}

// postgresql.<key> of the local file, when set there.
std::optional<bool> local_postgresql_flag(const node_config& c, std::string_view key) {
  auto* pg = c.raw.if_contains("postgresql");
  if (!pg || !pg->is_object()) return std::nullopt;
  auto* v = pg->get_object().if_contains(key);
  return v ? parse_bool(*v) : std::nullopt;
}

}  // namespace

ha_settings to_ha_settings(const node_config& c, const boost::json::object& dynamic) {
  ha_settings s;
  s.name = c.name;
  s.scope = c.scope;
  s.ttl = static_cast<int>(int_of(dynamic, "ttl", 30));
  s.loop_wait = static_cast<int>(int_of(dynamic, "loop_wait", 10));
  s.retry_timeout = static_cast<int>(int_of(dynamic, "retry_timeout", 10));
  s.maximum_lag_on_failover = int_of(dynamic, "maximum_lag_on_failover", 1048576);
  s.use_slots = use_slots_of(dynamic);
  s.permanent_slots = read_permanent_slots(dynamic).slots;
  s.member_slots_ttl =
      static_cast<int>(std::max<std::int64_t>(0, int_of(dynamic, "member_slots_ttl", 1800)));
  s.can_bootstrap = c.bootstrap.present;
  const auto* standby = standby_cluster_section(dynamic);
  const auto methods =
      standby ? replica_methods_of(string_list(*standby, "create_replica_methods"), c.raw)
              : c.postgresql.replica_methods;
  s.can_clone_without_leader = std::any_of(
      methods.begin(), methods.end(), [](const replica_method& m) { return m.without_leader; });
  if (standby) {
    standby_cluster_config sc;
    sc.host = text_of(*standby, "host");
    sc.port = static_cast<int>(int_of(*standby, "port", 5432));
    sc.primary_slot_name = text_of(*standby, "primary_slot_name");
    s.standby_cluster = sc;
  }
  s.divergence.use_pg_rewind =
      c.postgresql.use_pg_rewind || dynamic_postgresql_flag(dynamic, "use_pg_rewind");
  for (auto [key, flag] :
       {std::pair{"remove_data_directory_on_rewind_failure",
                  &divergence_policy::remove_data_directory_on_rewind_failure},
        std::pair{"remove_data_directory_on_diverged_timelines",
                  &divergence_policy::remove_data_directory_on_diverged_timelines}})
    s.divergence.*flag =
        local_postgresql_flag(c, key).value_or(dynamic_postgresql_flag(dynamic, key));
  s.primary_start_timeout = static_cast<int>(int_of(dynamic, "primary_start_timeout", 300));
  // What a bootstrapping member writes to the config key: Patroni's dynamic configuration,
  // the cached one when the data directory has it.
  s.bootstrap_dcs = c.dynamic_cache ? *c.dynamic_cache : c.bootstrap.dcs;
  s.conn_url = "postgres://" + c.postgresql.connect_address + "/" + c.postgresql.database;
  s.api_url = std::string(c.restapi.certfile.empty() ? "http" : "https") + "://" +
              c.restapi.connect_address + "/patroni";
  // Patroni's get_tags: the four boolean tags appear only when true in Python's sense, and then
  // as written (a quoted "true" stays a string: other members read it with the same truth).
  for (const auto& [key, value] : c.tags) {
    if (key == "nofailover" || key == "noloadbalance" || key == "clonefrom" || key == "nosync") {
      if (python_truthy(&value)) s.tags[key] = value;
    } else if (!value.is_null()) {
      s.tags[key] = value;
    }
  }
  s.nofailover = s.tags.contains("nofailover");
  if (const auto* p = s.tags.if_contains("failover_priority"); p && p->is_int64()) {
    s.failover_priority = static_cast<int>(p->get_int64());
    if (s.failover_priority <= 0) s.nofailover = true;  // Patroni 3.2+: never a leader
  }
  if (const auto* v = dynamic.if_contains("check_timeline"))
    s.check_timeline = parse_bool(*v).value_or(false);
  s.paused = paused_of(dynamic);
  s.synchronous_mode = synchronous_mode_of(dynamic) != synchronous_mode::off;
  s.synchronous_quorum = synchronous_mode_of(dynamic) == synchronous_mode::quorum;
  s.synchronous_mode_strict = flag_of(dynamic, "synchronous_mode_strict");
  s.failsafe_mode = flag_of(dynamic, "failsafe_mode");
  s.synchronous_node_count =
      static_cast<int>(std::max<std::int64_t>(1, int_of(dynamic, "synchronous_node_count", 1)));
  s.maximum_lag_on_syncnode = int_of(dynamic, "maximum_lag_on_syncnode", -1);
  s.nosync = s.tags.contains("nosync");
  s.safety_margin = c.watchdog.safety_margin;
  return s;
}

node_settings to_node_settings(const node_config& config,
                               const std::optional<boost::json::object>& from_dcs) {
  auto dynamic = effective_dynamic(from_dcs, config);
  return {to_ha_settings(config, dynamic), to_postgres_settings(config, dynamic),
          to_dcs_settings(config, dynamic), to_rest_settings(config)};
}

}  // namespace praetor::config
