// praetorctl's command line, parsed and checked without running anything. Options may come
// before or after the command and take their value as the next word or after '='
// (--candidate=node2), as click allows. Pure; any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "apps/praetorctl/failover_plan.hpp"

namespace praetor::ctl {

extern const char* const usage;

struct command_line {
  bool help = false;         // -h / --help: print usage, do nothing else
  std::string config_path;   // -c / --config-file
  std::string command;       // list | switchover | failover | flush
  std::string cluster_name;  // the optional CLUSTER_NAME; "" = the configuration's scope

  // list
  std::string format = "pretty";  // -f / --format
  bool watch = false;             // -W

  // switchover, failover: what failover_options needs (action set from the command)
  failover_options failover;

  // flush
  std::string flush_target;  // "switchover"
};

struct command_line_outcome {
  std::optional<command_line> line;
  std::string error;  // a usage error (exit status 2), when line is empty
};

command_line_outcome parse_command_line(const std::vector<std::string>& args);

}  // namespace praetor::ctl
