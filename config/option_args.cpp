#include "config/option_args.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "config/patroni_values.hpp"

namespace praetor::config {

const std::vector<std::string>& initdb_refused_options() {
  static const std::vector<std::string> names = {"pgdata", "nosync", "pwfile", "sync-only",
                                                 "version"};
  return names;
}

const std::vector<std::string>& basebackup_refused_options() {
  static const std::vector<std::string> names = {"pgdata", "format", "wal-method", "xlog-method",
                                                 "gzip", "version", "compress", "dbname",
                                                 "host", "port", "username", "password"};
  return names;
}

option_args user_option_args(const boost::json::value& options, const std::string& tool,
                             const std::string& path,
                             const std::vector<std::string>& not_allowed) {
  option_args out;
  auto allowed = [&](const std::string& name) {
    if (std::find(not_allowed.begin(), not_allowed.end(), name) == not_allowed.end()) return true;
    out.errors.push_back({path, "the " + tool + " option '" + name +
                                    "' is not allowed: praetor sets it itself; remove it"});
    return false;
  };
  if (options.is_null()) return out;
  if (options.is_object()) {
    for (const auto& [key, value] : options.get_object()) {
      std::string k(key);
      std::string v = scalar_text(value);
      if (k.empty() || v.empty() || (value.is_bool() && !value.get_bool())) continue;
      if (allowed(k)) out.args.push_back("--" + k + "=" + v);
    }
    return out;
  }
  if (!options.is_array()) {
    out.errors.push_back({path, tool + " options must be a list or a map, not " +
                                    describe_type(options)});
    return out;
  }
  for (const auto& item : options.get_array()) {
    if (item.is_string()) {
      std::string name(item.get_string());
      if (allowed(name)) out.args.push_back("--" + name);
    } else if (item.is_object() && item.get_object().size() == 1 &&
               !item.get_object().begin()->value().is_object() &&
               !item.get_object().begin()->value().is_array() &&
               !item.get_object().begin()->value().is_null()) {
      const auto& kv = *item.get_object().begin();
      std::string name(kv.key());
      if (allowed(name)) out.args.push_back("--" + name + "=" + scalar_text(kv.value()));
    } else {
      out.errors.push_back({path, "cannot read the " + tool + " option " +
                                      boost::json::serialize(item) +
                                      ": write a string or a single key: value pair"});
    }
  }
  return out;
}

}  // namespace praetor::config
