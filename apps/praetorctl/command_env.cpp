#include "apps/praetorctl/command_env.hpp"

namespace praetor::ctl {

std::optional<cluster_view> connect_and_load(dcs_access& dcs, const command_env& env) {
  if (auto error = dcs.connect(dcs_timeout_s); !error.empty()) {
    env.err << "praetorctl: " << error << "\n";
    return std::nullopt;
  }
  auto r = dcs.read_cluster();
  if (!r.view) env.err << "praetorctl: " << r.error << "\n";
  return r.view;
}

int loop_wait_of(const cluster_view& view, const command_env& env) {
  if (view.config)
    if (const auto* v = view.config->if_contains("loop_wait"); v && v->is_int64())
      return static_cast<int>(v->get_int64());
  return env.dcs.loop_wait;
}

}  // namespace praetor::ctl
