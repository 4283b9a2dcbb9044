// `host:port` strings as Patroni writes them: `10.0.0.1:5432`, `[::1]:8008`, `*:8008`, `:8008`,
// and `host1,host2:5432` (several listen addresses, one port). The port is after the last ':'.
// Pure functions, any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace praetor::config {

struct host_port {
  std::string host;  // as written, without IPv6 brackets; may be empty or "*"
  int port = 0;      // 1..65535
  bool operator==(const host_port&) const = default;
};

// nullopt when there is no ':' or the port is not an integer in 1..65535.
std::optional<host_port> split_host_port(const std::string& text);

// "h1:2181,h2:2181" or " h1:2181 , h2 " -> {"h1:2181", "h2:2181"} / {"h1:2181", "h2"}.
std::vector<std::string> split_list(const std::string& text, char separator = ',');

}  // namespace praetor::config
