// parse_command_line: what each command accepts, and the usage errors (exit status 2).
#include "apps/praetorctl/command_line.hpp"

#include <catch2/catch.hpp>

using namespace praetor::ctl;

namespace {
command_line ok(std::vector<std::string> args) {
  auto r = parse_command_line(args);
  INFO(r.error);
  REQUIRE(r.line);
  return *r.line;
}
std::string refused(std::vector<std::string> args) {
  auto r = parse_command_line(args);
  REQUIRE_FALSE(r.line);
  return r.error;
}
}  // namespace

TEST_CASE("switchover with every option in both spellings", "[praetorctl][command_line]") {
  auto l = ok({"-c", "n.yml", "switchover", "--leader", "node1", "--candidate=node2", "--scheduled",
               "2030-01-02T03:04", "--force"});
  CHECK(l.config_path == "n.yml");
  CHECK(l.command == "switchover");
  CHECK(l.cluster_name.empty());
  CHECK(l.failover.action == ctl_action::switchover);
  CHECK(l.failover.leader == std::optional<std::string>("node1"));
  CHECK(l.failover.candidate == std::optional<std::string>("node2"));
  CHECK(l.failover.scheduled == std::optional<std::string>("2030-01-02T03:04"));
  CHECK(l.failover.force);
}

TEST_CASE("options left out stay unset so that they are asked for", "[praetorctl][command_line]") {
  auto l = ok({"switchover", "-c", "n.yml"});
  CHECK_FALSE(l.failover.leader);
  CHECK_FALSE(l.failover.candidate);
  CHECK_FALSE(l.failover.scheduled);
  CHECK_FALSE(l.failover.force);
  // an empty value is a value: patronictl treats --candidate "" as given
  CHECK(ok({"-c", "n.yml", "switchover", "--candidate="}).failover.candidate ==
        std::optional<std::string>(""));
}

TEST_CASE("failover takes --primary and --master and a cluster name",
          "[praetorctl][command_line]") {
  auto l = ok({"-c", "n.yml", "failover", "other", "--primary", "node1", "--candidate", "node2"});
  CHECK(l.failover.action == ctl_action::failover);
  CHECK(l.cluster_name == "other");
  CHECK(l.failover.leader == std::optional<std::string>("node1"));
  CHECK(ok({"-c", "n.yml", "failover", "--master=node3"}).failover.leader ==
        std::optional<std::string>("node3"));
}

TEST_CASE("flush takes an optional cluster and member names before the target",
          "[praetorctl][command_line]") {
  auto l = ok({"-c", "n.yml", "flush", "switchover"});
  CHECK(l.command == "flush");
  CHECK(l.flush_target == "switchover");
  CHECK(l.cluster_name.empty());
  auto named = ok({"-c", "n.yml", "flush", "demo", "node1", "switchover", "--force"});
  CHECK(named.cluster_name == "demo");
  CHECK(named.flush_target == "switchover");
}

TEST_CASE("flush restart takes the members between the cluster and the target",
          "[praetorctl][command_line]") {
  auto l =
      ok({"-c", "n.yml", "flush", "demo", "node1", "node2", "restart", "-r", "replica", "--force"});
  CHECK(l.command == "flush");
  CHECK(l.flush_target == "restart");
  CHECK(l.cluster_name == "demo");
  CHECK(l.select.names == std::vector<std::string>{"node1", "node2"});
  CHECK(l.select.role == "replica");
  CHECK(l.select.force);
  auto plain = ok({"-c", "n.yml", "flush", "restart"});
  CHECK(plain.cluster_name.empty());
  CHECK(plain.select.names.empty());
  CHECK(plain.select.role == "any");
  CHECK_FALSE(plain.select.force);
}

TEST_CASE("restart keeps what was given apart from what was left out",
          "[praetorctl][command_line]") {
  auto l =
      ok({"-c", "n.yml", "restart", "demo", "node2", "--role=master", "--scheduled",
          "2030-01-02T03:04", "--pending", "--pg-version", "15.4", "--timeout", "30", "--force"});
  CHECK(l.command == "restart");
  CHECK(l.cluster_name == "demo");
  CHECK(l.select.names == std::vector<std::string>{"node2"});
  CHECK(l.select.role == "master");
  CHECK(l.select.force);
  CHECK(l.restart.scheduled == std::optional<std::string>("2030-01-02T03:04"));
  CHECK(l.restart.pg_version == std::optional<std::string>("15.4"));
  CHECK(l.restart.timeout == "30");
  CHECK(l.restart.pending);
  // left out: asked for without --force
  auto plain = ok({"-c", "n.yml", "restart", "demo"});
  CHECK_FALSE(plain.restart.scheduled);
  CHECK_FALSE(plain.restart.pg_version);
  CHECK_FALSE(plain.restart.pending);
  CHECK(plain.select.names.empty());
  CHECK(plain.select.role == "any");
  CHECK(ok({"-c", "n.yml", "restart", "demo", "--pg-version="}).restart.pg_version ==
        std::optional<std::string>(""));
}

