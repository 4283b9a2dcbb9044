// Small helpers for reading JSON objects field by field, shared by every message's JSON form.
// Readers are tolerant in the way Patroni's are: a missing or mistyped optional field reads as
// its default; required fields throw boost::system::system_error through value_to.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>

namespace praetor::json_fields {

inline const boost::json::value* find(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

inline std::string string_or(const boost::json::object& o, std::string_view key,
                             std::string fallback = {}) {
  auto* v = find(o, key);
  return v && v->is_string() ? std::string(v->get_string()) : fallback;
}

inline std::optional<std::int64_t> optional_int(const boost::json::object& o,
                                                std::string_view key) {
  auto* v = find(o, key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->get_double());
  return std::nullopt;
}

inline std::int64_t int_or(const boost::json::object& o, std::string_view key,
                           std::int64_t fallback = 0) {
  return optional_int(o, key).value_or(fallback);
}

inline bool bool_or(const boost::json::object& o, std::string_view key, bool fallback = false) {
  auto* v = find(o, key);
  return v && v->is_bool() ? v->get_bool() : fallback;
}

inline boost::json::object object_or_empty(const boost::json::object& o, std::string_view key) {
  auto* v = find(o, key);
  return v && v->is_object() ? v->get_object() : boost::json::object{};
}

inline const boost::json::object& as_object(const boost::json::value& v) {
  return v.as_object();  // throws std::invalid_argument-like system_error when not an object
}

}  // namespace praetor::json_fields
