// Heartbeats on a shared grid: the next instant of their period on CAF's (steady) clock, at a
// phase this process draws once. The supervisor's status check and the slot check both beat
// every loop_wait; on the same grid they fire at the same instant, and CAF's clock thread wakes
// once for both instead of once each.
//
// Why a random phase and not plain multiples of the period: ZooKeeper expires sessions in
// buckets on its tickTime grid of the monotonic clock, the same clock as ours on one host. A
// heartbeat (and the DCS writes it triggers) just after each bucket boundary makes a dead node's
// session outlive its last packet by a whole extra tick every time; a random phase costs half a
// tick on average, as Patroni's jittered loop does.
#pragma once

#include <caf/actor_clock.hpp>
#include <chrono>
#include <random>

namespace praetor {

inline caf::actor_clock::duration_type beat_phase() {
  static const auto phase = [] {
    std::random_device seed;
    std::uniform_int_distribution<long> ms(0, 59'999);
    return std::chrono::duration_cast<caf::actor_clock::duration_type>(
        std::chrono::milliseconds(ms(seed)));
  }();
  return phase;
}

inline caf::actor_clock::time_point next_beat(caf::actor_clock::time_point now,
                                              caf::actor_clock::duration_type period) {
  auto since_grid = (now.time_since_epoch() - beat_phase()) % period;
  if (since_grid.count() < 0) since_grid += period;
  return now + (period - since_grid);
}

}  // namespace praetor
