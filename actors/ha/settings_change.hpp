// What a configuration file read again (POST /reload, SIGHUP) may not change in a running
// daemon: the member's identity, where its data and programs are, where PostgreSQL listens,
// and which ZooKeeper and path it works in. Changing those needs a restart of praetor.
// Pure; any thread.
#pragma once

#include <string>

#include "messages/settings.hpp"

namespace praetor::ha {

// The configuration key of the first such setting that differs ("" = none).
std::string fixed_setting_changed(const node_settings& running, const node_settings& next);

}  // namespace praetor::ha
