#include "tests/support/pg_test_env.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace praetor::test {

pg_temp_dir::pg_temp_dir() {
  char tmpl[] = "/tmp/praetor-pg-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
  chmod(path_.c_str(), 0700);
  if (geteuid() == 0) {
    const passwd* pw = getpwnam("postgres");
    if (!pw) throw std::runtime_error("running as root but there is no postgres OS user");
    if (chown(path_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw std::runtime_error("cannot chown " + path_ + " to postgres");
  }
}

pg_temp_dir::~pg_temp_dir() {
  if (kill_processes_under(path_) > 0) std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

bool process_alive(int pid) {
  if (pid <= 0 || kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  auto close_paren = line.rfind(')');
  return close_paren == std::string::npos || line.size() < close_paren + 3 ||
         line[close_paren + 2] != 'Z';
}

std::vector<int> processes_under(const std::string& dir) {
  std::vector<int> pids;
  DIR* d = opendir("/proc");
  if (!d) return pids;
  while (dirent* e = readdir(d)) {
    int pid = std::atoi(e->d_name);
    if (pid <= 0 || pid == getpid()) continue;
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (ss.str().find(dir) != std::string::npos && process_alive(pid)) pids.push_back(pid);
  }
  closedir(d);
  return pids;
}

int kill_processes_under(const std::string& dir) {
  auto pids = processes_under(dir);
  for (int pid : pids) kill(pid, SIGKILL);
  return static_cast<int>(pids.size());
}

}  // namespace praetor::test
