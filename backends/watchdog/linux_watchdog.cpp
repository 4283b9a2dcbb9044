#include "backends/watchdog/linux_watchdog.hpp"

#include <fcntl.h>
#include <linux/watchdog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace praetor::wd {

bool device_support::settable_timeout() const {
  return (options & WDIOF_SETTIMEOUT) != 0;
}

bool device_support::magic_close() const {
  return (options & WDIOF_MAGICCLOSE) != 0;
}

linux_watchdog::~linux_watchdog() {
  std::string ignored;
  close(ignored);
}

std::string linux_watchdog::failure(const char* what, int err) const {
  return std::string(what) + " watchdog device " + device_ + ": " + std::strerror(err);
}

bool linux_watchdog::open(std::string& error) {
  if (fd_ >= 0) return true;
  int fd = ::open(device_.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    error = failure("cannot open", errno);
    return false;
  }
  fd_ = fd;
  return true;
}

std::optional<device_support> linux_watchdog::support(std::string& error) {
  if (fd_ < 0) {
    error = "watchdog device " + device_ + " is not open";
    return std::nullopt;
  }
  watchdog_info info{};
  if (::ioctl(fd_, WDIOC_GETSUPPORT, &info) < 0) {
    error = failure("cannot get information about", errno);
    return std::nullopt;
  }
  device_support out;
  out.identity.assign(reinterpret_cast<const char*>(info.identity),
                      strnlen(reinterpret_cast<const char*>(info.identity), sizeof info.identity));
  out.options = info.options;
  return out;
}

bool linux_watchdog::set_timeout(int seconds, std::string& error) {
  if (seconds < 1 || seconds > 65535) {
    error = "invalid timeout " + std::to_string(seconds) + " s for watchdog device " + device_ +
            ": it takes 1 to 65535";
    return false;
  }
  if (fd_ < 0) {
    error = "watchdog device " + device_ + " is not open";
    return false;
  }
  if (::ioctl(fd_, WDIOC_SETTIMEOUT, &seconds) < 0) {
    error = failure("cannot set the timeout of", errno);
    return false;
  }
  return true;
}

std::optional<int> linux_watchdog::timeout(std::string& error) {
  if (fd_ < 0) {
    error = "watchdog device " + device_ + " is not open";
    return std::nullopt;
  }
  int seconds = 0;
  if (::ioctl(fd_, WDIOC_GETTIMEOUT, &seconds) < 0) {
    error = failure("cannot get the timeout of", errno);
    return std::nullopt;
  }
  return seconds;
}

bool linux_watchdog::keepalive(std::string& error) {
  if (fd_ < 0) {
    error = "watchdog device " + device_ + " is not open";
    return false;
  }
  if (::write(fd_, "1", 1) != 1) {
    error = failure("cannot send a keepalive to", errno);
    return false;
  }
  return true;
}

bool linux_watchdog::close(std::string& error) {
  if (fd_ < 0) return true;
  bool ok = true;
  if (::write(fd_, "V", 1) != 1) {
    error = failure("cannot write the magic close character to", errno);
    ok = false;
  }
  if (::close(fd_) < 0 && ok) {
    error = failure("cannot close", errno);
    ok = false;
  }
  fd_ = -1;
  return ok;
}

bool device_writable(const std::string& path, std::string* why) {
  if (!path.empty() && ::access(path.c_str(), W_OK) == 0) return true;
  if (why)
    *why = "watchdog device " + (path.empty() ? std::string("(none)") : path) +
           " is not writable: " + std::strerror(path.empty() ? ENOENT : errno);
  return false;
}

}  // namespace praetor::wd
