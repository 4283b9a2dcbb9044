#include "backends/watchdog/watchdog_timing.hpp"

namespace praetor::wd {

watchdog_timing timing_of(const watchdog_settings& s) {
  watchdog_timing t;
  t.timeout = s.safety_margin == -1 ? s.ttl / 2 : s.ttl - s.safety_margin;
  t.slack = t.timeout - s.loop_wait;
  return t;
}

}  // namespace praetor::wd
