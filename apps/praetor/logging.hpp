// spdlog set-up for the daemon from the `log` section: level, and a rotating file under
// log.dir (praetor.log) or stderr.
#pragma once

#include <string>

#include "config/node_config.hpp"

namespace praetor::app {

// Returns "" on success, else a sentence naming what failed.
std::string setup_logging(const config::log_config& log, const std::string& member_name);

}  // namespace praetor::app
