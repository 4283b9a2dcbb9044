#include "backends/dcs/dcs_client.hpp"

namespace praetor::dcs {

std::string_view to_string(error_code e) {
  switch (e) {
    case error_code::ok: return "ok";
    case error_code::no_node: return "no node";
    case error_code::node_exists: return "node exists";
    case error_code::bad_version: return "bad version";
    case error_code::not_empty: return "not empty";
    case error_code::connection_loss: return "connection loss";
    case error_code::session_expired: return "session expired";
    case error_code::timeout: return "timeout";
    case error_code::other: return "error";
  }
  return "error";
}

std::vector<get_result> client::get_many(const std::vector<read_request>& requests) {
  std::vector<get_result> out;
  out.reserve(requests.size());
  for (const auto& r : requests) out.push_back(get(r.path, r.watch));
  return out;
}

}  // namespace praetor::dcs
