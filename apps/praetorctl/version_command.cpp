#include "apps/praetorctl/version_command.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "apps/praetorctl/member_call.hpp"

namespace praetor::ctl {

std::string tool_version_line() {
  return std::string("praetorctl version ") + PRAETOR_VERSION;
}

std::string format_pg_version(long long v) {
  const auto major = v / 10000;
  if (major >= 10) return std::to_string(major) + "." + std::to_string(v % 100);
  return std::to_string(major) + "." + std::to_string(v / 100 % 100) + "." +
         std::to_string(v % 100);
}

std::string member_version_line(const std::string& name, std::string_view body) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object())
    return name + ": failed to get version: GET /patroni did not answer with a JSON object";
  const auto& o = parsed.get_object();
  std::string version = "None";  // what Python prints for a missing key
  if (const auto* p = o.if_contains("patroni"); p && p->is_object())
    if (const auto* v = p->get_object().if_contains("version"); v && v->is_string())
      version = std::string(v->get_string());
  std::string line = name + ": Patroni " + version;
  if (const auto* sv = o.if_contains("server_version"); sv && sv->is_int64() && sv->get_int64())
    line += " PostgreSQL " + format_pg_version(sv->get_int64());
  return line;
}

int run_version(const command_env& env, const member_selection& selection) {
  env.out << tool_version_line() << "\n\n";
  dcs_access dcs(env.dcs);
  auto view = connect_and_load(dcs, env);
  if (!view) return 1;
  const auto& names = selection.names;
  for (const auto& m : view->members) {
    if (m.api_url.empty()) continue;
    if (!names.empty() && std::find(names.begin(), names.end(), m.name) == names.end()) continue;
    auto sent = call_member(m, "GET", "patroni", "", env, std::chrono::seconds(5));
    if (!sent.reply)
      env.out << m.name << ": failed to get version: " << sent.error << "\n";
    else
      env.out << member_version_line(m.name, sent.reply->body) << "\n";
  }
  return 0;
}

}  // namespace praetor::ctl
