#include "config/unsupported.hpp"

#include <algorithm>
#include <string_view>

#include "config/patroni_values.hpp"

namespace praetor::config {
namespace {

// What a value asks for: null, false (also "off", "no", "0"), "", [] and {} ask for nothing.
bool asks_for_something(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return false;
    case boost::json::kind::bool_:
      return v.get_bool();
    case boost::json::kind::string:
      if (auto b = parse_bool(v)) return *b;
      return !v.get_string().empty();
    case boost::json::kind::array:
      return !v.get_array().empty();
    case boost::json::kind::object:
      return !v.get_object().empty();
    default:
      return parse_int(v).value_or(1) != 0;
  }
}

const boost::json::value* lookup(const boost::json::object& o, std::string_view dotted) {
  const boost::json::object* at = &o;
  while (true) {
    auto dot = dotted.find('.');
    auto* v = at->if_contains(dotted.substr(0, dot));
    if (!v || dot == std::string_view::npos) return v;
    if (!v->is_object()) return nullptr;
    at = &v->get_object();
    dotted.remove_prefix(dot + 1);
  }
}

// A setting refused when it asks for something, with what praetor lacks to carry it out.
struct unsupported_key {
  const char* path;
  const char* missing;
};

// Refused unless its value is `allowed` (case-insensitive) or absent.
struct only_value {
  const char* path;
  const char* allowed;
  const char* missing;
};

std::string refusal(const char* missing) {
  return std::string("praetor does not carry this out yet (") + missing +
         "); remove the key or turn it off";
}

void check_keys(const boost::json::object& o, const std::string& prefix,
                std::initializer_list<unsupported_key> keys, std::vector<config_error>& out) {
  for (const auto& k : keys)
    if (auto* v = lookup(o, k.path); v && asks_for_something(*v))
      out.push_back({join_path(prefix, k.path), refusal(k.missing)});
}

void check_values(const boost::json::object& o, const std::string& prefix,
                  std::initializer_list<only_value> keys, std::vector<config_error>& out) {
  for (const auto& k : keys) {
    auto* v = lookup(o, k.path);
    if (!v || v->is_null() || v->is_object() || v->is_array()) continue;  // typed elsewhere
    if (lower(scalar_text(*v)) != k.allowed)
      out.push_back({join_path(prefix, k.path), "'" + scalar_text(*v) + "': " + refusal(k.missing) +
                                                    " (" + k.allowed + " is what praetor does)"});
  }
}

// The postgresql.* settings that the local file and the dynamic configuration share.
void check_postgresql(const boost::json::object& o, const std::string& prefix,
                      std::vector<config_error>& out) {
  check_keys(o, prefix,
             {{"postgresql.pg_ident", "writing pg_ident.conf"},
              {"postgresql.pre_promote", "a pre_promote script"},
              {"postgresql.custom_conf", "a custom base configuration file"}},
             out);
  check_values(o, prefix,
               {{"postgresql.config_base_name", "postgresql", "another configuration file name"}},
               out);
}

}  // namespace

std::vector<config_error> unsupported_local(const boost::json::object& document) {
  std::vector<config_error> out;
  for (const char* dcs : {"consul", "etcd", "etcd3", "exhibitor", "kubernetes", "raft"})
    if (auto* v = document.if_contains(dcs); v && !v->is_null())
      out.push_back({dcs,
                     "praetor coordinates through ZooKeeper only; remove this section "
                     "and use the zookeeper section"});
  check_keys(document, "",
             {{"citus", "Citus clusters"},
              {"restapi.ciphers", "choosing the REST API's TLS ciphers"},
              {"restapi.allowlist", "an allowlist for the REST API"},
              {"restapi.allowlist_include_members", "an allowlist for the REST API"},
              {"restapi.http_extra_headers", "extra HTTP headers"},
              {"restapi.https_extra_headers", "extra HTTP headers"},
              {"zookeeper.use_ssl", "TLS to ZooKeeper"},
              {"zookeeper.cacert", "TLS to ZooKeeper"},
              {"zookeeper.cert", "TLS to ZooKeeper"},
              {"zookeeper.key", "TLS to ZooKeeper"},
              {"zookeeper.key_password", "TLS to ZooKeeper"},
              {"zookeeper.set_acls", "ZooKeeper ACLs"},
              {"zookeeper.exhibitor", "Exhibitor"},
              {"postgresql.proxy_address", "publishing a connection pooler's address"},
              {"postgresql.krbsrvname", "Kerberos service names"},
              {"log.format", "Python logging formats"},
              {"log.dateformat", "Python logging formats"},
              {"log.loggers", "per-module log levels"}},
             out);
  // Patroni's only other driver is its test harness: a driver praetor lacks would be a promise
  // it does not keep.
  if (auto* mode = lookup(document, "watchdog.mode");
      !mode || !mode->is_string() || lower(std::string(mode->get_string())) != "off")
    check_values(document, "", {{"watchdog.driver", "default", "watchdog drivers"}}, out);
  check_postgresql(document, "", out);
  sort_errors(out);
  return out;
}

std::vector<config_error> unsupported_dynamic(const boost::json::object& dynamic,
                                              const std::string& prefix) {
  std::vector<config_error> out;
  check_postgresql(dynamic, prefix, out);
  for (const char* key :
       {"postgresql.callbacks", "postgresql.basebackup", "postgresql.pg_ctl_timeout",
        "postgresql.create_replica_methods", "postgresql.create_replica_method"})
    if (auto* v = lookup(dynamic, key); v && asks_for_something(*v))
      out.push_back({join_path(prefix, key),
                     "praetor takes this from the local configuration file only, not from the "
                     "dynamic configuration; move it there"});
  sort_errors(out);
  return out;
}

}  // namespace praetor::config
