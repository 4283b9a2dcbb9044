#include "backends/postgres/files_render.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <filesystem>

#include "messages/slots.hpp"

namespace praetor::pg {
namespace {

std::string json_to_guc(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "on" : "off";
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) {
    std::string s = boost::json::serialize(v);
    return s;
  }
  if (v.is_null()) return "";
  return boost::json::serialize(v);
}

// libpq conninfo escaping as Patroni's format_dsn does it.
std::string dsn_escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\'' || c == '\\' || c == ' ') out += '\\';
    out += c;
  }
  return out;
}

std::string pgpass_escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == ':' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

const std::vector<std::string>& command_line_parameter_names() {
  static const std::vector<std::string> names = {"listen_addresses",
                                                 "port",
                                                 "cluster_name",
                                                 "wal_level",
                                                 "hot_standby",
                                                 "max_connections",
                                                 "max_wal_senders",
                                                 "max_prepared_transactions",
                                                 "max_locks_per_transaction",
                                                 "track_commit_timestamp",
                                                 "max_replication_slots",
                                                 "max_worker_processes",
                                                 "wal_log_hints",
                                                 "unix_socket_directories"};
  return names;
}

std::string config_dir(const postgres_settings& s) {
  return s.config_dir.empty() ? s.data_dir : s.config_dir;
}

std::string socket_dir(const postgres_settings& s) {
  if (auto it = s.parameters.find("unix_socket_directories"); it != s.parameters.end()) {
    std::string v = json_to_guc(it->value());
    auto comma = v.find(',');
    if (comma != std::string::npos) v = v.substr(0, comma);
    while (!v.empty() && v.front() == ' ') v.erase(0, 1);
    while (!v.empty() && v.back() == ' ') v.pop_back();
    if (!v.empty()) return v;
  }
  if (!s.unix_socket_dir.empty()) return s.unix_socket_dir;
  auto parent = std::filesystem::path(s.data_dir).lexically_normal().parent_path();
  if (parent.filename().empty()) parent = parent.parent_path();  // data_dir ended with '/'
  return parent.empty() ? std::string("/tmp") : parent.string();
}

parameter_map effective_parameters(const postgres_settings& s) {
  parameter_map p = {{"wal_level", "replica"},
                     {"hot_standby", "on"},
                     {"max_connections", "100"},
                     {"max_wal_senders", "10"},
                     {"wal_keep_size", "128MB"},
                     {"max_prepared_transactions", "0"},
                     {"max_locks_per_transaction", "64"},
                     {"track_commit_timestamp", "off"},
                     {"max_replication_slots", "10"},
                     {"max_worker_processes", "8"},
                     {"wal_log_hints", "on"}};
  for (const auto& kv : s.parameters) p[std::string(kv.key())] = json_to_guc(kv.value());
  if (p["wal_level"] == "hot_standby") p["wal_level"] = "replica";  // renamed in 9.6
  // Forced: 3.0.2 does not let anyone turn these off, and listen/port/cluster_name come from
  // the local configuration and the scope.
  p["hot_standby"] = "on";
  p["wal_log_hints"] = "on";
  p["listen_addresses"] = s.listen_host.empty() ? "127.0.0.1" : s.listen_host;
  p["port"] = std::to_string(s.port);
  p["cluster_name"] = s.scope;
  p["unix_socket_directories"] = socket_dir(s);
  p.erase("hba_file");
  p.erase("ident_file");
  return p;
}

