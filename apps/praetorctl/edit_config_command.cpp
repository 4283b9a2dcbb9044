#include "apps/praetorctl/edit_config_command.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "apps/praetorctl/config_edit.hpp"
#include "apps/praetorctl/line_diff.hpp"
#include "apps/praetorctl/terminal_prompt.hpp"
#include "apps/praetorctl/yaml_text.hpp"
#include "config/validate.hpp"

namespace praetor::ctl {
namespace json = boost::json;

namespace {

// Reads a file, or all of standard input for "-"; nullopt when it cannot be read.
std::optional<std::string> read_source(const std::string& name, const command_env& env) {
  std::stringstream text;
  if (name == "-") {
    text << env.in.rdbuf();
    return text.str();
  }
  std::ifstream f(name, std::ios::binary);
  if (!f) return std::nullopt;
  text << f.rdbuf();
  return text.str();
}

// $EDITOR, else the first of `editor` and `vi` found on PATH; "" when there is none.
std::string editor_command() {
  if (const char* e = std::getenv("EDITOR"); e && *e) return e;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "";
  for (const std::string name : {"editor", "vi"}) {
    std::stringstream split(dirs);
    std::string dir;
    while (std::getline(split, dir, ':'))
      if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
  }
  return "";
}

// Lets the operator edit `before` in a temporary file named after the cluster; the edited
// text, or in `error` patronictl's reason why not.
struct edited_text {
  std::optional<std::string> text;
  std::string error;
};
edited_text edit_in_editor(const std::string& before, const command_env& env) {
  auto editor = editor_command();
  if (editor.empty())
    return {std::nullopt, "EDITOR environment variable is not set. editor or vi are not available"};
  const char* tmp = std::getenv("TMPDIR");
  std::string path =
      std::string(tmp && *tmp ? tmp : "/tmp") + "/" + env.cluster_name + "-config-XXXXXX.yaml";
  int fd = ::mkstemps(path.data(), 5);
  if (fd < 0) return {std::nullopt, "cannot create a temporary file in " + path};
  ::close(fd);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << before;
  env.out.flush();
  // through the shell, as git runs $EDITOR, so that "code --wait" works too
  int raw = std::system((editor + " '" + path + "'").c_str());
  int status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 1;
  edited_text result;
  if (status != 0) {
    result.error = "Editor exited with return code " + std::to_string(status);
  } else {
    std::ifstream f(path, std::ios::binary);
    std::stringstream text;
    text << f.rdbuf();
    result.text = text.str();
  }
  ::unlink(path.c_str());
  return result;
}

// The configuration the options ask for, starting from `before`; or the reason why not.
edit_outcome changed_config(const json::object& before, const edit_config_options& options,
                            const command_env& env) {
  edit_outcome changed{before, ""};
  bool given = false;
  for (const auto* file : {&options.replace_file, &options.apply_file}) {
    if (file->empty()) continue;
    auto text = read_source(*file, env);
    if (!text) return {std::nullopt, "cannot read " + *file};
    const bool replacing = file == &options.replace_file;  // --replace starts from nothing
    changed = apply_document(replacing ? json::object{} : *changed.config, *text,
                             *file == "-" ? "standard input" : *file);
    if (!changed.config) return changed;
    given = true;
  }
  if (!options.set_pairs.empty() || !options.pg_pairs.empty()) {
    auto pairs = options.set_pairs;
    for (const auto& p : options.pg_pairs) pairs.push_back(pg_setting(p));
    changed = apply_settings(*changed.config, pairs);
    given = true;
  }
  if (given) return changed;
  auto edited = edit_in_editor(to_yaml(before), env);
  if (!edited.text) return {std::nullopt, edited.error};
  return edited_document(*edited.text, "the edited configuration");
}

}  // namespace

int run_edit_config(const command_env& env, const edit_config_options& options) {
  dcs_access dcs(env.dcs);
  auto view = connect_and_load(dcs, env);
  if (!view) return 1;
  const json::object before = view->config.value_or(json::object{});

  auto changed = changed_config(before, options, env);
  if (!changed.config) {
    env.err << "Error: " << changed.error << "\n";
    return 1;
  }
  const auto& after = *changed.config;
  if (after == before) {
    if (!options.quiet) env.out << "Not changed\n";
    return 0;
  }
  if (!options.quiet)
    for (const auto& line : unified_diff(to_yaml(before), to_yaml(after))) env.out << line << "\n";

  if (auto errors = config::validate_dynamic(after, ""); !errors.empty()) {
    env.err << "Error: the new configuration is not valid, not applying it:";
    for (const auto& e : errors) env.err << "\n  " << config::to_string(e);
    env.err << "\n";
    return 1;
  }
  if (auto warning = config::timing_warning(after, ""))
    env.err << "Warning: " << config::to_string(*warning) << "\n";
  const bool from_stdin = options.apply_file == "-" || options.replace_file == "-";
  if (from_stdin && !options.force) {  // the questions would read the same stdin
    env.out << "Use --force option to apply changes\n";
    return 0;
  }
  if (!options.force) {
    terminal_prompt prompt(env.in, env.out);
    auto yes = prompt.confirm("Apply these changes?");
    if (!yes) {
      env.err << "Aborted!\n";
      return 1;
    }
    if (!*yes) return 0;
  }

  // A config key that did not exist reads as version -1: then it is created.
  auto written = dcs.write_config(json::serialize(after), view->config_version);
  if (written.code == dcs::error_code::bad_version ||
      written.code == dcs::error_code::node_exists) {
    env.err << "Error: Config modification aborted due to concurrent changes\n";
    return 1;
  }
  if (!written.ok()) {
    env.err << "Error: cannot write " << env.dcs.base_path << "/config: " << written.detail << "\n";
    return 1;
  }
  env.out << "Configuration changed\n";
  return 0;
}

}  // namespace praetor::ctl
