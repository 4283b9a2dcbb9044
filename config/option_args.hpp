// bootstrap.initdb and postgresql.basebackup options -> command-line arguments, as Patroni's
// process_user_options builds them: a list item "data-checksums" -> "--data-checksums", a
// single-key map {encoding: UTF8} -> "--encoding=UTF8", and a map {k: v, ...} -> "--k=v" for
// each entry whose key and value are non-empty. Options praetor itself passes are refused.
// Pure function, any thread.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "config/config_error.hpp"

namespace praetor::config {

struct option_args {
  std::vector<std::string> args;      // the accepted options, in order
  std::vector<config_error> errors;   // one per refused or malformed option, path = `path`
};

// `tool` names the program in messages ("initdb"); `path` is the key path of `options`.
option_args user_option_args(const boost::json::value& options, const std::string& tool,
                             const std::string& path,
                             const std::vector<std::string>& not_allowed);

// The options praetor sets itself and so refuses from the user.
const std::vector<std::string>& initdb_refused_options();      // pgdata nosync pwfile sync-only version
const std::vector<std::string>& basebackup_refused_options();  // pgdata format wal-method ...

}  // namespace praetor::config