namespace {
// A file the user named in postgresql.parameters, "" when none.
std::string user_file(const postgres_settings& s, const char* parameter) {
  const auto* v = s.parameters.if_contains(parameter);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
}  // namespace

std::string hba_file(const postgres_settings& s) {
  auto user = user_file(s, "hba_file");
  return user.empty() ? config_dir(s) + "/pg_hba.conf" : user;
}

std::string ident_file(const postgres_settings& s) {
  auto user = user_file(s, "ident_file");
  return user.empty() ? config_dir(s) + "/pg_ident.conf" : user;
}

bool user_hba_file(const postgres_settings& s) {
  return !user_file(s, "hba_file").empty();
}

std::string conf_quote(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

std::string format_dsn(const dsn_params& params) {
  // libpq's keywords in the order Patroni's format_dsn writes them
  static const std::vector<std::string> order = {"dbname",
                                                 "user",
                                                 "passfile",
                                                 "password",
                                                 "host",
                                                 "port",
                                                 "sslmode",
                                                 "sslcompression",
                                                 "sslcert",
                                                 "sslkey",
                                                 "sslpassword",
                                                 "sslrootcert",
                                                 "sslcrl",
                                                 "sslcrldir",
                                                 "application_name",
                                                 "krbsrvname",
                                                 "gssencmode",
                                                 "channel_binding",
                                                 "target_session_attrs"};
  std::string out;
  for (const auto& key : order) {
    auto it = params.find(key);
    if (it == params.end()) continue;
    if (!out.empty()) out += ' ';
    out += key + "=" + dsn_escape(it->second);
  }
  return out;
}

dsn_params connection_params(const pg_credentials& who, const upstream_member& upstream) {
  dsn_params p(who.options.begin(), who.options.end());
  p["user"] = who.username;
  p["host"] = upstream.host;
  p["port"] = std::to_string(upstream.port);
  return p;
}

std::string render_primary_conninfo(const postgres_settings& s, const upstream_member& upstream) {
  auto p = connection_params(s.replication, upstream);
  if (!s.replication.password.empty()) p["passfile"] = s.pgpass;
  p["application_name"] = s.member_name;
  p.try_emplace("sslmode", "prefer");
  p.try_emplace("gssencmode", "prefer");
  p.try_emplace("channel_binding", "prefer");
  // A standby leader with a slot on the other cluster's primary must reach that primary, not
  // one of its replicas (Patroni adds the same).
  if (upstream.remote && s.use_slots && !upstream.remote_slot.empty())
    p.try_emplace("target_session_attrs", "read-write");
  return format_dsn(p);
}

std::string render_pgpass_line(const std::string& host, int port, const std::string& user,
                               const std::string& password) {
  return pgpass_escape(host) + ":" + std::to_string(port) + ":*:" + pgpass_escape(user) + ":" +
         pgpass_escape(password) + "\n";
}

std::string render_postgresql_conf(const postgres_settings& s, const replica_config* replica) {
  std::string out =
      "# Do not edit this file manually!\n# It will be overwritten by Patroni!\n"
      "include 'postgresql.base.conf'\n\n";
  auto put = [&out](const std::string& name, const std::string& value) {
    out += name + " = " + conf_quote(value) + "\n";
  };
  for (const auto& [name, value] : effective_parameters(s)) put(name, value);
  put("hba_file", hba_file(s));
  put("ident_file", ident_file(s));
  if (replica && !replica->point_in_time.empty()) {
    out += "\n# recovery.conf\n";
    for (const auto& [name, value] : replica->point_in_time) put(name, value);
  } else if (replica) {
    out += "\n# recovery.conf\n";
    parameter_map r;
    // The user's recovery_conf first; what praetor must decide itself is not taken from it.
    for (const auto& [name, value] : s.recovery_conf) {
      auto key = name;
      std::transform(key.begin(), key.end(), key.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (!key.starts_with("recovery_target") && key != "primary_conninfo" &&
          key != "primary_slot_name" && key != "standby_mode")
        r[key] = value;
    }
    if (!replica->upstream.host.empty())
      r["primary_conninfo"] = render_primary_conninfo(s, replica->upstream);
    const auto& up = replica->upstream;
    if (up.remote) {
      // The remote primary's slot is the one standby_cluster names (none when it names none).
      if (s.use_slots && !up.remote_slot.empty()) r["primary_slot_name"] = up.remote_slot;
      if (!s.standby_min_apply_delay.empty())
        r["recovery_min_apply_delay"] = s.standby_min_apply_delay;
    } else if (s.use_slots && !up.host.empty()) {
      r["primary_slot_name"] = slot_name_for_member(s.member_name);
    }
    for (const char* t : {"recovery_target", "recovery_target_lsn", "recovery_target_name",
                          "recovery_target_time", "recovery_target_xid"})
      r[t] = "";
    r["recovery_target_timeline"] = "latest";
    for (const auto& [name, value] : r) put(name, value);
  }
  return out;
}

std::string render_pg_hba(const postgres_settings& s, const std::string& existing,
                          bool with_bootstrap_lines) {
  std::string out;
  if (!s.pg_hba.empty()) {
    for (const auto& l : s.pg_hba) out += l + "\n";
    return out;
  }
  out += existing;
  if (!existing.empty() && existing.back() != '\n') out += '\n';
  if (with_bootstrap_lines && !s.bootstrap_pg_hba.empty()) {
    out += '\n';
    for (const auto& l : s.bootstrap_pg_hba) out += l + "\n";
  }
  return out;
}

std::string binary(const postgres_settings& s, const std::string& name) {
  if (s.bin_dir.empty()) return "/usr/lib/postgresql/15/bin/" + name;
  std::string dir = s.bin_dir;
  if (dir.back() == '/') dir.pop_back();
  return dir + "/" + name;
}

std::vector<std::string> postmaster_argv(const postgres_settings& s) {
  std::vector<std::string> argv = {binary(s, "postgres"), "-D", s.data_dir,
                                   "--config-file=" + config_dir(s) + "/postgresql.conf"};
  auto params = effective_parameters(s);
  for (const auto& name : command_line_parameter_names())
    if (auto it = params.find(name); it != params.end())
      argv.push_back("--" + name + "=" + it->second);
  return argv;
}

std::vector<std::string> initdb_argv(const postgres_settings& s, const std::string& pwfile) {
  std::vector<std::string> argv = {binary(s, "initdb"), "-D", s.data_dir};
  for (const auto& a : s.initdb_args) argv.push_back(a);
  argv.push_back("--username=" + s.superuser.username);
  if (!pwfile.empty()) argv.push_back("--pwfile=" + pwfile);
  return argv;
}

std::string basebackup_dsn(const postgres_settings& s, const upstream_member& source) {
  auto p = connection_params(s.replication, source);
  p["dbname"] = s.database;
  return format_dsn(p);
}

std::vector<std::string> basebackup_argv(const postgres_settings& s,
                                         const upstream_member& source) {
  std::vector<std::string> argv = {binary(s, "pg_basebackup"), "--pgdata=" + s.data_dir, "-X",
                                   "stream", "--dbname=" + basebackup_dsn(s, source)};
  for (const auto& a : s.basebackup_args) argv.push_back(a);
  return argv;
}

const pg_credentials& rewind_credentials(const postgres_settings& s) {
  return s.rewind.username.empty() ? s.superuser : s.rewind;
}

std::string rewind_dsn(const postgres_settings& s, const upstream_member& source) {
  auto p = connection_params(rewind_credentials(s), source);
  p["dbname"] = s.database.empty() ? "postgres" : s.database;
  p["target_session_attrs"] = "read-write";
  return format_dsn(p);
}

std::vector<std::string> rewind_argv(const postgres_settings& s, const upstream_member& source) {
  return {binary(s, "pg_rewind"), "-D", s.data_dir, "--source-server=" + rewind_dsn(s, source)};
}

std::vector<std::string> single_user_recovery_argv(const postgres_settings& s) {
  return {binary(s, "postgres"),
          "--single",
          "-F",
          "-D",
          s.data_dir,
          "--config-file=" + config_dir(s) + "/postgresql.conf",
          "-c",
          "archive_mode=on",
          "-c",
          "archive_command=false",
          "template1"};
}

}  // namespace praetor::pg
