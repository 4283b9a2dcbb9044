#include "tests/support/loopback_port.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>

namespace praetor::test {
namespace {

// Binds 127.0.0.1:port (0: any) and returns the bound port, or 0 when it is taken.
int try_bind(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  int bound = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    bound = ntohs(addr.sin_port);
  ::close(fd);
  return bound;
}

}  // namespace

int free_loopback_port() {
  constexpr int block = 40;
  static std::atomic<int> next{0};
  const int base = 10000 + static_cast<int>(::getpid() % 500) * block;  // 10000..29999
  for (int tries = 0; tries < block; ++tries) {
    int port = base + next.fetch_add(1) % block;
    if (try_bind(port) == port) return port;
  }
  if (int port = try_bind(0)) return port;
  throw std::runtime_error("cannot bind 127.0.0.1:0");
}

}  // namespace praetor::test
