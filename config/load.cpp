#include "config/load.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "config/dynamic_cache.hpp"
#include "config/env_overrides.hpp"
#include "config/patch_config.hpp"
#include "config/validate.hpp"
#include "config/yaml_json.hpp"

extern char** environ;

namespace praetor::config {
namespace {

namespace fs = std::filesystem;

bool has_yaml_extension(const fs::path& p) {
  auto ext = p.extension().string();
  return ext == ".yml" || ext == ".yaml";
}

// Parses one document into `into`; a document that is not a map is an error naming `source`.
void merge_document(const yaml_outcome& parsed, const std::string& source,
                    boost::json::object& into, std::vector<config_error>& errors) {
  if (parsed.error) {
    errors.push_back(*parsed.error);
    return;
  }
  if (parsed.value->is_null()) return;  // an empty file adds nothing
  if (!parsed.value->is_object()) {
    errors.push_back({source, "the top level must be a map of keys (scope: ..., name: ...)"});
    return;
  }
  patch_config(into, parsed.value->get_object());
}

}  // namespace

load_outcome load_node_config(const std::string& path,
                              const std::map<std::string, std::string>& env) {
  load_outcome out;
  boost::json::object document;
  bool merge_environment = true;

  if (path.empty()) {
    auto it = env.find("PATRONI_CONFIGURATION");
    if (it != env.end() && !it->second.empty()) {
      merge_document(parse_yaml(it->second, "PATRONI_CONFIGURATION"), "PATRONI_CONFIGURATION",
                     document, out.errors);
      // Patroni 3.0.2 uses this YAML as it is: PATRONI_* variables are not merged over it.
      merge_environment = false;
    }
  } else {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (fs::is_directory(status)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(path, ec))
        if (has_yaml_extension(entry.path()) && entry.is_regular_file(ec))
          files.push_back(entry.path());
      if (ec) out.errors.push_back({path, "cannot list the directory: " + ec.message()});
      std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
        return a.filename().string() < b.filename().string();
      });
      for (const auto& f : files)
        merge_document(parse_yaml_file(f.string()), f.string(), document, out.errors);
    } else if (fs::is_regular_file(status)) {
      merge_document(parse_yaml_file(path), path, document, out.errors);
    } else {
      out.errors.push_back({path,
                            "the configuration path is neither a file nor a directory; "
                            "pass the YAML file (or a folder of *.yml files)"});
    }
  }
  if (!out.errors.empty()) return out;

  if (merge_environment) patch_config(document, environment_configuration(env));
  if (document.empty()) {
    out.errors.push_back({path.empty() ? "PATRONI_CONFIGURATION" : path,
                          "the configuration is empty: give a YAML file, "
                          "PATRONI_CONFIGURATION or PATRONI_* variables"});
    return out;
  }
  out.config = node_config_from_json(document);
  if (!out.config->postgresql.data_dir.empty())
    out.config->dynamic_cache = read_dynamic_cache(out.config->postgresql.data_dir);
  return out;
}

load_outcome load_valid_node_config(const std::string& path,
                                    const std::map<std::string, std::string>& env) {
  load_outcome out = load_node_config(path, env);
  if (!out.config) return out;
  out.errors = validate(*out.config);
  if (!out.errors.empty()) out.config.reset();
  return out;
}

std::map<std::string, std::string> current_environment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) out.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return out;
}

}  // namespace praetor::config
