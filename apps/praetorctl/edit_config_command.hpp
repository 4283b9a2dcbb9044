// `praetorctl edit-config`: changes the dynamic configuration (the <base>/config key) the way
// patronictl 3.0.2 does. The new value is built from --replace, --apply, --set and --pg in
// that order, or, when none is given, by editing the YAML in $EDITOR (else `editor`, else
// `vi`). Then: "Not changed" when equal; the unified diff of the YAML before and after
// (unless --quiet); a refusal when the result fails the daemon's own check of a dynamic
// configuration (config::validate_dynamic: types), a warning when loop_wait + 2*retry_timeout
// > ttl (the daemons then use a shorter retry_timeout, config::timing_warning);
// "Apply these changes?" unless --force; and a compare-and-set write on the version read,
// which fails with patronictl's "Config modification aborted due to concurrent changes" when
// someone wrote the key meanwhile. praetor writes the value as compact JSON.
// Threads: the main thread.
#pragma once

#include <string>
#include <vector>

#include "apps/praetorctl/command_env.hpp"

namespace praetor::ctl {

struct edit_config_options {
  std::vector<std::string> set_pairs;  // --set KEY.PATH=VALUE
  std::vector<std::string> pg_pairs;   // --pg NAME=VALUE
  std::string apply_file;              // --apply FILE; "-" = env.in; "" = none
  std::string replace_file;            // --replace FILE; "-" = env.in; "" = none
  bool quiet = false;                  // --quiet
  bool force = false;                  // --force
};

int run_edit_config(const command_env& env, const edit_config_options& options);

}  // namespace praetor::ctl
