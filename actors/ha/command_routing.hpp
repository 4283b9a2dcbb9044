// Which actor owns each command of decide(): every alternative of ha_command belongs to exactly
// one, and a command without an owner fails to compile in route_command().
#pragma once

#include <type_traits>
#include <variant>

#include "messages/actors.hpp"

namespace praetor::ha {

template <class T, class... Ts>
inline constexpr bool is_one_of = (std::is_same_v<T, Ts> || ...);

template <class T>
inline constexpr bool is_dcs_command =
    is_one_of<T, race_initialize, write_initialize, cancel_initialize, write_config, acquire_leader,
              refresh_leader, release_leader, publish_member, publish_status, clear_failover,
              write_history, write_sync, write_failsafe>;

template <class T>
inline constexpr bool is_postgres_command =
    is_one_of<T, bootstrap_postgres, abandon_bootstrap, clone_postgres, start_postgres,
              follow_upstream, stop_postgres, promote_postgres, demote_postgres, rejoin_postgres,
              copy_logical_slots, reinitialize_postgres, set_synchronous_standby_names>;

template <class T>
inline constexpr bool is_slot_command = is_one_of<T, reconcile_slots>;

template <class T>
inline constexpr bool is_probe_command = is_one_of<T, probe_peers, failsafe_ping>;

template <class T>
inline constexpr bool is_node_command = is_one_of<T, shut_down>;

template <class T>
inline constexpr bool no_owner = false;

// Sends `c` to its owner through `send(handle, message)`.
template <class Send>
void route_command(const ha_command& c, const ha_peers& peers, Send&& send) {
  std::visit(
      [&](const auto& cmd) {
        using T = std::decay_t<decltype(cmd)>;
        if constexpr (is_dcs_command<T>)
          send(peers.dcs, cmd);
        else if constexpr (is_postgres_command<T>)
          send(peers.postgres, cmd);
        else if constexpr (is_slot_command<T>)
          send(peers.slots, cmd);
        else if constexpr (is_probe_command<T>)
          send(peers.probes, cmd);
        else if constexpr (is_node_command<T>)
          send(peers.node, cmd);
        else
          static_assert(no_owner<T>, "a command of decide() has no owning actor");
      },
      c);
}

}  // namespace praetor::ha
