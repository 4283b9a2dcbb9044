#include "apps/praetorctl/remove_command.hpp"

#include "apps/praetorctl/cluster_table.hpp"
#include "apps/praetorctl/terminal_prompt.hpp"

namespace praetor::ctl {

removal_consent ask_removal_consent(const std::string& cluster, const std::string& leader,
                                    const ask_function& ask) {
  auto refuse = [](std::string why) { return removal_consent{false, false, std::move(why)}; };
  auto name = ask("Please confirm the cluster name to remove");
  if (!name) return {false, true, ""};
  if (*name != cluster) return refuse("Cluster names specified do not match");

  const std::string aware = "Yes I am aware";
  auto sentence = ask("You are about to remove all information in DCS for " + cluster +
                      ", please type: \"" + aware + "\"");
  if (!sentence) return {false, true, ""};
  if (*sentence != aware) return refuse("You did not exactly type \"" + aware + "\"");

  if (!leader.empty()) {
    auto named =
        ask("This cluster currently is healthy. Please specify the leader name to continue");
    if (!named) return {false, true, ""};
    if (*named != leader) return refuse("You did not specify the current leader of the cluster");
  }
  return {true, false, ""};
}

int run_remove(const command_env& env, const std::string& format) {
  dcs_access dcs(env.dcs);
  auto view = connect_and_load(dcs, env);
  if (!view) return 1;
  if (format == "json")
    env.out << render_json(env.cluster_name, *view);
  else if (format == "yaml")
    env.out << render_yaml(env.cluster_name, *view);
  else
    env.out << render_table(env.cluster_name, *view);

  terminal_prompt prompt(env.in, env.out);
  auto consent = ask_removal_consent(
      env.cluster_name, view->leader ? view->leader->name : "",
      [&](const std::string& question) { return prompt.ask_required(question); });
  if (consent.aborted) {
    env.err << "Aborted!\n";
    return 1;
  }
  if (!consent.given) {
    env.err << "Error: " << consent.error << "\n";
    return 1;
  }
  if (auto r = dcs.remove_cluster(); !r.ok()) {
    env.err << "Error: cannot remove " << env.dcs.base_path << ": " << r.detail << "\n";
    return 1;
  }
  return 0;
}

}  // namespace praetor::ctl
