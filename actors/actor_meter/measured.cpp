#include "actors/actor_meter/measured.hpp"

#include <boost/core/demangle.hpp>

namespace praetor {

std::string message_type_name(const std::type_info& type) {
  std::string name = boost::core::demangle(type.name());
  // Only the namespaces before the template arguments go: "ns::box<ns::x>" -> "box<ns::x>".
  const auto scope_end = name.rfind("::", name.find('<'));
  if (scope_end != std::string::npos) name.erase(0, scope_end + 2);
  return name;
}

}  // namespace praetor
