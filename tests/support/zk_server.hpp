// A real standalone ZooKeeper for tests: Debian's zkServer.sh start-foreground (so the pid is
// java's) on a free loopback port, with its data dir under its own temp folder. The server is
// killed by pid in stop() and in the destructor, and dies with the test process (PDEATHSIG).
//
// Threads: one test thread owns a zk_server.
#pragma once

#include <sys/types.h>
#include <zookeeper/zookeeper.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace praetor::test {

class zk_server {
 public:
  // Picks a free port and a temp folder; does not start the server.
  zk_server();
  ~zk_server();
  zk_server(const zk_server&) = delete;
  zk_server& operator=(const zk_server&) = delete;

  // Starts the server and waits until it answers `ruok` with `imok`; false on timeout (the
  // log is at log_path()).
  bool start(std::chrono::seconds timeout = std::chrono::seconds(30));
  // Kills the server (SIGTERM, then SIGKILL after 5 s) and waits for it. Idempotent.
  void stop();
  // stop() then start() on the same port and data (sessions survive if within their timeout).
  bool restart();

  // SIGSTOP / SIGCONT: a server that is there but says nothing (a frozen machine, a network
  // that drops packets), unlike stop() which closes the connections at once.
  void freeze();
  void thaw();

  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  std::string hosts() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& dir() const { return dir_; }
  std::string log_path() const { return dir_ + "/zookeeper.log"; }

  // Sends a four-letter word and returns the answer ("" when unreachable).
  std::string four_letter(const std::string& word) const;

 private:
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// Forces the server to expire a session (pitfall 5): opens a second handle with the same
// session id and password and closes it. True once the second handle connected and closed.
bool expire_zk_session(const std::string& hosts, const clientid_t& id,
                       std::chrono::seconds timeout = std::chrono::seconds(10));

}  // namespace praetor::test
