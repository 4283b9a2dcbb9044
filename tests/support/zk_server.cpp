#include "tests/support/zk_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "tests/support/loopback_port.hpp"

namespace praetor::test {
namespace {

constexpr const char* zk_server_script = "/usr/share/zookeeper/bin/zkServer.sh";

bool wait_for_exit(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    auto r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

zk_server::zk_server() {
  char tmpl[] = "/tmp/praetor-zk-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("zk_server: mkdtemp failed");
  dir_ = tmpl;
  port_ = free_loopback_port();
  std::filesystem::create_directories(dir_ + "/data");
  std::ofstream cfg(dir_ + "/zoo.cfg");
  // tickTime 500 ms: sessions may last 1 to 10 s, enough for tests and quick to expire.
  cfg << "tickTime=500\n"
      << "initLimit=10\nsyncLimit=5\n"
      << "dataDir=" << dir_ << "/data\n"
      << "clientPort=" << port_ << "\n"
      << "clientPortAddress=127.0.0.1\n"
      << "admin.enableServer=false\n"
      << "4lw.commands.whitelist=ruok,mntr,stat\n"
      << "maxSessionTimeout=10000\n";
}

zk_server::~zk_server() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool zk_server::start(std::chrono::seconds timeout) {
  if (pid_ > 0) return true;
  auto cfg = dir_ + "/zoo.cfg";
  auto log = log_path();
  pid_t pid = ::fork();
  if (pid < 0) return false;
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    ::setenv("ZOO_LOG_DIR", dir_.c_str(), 1);
    ::execl(zk_server_script, zk_server_script, "start-foreground", cfg.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  pid_ = pid;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (four_letter("ruok") == "imok") return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop();
  return false;
}

void zk_server::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  ::kill(pid_, SIGCONT);  // a frozen server acts on SIGTERM only once it runs again
  if (!wait_for_exit(pid_, std::chrono::seconds(5))) {
    ::kill(pid_, SIGKILL);
    wait_for_exit(pid_, std::chrono::seconds(5));
  }
  pid_ = -1;
}

bool zk_server::restart() {
  stop();
  return start();
}

std::string zk_server::four_letter(const std::string& word) const {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {};
  timeval tv{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port_));
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::write(fd, word.data(), word.size()) == static_cast<ssize_t>(word.size())) {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) answer.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

namespace {
struct expiry_probe {
  std::atomic<bool> connected{false};
};
void expiry_watcher(zhandle_t*, int type, int state, const char*, void* ctx) {
  if (type == ZOO_SESSION_EVENT && state == ZOO_CONNECTED_STATE)
    static_cast<expiry_probe*>(ctx)->connected = true;
}

void quiet_log(const char*) {}
}  // namespace

bool expire_zk_session(const std::string& hosts, const clientid_t& id,
                       std::chrono::seconds timeout) {
  expiry_probe probe;
  // Quiet: taking the session over makes the C client log errors that are expected here.
  zhandle_t* zh =
      zookeeper_init2(hosts.c_str(), &expiry_watcher, 10000, &id, &probe, 0, &quiet_log);
  if (!zh) return false;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!probe.connected && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  bool ok = probe.connected;
  zookeeper_close(zh);
  return ok;
}

void zk_server::freeze() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void zk_server::thaw() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
}

}  // namespace praetor::test
