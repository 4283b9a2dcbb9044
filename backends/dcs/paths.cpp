#include "backends/dcs/paths.hpp"

namespace praetor::dcs {

std::string normalize_path(std::string_view path) {
  std::string out = "/";
  for (char c : path) {
    if (c == '/' && out.back() == '/') continue;
    out.push_back(c);
  }
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

paths::paths(std::string_view base_path) : base_(normalize_path(base_path)) {}

paths paths::of(std::string_view namespace_, std::string_view scope) {
  std::string ns = namespace_.empty() ? std::string("service") : std::string(namespace_);
  return paths("/" + ns + "/" + std::string(scope));
}

std::string paths::member(std::string_view name) const {
  return members() + "/" + std::string(name);
}

}  // namespace praetor::dcs
