#include "apps/praetorctl/restart_command.hpp"

#include <boost/json/serialize.hpp>

#include "actors/rest_frontend/restart_request.hpp"
#include "apps/praetorctl/cluster_table.hpp"
#include "apps/praetorctl/dcs_access.hpp"
#include "apps/praetorctl/member_call.hpp"
#include "apps/praetorctl/terminal_prompt.hpp"

namespace praetor::ctl {

namespace {

bool has_role(const member_record& m, const std::string& role) {
  if (role == "any") return true;
  bool primary = m.role == "master" || m.role == "primary";
  return role == "replica" ? !primary : primary;
}

std::string names_of(const std::vector<const member_record*>& members) {
  std::string out;
  for (const auto* m : members) out += (out.empty() ? "" : ", ") + m->name;
  return out;
}

}  // namespace

int run_restart(const command_env& env, const restart_options& options) {
  const std::string role = options.role == "master" ? "primary" : options.role;
  if (role != "primary" && role != "replica" && role != "any") {
    env.err << "Error: --role must be primary, master, replica or any, not " << options.role
            << "\n";
    return 1;
  }
  if (!options.pg_version.empty() && !rest::postgres_version_number(options.pg_version)) {
    env.err << "Error: Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: "
            << options.pg_version << "\n";
    return 1;
  }
  dcs_access dcs(env.dcs);
  auto view = connect_and_load(dcs, env);
  if (!view) return 1;
  std::vector<const member_record*> chosen;
  for (const auto& m : view->members)
    if (has_role(m, role) && !m.api_url.empty()) chosen.push_back(&m);
  if (chosen.empty()) {
    env.err << "Error: " << env.cluster_name << " cluster doesn't have any members\n";
    return 1;
  }
  if (!options.members.empty()) {
    std::vector<const member_record*> named;
    for (const auto& name : options.members) {
      auto it = std::find_if(chosen.begin(), chosen.end(),
                             [&](const member_record* m) { return m->name == name; });
      if (it == chosen.end()) {
        env.err << "Error: " << name << " is not a member of cluster\n";
        return 1;
      }
      named.push_back(*it);
    }
    chosen = std::move(named);
  }
  if (!options.force) {
    env.out << render_table(env.cluster_name, *view);
    terminal_prompt prompt(env.in, env.out);
    auto yes = prompt.confirm("Are you sure you want to restart members " + names_of(chosen) + "?");
    if (!yes || !*yes) {
      env.err << "Error: Aborted restart\n";
      return 1;
    }
  }
  boost::json::object content;
  if (options.pending) content["restart_pending"] = true;
  if (!options.pg_version.empty()) content["postgres_version"] = options.pg_version;
  if (!options.timeout.empty()) content["timeout"] = options.timeout;
  const auto body = boost::json::serialize(content);
  int failures = 0;
  for (const auto* m : chosen) {
    // The daemon answers once PostgreSQL runs again: a stop and a start.
    auto sent = call_member(*m, "POST", "restart", body, env, std::chrono::seconds(150));
    if (!sent.reply) {
      env.out << "Failed: restart for member " << m->name << ", " << sent.error << "\n";
      ++failures;
    } else if (sent.reply->status == 200) {
      env.out << "Success: restart on member " << m->name << "\n";
    } else {
      env.out << "Failed: restart for member " << m->name << ", status code=" << sent.reply->status
              << ", (" << sent.reply->body << ")\n";
      ++failures;
    }
  }
  return failures ? 1 : 0;
}

}  // namespace praetor::ctl