TEST_CASE("reload and reinit take a cluster and members", "[praetorctl][command_line]") {
  auto reload = ok({"-c", "n.yml", "reload", "demo", "node1", "-r", "standby-leader", "--force"});
  CHECK(reload.command == "reload");
  CHECK(reload.cluster_name == "demo");
  CHECK(reload.select.names == std::vector<std::string>{"node1"});
  CHECK(reload.select.role == "standby-leader");
  CHECK(reload.select.force);
  auto reinit = ok({"-c", "n.yml", "reinit", "demo", "node2", "node3", "--wait"});
  CHECK(reinit.command == "reinit");
  CHECK(reinit.select.names == std::vector<std::string>{"node2", "node3"});
  CHECK(reinit.wait);
  CHECK_FALSE(reinit.select.force);
  CHECK_FALSE(ok({"-c", "n.yml", "reinit", "demo", "--force"}).wait);
}

TEST_CASE("list keeps its options and ignores cluster names", "[praetorctl][command_line]") {
  auto l = ok({"-c", "n.yml", "list", "demo", "-f", "json", "-W"});
  CHECK(l.command == "list");
  CHECK(l.format == "json");
  CHECK(l.watch);
  CHECK_FALSE(l.extended);
  auto plain = ok({"-c", "n.yml", "list"});
  CHECK(plain.format == "pretty");
  CHECK_FALSE(plain.watch);
  CHECK(ok({"-c", "n.yml", "list", "-e", "-f", "tsv"}).extended);
  CHECK(ok({"-c", "n.yml", "list", "--extended"}).extended);
  CHECK(ok({"-c", "n.yml", "list", "-f", "yml"}).format == "yaml");
}

TEST_CASE("topology, history and show-config take an optional cluster",
          "[praetorctl][command_line]") {
  auto t = ok({"-c", "n.yml", "topology", "other", "-W"});
  CHECK(t.command == "topology");
  CHECK(t.cluster_name == "other");
  CHECK(t.watch);
  CHECK_FALSE(t.extended);
  CHECK(ok({"-c", "n.yml", "topology", "-e"}).extended);
  auto h = ok({"-c", "n.yml", "history", "-f", "yml"});
  CHECK(h.cluster_name.empty());
  CHECK(h.format == "yaml");
  CHECK(ok({"-c", "n.yml", "history", "demo", "--format=tsv"}).format == "tsv");
  CHECK(ok({"-c", "n.yml", "show-config", "demo"}).cluster_name == "demo");
}

TEST_CASE("edit-config keeps repeated --set and --pg in order", "[praetorctl][command_line]") {
  auto l = ok({"-c", "n.yml", "edit-config", "demo", "--set", "ttl=40", "-s", "loop_wait=5",
               "--pg=work_mem=8MB", "-p", "max_connections=200", "-q", "--force", "--apply", "-",
               "--replace=f.yml"});
  CHECK(l.command == "edit-config");
  CHECK(l.cluster_name == "demo");
  CHECK(l.set_pairs == std::vector<std::string>{"ttl=40", "loop_wait=5"});
  CHECK(l.pg_pairs == std::vector<std::string>{"work_mem=8MB", "max_connections=200"});
  CHECK(l.apply_file == "-");
  CHECK(l.replace_file == "f.yml");
  CHECK(l.quiet);
  CHECK(l.force);
  auto plain = ok({"-c", "n.yml", "edit-config"});
  CHECK_FALSE(plain.quiet);
  CHECK_FALSE(plain.force);
  CHECK(plain.set_pairs.empty());
}

TEST_CASE("remove needs its cluster and shows the table in a format",
          "[praetorctl][command_line]") {
  auto l = ok({"-c", "n.yml", "remove", "demo", "-f", "json"});
  CHECK(l.command == "remove");
  CHECK(l.cluster_name == "demo");
  CHECK(l.format == "json");
}

TEST_CASE("help needs nothing else", "[praetorctl][command_line]") {
  CHECK(ok({"--help"}).help);
  CHECK(ok({"switchover", "-h"}).help);
}

