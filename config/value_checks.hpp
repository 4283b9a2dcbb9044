// The checks validate.cpp applies to single values of the configuration: each appends a
// config_error naming the key's path and what is wrong, and says nothing about a key that is
// absent (unless required). Shared by the local file's and the dynamic configuration's checks.
#pragma once

#include <boost/json/object.hpp>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_error.hpp"

namespace praetor::config {

using errors_t = std::vector<config_error>;

// The value of `key` in `o`, nullptr when absent.
const boost::json::value* find_key(const boost::json::object& o, std::string_view key);
bool is_scalar(const boost::json::value& v);

// A value that must be a map when present; the map, or nullptr.
const boost::json::object* expect_map(const boost::json::object& parent, std::string_view key,
                                      const std::string& path, errors_t& errors);
// A string (or a number, which Patroni would str()); empty counts as missing.
void expect_text(const boost::json::object& parent, std::string_view key, const std::string& path,
                 bool required, errors_t& errors);
// true/false in any of the spellings Patroni parses.
void expect_bool(const boost::json::object& parent, std::string_view key, const std::string& path,
                 errors_t& errors);
// Booleans Patroni tests by truthiness (tags): only a real YAML boolean means what it says
// there ('false' in quotes would count as true), so nothing else is accepted.
void expect_strict_bool(const boost::json::object& parent, std::string_view key,
                        const std::string& path, errors_t& errors);
void expect_int(const boost::json::object& parent, std::string_view key, const std::string& path,
                bool positive, errors_t& errors);
// A command line Patroni would split with shlex and run without a shell.
void expect_command(const boost::json::object& parent, std::string_view key,
                    const std::string& path, errors_t& errors);
// A list of strings.
void expect_lines(const boost::json::object& parent, std::string_view key, const std::string& path,
                  errors_t& errors);
// host:port with a port of 1-65535.
void expect_host_port(const boost::json::object& parent, std::string_view key,
                      const std::string& path, errors_t& errors);
// One of `allowed`, compared without case.
void expect_one_of(const boost::json::object& parent, std::string_view key, const std::string& path,
                   std::initializer_list<const char*> allowed, errors_t& errors);

// `more`, except for keys already reported (a wrongly typed value is one mistake, one error).
void add_unless_reported(errors_t& errors, errors_t more);
// Logs a warning for each key of `o` (at `path`) that is not in `known`.
void warn_unknown(const boost::json::object& o, const std::string& path,
                  std::initializer_list<const char*> known);

}  // namespace praetor::config
