// praetorctl's command line, parsed and checked without running anything. Options may come
// before or after the command and take their value as the next word or after '='
// (--candidate=node2), as click allows. Pure; any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "apps/praetorctl/failover_plan.hpp"
#include "apps/praetorctl/member_choice.hpp"
#include "apps/praetorctl/restart_command.hpp"

namespace praetor::ctl {

extern const char* const usage;

struct command_line {
  bool help = false;         // -h / --help: print usage, do nothing else
  std::string config_path;   // -c / --config-file
  std::string command;       // list | topology | switchover | failover | flush | history |
                             // show-config | edit-config | restart | reload | reinit | pause |
                             // resume | remove | version
  std::string cluster_name;  // the optional CLUSTER_NAME; "" = the configuration's scope
                             // (remove, restart, reload and reinit require it)

  // list, history, remove
  std::string format = "pretty";  // -f / --format
  // list, topology
  bool watch = false;     // -W
  bool extended = false;  // -e / --extended: the Pending restart, Scheduled restart and Tags
                          // columns even when no member has them
  // pause, resume: --wait until every member's record says so; reinit: until the members'
  // state is no longer "creating replica"
  bool wait = false;

  // edit-config (patronictl applies --replace, then --apply, then the --set pairs, then the
  // --pg pairs; with none of them it opens an editor)
  std::vector<std::string> set_pairs;  // -s / --set KEY.PATH=VALUE, in order
  std::vector<std::string> pg_pairs;   // -p / --pg NAME=VALUE, in order
  std::string apply_file;              // --apply FILE ("-" = stdin): merged over the config
  std::string replace_file;            // --replace FILE ("-" = stdin): replaces the config
  bool quiet = false;                  // -q / --quiet: no diff, no "Not changed"
  bool force = false;                  // --force (edit-config; switchover and failover too)

  // switchover, failover: what failover_options needs (action set from the command)
  failover_options failover;

  // flush
  std::string flush_target;  // "switchover" or "restart"

  // restart, reload, reinit, flush restart, version: the MEMBER names, --role (reinit: always
  // replica) and --force
  member_selection select;

  // restart (pg_version, scheduled and timeout read into it as given)
  restart_options restart;
};

struct command_line_outcome {
  std::optional<command_line> line;
  std::string error;  // a usage error (exit status 2), when line is empty
};

command_line_outcome parse_command_line(const std::vector<std::string>& args);

}  // namespace praetor::ctl
