// POST /reinitialize (docs/compatibility.md, "REST API"): whether this member may be re-cloned now,
// in Patroni 3.0.2's words. The decider's shell asks before it accepts a request; decide() asks
// again when it acts (reinitialize.cpp), since the inputs may have changed in between.
#pragma once

#include <optional>
#include <string>

#include "messages/ha.hpp"

namespace praetor::ha {

// nullopt when a re-clone may start; else Patroni's answer ("I am the leader, can not
// reinitialize", "Cluster has no leader, can not reinitialize", "<action> already in progress").
// `force`: a running action is no reason to refuse (the supervisor cancels it).
std::optional<std::string> reinitialize_refusal(const ha_inputs& in, bool force);

}  // namespace praetor::ha
