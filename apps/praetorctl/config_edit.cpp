#include "apps/praetorctl/config_edit.hpp"

#include "config/patch_config.hpp"
#include "config/yaml_json.hpp"

namespace praetor::ctl {
namespace json = boost::json;

namespace {

std::vector<std::string> split_dots(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    auto dot = path.find('.', start);
    parts.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

std::string trimmed(const std::string& s) {
  const char* blanks = " \t\n\r\f\v";
  auto first = s.find_first_not_of(blanks);
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(blanks) - first + 1);
}

// patronictl's set_path_value: `path` from `at` within `config`, below `prefix` (the keys
// already walked through).
void set_path(json::object& config, std::vector<std::string> path, std::size_t at,
              const json::value& value, const std::vector<std::string>& prefix) {
  // parameter names may hold dots: below postgresql.parameters the rest is one key
  if (prefix == std::vector<std::string>{"postgresql", "parameters"} && path.size() - at > 1) {
    std::string joined;
    for (std::size_t k = at; k < path.size(); ++k) joined += (k == at ? "" : ".") + path[k];
    path.resize(at);
    path.push_back(joined);
  }
  const auto& key = path[at];
  if (at + 1 == path.size()) {
    if (value.is_null())
      config.erase(key);
    else
      config[key] = value;
    return;
  }
  auto& child = config[key];
  if (!child.is_object()) child = json::object{};
  auto below = prefix;
  below.push_back(key);
  set_path(child.get_object(), path, at + 1, value, below);
  if (config.at(key).get_object().empty()) config.erase(key);
}

}  // namespace

std::string pg_setting(const std::string& pair) {
  auto first = pair.find_first_not_of(" \t\n\r\f\v");
  return "postgresql.parameters." + (first == std::string::npos ? "" : pair.substr(first));
}

edit_outcome apply_settings(const json::object& config, const std::vector<std::string>& pairs) {
  json::object changed = config;
  for (const auto& pair : pairs) {
    auto eq = pair.find('=');
    if (eq == std::string::npos) return {std::nullopt, "Invalid parameter setting " + pair};
    auto parsed = config::parse_yaml(pair.substr(eq + 1), "the value of " + pair);
    if (!parsed.value)
      return {std::nullopt, "Invalid parameter setting " + pair + ": " + parsed.error->message};
    set_path(changed, split_dots(trimmed(pair.substr(0, eq))), 0, *parsed.value, {});
  }
  return {std::move(changed), ""};
}

edit_outcome edited_document(std::string_view text, const std::string& source) {
  auto parsed = config::parse_yaml(text, source);
  if (!parsed.value) return {std::nullopt, config::to_string(*parsed.error)};
  if (parsed.value->is_null()) return {json::object{}, ""};
  if (!parsed.value->is_object()) return {std::nullopt, source + " does not hold a YAML mapping"};
  return {parsed.value->get_object(), ""};
}

edit_outcome apply_document(const json::object& config, std::string_view text,
                            const std::string& source) {
  auto document = edited_document(text, source);
  if (!document.config) return document;
  json::object changed = config;
  config::patch_config(changed, *document.config);
  return {std::move(changed), ""};
}

}  // namespace praetor::ctl
