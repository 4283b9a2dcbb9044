// One Linux watchdog device (<linux/watchdog.h>): once opened, the kernel resets the machine
// unless it hears a keepalive within the device's timeout. Only a close that first writes the
// magic character 'V' stops it, and only on drivers that support it (WDIOF_MAGICCLOSE): a
// process that dies or freezes with the device open is reset.
//
// Errors come back as text naming the device and the system's reason; nothing throws. One
// thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace praetor::wd {

// What the driver says of itself (WDIOC_GETSUPPORT).
struct device_support {
  std::string identity;
  std::uint32_t options = 0;  // WDIOF_* bits
  bool settable_timeout() const;
  bool magic_close() const;
};

class linux_watchdog {
 public:
  explicit linux_watchdog(std::string device) : device_(std::move(device)) {}
  // An open device is closed with the magic character: destroying the object disarms it.
  ~linux_watchdog();
  linux_watchdog(const linux_watchdog&) = delete;
  linux_watchdog& operator=(const linux_watchdog&) = delete;

  const std::string& device() const { return device_; }
  bool is_open() const { return fd_ >= 0; }

  // Opening arms the watchdog on most drivers: keepalives are due from now on.
  bool open(std::string& error);
  std::optional<device_support> support(std::string& error);
  // 1..65535 s, as the ioctl takes; the driver may round it.
  bool set_timeout(int seconds, std::string& error);
  std::optional<int> timeout(std::string& error);
  bool keepalive(std::string& error);
  // Writes 'V', then closes. The descriptor is gone afterwards even when the write failed.
  bool close(std::string& error);

 private:
  std::string failure(const char* what, int err) const;

  std::string device_;
  int fd_ = -1;
};

// The device exists and this process may write it: what a closed device can be asked before
// it is armed (Patroni's is_healthy for its Linux device). `why`, when given, names the device
// and the reason it is not.
bool device_writable(const std::string& path, std::string* why = nullptr);

}  // namespace praetor::wd
