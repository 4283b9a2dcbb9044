// Turns the znodes of one cluster into a cluster_view (docs/compatibility.md, "ZooKeeper layout and
// values"), over any dcs::client. Called on the client's owner thread (the dcs_session actor).
#pragma once

#include <optional>

#include "backends/dcs/dcs_client.hpp"
#include "backends/dcs/paths.hpp"
#include "messages/cluster_view.hpp"

namespace praetor::dcs {

// Either a view or the first error that stopped the load (naming the znode).
struct load_result {
  std::optional<cluster_view> view;
  result error;
  bool ok() const { return view.has_value(); }
};

// Reads the cluster under `p.base()`. With `watch`, arms the watches Patroni 3.0.2 arms:
// children of base (the leader znode appearing or vanishing is a child event there), data
// watches on config, status, failover and history, and the children of members.
// Values that do not parse never fail the load: a garbage member record is skipped with a
// warning, a garbage status reads as optime 0, garbage config as no config. A missing base
// gives an empty view. Members come sorted by name; loaded_at_ms is the wall clock.
load_result load_cluster(client& c, const paths& p, bool watch);

// The optime of a status value {"optime":N,...}; 0 when it does not parse.
lsn optime_from_status(std::string_view data);
// Its "slots" object (name -> LSN as an integer); a value that is no such integer is left out.
slot_positions slots_from_status(std::string_view data);

}  // namespace praetor::dcs
