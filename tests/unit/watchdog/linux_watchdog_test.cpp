// The device backend against what this machine has: no watchdog device, but paths that exist
// and are not watchdogs (/dev/null: the ioctls fail with ENOTTY) and paths that do not exist.
#include "backends/watchdog/linux_watchdog.hpp"

#include <catch2/catch.hpp>

using praetor::wd::device_writable;
using praetor::wd::linux_watchdog;

TEST_CASE("a missing device cannot be opened: the error names it and the reason", "[watchdog]") {
  linux_watchdog dev("/nonexistent/watchdog");
  std::string error;
  CHECK_FALSE(dev.open(error));
  CHECK_FALSE(dev.is_open());
  CHECK(error == "cannot open watchdog device /nonexistent/watchdog: No such file or directory");
  std::string why;
  CHECK_FALSE(device_writable("/nonexistent/watchdog", &why));
  CHECK(why == "watchdog device /nonexistent/watchdog is not writable: No such file or directory");
}

TEST_CASE("a device that is no watchdog opens, but its ioctls fail with ENOTTY", "[watchdog]") {
  CHECK(device_writable("/dev/null"));
  linux_watchdog dev("/dev/null");
  std::string error;
  REQUIRE(dev.open(error));
  CHECK(dev.is_open());
  CHECK_FALSE(dev.support(error));
  CHECK(error ==
        "cannot get information about watchdog device /dev/null: Inappropriate ioctl for device");
  CHECK_FALSE(dev.set_timeout(25, error));
  CHECK_THAT(error, Catch::StartsWith("cannot set the timeout of watchdog device /dev/null"));
  CHECK_FALSE(dev.timeout(error));
  CHECK_THAT(error, Catch::StartsWith("cannot get the timeout of watchdog device /dev/null"));
  // Writes reach the file: a keepalive and the magic close.
  CHECK(dev.keepalive(error));
  CHECK(dev.close(error));
  CHECK_FALSE(dev.is_open());
  CHECK(dev.close(error));  // closing twice is nothing
}

TEST_CASE("a closed device refuses keepalives and timeouts instead of writing anywhere",
          "[watchdog]") {
  linux_watchdog dev("/dev/null");
  std::string error;
  CHECK_FALSE(dev.keepalive(error));
  CHECK(error == "watchdog device /dev/null is not open");
  CHECK_FALSE(dev.support(error));
  CHECK_FALSE(dev.timeout(error));
}

TEST_CASE("timeouts outside what the ioctl takes are refused before it", "[watchdog]") {
  linux_watchdog dev("/dev/null");
  std::string error;
  REQUIRE(dev.open(error));
  CHECK_FALSE(dev.set_timeout(0, error));
  CHECK(error == "invalid timeout 0 s for watchdog device /dev/null: it takes 1 to 65535");
  CHECK_FALSE(dev.set_timeout(65536, error));
}

TEST_CASE("a directory is not writable as a device", "[watchdog]") {
  linux_watchdog dev("/");
  std::string error;
  CHECK_FALSE(dev.open(error));
  CHECK(error == "cannot open watchdog device /: Is a directory");
}
