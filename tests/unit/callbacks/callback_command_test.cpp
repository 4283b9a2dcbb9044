// The argv Patroni 3.0.2 builds for a callback: shlex.split(callbacks[action]) + [action, role,
// scope]; and run_callback's JSON form.
#include "actors/callback_runner/callback_command.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace praetor;
using callbacks::callback_argv;
using words = std::vector<std::string>;

TEST_CASE("configured words, then action, role and scope", "[callbacks][argv]") {
  const std::map<std::string, std::string> configured{
      {"on_start", "/usr/local/bin/cb.sh"},
      {"on_role_change", "/usr/local/bin/vip.sh --iface eth0 --label 'db vip'"},
  };
  CHECK(
      callback_argv(configured, {callback_action::on_start, callback_role::replica}, "demo").argv ==
      words{"/usr/local/bin/cb.sh", "on_start", "replica", "demo"});
  auto r =
      callback_argv(configured, {callback_action::on_role_change, callback_role::master}, "batman");
  CHECK(r.error.empty());
  CHECK(r.argv == words{"/usr/local/bin/vip.sh", "--iface", "eth0", "--label", "db vip",
                        "on_role_change", "master", "batman"});
}

TEST_CASE("every action and role is passed under Patroni's name", "[callbacks][argv]") {
  const std::map<std::string, std::string> all{{"on_start", "cb"},
                                               {"on_stop", "cb"},
                                               {"on_restart", "cb"},
                                               {"on_reload", "cb"},
                                               {"on_role_change", "cb"}};
  auto tail = [&](callback_action a, callback_role r) {
    auto argv = callback_argv(all, {a, r}, "s").argv;
    REQUIRE(argv.size() == 4);
    return argv[1] + " " + argv[2];
  };
  CHECK(tail(callback_action::on_start, callback_role::master) == "on_start master");
  CHECK(tail(callback_action::on_stop, callback_role::demoted) == "on_stop demoted");
  CHECK(tail(callback_action::on_restart, callback_role::replica) == "on_restart replica");
  CHECK(tail(callback_action::on_reload, callback_role::standby_leader) ==
        "on_reload standby_leader");
  CHECK(tail(callback_action::on_role_change, callback_role::master) == "on_role_change master");
}

TEST_CASE("nothing configured or blank: no callback, no error", "[callbacks][argv]") {
  const std::map<std::string, std::string> configured{{"on_stop", ""}, {"on_reload", "  \t"}};
  for (auto a : {callback_action::on_start, callback_action::on_stop, callback_action::on_reload}) {
    auto r = callback_argv(configured, {a, callback_role::master}, "demo");
    CHECK(r.argv.empty());
    CHECK(r.error.empty());
  }
  CHECK(callback_argv({}, {callback_action::on_start, callback_role::master}, "demo").argv.empty());
}

TEST_CASE("bad quoting: no argv, an error naming the key", "[callbacks][argv]") {
  auto r = callback_argv({{"on_restart", "/bin/cb.sh 'oops"}},
                         {callback_action::on_restart, callback_role::replica}, "demo");
  CHECK(r.argv.empty());
  CHECK(r.error ==
        "postgresql.callbacks.on_restart cannot be split into a program and its arguments (No "
        "closing quotation): `/bin/cb.sh 'oops`; fix its quoting");
}

TEST_CASE("run_callback JSON: Patroni's names, round trip", "[callbacks][messages]") {
  namespace json = boost::json;
  const run_callback r{callback_action::on_role_change, callback_role::standby_leader};
  const auto text = json::serialize(json::value_from(r));
  CHECK(text == R"({"action":"on_role_change","role":"standby_leader"})");
  CHECK(json::value_to<run_callback>(json::parse(text)) == r);
}
