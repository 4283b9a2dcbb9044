// How Patroni reads flags in its JSON: with Python's truth (null, false, 0, "", [] and {} are
// false; a missing key too), and the two cluster-wide flags of the dynamic configuration built
// on it. Shared by the REST API, the peer probe and praetorctl. Pure; any thread.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "messages/cluster_view.hpp"

namespace praetor {

// Python's bool(v); a null pointer (a missing key) is false.
inline bool python_truthy(const boost::json::value* v) {
  if (!v) return false;
  switch (v->kind()) {
    case boost::json::kind::null:
      return false;
    case boost::json::kind::bool_:
      return v->get_bool();
    case boost::json::kind::int64:
      return v->get_int64() != 0;
    case boost::json::kind::uint64:
      return v->get_uint64() != 0;
    case boost::json::kind::double_:
      return v->get_double() != 0.0;
    case boost::json::kind::string:
      return !v->get_string().empty();
    case boost::json::kind::array:
      return !v->get_array().empty();
    case boost::json::kind::object:
      return !v->get_object().empty();
  }
  return false;
}

inline bool truthy_key(const boost::json::object& o, std::string_view key) {
  return python_truthy(o.if_contains(key));
}

// Patroni's Cluster.is_paused(): `pause` in the dynamic configuration.
inline bool is_paused(const cluster_view& v) {
  return v.config && truthy_key(*v.config, "pause");
}

// Patroni's is_standby_cluster(): the dynamic configuration's standby_cluster section when it
// names where to replicate from (a host, a port or a restore_command), else nullptr.
inline const boost::json::object* standby_cluster_section(const boost::json::object& dynamic) {
  const auto* s = dynamic.if_contains("standby_cluster");
  if (!s || !s->is_object()) return nullptr;
  const auto& o = s->get_object();
  const bool names_source =
      truthy_key(o, "host") || truthy_key(o, "port") || truthy_key(o, "restore_command");
  return names_source ? &o : nullptr;
}

inline bool is_standby_cluster(const cluster_view& v) {
  return v.config && standby_cluster_section(*v.config);
}

}  // namespace praetor
