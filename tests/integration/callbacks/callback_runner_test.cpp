// The callback_runner actor in a real actor system, running real programs: small shell scripts
// the test writes to a temporary directory. One records its arguments, one sleeps (with a child
// of its own) until it is killed, one fails. What the runner logs is captured from spdlog.
#include "actors/callback_runner/callback_runner.hpp"

#include <signal.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <caf/all.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

using namespace praetor;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Keeps every log line's text so that tests can wait for one.
class capture_sink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  bool contains_all(const std::vector<std::string>& parts) {
    std::lock_guard lock(lines_mutex_);
    for (const auto& line : lines_) {
      bool all = true;
      for (const auto& p : parts) all = all && line.find(p) != std::string::npos;
      if (all) return true;
    }
    return false;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::lock_guard lock(lines_mutex_);
    lines_.emplace_back(msg.payload.data(), msg.payload.size());
  }
  void flush_() override {}

 private:
  std::mutex lines_mutex_;
  std::vector<std::string> lines_;
};

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 5s) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return condition();
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Alive: exists and is not a zombie waiting for a parent that does not reap.
bool process_alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

// The pid a sleeper wrote to `file`, once it has.
pid_t pid_in(const fs::path& file) {
  pid_t pid = 0;
  eventually([&] {
    std::string text = read_file(file);
    if (text.empty() || text.back() != '\n') return false;
    pid = static_cast<pid_t>(std::stol(text));
    return true;
  });
  return pid;
}

struct runner_fixture {
  fs::path dir;
  std::shared_ptr<capture_sink> log = std::make_shared<capture_sink>();
  std::shared_ptr<spdlog::logger> previous_logger = spdlog::default_logger();
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  std::optional<callback_runner_actor> runner;

  runner_fixture() {
    char tmpl[] = "/tmp/praetor-callbacks-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    dir = tmpl;
    auto logger = std::make_shared<spdlog::logger>(
        "callback_runner_test",
        spdlog::sinks_init_list{log, std::make_shared<spdlog::sinks::stderr_sink_mt>()});
    logger->set_level(spdlog::level::debug);
    spdlog::set_default_logger(logger);
    // Writes its arguments as one line: [arg1][arg2]...
    script("record.sh",
           "line=''\nfor a in \"$@\"; do line=\"$line[$a]\"; done\n"
           "printf '%s\\n' \"$line\" >> '" +
               (dir / "calls.txt").string() + "'\n");
    // Writes its pid and its child's pid, then waits; writes <tag>.done if it ever gets there.
    const std::string d = dir.string();
    script("sleeper.sh", "echo $$ > '" + d + "'/\"$1\".pid\nsleep 30 &\necho $! > '" + d +
                             "'/\"$1\".child\nwait\necho done > '" + d + "'/\"$1\".done\n");
    script("fail.sh", "exit 3\n");
  }

  ~runner_fixture() {
    if (runner) {
      caf::anon_send_exit(*runner, caf::exit_reason::user_shutdown);
      caf::scoped_actor self{sys};
      self->wait_for(*runner);
    }
    // The runner leaves running callbacks running when it stops: end the sleepers we started.
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".pid" || entry.path().extension() == ".child")
        if (auto text = read_file(entry.path()); !text.empty()) kill(std::stoi(text), SIGKILL);
    spdlog::set_default_logger(previous_logger);
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  void script(const std::string& name, const std::string& body, fs::perms mode = fs::perms(0755)) {
    std::ofstream(dir / name) << "#!/bin/sh\n" << body;
    fs::permissions(dir / name, mode);
  }

  std::string path(const std::string& name) const { return (dir / name).string(); }

  void start_runner(std::map<std::string, std::string> callbacks,
                    std::chrono::milliseconds timeout = 30s) {
    runner = sys.spawn<caf::detached>(callback_runner, std::move(callbacks), std::string("demo"),
                                      timeout);
  }

  void run(callback_action action, callback_role role) {
    caf::anon_send(*runner, run_callback{action, role});
  }

  std::string calls() const { return read_file(dir / "calls.txt"); }

  bool called(const std::string& line) {
    return eventually([&] { return calls().find(line + "\n") != std::string::npos; });
  }

  bool logged(const std::vector<std::string>& parts, std::chrono::milliseconds timeout = 5s) {
    return eventually([&] { return log->contains_all(parts); }, timeout);
  }
};

}  // namespace

TEST_CASE_METHOD(runner_fixture, "the program gets its configured words, then action, role, scope",
                 "[callbacks]") {
  start_runner({
      {"on_start", path("record.sh") + " --flag 'two words'"},
      {"on_role_change", path("record.sh")},
      {"on_reload", "sh " + path("record.sh") + " via-path"},  // `sh` is looked up in PATH
      {"on_stop", ""},                                         // blank: no callback
  });
  run(callback_action::on_start, callback_role::master);
  CHECK(called("[--flag][two words][on_start][master][demo]"));
  run(callback_action::on_role_change, callback_role::standby_leader);
  CHECK(called("[on_role_change][standby_leader][demo]"));
  run(callback_action::on_reload, callback_role::replica);
  CHECK(called("[via-path][on_reload][replica][demo]"));
  run(callback_action::on_stop, callback_role::demoted);    // blank
  run(callback_action::on_restart, callback_role::master);  // not configured
  CHECK(logged({"No callback configured for on_restart"}));
  CHECK(logged({"Callback on_reload", "finished"}));
  // Exactly the three lines above: the blank and the missing one ran nothing.
  CHECK(calls() ==
        "[--flag][two words][on_start][master][demo]\n[on_role_change][standby_leader][demo]\n"
        "[via-path][on_reload][replica][demo]\n");
}

