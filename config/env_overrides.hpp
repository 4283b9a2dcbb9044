// PATRONI_* environment variables -> the configuration tree they stand for (docs/compatibility.md,
// "Environment variables"), built the way Patroni 3.0.2's _build_environment_configuration does:
// empty values are ignored; lists (HOSTS, ALLOWLIST) and maps (SET_ACLS, *_EXTRA_HEADERS,
// LOG_LOGGERS) are parsed as YAML. The caller deep-merges the result over the file. Pure function,
// any thread.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <string>

namespace praetor::config {

boost::json::object environment_configuration(const std::map<std::string, std::string>& env);

}  // namespace praetor::config
