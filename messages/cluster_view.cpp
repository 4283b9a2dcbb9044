#include "messages/cluster_view.hpp"

#include <boost/json.hpp>

#include "messages/json_fields.hpp"

namespace praetor {
namespace jf = json_fields;
namespace json = boost::json;

const member_record* cluster_view::find_member(std::string_view name) const {
  for (const auto& m : members)
    if (m.name == name) return &m;
  return nullptr;
}

const member_record* cluster_view::leader_member() const {
  return leader ? find_member(leader->name) : nullptr;
}

json::object failover_to_json(const failover_request& f) {
  json::object o;
  if (!f.leader.empty()) o["leader"] = f.leader;
  if (!f.member.empty()) o["member"] = f.member;
  if (!f.scheduled_at.empty()) o["scheduled_at"] = f.scheduled_at;
  return o;
}

std::optional<failover_request> failover_from_znode(std::string_view data, znode_version version) {
  failover_request f;
  f.version = version;
  boost::system::error_code ec;
  auto v = json::parse(data, ec);
  if (!ec && v.is_object()) {
    const auto& o = v.get_object();
    f.leader = jf::string_or(o, "leader");
    f.member = jf::string_or(o, "member");
    f.scheduled_at = jf::string_or(o, "scheduled_at");
  } else if (auto colon = data.find(':'); colon != std::string_view::npos) {
    f.leader = std::string(data.substr(0, colon));
    f.member = std::string(data.substr(colon + 1));
  } else {
    return std::nullopt;
  }
  if (f.leader.empty() && f.member.empty()) return std::nullopt;
  return f;
}

}  // namespace praetor