TEST_CASE("usage errors name what is wrong", "[praetorctl][command_line]") {
  CHECK(refused({"-c", "n.yml"}) == "no command given");
  CHECK(refused({"-c", "n.yml", "bogus"}) == "unknown command bogus");
  CHECK(refused({"-c", "n.yml", "remove"}) == "remove needs the cluster's name: remove CLUSTER");
  CHECK(refused({"-c", "n.yml", "history", "-f", "xml"}) ==
        "unknown format xml (pretty, tsv, json or yaml)");
  CHECK(refused({"-c", "n.yml", "show-config", "--force"}) ==
        "--force does not apply to show-config");
  CHECK(refused({"-c", "n.yml", "edit-config", "a", "b"}) == "unexpected argument b");
  CHECK(refused({"-c", "n.yml", "topology", "-f", "json"}) ==
        "--format does not apply to topology");
  CHECK(refused({"switchover"}) == "give the node's configuration with -c CONFIG");
  CHECK(refused({"-c", "n.yml", "switchover", "--candidate"}) ==
        "option --candidate needs a value");
  CHECK(refused({"-c", "n.yml", "switchover", "--bogus"}) == "unknown option --bogus");
  CHECK(refused({"-c", "n.yml", "switchover", "a", "b"}) == "unexpected argument b");
  // patronictl's failover has no --scheduled
  CHECK(refused({"-c", "n.yml", "failover", "--scheduled", "now"}) ==
        "--scheduled does not apply to failover");
  CHECK(refused({"-c", "n.yml", "list", "--force"}) == "--force does not apply to list");
  CHECK(refused({"-c", "n.yml", "switchover", "-W"}) == "-W does not apply to switchover");
  CHECK(refused({"-c", "n.yml", "flush", "--candidate", "x", "switchover"}) ==
        "--candidate does not apply to flush");
  CHECK(refused({"-c", "n.yml", "list", "-f", "xml"}) ==
        "unknown format xml (pretty, tsv, json or yaml)");
  CHECK(refused({"-c", "n.yml", "history", "-e"}) == "--extended does not apply to history");
  CHECK(refused({"-c", "n.yml", "flush"}) ==
        "flush needs a target: flush [CLUSTER] [MEMBER]... restart|switchover");
  CHECK(refused({"-c", "n.yml", "flush", "demo", "config"}) ==
        "unknown flush target config (restart or switchover)");
  CHECK(refused({"-c", "n.yml", "flush", "demo", "restart", "--wait"}) ==
        "--wait does not apply to flush");
  CHECK(refused({"-c", "n.yml", "reload"}) ==
        "reload needs the cluster's name: reload CLUSTER [MEMBER]...");
  CHECK(refused({"-c", "n.yml", "reinit"}) ==
        "reinit needs the cluster's name: reinit CLUSTER [MEMBER]...");
  CHECK(refused({"-c", "n.yml", "restart", "--force"}) ==
        "restart needs the cluster's name: restart CLUSTER [MEMBER]...");
  CHECK(refused({"-c", "n.yml", "reinit", "demo", "--role", "replica"}) ==
        "--role does not apply to reinit");
  CHECK(refused({"-c", "n.yml", "reload", "demo", "--pending"}) ==
        "--pending does not apply to reload");
  CHECK(refused({"-c", "n.yml", "restart", "demo", "--wait"}) ==
        "--wait does not apply to restart");
  CHECK(refused({"-c", "n.yml", "restart", "demo", "--role", "sync"}) ==
        "invalid --role sync (leader, primary, standby-leader, replica, standby, any or master)");
  CHECK(refused({"-c", "n.yml", "flush", "demo", "restart", "-r", "boss"}) ==
        "invalid --role boss (leader, primary, standby-leader, replica, standby, any or master)");
  CHECK(refused({"-c", "n.yml", "restart", "demo", "--scheduled"}) ==
        "option --scheduled needs a value");
}

TEST_CASE("version needs a configuration only with a cluster", "[praetorctl][command_line]") {
  auto bare = ok({"version"});
  CHECK(bare.command == "version");
  CHECK(bare.cluster_name.empty());
  auto members = ok({"-c", "n.yml", "version", "demo", "node1", "node2"});
  CHECK(members.cluster_name == "demo");
  CHECK(members.select.names == std::vector<std::string>{"node1", "node2"});
  CHECK_THAT(refused({"version", "demo"}), Catch::Contains("-c CONFIG"));
  CHECK_THAT(refused({"-c", "n.yml", "version", "--force"}), Catch::Contains("force"));
}
