#include "apps/praetorctl/read_commands.hpp"

#include <chrono>
#include <thread>

#include "apps/praetorctl/cluster_table.hpp"
#include "apps/praetorctl/history_table.hpp"
#include "apps/praetorctl/yaml_text.hpp"

namespace praetor::ctl {

namespace {

std::optional<cluster_view> read(const command_env& env) {
  auto r = read_cluster(env.dcs, dcs_timeout_s);
  if (!r.view) env.err << "praetorctl: " << r.error << "\n";
  return r.view;
}

}  // namespace

int run_list(const command_env& env, const std::string& format, bool extended, bool watch) {
  while (true) {
    auto view = read(env);
    if (!view) return 1;
    const auto& name = env.cluster_name;
    if (format == "json")
      env.out << render_json(name, *view, extended);
    else if (format == "yaml")
      env.out << render_yaml(name, *view, extended);
    else if (format == "tsv")
      env.out << render_tsv(name, *view, extended);
    else
      env.out << render_table(name, *view, extended);
    env.out << std::flush;
    if (!watch) return 0;
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
}

int run_topology(const command_env& env, bool watch, bool extended) {
  while (true) {
    auto view = read(env);
    if (!view) return 1;
    env.out << render_topology(env.cluster_name, *view, extended) << std::flush;
    if (!watch) return 0;
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
}

int run_history(const command_env& env, const std::string& format) {
  auto view = read(env);
  if (!view) return 1;
  env.out << render_history(view->history, format);
  return 0;
}

int run_show_config(const command_env& env) {
  auto view = read(env);
  if (!view) return 1;
  env.out << to_yaml(view->config.value_or(boost::json::object{})) << "\n";
  return 0;
}

}  // namespace praetor::ctl
