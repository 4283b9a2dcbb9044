// HAProxy's health check against the server, configured as Patroni's documentation does
// (mode tcp, `option httpchk OPTIONS /primary`, `http-check expect status 200`): the node is
// in the pool while its snapshot is a primary holding the lock, and out once it is a replica.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "actors/rest_frontend/http_server.hpp"
#include "tests/integration/rest/raw_client.hpp"
#include "tests/unit/rest/snapshots.hpp"

using namespace praetor;
using namespace praetor::rest;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

node_snapshot live(node_snapshot s) {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  if (s.view) s.view->loaded_at_ms = now;
  s.next_loop_ms = now + 10'000;
  return s;
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// haproxy in the foreground (-db), stopped by pid when the test ends, pass or fail.
struct haproxy_process {
  explicit haproxy_process(const fs::path& config) {
    pid = ::fork();
    if (pid == 0) {
      ::execl("/usr/sbin/haproxy", "haproxy", "-db", "-q", "-f", config.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~haproxy_process() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
  }
  pid_t pid = -1;
};

// A request through HAProxy's frontend: our /health when the node is in the pool; HAProxy
// closes the connection at once when no server is up.
int status_through(int port) {
  try {
    test::raw_client c(port);
    c.send("GET /health HTTP/1.0\r\n\r\n");
    return test::status_of(c.read_to_close(2s));
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

TEST_CASE("HAProxy's OPTIONS /primary check follows the snapshot", "[http][haproxy]") {
  // scripts/install-deps.sh installs HAProxy: without it this test proves nothing.
  REQUIRE(fs::exists("/usr/sbin/haproxy"));
  http_server server(rest::test::loopback_api(0));
  server.set_snapshot(std::make_shared<const node_snapshot>(live(test::primary_snapshot())));
  REQUIRE_FALSE(server.start().has_value());

  char dir_template[] = "/tmp/praetor-haproxy-XXXXXX";
  REQUIRE(::mkdtemp(dir_template));
  fs::path dir = dir_template;
  const int front = free_port();
  {
    std::ofstream cfg(dir / "haproxy.cfg");
    cfg << "global\n  maxconn 100\n"
        << "defaults\n  mode tcp\n  timeout connect 1s\n  timeout client 5s\n"
        << "  timeout server 5s\n  timeout check 1s\n"
        << "listen primary\n  bind 127.0.0.1:" << front << "\n"
        << "  option httpchk OPTIONS /primary\n  http-check expect status 200\n"
        << "  default-server inter 100ms fall 1 rise 1 on-marked-down shutdown-sessions\n"
        << "  server node1 127.0.0.1:" << server.port() << " check port " << server.port() << "\n";
  }
  {
    haproxy_process haproxy(dir / "haproxy.cfg");
    REQUIRE(haproxy.pid > 0);

    int code = 0;
    for (int i = 0; i < 50 && code != 200; ++i) {
      std::this_thread::sleep_for(100ms);
      code = status_through(front);
    }
    CHECK(code == 200);  // checked UP: the request reached our /health

    server.set_snapshot(std::make_shared<const node_snapshot>(live(test::replica_snapshot())));
    for (int i = 0; i < 50 && code == 200; ++i) {
      std::this_thread::sleep_for(100ms);
      code = status_through(front);
    }
    CHECK(code != 200);  // marked DOWN: HAProxy no longer forwards
  }
  fs::remove_all(dir);
}
