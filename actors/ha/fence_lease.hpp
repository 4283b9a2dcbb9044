// How long the fence guard may let the primary run without hearing from the HA loop again.
//
// The ordering argument. Another member can take the leader lock only once ZooKeeper has
// expired our session, at least the session timeout after the last request it received from
// us: ttl, or less when the server caps it (maxSessionTimeout); "ttl" below is the smaller. While
// the decider sees the session connected, the server answered us within read_timeout (max(loop_wait
// - 2, 2) s; the client reports the session disconnected after that much silence). A lease granted
// at t therefore ends before t - read_timeout + ttl, the earliest expiry, when it is ttl - margin
// with margin > read_timeout: margin = max(safety_margin, read_timeout + 2), the 2 s covering the
// messages between the ZooKeeper client, the decider and the guard, and the kill. A frozen daemon
// renews nothing: its PostgreSQL is killed before any other member can be promoted. The lease is at
// least loop_wait + 1 s, so that a daemon that runs is never fenced between two loops (a
// configuration that forces this is warned about).
#pragma once

#include <cstdint>
#include <optional>

#include "messages/ha.hpp"

namespace praetor::ha {

// The lease length in ms, for the session timeout the server granted (0: unknown, ttl).
std::int64_t fence_lease_length_ms(const ha_settings& s, std::int64_t granted_timeout_ms);

// The lease now. Renewed (its length) while we hold the lock with PostgreSQL a primary
// (running, or stopping for a demote), and while failsafe mode keeps a primary without the
// DCS (every member accepted it within the last loop). nullopt while PostgreSQL is a primary
// without that (the session lost, another holder seen): no renewal, the lease granted runs out
// and the guard stops PostgreSQL unless the decider demotes it first. 0 (the lease ends) once
// PostgreSQL is no primary, or in maintenance mode (Patroni's watchdog is off when paused).
std::optional<std::int64_t> fence_lease_ms(const ha_inputs& in);

}  // namespace praetor::ha
