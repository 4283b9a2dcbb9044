#include "config/dynamic.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>

#include "config/patroni_values.hpp"
#include "config/unsupported.hpp"

namespace praetor::config {
namespace {

bool int_at_least(const boost::json::value& v, std::int64_t min) {
  auto i = parse_int(v);
  return i && *i >= min;
}

// A size in MB from "128MB", "1GB", "16384kB" or a bare number (already MB).
std::optional<double> size_in_mb(const boost::json::value& v) {
  if (auto i = parse_int(v)) return static_cast<double>(*i);
  if (!v.is_string()) return std::nullopt;
  std::string text(v.get_string());
  std::size_t used = 0;
  double number = 0;
  try {
    number = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string unit = text.substr(used);
  unit.erase(std::remove(unit.begin(), unit.end(), ' '), unit.end());
  static const std::map<std::string, double> per_mb = {
      {"", 1}, {"kB", 1.0 / 1024}, {"MB", 1}, {"GB", 1024}, {"TB", 1024.0 * 1024}};
  auto it = per_mb.find(unit);
  if (it == per_mb.end()) return std::nullopt;
  return number * it->second;
}

using parameter_check = std::function<bool(const boost::json::value&)>;

const std::map<std::string, parameter_check>& command_line_checks() {
  static const std::map<std::string, parameter_check> checks = {
      {"listen_addresses", [](const auto&) { return false; }},
      {"port", [](const auto&) { return false; }},
      {"cluster_name", [](const auto&) { return false; }},
      {"wal_level",
       [](const boost::json::value& v) {
         std::string s = lower(scalar_text(v));
         return s == "hot_standby" || s == "replica" || s == "logical";
       }},
      // Forced on: asking for "on" is fine, asking for "off" is refused.
      {"hot_standby", [](const auto& v) { return parse_bool(v) == std::optional<bool>(true); }},
      {"max_connections", [](const auto& v) { return int_at_least(v, 25); }},
      {"max_wal_senders", [](const auto& v) { return int_at_least(v, 3); }},
      {"wal_keep_segments", [](const auto& v) { return int_at_least(v, 1); }},
      {"wal_keep_size",
       [](const boost::json::value& v) {
         auto mb = size_in_mb(v);
         return mb && *mb >= 16;
       }},
      {"max_prepared_transactions", [](const auto& v) { return int_at_least(v, 0); }},
      {"max_locks_per_transaction", [](const auto& v) { return int_at_least(v, 32); }},
      {"track_commit_timestamp",
       [](const boost::json::value& v) { return parse_bool(v).has_value(); }},
      {"max_replication_slots", [](const auto& v) { return int_at_least(v, 4); }},
      {"max_worker_processes", [](const auto& v) { return int_at_least(v, 2); }},
      {"wal_log_hints", [](const auto& v) { return parse_bool(v) == std::optional<bool>(true); }},
  };
  return checks;
}

constexpr const char* int_keys[] = {"ttl",
                                    "loop_wait",
                                    "retry_timeout",
                                    "maximum_lag_on_failover",
                                    "maximum_lag_on_syncnode",
                                    "primary_start_timeout",
                                    "primary_stop_timeout",
                                    "member_slots_ttl",
                                    "synchronous_node_count"};
constexpr const char* bool_keys[] = {"check_timeline", "synchronous_mode_strict", "failsafe_mode"};
// Local-only keys the dynamic configuration may not set (Patroni drops them silently).
constexpr const char* local_only_postgresql_keys[] = {"connect_address", "proxy_address", "listen",
                                                      "config_dir",      "data_dir",      "pgpass",
                                                      "authentication"};

template <std::size_t N>
bool contains(const char* const (&list)[N], std::string_view key) {
  return std::find(std::begin(list), std::end(list), key) != std::end(list);
}

void warn_unreadable(const std::string& key, const boost::json::value& v, const char* kept) {
  spdlog::warn("dynamic configuration: {} = {} cannot be read as {}; keeping the default", key,
               boost::json::serialize(v), kept);
}

}  // namespace

boost::json::object default_postgresql_parameters() {
  return {{"max_connections", 100},          {"max_wal_senders", 10},
          {"wal_level", "replica"},          {"hot_standby", "on"},
          {"wal_keep_size", "128MB"},        {"max_replication_slots", 10},
          {"max_worker_processes", 8},       {"wal_log_hints", "on"},
          {"max_locks_per_transaction", 64}, {"max_prepared_transactions", 0},
          {"track_commit_timestamp", "off"}};
}

boost::json::object dynamic_defaults() {
  return {{"ttl", 30},
          {"loop_wait", 10},
          {"retry_timeout", 10},
          {"maximum_lag_on_failover", 1048576},
          {"maximum_lag_on_syncnode", -1},
          {"check_timeline", false},
          {"primary_start_timeout", 300},
          {"primary_stop_timeout", 0},
          {"synchronous_mode", false},
          {"synchronous_mode_strict", false},
          {"synchronous_node_count", 1},
          {"failsafe_mode", false},
          {"standby_cluster",
           {{"create_replica_methods", ""},
            {"host", ""},
            {"port", ""},
            {"primary_slot_name", ""},
            {"restore_command", ""},
            {"archive_cleanup_command", ""},
            {"recovery_min_apply_delay", ""}}},
          {"postgresql", {{"use_slots", true}, {"parameters", default_postgresql_parameters()}}}};
}

bool is_command_line_parameter(const std::string& name) {
  return command_line_checks().count(lower(name)) > 0;
}

bool dynamic_parameter_accepted(const std::string& name, const boost::json::value& value) {
  auto it = command_line_checks().find(lower(name));
  return it == command_line_checks().end() || it->second(value);
}

boost::json::object effective_dynamic(const boost::json::object& dynamic) {
  boost::json::object out = dynamic_defaults();
  for (const auto& [raw_key, value] : dynamic) {
    std::string key(raw_key);
    // master_* are the old names; they count only when the new name is absent.
    if (key == "master_start_timeout" && !dynamic.contains("primary_start_timeout"))
      key = "primary_start_timeout";
    if (key == "master_stop_timeout" && !dynamic.contains("primary_stop_timeout"))
      key = "primary_stop_timeout";

    if (key == "postgresql") {
      if (!value.is_object()) continue;
      auto& pg = out["postgresql"].as_object();
      for (const auto& [pg_key, pg_value] : value.get_object()) {
        if (pg_key == "parameters") {
          if (!pg_value.is_object()) continue;
          auto& params = pg["parameters"].as_object();
          const auto& given = pg_value.get_object();
          for (const auto& [name, v] : given) {
            std::string n(name);
            if (lower(n) == "wal_keep_segments") {
              // PostgreSQL 13 replaced it by wal_keep_size and refuses to start with the old
              // name: converted as Patroni does, 16 MB a segment, unless both are given.
              if (!dynamic_parameter_accepted(n, v) || given.contains("wal_keep_size")) continue;
              params["wal_keep_size"] = std::to_string(*parse_int(v) * 16) + "MB";
              continue;
            }
            if (!dynamic_parameter_accepted(n, v)) {
              spdlog::warn(
                  "dynamic configuration: postgresql.parameters.{} = {} is not "
                  "accepted (forced by praetor or below the minimum); keeping the "
                  "default",
                  n, boost::json::serialize(v));
              continue;
            }
            params[is_command_line_parameter(n) ? lower(n) : n] = v;
          }
        } else if (pg_key == "use_slots") {
          if (auto b = parse_bool(pg_value)) {
            pg["use_slots"] = *b;
          } else {
            warn_unreadable("postgresql.use_slots", pg_value, "a boolean");
          }
        } else if (!contains(local_only_postgresql_keys, pg_key)) {
          pg[pg_key] = pg_value;
        }
      }
    } else if (key == "standby_cluster") {
      if (!value.is_object()) continue;
      auto& standby = out["standby_cluster"].as_object();
      for (const auto& [k, v] : value.get_object())
        if (standby.contains(k)) standby[k] = v;
    } else if (contains(int_keys, key)) {
      if (auto i = parse_int(value)) {
        out[key] = *i;
      } else {
        warn_unreadable(key, value, "an integer");
      }
    } else if (key == "synchronous_mode") {
      if (auto mode = parse_synchronous_mode(value)) {
        if (*mode == synchronous_mode::quorum)
          out[key] = "quorum";
        else
          out[key] = *mode == synchronous_mode::on;
      } else {
        warn_unreadable(key, value, "a boolean or 'quorum'");
      }
    } else if (contains(bool_keys, key)) {
      if (auto b = parse_bool(value)) {
        out[key] = *b;
      } else {
        warn_unreadable(key, value, "a boolean");
      }
    } else if (key == "permanent_slots" || key == "permanent_replication_slots") {
      if (!dynamic.contains("slots")) out["slots"] = value;  // old names of `slots`
    } else if (key == "slots" || key == "ignore_slots" || key == "max_timelines_history" ||
               key == "pause") {
      out[key] = value;  // read by the HA loop straight from the cluster's config
    }
  }
  if (auto warning = enforce_timing_rule(out)) spdlog::warn("dynamic configuration: {}", *warning);
  return out;
}

std::optional<std::string> enforce_timing_rule(boost::json::object& dynamic) {
  auto read = [&](const char* key, std::int64_t fallback) {
    auto* v = dynamic.if_contains(key);
    return v ? parse_int(*v).value_or(fallback) : fallback;
  };
  const std::int64_t ttl = read("ttl", 30);
  const std::int64_t loop_wait = read("loop_wait", 10);
  const std::int64_t retry_timeout = read("retry_timeout", 10);
  if (loop_wait + 2 * retry_timeout <= ttl) return std::nullopt;
  // The loop keeps its pace; the DCS deadline shrinks so that a primary that lost ZooKeeper
  // gives up within the lock's lifetime. Only a loop_wait that leaves no room for a 1 s
  // deadline is shortened as well.
  const std::int64_t new_retry_timeout = std::max<std::int64_t>(1, (ttl - loop_wait) / 2);
  const std::int64_t new_loop_wait =
      std::min(loop_wait, std::max<std::int64_t>(1, ttl - 2 * new_retry_timeout));
  dynamic["loop_wait"] = new_loop_wait;
  dynamic["retry_timeout"] = new_retry_timeout;
  std::string used = "retry_timeout " + std::to_string(new_retry_timeout);
  if (new_loop_wait != loop_wait)
    used = "loop_wait " + std::to_string(new_loop_wait) + " and " + used;
  return "loop_wait (" + std::to_string(loop_wait) + ") + 2 * retry_timeout (" +
         std::to_string(retry_timeout) + ") > ttl (" + std::to_string(ttl) + "): using " + used +
         " so that a primary cut from ZooKeeper demotes before its leader lock expires";
}

boost::json::object effective_dynamic(const std::optional<boost::json::object>& from_dcs,
                                      const node_config& config) {
  if (from_dcs && !from_dcs->empty()) {
    // A znode cannot be refused (patronictl writes it without asking a daemon): say what of it
    // is not carried out, every time it is applied.
    for (const auto& e : unsupported_dynamic(*from_dcs, ""))
      spdlog::error("the cluster's dynamic configuration: {}", to_string(e));
    return effective_dynamic(*from_dcs);
  }
  return effective_dynamic(config.dynamic_cache ? *config.dynamic_cache : config.bootstrap.dcs);
}

boost::json::object effective_parameters(const boost::json::object& dynamic,
                                         const boost::json::object& local_parameters) {
  boost::json::object out = default_postgresql_parameters();
  if (auto* pg = dynamic.if_contains("postgresql"); pg && pg->is_object())
    if (auto* params = pg->get_object().if_contains("parameters"); params && params->is_object())
      for (const auto& [name, v] : params->get_object()) out[name] = v;
  for (const auto& [name, v] : local_parameters)
    if (!is_command_line_parameter(std::string(name))) out[name] = v;
  return out;
}

}  // namespace praetor::config
