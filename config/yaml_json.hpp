// YAML text -> boost::json, resolving plain scalars the way Patroni's PyYAML safe_load does
// (YAML 1.1: yes/no/on/off are booleans, 0x1F and 017 are integers, ~ is null), so that a
// file means the same to praetor as to Patroni. Quoted scalars stay strings. Pure functions,
// any thread; never throw.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "config/config_error.hpp"

namespace praetor::config {

struct yaml_outcome {
  std::optional<boost::json::value> value;  // set when the text parsed
  std::optional<config_error> error;        // set otherwise: path = `source`, message names
                                            // line and column (1-based)
};

// Parses one YAML document. `source` names the text in errors (a file path, or
// "PATRONI_CONFIGURATION"). An empty document gives a null value.
yaml_outcome parse_yaml(std::string_view text, const std::string& source);

// Reads and parses a file; an unreadable file is an error naming it.
yaml_outcome parse_yaml_file(const std::string& path);

// The value PyYAML gives a plain (unquoted) scalar.
boost::json::value resolve_plain_scalar(const std::string& text);

}  // namespace praetor::config
