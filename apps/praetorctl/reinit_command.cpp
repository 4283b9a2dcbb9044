#include "apps/praetorctl/reinit_command.hpp"

#include <boost/json/parse.hpp>
#include <thread>

#include "apps/praetorctl/member_call.hpp"
#include "apps/praetorctl/terminal_prompt.hpp"

namespace praetor::ctl {

namespace {

// The "state" of a member's GET /patroni; nullopt when it did not answer with a JSON object.
std::optional<std::string> state_of(const member_record& m, const command_env& env) {
  auto sent = call_member(m, "GET", "patroni", "", env, std::chrono::seconds(10));
  if (!sent.reply) return std::nullopt;
  boost::system::error_code ec;
  auto status = boost::json::parse(sent.reply->body, ec);
  if (ec || !status.is_object()) return std::nullopt;
  const auto* state = status.as_object().if_contains("state");
  return state && state->is_string() ? std::string(state->get_string()) : std::string();
}

// patronictl's wait loop: the list is printed again whenever it changed.
void wait_until_reinitialized(std::vector<member_record> waiting, const command_env& env) {
  std::string shown;
  while (!waiting.empty()) {
    if (auto names = joined_names(waiting); names != shown) {
      env.out << "Waiting for reinitialize to complete on: " << names << "\n" << std::flush;
      shown = names;
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));
    for (auto it = waiting.begin(); it != waiting.end();) {
      auto state = state_of(*it, env);
      if (state && *state != "creating replica") {
        env.out << "Reinitialize is completed on: " << it->name << "\n" << std::flush;
        it = waiting.erase(it);
      } else {
        ++it;
      }
    }
  }
}

}  // namespace

int run_reinit(const command_env& env, const member_selection& selection, bool wait) {
  member_selection replicas = selection;
  replicas.role = "replica";
  dcs_access dcs(env.dcs);
  auto chosen = load_and_choose(dcs, env, replicas, "reinitialize", true);
  if (!chosen) return 1;
  terminal_prompt prompt(env.in, env.out);
  std::vector<member_record> started;
  int failures = 0;
  for (const auto& m : chosen->members) {
    bool force = selection.force;
    while (true) {
      auto sent = call_member(m, "POST", "reinitialize",
                              force ? R"({"force": true})" : R"({"force": false})", env,
                              std::chrono::seconds(30));
      if (check_response(sent, m.name, "reinitialize", env.out)) {
        started.push_back(m);
        break;
      }
      if (!selection.force && sent.reply && sent.reply->body.ends_with(" already in progress")) {
        auto yes = prompt.confirm("Do you want to cancel it and reinitialize anyway?");
        if (!yes) {
          env.err << "Aborted!\n";
          return 1;
        }
        if (*yes) {
          force = true;
          continue;
        }
      }
      ++failures;
      break;
    }
  }
  if (wait) wait_until_reinitialized(std::move(started), env);
  return failures ? 1 : 0;
}

}  // namespace praetor::ctl
