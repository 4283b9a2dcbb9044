#include "apps/praetorctl/command_line.hpp"

#include <set>

namespace praetor::ctl {

const char* const usage =
    "usage: praetorctl -c CONFIG COMMAND [OPTIONS]\n"
    "commands:\n"
    "  list [-f pretty|tsv|json|yaml] [-e] [-W]\n"
    "      the cluster as a table, as patronictl list does\n"
    "  topology [CLUSTER] [-e] [-W]\n"
    "      the same table with each replica indented under the member it streams from\n"
    "  switchover [CLUSTER] [--leader NAME] [--candidate NAME] [--scheduled TIME] [--force]\n"
    "      hand the leader role to a replica, now or at TIME, through the leader's REST API\n"
    "  failover [CLUSTER] [--leader NAME] [--candidate NAME] [--force]\n"
    "      make CANDIDATE the leader, also when the cluster has no leader\n"
    "  flush [CLUSTER] switchover\n"
    "      cancel a scheduled switchover\n"
    "  flush CLUSTER [MEMBER]... restart [--role ROLE] [--force]\n"
    "      cancel the restarts scheduled on the members (all of them, or those named)\n"
    "  history [CLUSTER] [-f pretty|tsv|json|yaml]\n"
    "      the timeline switches the cluster went through (the DCS history key)\n"
    "  show-config [CLUSTER]\n"
    "      the dynamic configuration (the DCS config key) as YAML\n"
    "  edit-config [CLUSTER] [-s KEY=VALUE]... [-p NAME=VALUE]... [--apply FILE]\n"
    "              [--replace FILE] [-q] [--force]\n"
    "      change the dynamic configuration: show the diff, ask, write it if nobody changed\n"
    "      it meanwhile; with no change given, edit it in $EDITOR\n"
    "  restart CLUSTER [MEMBER]... [--role ROLE] [--scheduled TIME] [--pending]\n"
    "          [--pg-version X.Y[.Z]] [--timeout SECONDS] [--force]\n"
    "      restart PostgreSQL on the members (all of them, or those named) through their API,\n"
    "      now or at TIME\n"
    "  reload CLUSTER [MEMBER]... [--role ROLE] [--force]\n"
    "      make the members re-read their configuration (POST /reload)\n"
    "  reinit CLUSTER [MEMBER]... [--force] [--wait]\n"
    "      re-create replicas from the leader (POST /reinitialize); --wait: until done\n"
    "  pause [CLUSTER] [--wait]\n"
    "      maintenance mode: no automatic failover, no restart of a stopped PostgreSQL\n"
    "  resume [CLUSTER] [--wait]\n"
    "      leave maintenance mode\n"
    "  remove CLUSTER [-f pretty|json|yaml]\n"
    "      delete everything the DCS holds for CLUSTER, after three confirmations\n"
    "  version [CLUSTER [MEMBER]...]\n"
    "      praetorctl's version; with CLUSTER, each member's as its REST API reports it\n"
    "options:\n"
    "  -c, --config-file CONFIG  a node's Patroni-format YAML (scope, namespace, zookeeper,\n"
    "                            restapi.authentication)\n"
    "  -f, --format FORMAT       list, history: pretty (default), tsv, json or yaml;\n"
    "                            remove: pretty (default), json or yaml\n"
    "  -e, --extended            list, topology: show the Pending restart, Scheduled restart\n"
    "                            and Tags columns even when no member has them\n"
    "  -W                        list, topology: print again every 2 s until interrupted\n"
    "  -s, --set KEY.PATH=VALUE  edit-config: set a key (dotted path, VALUE read as YAML;\n"
    "                            null or nothing deletes it); may be repeated\n"
    "  -p, --pg NAME=VALUE       edit-config: the same for postgresql.parameters.NAME\n"
    "  --apply FILE              edit-config: merge this YAML over the configuration (- = stdin)\n"
    "  --replace FILE            edit-config: replace the configuration by this YAML (- = stdin)\n"
    "  -q, --quiet               edit-config: do not show the changes\n"
    "  --leader, --primary NAME  the current leader (asked for unless --force)\n"
    "  --candidate NAME          the member to hand over to (asked for unless --force)\n"
    "  --scheduled TIME          switchover, restart: ISO-8601 time, local time when it names\n"
    "                            no zone; \"now\" = at once (asked for unless --force)\n"
    "  -r, --role ROLE           restart, reload, flush restart: only members with this role:\n"
    "                            leader, primary (master), standby-leader, replica (standby)\n"
    "                            or any (the default)\n"
    "  --force                   ask nothing: switchover/failover take the current leader, any\n"
    "                            healthy candidate, now; edit-config applies without asking;\n"
    "                            restart, reload, reinit and flush restart do not confirm\n"
    "  CLUSTER                   the scope to act on; default: the configuration's scope\n";

namespace {

// An option that takes a value, by every spelling. A repeatable one appends each value to
// `values` instead.
struct value_option {
  std::vector<std::string> spellings;
  std::string* value = nullptr;
  std::vector<std::string>* values = nullptr;
};

}  // namespace

command_line_outcome parse_command_line(const std::vector<std::string>& args) {
  command_line line;
  std::string leader, candidate, scheduled, role, pg_version;
  std::vector<std::string> positionals;
  std::set<std::string> given;  // canonical names of the options seen
  auto fail = [](std::string why) {
    command_line_outcome o;
    o.error = std::move(why);
    return o;
  };

  const std::vector<std::pair<std::string, value_option>> with_value = {
      {"config", {{"-c", "--config-file"}, &line.config_path}},
      {"format", {{"-f", "--format"}, &line.format}},
      {"leader", {{"--leader", "--primary", "--master"}, &leader}},
      {"candidate", {{"--candidate"}, &candidate}},
      {"scheduled", {{"--scheduled"}, &scheduled}},
      {"set", {{"-s", "--set"}, nullptr, &line.set_pairs}},
      {"pg", {{"-p", "--pg"}, nullptr, &line.pg_pairs}},
      {"apply", {{"--apply"}, &line.apply_file}},
      {"replace", {{"--replace"}, &line.replace_file}},
      {"role", {{"-r", "--role"}, &role}},
      {"pg-version", {{"--pg-version"}, &pg_version}},
      {"timeout", {{"--timeout"}, &line.restart.timeout}},
  };

  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "-h" || a == "--help") {
      line.help = true;
      continue;
    }
    if (a == "-W") {
      given.insert("watch");
      continue;
    }
    if (a == "--force") {
      given.insert("force");
      continue;
    }
    if (a == "-e" || a == "--extended") {
      given.insert("extended");
      continue;
    }
    if (a == "--wait") {
      given.insert("wait");
      continue;
    }
    if (a == "--pending") {
      given.insert("pending");
      continue;
    }
    if (a == "-q" || a == "--quiet") {
      given.insert("quiet");
      continue;
    }
    bool matched = false;
    for (const auto& [name, opt] : with_value) {
      for (const auto& spelling : opt.spellings) {
        std::string value;
        if (a == spelling) {
          if (i + 1 >= args.size()) return fail("option " + a + " needs a value");
          value = args[++i];
        } else if (spelling.starts_with("--") && a.starts_with(spelling + "=")) {
          value = a.substr(spelling.size() + 1);
        } else {
          continue;
        }
        if (opt.values)
          opt.values->push_back(std::move(value));
        else
          *opt.value = std::move(value);
        given.insert(name);
        matched = true;
        break;
      }
      if (matched) break;
    }
    if (matched) continue;
    if (!a.empty() && a[0] == '-' && a != "-") return fail("unknown option " + a);
    positionals.push_back(a);
  }

  if (line.help) {
    command_line_outcome o;
    o.line = std::move(line);
    return o;
  }
  if (positionals.empty()) return fail("no command given");
  line.command = positionals.front();
  positionals.erase(positionals.begin());

  auto only = [&](const std::set<std::string>& allowed) -> std::string {
    for (const auto& g : given)
      if (g != "config" && !allowed.contains(g))
        return (g == "watch" ? std::string("-W") : "--" + g) + " does not apply to " + line.command;
    return "";
  };
  // An optional CLUSTER as the only positional argument.
  auto optional_cluster = [&]() -> std::string {
    if (positionals.size() > 1) return "unexpected argument " + positionals[1];
    if (!positionals.empty()) line.cluster_name = positionals.front();
    return "";
  };
  line.force = given.contains("force");
  line.select.force = line.force;
  // --role, checked against patronictl's choices.
  auto role_given = [&]() -> std::string {
    if (!given.contains("role")) return "";
    if (!is_member_role(role))
      return "invalid --role " + role +
             " (leader, primary, standby-leader, replica, standby, any or master)";
    line.select.role = role;
    return "";
  };
  // The required CLUSTER, then the MEMBER names (restart, reload, reinit).
  auto cluster_and_members = [&](const std::string& command) -> std::string {
    if (positionals.empty())
      return command + " needs the cluster's name: " + command + " CLUSTER [MEMBER]...";
    line.cluster_name = positionals.front();
    line.select.names.assign(positionals.begin() + 1, positionals.end());
    return role_given();
  };

  if (line.command == "list") {
    if (auto e = only({"format", "watch", "extended"}); !e.empty()) return fail(e);
    // patronictl takes cluster names after list; the configuration names ours
    if (line.format == "yml") line.format = "yaml";
    if (!std::set<std::string>{"pretty", "tsv", "json", "yaml"}.contains(line.format))
      return fail("unknown format " + line.format + " (pretty, tsv, json or yaml)");
    line.watch = given.contains("watch");
    line.extended = given.contains("extended");
  } else if (line.command == "topology") {
    // patronictl 3.0.2's topology has no -e; it is list's option and harmless here
    if (auto e = only({"watch", "extended"}); !e.empty()) return fail(e);
    if (auto e = optional_cluster(); !e.empty()) return fail(e);
    line.watch = given.contains("watch");
    line.extended = given.contains("extended");
  } else if (line.command == "history") {
    if (auto e = only({"format"}); !e.empty()) return fail(e);
    if (auto e = optional_cluster(); !e.empty()) return fail(e);
    if (line.format == "yml") line.format = "yaml";
    if (!std::set<std::string>{"pretty", "tsv", "json", "yaml"}.contains(line.format))
      return fail("unknown format " + line.format + " (pretty, tsv, json or yaml)");
  } else if (line.command == "show-config") {
    if (auto e = only({}); !e.empty()) return fail(e);
    if (auto e = optional_cluster(); !e.empty()) return fail(e);
  } else if (line.command == "edit-config") {
    if (auto e = only({"set", "pg", "apply", "replace", "quiet", "force"}); !e.empty())
      return fail(e);
    if (auto e = optional_cluster(); !e.empty()) return fail(e);
    line.quiet = given.contains("quiet");
  } else if (line.command == "restart") {
    if (auto e = only({"role", "scheduled", "pg-version", "timeout", "pending", "force"});
        !e.empty())
      return fail(e);
    if (auto e = cluster_and_members("restart"); !e.empty()) return fail(e);
    auto& r = line.restart;
    if (given.contains("pg-version")) r.pg_version = pg_version;
    if (given.contains("scheduled")) r.scheduled = scheduled;
    r.pending = given.contains("pending");
  } else if (line.command == "reload") {
    if (auto e = only({"role", "force"}); !e.empty()) return fail(e);
    if (auto e = cluster_and_members("reload"); !e.empty()) return fail(e);
  } else if (line.command == "reinit") {
    if (auto e = only({"force", "wait"}); !e.empty()) return fail(e);
    if (auto e = cluster_and_members("reinit"); !e.empty()) return fail(e);
    line.wait = given.contains("wait");
  } else if (line.command == "pause" || line.command == "resume") {
    if (auto e = only({"wait"}); !e.empty()) return fail(e);
    if (auto e = optional_cluster(); !e.empty()) return fail(e);
    line.wait = given.contains("wait");
  } else if (line.command == "remove") {
    if (auto e = only({"format"}); !e.empty()) return fail(e);
    if (positionals.empty()) return fail("remove needs the cluster's name: remove CLUSTER");
    if (auto e = optional_cluster(); !e.empty()) return fail(e);
    if (!std::set<std::string>{"pretty", "json", "yaml"}.contains(line.format))
      return fail("unknown format " + line.format + " (pretty, json or yaml)");
  } else if (line.command == "switchover" || line.command == "failover") {
    bool switchover = line.command == "switchover";
    if (auto e =
            only(switchover ? std::set<std::string>{"leader", "candidate", "scheduled", "force"}
                            : std::set<std::string>{"leader", "candidate", "force"});
        !e.empty())
      return fail(e);
    if (positionals.size() > 1) return fail("unexpected argument " + positionals[1]);
    if (!positionals.empty()) line.cluster_name = positionals.front();
    auto& f = line.failover;
    f.action = switchover ? ctl_action::switchover : ctl_action::failover;
    if (given.contains("leader")) f.leader = leader;
    if (given.contains("candidate")) f.candidate = candidate;
    if (given.contains("scheduled")) f.scheduled = scheduled;
    f.force = given.contains("force");
  } else if (line.command == "flush") {
    // patronictl: flush CLUSTER [MEMBER...] TARGET; the cluster may be left out here
    if (auto e = only({"role", "force"}); !e.empty()) return fail(e);
    if (positionals.empty())
      return fail("flush needs a target: flush [CLUSTER] [MEMBER]... restart|switchover");
    line.flush_target = positionals.back();
    positionals.pop_back();
    if (line.flush_target != "switchover" && line.flush_target != "restart")
      return fail("unknown flush target " + line.flush_target + " (restart or switchover)");
    if (!positionals.empty()) {
      line.cluster_name = positionals.front();
      // the member names only matter for restart, as in patronictl
      line.select.names.assign(positionals.begin() + 1, positionals.end());
    }
    if (auto e = role_given(); !e.empty()) return fail(e);
  } else if (line.command == "version") {
    if (auto e = only({}); !e.empty()) return fail(e);
    if (!positionals.empty()) {
      line.cluster_name = positionals.front();
      line.select.names.assign(positionals.begin() + 1, positionals.end());
    }
  } else {
    return fail("unknown command " + line.command);
  }
  if (line.config_path.empty() && !(line.command == "version" && line.cluster_name.empty()))
    return fail("give the node's configuration with -c CONFIG");
  command_line_outcome o;
  o.line = std::move(line);
  return o;
}

}  // namespace praetor::ctl
