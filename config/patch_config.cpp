#include "config/patch_config.hpp"

namespace praetor::config {

bool patch_config(boost::json::object& target, const boost::json::object& patch) {
  bool changed = false;
  for (const auto& [key, value] : patch) {
    auto it = target.find(key);
    if (value.is_null()) {
      if (it != target.end()) {
        changed = changed || !it->value().is_null();
        target.erase(it);
      }
    } else if (it == target.end()) {
      target[key] = value;
      changed = true;
    } else if (value.is_object() && it->value().is_object()) {
      changed = patch_config(it->value().get_object(), value.get_object()) || changed;
    } else if (it->value() != value) {
      it->value() = value;
      changed = true;
    }
  }
  return changed;
}

}  // namespace praetor::config
