#include "messages/cluster_view.hpp"

#include <algorithm>
#include <boost/algorithm/string/predicate.hpp>
#include <boost/json.hpp>

#include "messages/json_fields.hpp"

namespace praetor {
namespace jf = json_fields;
namespace json = boost::json;

std::optional<std::uint64_t> history_number(const boost::json::value& line, std::size_t i) {
  const auto* a = line.if_array();
  if (!a || i >= a->size()) return std::nullopt;
  if (const auto* p = (*a)[i].if_uint64()) return *p;
  if (const auto* p = (*a)[i].if_int64(); p && *p >= 0) return static_cast<std::uint64_t>(*p);
  return std::nullopt;
}

const member_record* cluster_view::find_member(std::string_view name) const {
  for (const auto& m : members)
    if (m.name == name) return &m;
  return nullptr;
}

const member_record* cluster_view::leader_member() const {
  return leader ? find_member(leader->name) : nullptr;
}

bool sync_key::names_standby(std::string_view name) const {
  return std::any_of(members.begin(), members.end(),
                     [&](const std::string& m) { return boost::algorithm::iequals(m, name); });
}

bool sync_key::matches(std::string_view name) const {
  return !name.empty() &&
         ((!leader.empty() && boost::algorithm::iequals(leader, name)) || names_standby(name));
}

std::string sync_to_znode(const std::string& leader, std::vector<std::string> members, int quorum) {
  if (leader.empty()) return "{}";
  std::sort(members.begin(), members.end());
  std::string joined;
  for (const auto& m : members) joined += (joined.empty() ? "" : ",") + m;
  json::object o;
  o["leader"] = leader;
  if (quorum >= 0) o["quorum"] = quorum;
  if (joined.empty())
    o["sync_standby"] = nullptr;
  else
    o["sync_standby"] = joined;
  return json::serialize(o);
}

sync_key sync_from_znode(std::string_view data, znode_version version) {
  sync_key k;
  k.version = version;
  boost::system::error_code ec;
  auto v = json::parse(data, ec);
  if (ec || !v.is_object()) return k;
  const auto& o = v.get_object();
  k.leader = jf::string_or(o, "leader");
  if (k.leader.empty()) return k;
  k.quorum = static_cast<int>(std::max<std::int64_t>(0, jf::int_or(o, "quorum")));
  std::string standbys = jf::string_or(o, "sync_standby");
  std::size_t start = 0;
  while (start <= standbys.size() && !standbys.empty()) {
    auto comma = standbys.find(',', start);
    auto name =
        standbys.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (!name.empty()) k.members.push_back(name);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return k;
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
