// praetorctl's own ZooKeeper session, as patronictl opens one: it creates no ephemerals, reads
// the cluster in one full load, writes the failover key (the fallback of switchover and
// failover when no REST API answers, and of flush switchover) and the config key
// (edit-config), and deletes a whole cluster (remove).
//
// Threads: one thread owns a dcs_access and calls everything; the client's session callback
// only records the state.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "backends/dcs/dcs_client.hpp"
#include "backends/dcs/paths.hpp"
#include "messages/cluster_view.hpp"
#include "messages/settings.hpp"

namespace praetor::ctl {

struct read_outcome {
  std::optional<cluster_view> view;
  std::string error;  // names what failed, when view is empty
};

class dcs_access {
 public:
  explicit dcs_access(const dcs_settings& settings);
  ~dcs_access();  // ends the session
  dcs_access(const dcs_access&) = delete;
  dcs_access& operator=(const dcs_access&) = delete;

  // Starts the session and waits at most `timeout_s` for it: "" when connected, else why not.
  std::string connect(int timeout_s);

  // REQUIRES: connect() returned "".
  read_outcome read_cluster();
  // <base>/failover := `value` whatever its version, created (with its parents) when missing,
  // as patronictl's fallback writes it.
  dcs::result write_failover(const failover_request& value);
  // <base>/failover := {} if its version is still `expected`: a request that changed since it
  // was read is left alone.
  dcs::result clear_failover(znode_version expected);
  // <base>/config := `value` if its version is still `expected` (bad_version otherwise). An
  // `expected` of -1 means the key was missing when read: it is created (with its parents),
  // and node_exists says someone created it meanwhile.
  dcs::result write_config(const std::string& value, znode_version expected);
  // Deletes <base> and everything below it, the members' and the leader's ephemerals too, as
  // patronictl remove does. A cluster that is not there is no error.
  dcs::result remove_cluster();

 private:
  std::string hosts_;
  dcs::paths paths_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool connected_ = false;
  std::unique_ptr<dcs::client> client_;  // last: it goes first, before what its callback uses
};

// One session, one load, closed: what `list` needs.
read_outcome read_cluster(const dcs_settings& settings, int timeout_s);

}  // namespace praetor::ctl
