// edit-config's --set and --pg, as patronictl 3.0.2 applies them (ctl.py
// apply_config_changes): "key.path=value" sets a key of the dynamic configuration, creating
// the objects on the way (a non-object on the way is replaced by one); the value is read as
// YAML (`5`, `on`, `[a, b]`, `'text'`); a null value (`null`, `~` or nothing) deletes the key
// and then any object the deletion left empty. Under postgresql.parameters the rest of the
// path is one parameter name, dots included (--pg a.b=1 sets "a.b"). Pure; any thread.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

namespace praetor::ctl {

// --pg NAME=VALUE as the --set it stands for: "postgresql.parameters.NAME=VALUE" (leading
// blanks of NAME dropped, as patronictl does).
std::string pg_setting(const std::string& pair);

struct edit_outcome {
  std::optional<boost::json::object> config;  // the configuration with every pair applied
  std::string error;                          // patronictl's text, when config is empty
};

// Applies `pairs` ("key.path=value") in order to a copy of `config`.
edit_outcome apply_settings(const boost::json::object& config,
                            const std::vector<std::string>& pairs);

// --apply: the YAML document `text` (named `source` in errors) deep-merged over a copy of
// `config` as Patroni's patch_config merges (objects key by key, null deletes). --replace is
// the same over an empty object. An empty document changes nothing; one that is not a
// mapping is refused.
edit_outcome apply_document(const boost::json::object& config, std::string_view text,
                            const std::string& source);

// The configuration as an editor showed it: the document `text` must be a mapping (an empty
// one is the empty configuration).
edit_outcome edited_document(std::string_view text, const std::string& source);

}  // namespace praetor::ctl
