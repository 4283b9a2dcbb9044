// Loading a node's local configuration the way Patroni 3.0.2 does (docs/compatibility.md, "Local
// file"): the file (or every *.yml/*.yaml of a directory, deep-merged in lexical order), else the
// YAML in PATRONI_CONFIGURATION, else the environment alone; PATRONI_* variables are deep-merged
// over a file. Errors are values: nothing here throws. Touches the file system only to read;
// call from any one thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config_error.hpp"
#include "config/node_config.hpp"

namespace praetor::config {

struct load_outcome {
  std::optional<node_config> config;  // set when everything could be read and parsed
  std::vector<config_error> errors;   // read/parse failures (path = the file); empty if ok
  bool ok() const { return config.has_value() && errors.empty(); }
};

// `path`: a file or a directory; empty = use env PATRONI_CONFIGURATION, or the environment
// alone when that is unset too. `env`: the process environment (see current_environment()).
// Reads and parses only; call validate() on the result before using it.
load_outcome load_node_config(const std::string& path,
                              const std::map<std::string, std::string>& env);

// load_node_config, then validate(): `config` is set only when there is no error at all.
load_outcome load_valid_node_config(const std::string& path,
                                    const std::map<std::string, std::string>& env);

// This process's environment as a map, for load_node_config.
std::map<std::string, std::string> current_environment();

}  // namespace praetor::config
