#include "apps/praetorctl/restart_command.hpp"

#include <boost/json/serialize.hpp>

#include "actors/rest_frontend/restart_request.hpp"
#include "apps/praetorctl/flush_restart_command.hpp"
#include "apps/praetorctl/member_call.hpp"
#include "apps/praetorctl/terminal_prompt.hpp"

namespace praetor::ctl {

namespace {

// Python's str() of an aware datetime, which patronictl's question shows: its isoformat()
// with a blank for the 'T'.
std::string python_str(std::string iso) {
  if (iso.size() > 10 && iso[10] == 'T') iso[10] = ' ';
  return iso;
}

int aborted(const command_env& env) {
  env.err << "Aborted!\n";
  return 1;
}

}  // namespace

int run_restart(const command_env& env, const member_selection& selection,
                const restart_options& options) {
  dcs_access dcs(env.dcs);
  auto chosen = load_and_choose(dcs, env, selection, "restart", false);
  if (!chosen) return 1;
  terminal_prompt prompt(env.in, env.out);

  auto scheduled = options.scheduled;
  if (!scheduled && !selection.force) {
    scheduled = prompt.ask(
        "When should the restart take place (e.g. " + next_hour_example(env.zone) + ") ", "now");
    if (!scheduled) return aborted(env);
  }
  const auto when = parse_scheduled(scheduled, env.zone);
  if (!when.error.empty()) {
    env.err << "Error: " << when.error << "\n";
    return 1;
  }
  auto agreed = confirm_members(std::move(chosen->members), selection.force, "restart",
                                python_str(when.iso), prompt);
  if (agreed.refused()) return report_refusal(agreed, env);

  auto version = options.pg_version;
  if (!version && !selection.force) {
    version =
        prompt.ask("Restart if the PostgreSQL version is less than provided (e.g. 9.5.2) ", "");
    if (!version) return aborted(env);
  }

  boost::json::object content;
  if (options.pending) content["restart_pending"] = true;
  if (version && !version->empty()) {
    auto number = rest::postgres_version_number(*version);
    if (auto* why = std::get_if<std::string>(&number)) {
      env.err << "Error: " << *why << "\n";
      return 1;
    }
    content["postgres_version"] = *version;
  }
  if (!when.iso.empty()) {
    if (is_paused(chosen->view)) {
      env.err << "Error: Can't schedule restart in the paused state\n";
      return 1;
    }
    content["schedule"] = when.iso;
  }
  if (!options.timeout.empty()) content["timeout"] = options.timeout;
  const auto body = boost::json::serialize(content);

  int failures = 0;
  for (const auto& m : agreed.members) {
    // patronictl --force replaces a restart scheduled earlier instead of meeting its 409
    if (!when.iso.empty() && selection.force && !m.scheduled_restart.empty())
      delete_scheduled_restart(m, env, true);
    // At once, the daemon answers once PostgreSQL runs again: a stop and a start.
    auto sent = call_member(m, "POST", "restart", body, env, std::chrono::seconds(150));
    const int status = sent.reply ? sent.reply->status : 0;
    if (status == 200) {
      env.out << "Success: restart on member " << m.name << "\n";
    } else if (status == 202) {
      env.out << "Success: restart scheduled on member " << m.name << "\n";
    } else if (status == 409) {
      env.out << "Failed: another restart is already scheduled on member " << m.name << "\n";
      ++failures;
    } else if (sent.reply) {
      env.out << "Failed: restart for member " << m.name << ", status code=" << status << ", ("
              << sent.reply->body << ")\n";
      ++failures;
    } else {
      env.out << "Failed: restart for member " << m.name << ", " << sent.error << "\n";
      ++failures;
    }
  }
  return failures ? 1 : 0;
}

}  // namespace praetor::ctl
