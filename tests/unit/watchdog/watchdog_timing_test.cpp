// Patroni's watchdog timeout and timing slack (watchdog/base.py's WatchdogConfig).
#include "backends/watchdog/watchdog_timing.hpp"

#include <catch2/catch.hpp>

using namespace praetor;
using praetor::wd::timing_of;

namespace {
watchdog_settings with(int ttl, int loop_wait, int safety_margin) {
  watchdog_settings s;
  s.ttl = ttl;
  s.loop_wait = loop_wait;
  s.safety_margin = safety_margin;
  return s;
}
}  // namespace

TEST_CASE("watchdog timing: ttl - safety_margin, slack after one loop", "[watchdog]") {
  CHECK(timing_of(with(30, 10, 5)) == wd::watchdog_timing{25, 15});
  CHECK(timing_of(with(30, 10, 0)) == wd::watchdog_timing{30, 20});
  CHECK(timing_of(with(20, 10, 5)) == wd::watchdog_timing{15, 5});
}

TEST_CASE("watchdog timing: safety_margin -1 is half the ttl, rounded down", "[watchdog]") {
  CHECK(timing_of(with(30, 10, -1)) == wd::watchdog_timing{15, 5});
  CHECK(timing_of(with(31, 10, -1)) == wd::watchdog_timing{15, 5});
  CHECK(timing_of(with(15, 10, -1)) == wd::watchdog_timing{7, -3});
}

TEST_CASE("watchdog timing: a ttl under loop_wait + safety_margin leaves a negative slack",
          "[watchdog]") {
  CHECK(timing_of(with(12, 10, 5)).slack == -3);
  CHECK(timing_of(with(15, 10, 5)).slack == 0);  // still usable: exactly one loop
}
