#include "config/config_error.hpp"

#include <algorithm>
#include <tuple>

namespace praetor::config {

std::string to_string(const config_error& e) { return e.path + ": " + e.message; }

void sort_errors(std::vector<config_error>& errors) {
  std::stable_sort(errors.begin(), errors.end(), [](const config_error& a, const config_error& b) {
    return std::tie(a.path, a.message) < std::tie(b.path, b.message);
  });
}

std::string join_path(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

}  // namespace praetor::config
