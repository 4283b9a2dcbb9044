// JSON values as YAML text the way patronictl writes them (PyYAML's safe_dump with
// default_flow_style=False, as its format_config_for_editing does): block style, keys sorted,
// strings quoted (single quotes) only when a YAML 1.1 reader would take them for something
// else, `null` for null, floats always with a '.'. Used by show-config, edit-config's diff and
// `-f yaml`; what it writes parses back (config::parse_yaml, PyYAML) to the same value.
// Unlike PyYAML, yaml-cpp indents a list under its key by two spaces. Pure; any thread.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace praetor::ctl {

// The YAML document for `v`, ending with a newline ("{}\n" for an empty object).
std::string to_yaml(const boost::json::value& v);

// The same without the document's surrounding whitespace: a scalar's text ("true", "'5'"), a
// block collection without its final newline.
std::string to_yaml_text(const boost::json::value& v);

// PyYAML's safe_dump with default_flow_style=True, keys sorted, on one line:
// {nofailover: true, a: [1, 2]}; strings quoted as in a block, and also when they hold a flow
// indicator.
std::string to_flow_yaml(const boost::json::value& v);

// Whether a string must be quoted to read back as that string: empty, a YAML 1.1 null, bool,
// number or timestamp, or starting or ending in a way plain scalars may not.
bool needs_quotes(const std::string& text);

}  // namespace praetor::ctl
