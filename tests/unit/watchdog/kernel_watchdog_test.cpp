// Patroni's watchdog modes carried out (watchdog/base.py's Watchdog): what activation, health
// and configuration changes do with a device that cannot be armed.
#include "backends/watchdog/kernel_watchdog.hpp"

#include <catch2/catch.hpp>

using namespace praetor;
using praetor::wd::kernel_watchdog;

namespace {
watchdog_settings settings(watchdog_mode mode, const std::string& device) {
  watchdog_settings s;
  s.mode = mode;
  s.device = device;
  return s;
}
}  // namespace

TEST_CASE("required, the device missing: unhealthy before any activation, which fails",
          "[watchdog]") {
  kernel_watchdog w;
  w.configure(settings(watchdog_mode::required, "/nonexistent/watchdog"));
  CHECK_FALSE(w.healthy());
  CHECK_FALSE(w.activate());
  CHECK_FALSE(w.running());
  CHECK(w.failure() ==
        "cannot open watchdog device /nonexistent/watchdog: No such file or directory");
}

TEST_CASE("required, a device that is no watchdog: healthy until activation fails, then not",
          "[watchdog]") {
  kernel_watchdog w;
  w.configure(settings(watchdog_mode::required, "/dev/null"));
  CHECK(w.healthy());  // exists and writable: what can be known before arming it
  CHECK_FALSE(w.activate());
  CHECK_FALSE(w.running());
  CHECK_THAT(w.failure(),
             Catch::Contains("/dev/null") && Catch::Contains("Inappropriate ioctl for device"));
  CHECK_FALSE(w.healthy());
  CHECK_FALSE(w.activate());  // the failure stands: not tried again
  SECTION("until the settings change") {
    auto s = w.settings();
    s.ttl = 40;
    w.configure(s);
    CHECK(w.failure().empty());
    CHECK(w.healthy());
  }
  SECTION("the same settings again change nothing") {
    w.configure(w.settings());
    CHECK_FALSE(w.healthy());
  }
}

TEST_CASE("automatic: a device that cannot be armed is done without, and stays healthy",
          "[watchdog]") {
  kernel_watchdog w;
  w.configure(settings(watchdog_mode::automatic, "/dev/null"));
  CHECK(w.activate());
  CHECK_FALSE(w.running());
  CHECK_FALSE(w.failure().empty());
  CHECK(w.healthy());
  CHECK(w.activate());
  w.keepalive();  // nothing runs: nothing to renew
  w.disable();
  CHECK_FALSE(w.running());
}

TEST_CASE("off: nothing is opened, not even a device that is missing", "[watchdog]") {
  kernel_watchdog w;
  w.configure(settings(watchdog_mode::off, "/nonexistent/watchdog"));
  CHECK(w.activate());
  CHECK(w.failure().empty());
  CHECK(w.healthy());
}

TEST_CASE("required with a ttl shorter than loop_wait + safety_margin: not usable", "[watchdog]") {
  kernel_watchdog w;
  auto s = settings(watchdog_mode::required, "/dev/null");
  s.ttl = 12;
  s.loop_wait = 10;
  w.configure(s);
  CHECK_FALSE(w.healthy());
  CHECK_FALSE(w.activate());
  CHECK(w.failure() ==
        "not usable because leader ttl 12 s is less than 2x loop_wait 10 s (its timeout would be "
        "7 s)");
}
