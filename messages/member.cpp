#include "messages/member.hpp"

#include <boost/json.hpp>

#include "messages/cluster_flags.hpp"
#include "messages/json_fields.hpp"

namespace praetor {
namespace jf = json_fields;

namespace {
// Splits "postgres://host:port/db?..." into host and port.
std::pair<std::string, int> host_port_of(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return {"", 0};
  auto start = scheme + 3;
  auto at = url.find('@', start);
  auto slash = url.find('/', start);
  if (at != std::string::npos && (slash == std::string::npos || at < slash)) start = at + 1;
  auto authority =
      url.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
  std::string host = authority;
  int port = 5432;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      port = std::atoi(authority.c_str() + close + 2);
  } else if (auto colon = authority.rfind(':'); colon != std::string::npos) {
    host = authority.substr(0, colon);
    port = std::atoi(authority.c_str() + colon + 1);
  }
  return {host, port};
}

member_record from_object(std::string name, const boost::json::object& o) {
  member_record m;
  m.name = std::move(name);
  m.conn_url = jf::string_or(o, "conn_url");
  m.api_url = jf::string_or(o, "api_url");
  m.state = jf::string_or(o, "state");
  m.role = jf::string_or(o, "role");
  m.version = jf::string_or(o, "version");
  m.tags = jf::object_or_empty(o, "tags");
  m.pending_restart = jf::bool_or(o, "pending_restart");
  if (auto x = jf::optional_int(o, "xlog_location"); x && *x >= 0)
    m.xlog_location = lsn{static_cast<std::uint64_t>(*x)};
  if (auto t = jf::optional_int(o, "timeline"); t && *t >= 0)
    m.tl = timeline{static_cast<std::uint32_t>(*t)};
  if (auto* c = jf::find(o, "checkpoint_after_promote"); c && c->is_bool())
    m.checkpoint_after_promote = c->get_bool();
  m.pause = jf::bool_or(o, "pause");
  m.replication_state = jf::string_or(o, "replication_state");
  m.scheduled_restart = jf::object_or_empty(o, "scheduled_restart");
  return m;
}
}  // namespace

std::string member_record::host() const {
  return host_port_of(conn_url).first;
}
int member_record::port() const {
  return host_port_of(conn_url).second;
}
bool member_record::nofailover() const {
  return truthy_key(tags, "nofailover");
}

bool member_record::nosync() const {
  return truthy_key(tags, "nosync");
}

boost::json::object member_to_json(const member_record& m) {
  boost::json::object o;
  o["conn_url"] = m.conn_url;
  o["api_url"] = m.api_url;
  o["state"] = m.state;
  o["role"] = m.role;
  o["version"] = m.version;
  if (m.checkpoint_after_promote) o["checkpoint_after_promote"] = *m.checkpoint_after_promote;
  if (!m.tags.empty()) o["tags"] = m.tags;
  if (m.pending_restart) o["pending_restart"] = true;
  if (m.xlog_location) o["xlog_location"] = m.xlog_location->value;
  if (m.tl) o["timeline"] = m.tl->value;
  if (m.pause) o["pause"] = true;
  if (!m.replication_state.empty()) o["replication_state"] = m.replication_state;
  if (!m.scheduled_restart.empty()) o["scheduled_restart"] = m.scheduled_restart;
  return o;
}

member_record member_from_znode(std::string name, std::string_view data) {
  if (data.starts_with("postgres")) {
    member_record m;
    m.name = std::move(name);
    auto q = data.find('?');
    m.conn_url = std::string(data.substr(0, q));
    if (q != std::string_view::npos) {
      auto key = data.find("application_name=", q);
      if (key != std::string_view::npos) {
        auto start = key + 17;
        auto end = data.find('&', start);
        m.api_url =
            std::string(data.substr(start, end == std::string_view::npos ? end : end - start));
      }
    }
    return m;
  }
  boost::system::error_code ec;
  auto v = boost::json::parse(data, ec);
  if (ec || !v.is_object()) {
    member_record m;
    m.name = std::move(name);
    return m;
  }
  return from_object(std::move(name), v.get_object());
}

void tag_invoke(const boost::json::value_from_tag&, boost::json::value& v, const member_record& m) {
  auto o = member_to_json(m);
  o["name"] = m.name;
  v = std::move(o);
}

member_record tag_invoke(const boost::json::value_to_tag<member_record>&,
                         const boost::json::value& v) {
  const auto& o = v.as_object();
  return from_object(jf::string_or(o, "name"), o);
}

}  // namespace praetor
