#include "actors/ha/settings_change.hpp"

namespace praetor::ha {

std::string fixed_setting_changed(const node_settings& running, const node_settings& next) {
  const auto& a = running.postgres;
  const auto& b = next.postgres;
  if (running.ha.name != next.ha.name) return "name";
  if (running.ha.scope != next.ha.scope) return "scope";
  if (running.dcs.base_path != next.dcs.base_path) return "namespace";
  if (running.dcs.hosts != next.dcs.hosts) return "zookeeper.hosts";
  if (a.data_dir != b.data_dir) return "postgresql.data_dir";
  if (a.config_dir != b.config_dir) return "postgresql.config_dir";
  if (a.bin_dir != b.bin_dir) return "postgresql.bin_dir";
  if (a.listen_host != b.listen_host || a.port != b.port) return "postgresql.listen";
  return "";
}

}  // namespace praetor::ha
