// The body of GET /cluster (docs/compatibility.md, "REST API"), Patroni 3.0.2's cluster_as_json:
// members sorted by name with their role, state, api_url, host, port, timeline, tags and,
// for non-leaders, lag behind the leader's last reported optime. Pure; any thread.
#pragma once

#include <boost/json/object.hpp>

#include "messages/cluster_view.hpp"

namespace praetor::rest {

// From the latest view; null (no view yet) gives {"members": []}. A non-leader the sync key
// names is reported as "sync_standby", whether or not synchronous mode is on (as Patroni).
boost::json::object cluster_json(const cluster_view* view);

}  // namespace praetor::rest
