#include "config/env_overrides.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <vector>

#include "config/patroni_values.hpp"
#include "config/yaml_json.hpp"

namespace praetor::config {
namespace {

constexpr std::string_view prefix = "PATRONI_";

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// The PATRONI_* variables not yet consumed; each rule pops what it uses, as Patroni does,
// so that the later catch-all rules only see what is left.
class env_pool {
 public:
  explicit env_pool(const std::map<std::string, std::string>& env) {
    for (const auto& [k, v] : env)
      if (k.rfind(prefix, 0) == 0) vars_[k] = v;
  }
  // PATRONI_<NAME>; "" when absent.
  std::string pop(const std::string& name) { return pop_full(std::string(prefix) + upper(name)); }
  std::string pop_full(const std::string& var) {
    auto it = vars_.find(var);
    if (it == vars_.end()) return {};
    std::string v = it->second;
    vars_.erase(it);
    return v;
  }
  bool has(const std::string& name) const { return vars_.count(std::string(prefix) + upper(name)); }
  void put(const std::string& name, const std::string& v) {
    vars_[std::string(prefix) + upper(name)] = v;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : vars_) out.push_back(k);
    return out;
  }

 private:
  std::map<std::string, std::string> vars_;
};

boost::json::object& section(boost::json::object& root, const std::string& name) {
  auto& v = root[name];
  if (!v.is_object()) v = boost::json::object{};
  return v.get_object();
}

std::string trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  return b == std::string::npos ? std::string{} : s.substr(b);
}

// Patroni's _parse_list: "a,b" and "'a','b'" become a YAML flow list.
std::optional<boost::json::value> parse_list(const std::string& text) {
  std::string t = trimmed(text);
  std::string doc = (t.rfind('-', 0) == 0 || t.find('[') != std::string::npos) ? t : "[" + t + "]";
  auto parsed = parse_yaml(doc, "environment");
  if (!parsed.value || parsed.value->is_null()) return std::nullopt;
  return parsed.value;
}

// Patroni's _parse_dict: "k: v, k2: v2" becomes a YAML flow map.
std::optional<boost::json::value> parse_dict(const std::string& text) {
  std::string t = trimmed(text);
  std::string doc = t.rfind('{', 0) == 0 ? t : "{" + t + "}";
  auto parsed = parse_yaml(doc, "environment");
  if (!parsed.value || !parsed.value->is_object() || parsed.value->get_object().empty())
    return std::nullopt;
  return parsed.value;
}

void set_section_values(env_pool& env, boost::json::object& root, const std::string& name,
                        std::initializer_list<const char*> params) {
  for (const char* p : params) {
    std::string v = env.pop(name + "_" + p);
    if (!v.empty()) section(root, name)[p] = v;
  }
}

constexpr std::array auth_params = {"username",  "password",    "sslmode",        "sslcert",
                                    "sslkey",    "sslpassword", "sslrootcert",    "sslcrl",
                                    "sslcrldir", "gssencmode",  "channel_binding"};

boost::json::object get_auth(env_pool& env, const std::string& name, std::size_t param_count) {
  boost::json::object out;
  for (std::size_t i = 0; i < param_count; ++i) {
    std::string v = env.pop(name + "_" + auth_params[i]);
    if (!v.empty()) out[auth_params[i]] = v;
  }
  return out;
}

// The suffixes Patroni's catch-all rule routes to `<name>.<suffix>` (any DCS section).
bool is_dcs_suffix(const std::string& s) {
  static const std::vector<std::string_view> suffixes = {"HOST",
                                                         "HOSTS",
                                                         "PORT",
                                                         "USE_PROXIES",
                                                         "PROTOCOL",
                                                         "SRV",
                                                         "SRV_SUFFIX",
                                                         "URL",
                                                         "PROXY",
                                                         "CACERT",
                                                         "CERT",
                                                         "KEY",
                                                         "VERIFY",
                                                         "TOKEN",
                                                         "CHECKS",
                                                         "DC",
                                                         "CONSISTENCY",
                                                         "REGISTER_SERVICE",
                                                         "SERVICE_CHECK_INTERVAL",
                                                         "SERVICE_CHECK_TLS_SERVER_NAME",
                                                         "SERVICE_TAGS",
                                                         "NAMESPACE",
                                                         "CONTEXT",
                                                         "USE_ENDPOINTS",
                                                         "SCOPE_LABEL",
                                                         "ROLE_LABEL",
                                                         "POD_IP",
                                                         "PORTS",
                                                         "LABELS",
                                                         "BYPASS_API_SERVICE",
                                                         "RETRIABLE_HTTP_CODES",
                                                         "KEY_PASSWORD",
                                                         "USE_SSL",
                                                         "SET_ACLS",
                                                         "GROUP",
                                                         "DATABASE"};
  if (s.empty()) return false;
  return std::find(suffixes.begin(), suffixes.end(), s) != suffixes.end();
}

}  // namespace

