#include "messages/actor_metrics.hpp"

namespace praetor::metric_families {

const metric_family* find_named(std::string_view name) {
  for (const metric_family* f : named)
    if (f->name == name) return f;
  return nullptr;
}

}  // namespace praetor::metric_families
