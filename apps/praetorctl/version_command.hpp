// praetorctl version [CLUSTER [MEMBER]...], as patronictl's: this tool's version, then, with a
// cluster, each member's as its REST API reports it (GET /patroni).
#pragma once

#include <string>
#include <string_view>

#include "apps/praetorctl/command_env.hpp"
#include "apps/praetorctl/member_choice.hpp"

namespace praetor::ctl {

// The first line: "praetorctl version X.Y.Z".
std::string tool_version_line();

// PostgreSQL's server_version_num as patronictl prints it: 150005 -> "15.5", 90624 -> "9.6.24".
std::string format_pg_version(long long server_version);

// "<name>: Patroni <version> PostgreSQL <x.y>" from a GET /patroni body (the PostgreSQL part
// only when the body has server_version); "<name>: failed to get version: <why>" when the body
// is not such a JSON object.
std::string member_version_line(const std::string& name, std::string_view body);

// Prints the lines for the members named in `selection` (all of them when none is named).
int run_version(const command_env& env, const member_selection& selection);

}  // namespace praetor::ctl
