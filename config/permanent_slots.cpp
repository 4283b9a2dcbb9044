#include "config/permanent_slots.hpp"

#include <algorithm>

#include "config/patroni_values.hpp"

namespace praetor::config {
namespace {

std::string text_of(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

permanent_slots_read read_permanent_slots(const boost::json::object& dynamic,
                                          const std::string& prefix) {
  permanent_slots_read out;
  const auto* slots = dynamic.if_contains("slots");
  if (!slots || !slots->is_object()) return out;  // validate_dynamic names a wrong type
  for (const auto& [key, value] : slots->get_object()) {
    const std::string name(key);
    const std::string path = join_path(prefix, "slots." + name);
    if (!valid_slot_name(name)) {
      out.errors.push_back({path, "'" + name +
                                      "' is no valid replication slot name: use 1 to 63 lower "
                                      "case letters, digits and underscores"});
      continue;
    }
    permanent_slot slot;
    slot.name = name;
    if (value.is_null() || (value.is_object() && value.get_object().empty())) {
      out.slots.push_back(slot);
      continue;
    }
    if (!value.is_object()) {
      out.errors.push_back(
          {path, "must be a map (type, database, plugin) or empty, not " + describe_type(value)});
      continue;
    }
    const auto& o = value.get_object();
    slot.database = text_of(o, "database");
    slot.plugin = text_of(o, "plugin");
    if (const auto* type = o.if_contains("type"); type && !type->is_null())
      slot.type = type->is_string() ? std::string(type->get_string()) : scalar_text(*type);
    else
      slot.type = !slot.database.empty() && !slot.plugin.empty() ? "logical" : "physical";
    if (slot.type == "physical") {
      slot.database.clear();
      slot.plugin.clear();
    } else if (slot.type != "logical") {
      out.errors.push_back({path + ".type", "'" + slot.type + "': must be physical or logical"});
      continue;
    } else if (slot.database.empty() || slot.plugin.empty()) {
      out.errors.push_back({path, "a logical slot needs both database and plugin"});
      continue;
    }
    out.slots.push_back(std::move(slot));
  }
  std::sort(out.slots.begin(), out.slots.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

}  // namespace praetor::config
