#include "apps/praetorctl/dcs_reader.hpp"

#include <condition_variable>
#include <mutex>

#include "backends/dcs/cluster_loader.hpp"
#include "backends/dcs/paths.hpp"
#include "backends/dcs/zookeeper/zookeeper_client.hpp"

namespace praetor::ctl {

read_outcome read_cluster(const dcs_settings& settings, int timeout_s) {
  dcs::zookeeper_client client(settings);
  std::mutex m;
  std::condition_variable cv;
  bool connected = false;
  client.start(
      [&](const dcs_session_status& s) {
        std::lock_guard lock(m);
        connected = s.state == session_state::connected;
        cv.notify_all();
      },
      [](const std::string&) {});
  {
    std::unique_lock lock(m);
    if (!cv.wait_for(lock, std::chrono::seconds(timeout_s), [&] { return connected; })) {
      std::string hosts;
      for (const auto& h : settings.hosts) hosts += (hosts.empty() ? "" : ",") + h;
      client.close();
      return {std::nullopt, "ZooKeeper at " + hosts + " did not answer within " +
                                std::to_string(timeout_s) + " s: is it running?"};
    }
  }
  auto loaded = dcs::load_cluster(client, dcs::paths(settings.base_path), false);
  client.close();
  if (!loaded.ok()) return {std::nullopt, "cannot read the cluster: " + loaded.error.detail};
  return {loaded.view, ""};
}

}  // namespace praetor::ctl
