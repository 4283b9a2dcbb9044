#include "backends/watchdog/kernel_watchdog.hpp"

#include <spdlog/spdlog.h>

#include "backends/watchdog/watchdog_timing.hpp"

namespace praetor::wd {

void kernel_watchdog::configure(const watchdog_settings& s) {
  if (s == settings_) return;
  const bool moved = s.device != settings_.device;
  settings_ = s;
  failure_.clear();
  if (!running()) {
    // Said now: such a member never tries to arm it, so nothing else would name the cause.
    if (auto why = unusable(); s.mode == watchdog_mode::required && !why.empty())
      spdlog::error("watchdog: {}; watchdog.mode is required: this member does not lead", why);
    return;
  }
  if (s.mode == watchdog_mode::off) {
    disable();
  } else if (moved) {
    disable();
    activate();
  }
}

bool kernel_watchdog::activate() {
  if (settings_.mode == watchdog_mode::off || running()) return true;
  if (!failure_.empty()) return settings_.mode != watchdog_mode::required;
  std::string error;
  if (arm(error)) return true;
  std::string close_error;
  if (device_ && !device_->close(close_error)) spdlog::error("watchdog: {}", close_error);
  device_.reset();
  return fail(error);
}

std::string kernel_watchdog::unusable() const {
  const auto t = timing_of(settings_);
  if (t.slack < 0)
    return "not usable because leader ttl " + std::to_string(settings_.ttl) +
           " s is less than 2x loop_wait " + std::to_string(settings_.loop_wait) +
           " s (its timeout would be " + std::to_string(t.timeout) + " s)";
  std::string why;
  if (!device_writable(settings_.device, &why)) return why;
  return {};
}

bool kernel_watchdog::arm(std::string& error) {
  const auto t = timing_of(settings_);
  if (t.slack < 0) {
    error = unusable();
    return false;
  }
  device_ = std::make_unique<linux_watchdog>(settings_.device);
  if (!device_->open(error)) return false;
  auto support = device_->support(error);
  if (!support) return false;
  if (support->settable_timeout() && !device_->set_timeout(t.timeout, error)) return false;
  auto actual = device_->timeout(error);
  if (!actual) return false;
  if (*actual < settings_.loop_wait) {
    error = "its timeout of " + std::to_string(*actual) + " s is shorter than loop_wait (" +
            std::to_string(settings_.loop_wait) + " s) on " + settings_.device;
    return false;
  }
  if (*actual > t.timeout) {
    if (settings_.mode == watchdog_mode::required) {
      error = "a safe timeout of " + std::to_string(t.timeout) + " s could not be set on " +
              settings_.device + " (its timeout is " + std::to_string(*actual) + " s)";
      return false;
    }
    spdlog::warn(
        "watchdog: {}'s timeout of {} s does not ensure safe termination within {} s (ttl - "
        "safety_margin)",
        settings_.device, *actual, t.timeout);
  }
  if (!support->magic_close())
    spdlog::warn(
        "watchdog: {} ({}) cannot be disabled: the machine resets once praetor stops renewing it, "
        "also after it releases the leader lock",
        settings_.device, support->identity);
  armed_timeout_ = *actual;
  spdlog::info("watchdog: {} ({}) activated with {} s timeout, timing slack {} s", settings_.device,
               support->identity, *actual, t.slack);
  return true;
}

bool kernel_watchdog::fail(const std::string& why) {
  failure_ = why;
  if (settings_.mode == watchdog_mode::required) {
    spdlog::error("watchdog: {}; watchdog.mode is required: this member does not lead", why);
    return false;
  }
  spdlog::warn("watchdog: {}; carrying on without a watchdog (watchdog.mode is automatic)", why);
  return true;
}

void kernel_watchdog::keepalive() {
  if (!running()) return;
  std::string error;
  const auto wanted = timing_of(settings_).timeout;
  if (wanted != armed_timeout_) {
    if (device_->set_timeout(wanted, error)) {
      armed_timeout_ = wanted;
      spdlog::info("watchdog: {} updated with {} s timeout", settings_.device, wanted);
    } else {
      spdlog::error("watchdog: {}", error);
      armed_timeout_ = wanted;  // said once; the old timeout stays in force
    }
  }
  if (!device_->keepalive(error)) spdlog::error("watchdog: {}", error);
}

void kernel_watchdog::disable() {
  if (!device_) return;
  std::string error;
  if (!device_->close(error))
    spdlog::error("watchdog: {}", error);
  else
    spdlog::info("watchdog: {} disabled", settings_.device);
  device_.reset();
}

bool kernel_watchdog::healthy() const {
  if (settings_.mode != watchdog_mode::required || running()) return true;
  return failure_.empty() && unusable().empty();
}

}  // namespace praetor::wd
