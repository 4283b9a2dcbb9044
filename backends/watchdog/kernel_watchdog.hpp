// Patroni's watchdog section carried out: the kernel watchdog runs while this member leads, so
// that a daemon which stops renewing the leader lock (frozen, swapped out, its fence guard gone
// with it) has its machine reset before another member can take the lock over. The fence guard
// (backends/postgres/fence.hpp) is the first layer; this one needs no process of ours to act.
//
// Modes: off opens nothing; automatic uses the device when it can be armed safely and carries
// on without it otherwise (said once); required makes a member that cannot arm it unfit to
// lead (healthy() false), which the decider reads through pg_status.watchdog_failed.
//
// A failed activation stands until the settings change, as in Patroni: retrying every loop
// would log the same failure every loop and could arm a device half-way.
//
// Logs its own failures (naming the device and the system's reason). One thread at a time.
#pragma once

#include <memory>
#include <string>

#include "backends/watchdog/linux_watchdog.hpp"
#include "messages/settings.hpp"

namespace praetor::wd {

class kernel_watchdog {
 public:
  // A change takes effect at once when it turns the watchdog off or moves it to another device;
  // a new timeout at the next keepalive, which is when the lock's new ttl is in force too.
  void configure(const watchdog_settings& s);
  const watchdog_settings& settings() const { return settings_; }

  // Arms the device for a member about to lead (or leading without it). True when it runs, or
  // when the mode lets the member lead without it; false in required mode.
  bool activate();
  void keepalive();
  // Disarms it (the magic close): this member stopped leading, or the daemon exits.
  void disable();

  bool running() const { return device_ && device_->is_open(); }
  // Patroni's is_healthy: true unless required and unusable.
  bool healthy() const;
  // Why the last activation failed, "" when it did not.
  const std::string& failure() const { return failure_; }

 private:
  bool arm(std::string& error);
  // Why the device cannot be armed, as far as can be told without arming it; "" when it can.
  std::string unusable() const;
  bool fail(const std::string& why);

  watchdog_settings settings_;
  std::unique_ptr<linux_watchdog> device_;
  int armed_timeout_ = 0;  // s the device was last set to
  std::string failure_;
};

}  // namespace praetor::wd