boost::json::object environment_configuration(const std::map<std::string, std::string>& raw) {
  env_pool env(raw);
  boost::json::object root;

  for (const char* p : {"name", "namespace", "scope"}) {
    std::string v = env.pop(p);
    if (!v.empty()) root[p] = v;
  }

  // Legacy spellings feed the LOG_* ones unless those are set.
  for (auto [name, old] : {std::pair{"level", "loglevel"}, std::pair{"format", "logformat"},
                           std::pair{"dateformat", "log_datefmt"}}) {
    std::string v = env.pop(old);
    if (!v.empty() && !env.has(std::string("log_") + name)) env.put(std::string("log_") + name, v);
  }

  set_section_values(env, root, "restapi",
                     {"listen", "connect_address", "certfile", "keyfile", "keyfile_password",
                      "cafile", "ciphers", "verify_client", "http_extra_headers",
                      "https_extra_headers", "allowlist", "allowlist_include_members"});
  set_section_values(env, root, "ctl",
                     {"insecure", "cacert", "certfile", "keyfile", "keyfile_password"});
  set_section_values(env, root, "postgresql",
                     {"listen", "connect_address", "proxy_address", "config_dir", "data_dir",
                      "pgpass", "bin_dir"});
  set_section_values(env, root, "log",
                     {"level", "traceback_level", "format", "dateformat", "max_queue_size", "dir",
                      "file_size", "file_num", "loggers"});

  auto retype = [&](const char* sec, const char* key, auto convert) {
    auto s = root.find(sec);
    if (s == root.end()) return;
    auto& obj = s->value().get_object();
    auto it = obj.find(key);
    if (it == obj.end()) return;
    std::optional<boost::json::value> v = convert(std::string(it->value().get_string()));
    if (v) {
      it->value() = *v;
    } else {
      obj.erase(it);
    }
  };
  auto as_bool = [](const std::string& s) -> std::optional<boost::json::value> {
    if (auto b = parse_bool(boost::json::value(s))) return boost::json::value(*b);
    return std::nullopt;
  };
  auto as_int = [](const std::string& s) -> std::optional<boost::json::value> {
    if (auto i = parse_int(boost::json::value(s))) return boost::json::value(*i);
    return std::nullopt;
  };
  retype("restapi", "allowlist_include_members", as_bool);
  retype("ctl", "insecure", as_bool);
  for (const char* k : {"max_queue_size", "file_size", "file_num"}) retype("log", k, as_int);
  retype("restapi", "allowlist", parse_list);
  retype("restapi", "http_extra_headers", parse_dict);
  retype("restapi", "https_extra_headers", parse_dict);
  retype("log", "loggers", parse_dict);

  auto restapi_auth = get_auth(env, "restapi", 2);
  if (!restapi_auth.empty()) section(root, "restapi")["authentication"] = restapi_auth;

  boost::json::object authentication;
  for (const char* user : {"replication", "superuser", "rewind"}) {
    auto entry = get_auth(env, user, auth_params.size());
    if (!entry.empty()) authentication[user] = entry;
  }
  if (!authentication.empty()) section(root, "postgresql")["authentication"] = authentication;

  // PATRONI_<DCS>_<SUFFIX>, e.g. PATRONI_ZOOKEEPER_HOSTS -> zookeeper.hosts.
  for (const std::string& var : env.names()) {
    std::string rest = var.substr(prefix.size());
    auto underscore = rest.find('_');
    if (underscore == std::string::npos || underscore == 0) continue;
    std::string name = rest.substr(0, underscore);
    std::string suffix = rest.substr(underscore + 1);
    if (!is_dcs_suffix(suffix) || name == "CITUS") continue;
    std::string text = env.pop_full(var);
    std::optional<boost::json::value> value = boost::json::value(text);
    if (suffix == "PORT") {
      value = text.empty() ? value : as_int(text);
    } else if (suffix == "HOSTS" || suffix == "PORTS" || suffix == "CHECKS" ||
               suffix == "SERVICE_TAGS" || suffix == "RETRIABLE_HTTP_CODES") {
      value = text.empty() ? value : parse_list(text);
    } else if (suffix == "LABELS" || suffix == "SET_ACLS") {
      value = parse_dict(text);
    } else if (suffix == "USE_PROXIES" || suffix == "REGISTER_SERVICE" ||
               suffix == "USE_ENDPOINTS" || suffix == "BYPASS_API_SERVICE" || suffix == "VERIFY") {
      value = as_bool(text);
    }
    if (value) section(root, lower(name))[lower(suffix)] = *value;
  }

  // Any other PATRONI_<USER>_PASSWORD (+ _OPTIONS) describes a user for bootstrap.users.
  boost::json::object users;
  for (const std::string& var : env.names()) {
    std::string rest = var.substr(prefix.size());
    auto underscore = rest.rfind('_');
    if (underscore == std::string::npos || underscore == 0) continue;
    if (rest.substr(underscore + 1) != "PASSWORD") continue;
    std::string user = rest.substr(0, underscore);
    std::string password = env.pop_full(var);
    if (password.empty()) continue;
    boost::json::object entry{{"password", password}};
    std::string options = env.pop(user + "_OPTIONS");
    if (!options.empty())
      if (auto list = parse_list(options)) entry["options"] = *list;
    users[user] = entry;
  }
  if (!users.empty()) section(root, "bootstrap")["users"] = users;

  return root;
}

}  // namespace praetor::config
