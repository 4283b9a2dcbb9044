// One problem found in a node's configuration, named by its key path (`postgresql.data_dir`,
// `bootstrap.dcs.ttl`) or, for an unreadable file, by the file's path. Errors are values: the
// loader and the validator return lists of these and never throw. Plain values, any thread.
#pragma once

#include <string>
#include <vector>

namespace praetor::config {

struct config_error {
  std::string path;     // dotted key path, or a file path for read/parse failures
  std::string message;  // what is wrong and, where useful, what to write instead
  bool operator==(const config_error&) const = default;
};

// "path: message", the form operators see in the log and on stderr.
std::string to_string(const config_error& e);

// Sorts by path (then message) so that reports are stable and easy to scan.
void sort_errors(std::vector<config_error>& errors);

// Joins a key path: join_path("postgresql", "data_dir") == "postgresql.data_dir".
std::string join_path(const std::string& prefix, const std::string& key);

}  // namespace praetor::config
