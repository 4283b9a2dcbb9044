#include "config/value_checks.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "config/address.hpp"
#include "config/patroni_values.hpp"
#include "config/shell_words.hpp"

namespace praetor::config {

const boost::json::value* find_key(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

bool is_scalar(const boost::json::value& v) {
  return !v.is_object() && !v.is_array() && !v.is_null();
}

const boost::json::object* expect_map(const boost::json::object& parent, std::string_view key,
                                      const std::string& path, errors_t& errors) {
  auto* v = find_key(parent, key);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_object()) {
    errors.push_back({path, "must be a map of keys, not " + describe_type(*v)});
    return nullptr;
  }
  return &v->get_object();
}

void expect_text(const boost::json::object& parent, std::string_view key, const std::string& path,
                 bool required, errors_t& errors) {
  auto* v = find_key(parent, key);
  if (!v || v->is_null() || (v->is_string() && v->get_string().empty())) {
    if (required) errors.push_back({path, "is required but missing"});
    return;
  }
  if (!is_scalar(*v) || v->is_bool())
    errors.push_back({path, "must be a string, not " + describe_type(*v)});
}

void expect_bool(const boost::json::object& parent, std::string_view key, const std::string& path,
                 errors_t& errors) {
  auto* v = find_key(parent, key);
  if (v && !v->is_null() && !parse_bool(*v))
    errors.push_back({path, "must be true or false, not " + describe_type(*v)});
}

void expect_strict_bool(const boost::json::object& parent, std::string_view key,
                        const std::string& path, errors_t& errors) {
  auto* v = find_key(parent, key);
  if (v && !v->is_null() && !v->is_bool())
    errors.push_back({path, "must be true or false (unquoted), not " + describe_type(*v)});
}

void expect_int(const boost::json::object& parent, std::string_view key, const std::string& path,
                bool positive, errors_t& errors) {
  auto* v = find_key(parent, key);
  if (!v || v->is_null()) return;
  auto i = v->is_bool() ? std::nullopt : parse_int(*v);
  if (!i) {
    errors.push_back({path, "must be an integer, not " + describe_type(*v)});
  } else if (positive && *i <= 0) {
    errors.push_back({path, "must be positive, not " + std::to_string(*i)});
  }
}

void expect_command(const boost::json::object& parent, std::string_view key,
                    const std::string& path, errors_t& errors) {
  expect_text(parent, key, path, false, errors);
  if (auto* v = find_key(parent, key); v && v->is_string())
    if (auto split = split_shell_words(v->get_string()); !split.ok())
      errors.push_back({path, "cannot be split into words as Patroni would (" + split.error + ")"});
}

void expect_lines(const boost::json::object& parent, std::string_view key, const std::string& path,
                  errors_t& errors) {
  auto* v = find_key(parent, key);
  if (!v || v->is_null()) return;
  if (!v->is_array()) {
    errors.push_back({path, "must be a list of lines, not " + describe_type(*v)});
    return;
  }
  for (const auto& line : v->get_array())
    if (!line.is_string()) {
      errors.push_back({path, "every entry must be a string, found " + describe_type(line)});
      return;
    }
}

void expect_host_port(const boost::json::object& parent, std::string_view key,
                      const std::string& path, errors_t& errors) {
  auto* v = find_key(parent, key);
  if (!v || !v->is_string() || v->get_string().empty()) return;  // reported as missing/typed
  std::string text(v->get_string());
  if (!split_host_port(text))
    errors.push_back({path, "'" + text + "' is not host:port (port 1-65535), e.g. 10.0.0.1:5432"});
}

void expect_one_of(const boost::json::object& parent, std::string_view key, const std::string& path,
                   std::initializer_list<const char*> allowed, errors_t& errors) {
  auto* v = find_key(parent, key);
  if (!v || v->is_null()) return;
  std::string text = v->is_bool() ? (v->get_bool() ? "true" : "false") : scalar_text(*v);
  std::string upper_text = text;
  std::transform(upper_text.begin(), upper_text.end(), upper_text.begin(), ::toupper);
  std::string list;
  for (const char* a : allowed) {
    std::string upper_a = a;
    std::transform(upper_a.begin(), upper_a.end(), upper_a.begin(), ::toupper);
    if (upper_a == upper_text) return;
    list += list.empty() ? a : std::string(", ") + a;
  }
  errors.push_back({path, "'" + text + "' is not one of " + list});
}

void add_unless_reported(errors_t& errors, errors_t more) {
  for (auto& e : more)
    if (std::none_of(errors.begin(), errors.end(),
                     [&](const config_error& seen) { return seen.path == e.path; }))
      errors.push_back(std::move(e));
}

void warn_unknown(const boost::json::object& o, const std::string& path,
                  std::initializer_list<const char*> known) {
  for (const auto& [key, v] : o) {
    if (std::find_if(known.begin(), known.end(), [&](const char* k) { return key == k; }) ==
        known.end())
      spdlog::warn("configuration: unknown key {} is ignored", join_path(path, std::string(key)));
  }
}

}  // namespace praetor::config
