// praetorctl's read-only view of the DCS: its own ZooKeeper session (no ephemerals), one full
// load of the cluster, as patronictl does.
#pragma once

#include <optional>
#include <string>

#include "messages/cluster_view.hpp"
#include "messages/settings.hpp"

namespace praetor::ctl {

struct read_outcome {
  std::optional<cluster_view> view;
  std::string error;  // names what failed, when view is empty
};

// Waits at most `timeout_s` for the session.
read_outcome read_cluster(const dcs_settings& settings, int timeout_s);

}  // namespace praetor::ctl