TEST_CASE_METHOD(runner_fixture, "a callback past the timeout is killed with its children",
                 "[callbacks]") {
  start_runner({{"on_start", path("sleeper.sh") + " slow"}, {"on_stop", path("record.sh")}}, 500ms);
  const auto sent = std::chrono::steady_clock::now();
  run(callback_action::on_start, callback_role::replica);
  const pid_t script_pid = pid_in(dir / "slow.pid");
  const pid_t child_pid = pid_in(dir / "slow.child");
  REQUIRE(script_pid > 0);
  REQUIRE(child_pid > 0);
  CHECK(logged({"Killed callback on_start", "still running after 0.5 s", "sleeper.sh slow"}));
  CHECK(eventually([&] { return !process_alive(script_pid) && !process_alive(child_pid); }));
  const auto killed_after = std::chrono::steady_clock::now() - sent;
  CHECK(killed_after >= 500ms);
  CHECK(killed_after < 3s);
  CHECK_FALSE(fs::exists(dir / "slow.done"));
  // The runner goes on.
  run(callback_action::on_stop, callback_role::replica);
  CHECK(called("[on_stop][replica][demo]"));
}

TEST_CASE_METHOD(runner_fixture, "a program that cannot run is reported, and the runner goes on",
                 "[callbacks]") {
  script("not-executable.sh", "exit 0\n", fs::perms(0644));
  start_runner({
      {"on_stop", path("missing.sh") + " --x"},
      {"on_restart", path("not-executable.sh")},
      {"on_reload", path("fail.sh")},
      {"on_role_change", "'unclosed"},
      {"on_start", path("record.sh")},
  });
  run(callback_action::on_stop, callback_role::master);
  CHECK(logged({"Failed to execute callback on_stop", path("missing.sh"),
                "No such file or directory", "postgresql.callbacks.on_stop"}));
  run(callback_action::on_restart, callback_role::master);
  CHECK(logged({"Failed to execute callback on_restart", path("not-executable.sh"),
                "Permission denied", "chmod +x"}));
  run(callback_action::on_reload, callback_role::master);
  CHECK(logged({"Callback on_reload", path("fail.sh"), "exited with code 3",
                "postgresql.callbacks.on_reload"}));
  run(callback_action::on_role_change, callback_role::master);
  CHECK(logged({"Cannot run callback on_role_change", "No closing quotation"}));
  run(callback_action::on_start, callback_role::replica);
  CHECK(called("[on_start][replica][demo]"));
}

TEST_CASE_METHOD(runner_fixture,
                 "a new callback kills the running one of its lane, and on_reload has its own lane",
                 "[callbacks]") {
  start_runner({
      {"on_start", path("sleeper.sh") + " main"},
      {"on_reload", path("sleeper.sh") + " reload"},
      {"on_role_change", path("record.sh")},
  });
  run(callback_action::on_start, callback_role::replica);
  const pid_t main_pid = pid_in(dir / "main.pid");
  const pid_t main_child = pid_in(dir / "main.child");
  run(callback_action::on_reload, callback_role::replica);
  const pid_t reload_pid = pid_in(dir / "reload.pid");
  REQUIRE(main_pid > 0);
  REQUIRE(reload_pid > 0);
  CHECK(process_alive(main_pid));  // a reload does not touch the other lane

  run(callback_action::on_role_change, callback_role::master);
  CHECK(logged({"Killed callback on_start",
                "because it was still running when on_role_change "
                "was called"}));
  CHECK(called("[on_role_change][master][demo]"));
  CHECK(eventually([&] { return !process_alive(main_pid) && !process_alive(main_child); }));
  CHECK(process_alive(reload_pid));  // nor the other way round
  CHECK_FALSE(fs::exists(dir / "main.done"));
}

TEST_CASE_METHOD(runner_fixture, "only the newest of callbacks waiting behind a killed one runs",
                 "[callbacks]") {
  // Patroni keeps one pending command: a newer call replaces the one not yet started.
  start_runner({{"on_start", path("sleeper.sh") + " main"},
                {"on_stop", path("record.sh")},
                {"on_restart", path("record.sh")}});
  run(callback_action::on_start, callback_role::replica);
  REQUIRE(pid_in(dir / "main.pid") > 0);
  // Both arrive before the killed sleeper is reaped (the runner polls every 50 ms).
  run(callback_action::on_stop, callback_role::replica);
  run(callback_action::on_restart, callback_role::replica);
  CHECK(called("[on_restart][replica][demo]"));
  std::this_thread::sleep_for(300ms);
  CHECK(calls() == "[on_restart][replica][demo]\n");
  CHECK(log->contains_all({"Callback on_stop will not run: on_restart was called"}));
}
