// What the HA decider pushes to the REST front end after every decision: a complete,
// self-contained snapshot, so that health checks are answered without asking anyone.
#pragma once

#include <boost/describe.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "messages/cluster_view.hpp"
#include "messages/dcs.hpp"
#include "messages/pg.hpp"

namespace praetor {

struct node_snapshot {
  std::string scope;
  std::string name;
  boost::json::object tags;  // effective tags
  pg_status pg;
  std::optional<cluster_view> view;  // the latest cluster view, if any
  dcs_session_status session;
  bool has_lock = false;              // we hold the leader lock in a live session
  std::string last_reason;            // the last decision's sentence
  std::int64_t dcs_last_seen_ms = 0;  // when the view was last known current (0: never)
  int ttl = 30;
  int loop_wait = 10;
  std::int64_t next_loop_ms = 0;  // for /liveness
  bool failsafe_active = false;   // failsafe_mode_is_active
  bool operator==(const node_snapshot&) const = default;
};
BOOST_DESCRIBE_STRUCT(node_snapshot, (),
                      (scope, name, tags, pg, view, session, has_lock, last_reason,
                       dcs_last_seen_ms, ttl, loop_wait, next_loop_ms, failsafe_active))

}  // namespace praetor
