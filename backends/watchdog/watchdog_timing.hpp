// How long the kernel watchdog may go without a keepalive, from Patroni's watchdog settings.
// Pure.
#pragma once

#include "messages/settings.hpp"

namespace praetor::wd {

struct watchdog_timing {
  // s the device may go unrenewed: ttl - safety_margin, or half the ttl for a margin of -1,
  // so that the machine resets before another member can take the expired lock.
  int timeout = 0;
  // s between the HA loop's keepalives and the device firing: timeout - loop_wait. Below 0
  // a member that runs normally would be reset between two loops: the watchdog is not usable.
  int slack = 0;
  bool operator==(const watchdog_timing&) const = default;
};

watchdog_timing timing_of(const watchdog_settings& s);

}  // namespace praetor::wd
