#include "apps/praetorctl/dcs_access.hpp"

#include <boost/json/serialize.hpp>

#include "backends/dcs/cluster_loader.hpp"
#include "backends/dcs/zookeeper/zookeeper_client.hpp"

namespace praetor::ctl {

dcs_access::dcs_access(const dcs_settings& settings)
    : paths_(settings.base_path), client_(std::make_unique<dcs::zookeeper_client>(settings)) {
  for (const auto& h : settings.hosts) hosts_ += (hosts_.empty() ? "" : ",") + h;
}

dcs_access::~dcs_access() {
  client_->close();
}

std::string dcs_access::connect(int timeout_s) {
  client_->start(
      [this](const dcs_session_status& s) {
        std::lock_guard lock(mu_);
        connected_ = s.state == session_state::connected;
        cv_.notify_all();
      },
      [](const std::string&) {});
  std::unique_lock lock(mu_);
  if (cv_.wait_for(lock, std::chrono::seconds(timeout_s), [&] { return connected_; })) return "";
  return "ZooKeeper at " + hosts_ + " did not answer within " + std::to_string(timeout_s) +
         " s: is it running?";
}

read_outcome dcs_access::read_cluster() {
  auto loaded = dcs::load_cluster(*client_, paths_, false);
  if (!loaded.ok()) return {std::nullopt, "cannot read the cluster: " + loaded.error.detail};
  return {loaded.view, ""};
}

dcs::result dcs_access::write_failover(const failover_request& value) {
  const auto data = boost::json::serialize(failover_to_json(value));
  const auto path = paths_.failover();
  auto r = client_->set(path, data, znode_version{-1});
  if (r.code != dcs::error_code::no_node) return r;
  r = client_->create(path, data, false, true);
  // created by someone else in between: ours is the newer request
  if (r.code == dcs::error_code::node_exists) r = client_->set(path, data, znode_version{-1});
  return r;
}

dcs::result dcs_access::clear_failover(znode_version expected) {
  return client_->set(paths_.failover(), "{}", expected);
}

dcs::result dcs_access::write_config(const std::string& value, znode_version expected) {
  if (expected.value < 0) return client_->create(paths_.config(), value, false, true);
  return client_->set(paths_.config(), value, expected);
}

namespace {

// Deletes `path` after its children, depth first, as kazoo's recursive delete does. A znode
// already gone is fine; one that gained a child meanwhile (a daemon re-creating its member
// record) is emptied again a few times before giving up.
dcs::result remove_tree(dcs::client& client, const std::string& path) {
  for (int attempt = 0;; ++attempt) {
    auto listed = client.children(path, false);
    if (listed.error.code == dcs::error_code::no_node) return {};
    if (!listed.error.ok()) return listed.error;
    for (const auto& name : listed.names)
      if (auto r = remove_tree(client, path + "/" + name); !r.ok()) return r;
    auto r = client.remove(path, znode_version{-1});
    if (r.code == dcs::error_code::no_node) return {};
    if (r.code != dcs::error_code::not_empty || attempt == 4) return r;
  }
}

}  // namespace

dcs::result dcs_access::remove_cluster() {
  return remove_tree(*client_, paths_.base());
}

read_outcome read_cluster(const dcs_settings& settings, int timeout_s) {
  dcs_access dcs(settings);
  if (auto error = dcs.connect(timeout_s); !error.empty()) return {std::nullopt, error};
  return dcs.read_cluster();
}

}  // namespace praetor::ctl
