#include "actors/ha/fence_lease.hpp"

#include <algorithm>

#include "actors/ha/decide.hpp"

namespace praetor::ha {

std::int64_t fence_lease_length_ms(const ha_settings& s, std::int64_t granted_timeout_ms) {
  std::int64_t ttl = std::int64_t{s.ttl} * 1000;
  if (granted_timeout_ms > 0) ttl = std::min(ttl, granted_timeout_ms);
  const std::int64_t read_timeout = std::max(s.loop_wait - 2, 2) * std::int64_t{1000};
  // Patroni's safety_margin -1: half the ttl.
  const std::int64_t margin =
      s.safety_margin < 0
          ? ttl / 2
          : std::max<std::int64_t>(std::int64_t{s.safety_margin} * 1000, read_timeout + 2000);
  return std::max(ttl - margin, std::int64_t{s.loop_wait} * 1000 + 1000);
}

std::optional<std::int64_t> fence_lease_ms(const ha_inputs& in) {
  // The role stays primary while a demote stops PostgreSQL: a switchover's shutdown checkpoint
  // under the lock is renewed as the running primary is.
  if (in.pg.role != pg_role::primary || in.settings.paused) return 0;
  if (holds_leader_lock(in)) return fence_lease_length_ms(in.settings, in.session.timeout_ms);
  // Failsafe mode without the DCS: every member accepted this primary in the latest round of
  // POST /failsafe (one per loop), and none of them races for ttl after accepting.
  const auto checked = in.memory.failsafe_active_ms;
  if (in.settings.failsafe_mode && in.session.state != session_state::connected && checked > 0 &&
      in.now_ms - checked <= std::int64_t{in.settings.loop_wait} * 1000 + 3000)
    return fence_lease_length_ms(in.settings, in.session.timeout_ms);
  return std::nullopt;
}

}  // namespace praetor::ha
