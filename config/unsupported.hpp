// The Patroni 3.0.2 settings praetor does not carry out yet. A setting is never silently
// ignored: each one here is refused, by its key path, wherever a configuration is checked (at
// start, --validate-config, reload, PATCH/PUT /config, praetorctl edit-config). Only values
// that would ask for something are refused: false, null, an empty list or map, and the value
// that means what praetor does anyway (bootstrap.method initdb, config_base_name postgresql,
// ...) pass. Pure functions, any thread.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "config/config_error.hpp"

namespace praetor::config {

// The local file's (and PATRONI_* variables') settings that praetor does not carry out.
std::vector<config_error> unsupported_local(const boost::json::object& document);

// The dynamic configuration's (bootstrap.dcs, the `config` znode), at paths under `prefix`.
std::vector<config_error> unsupported_dynamic(const boost::json::object& dynamic,
                                              const std::string& prefix);

}  // namespace praetor::config
