#include "apps/praetorctl/yaml_text.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <regex>
#include <vector>

#include "config/yaml_json.hpp"

namespace praetor::ctl {
namespace json = boost::json;

namespace {

// Python's repr() of a float, lower-cased, with ".0" where PyYAML adds it.
std::string float_text(double d) {
  if (std::isnan(d)) return ".nan";
  if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
  auto text = fmt::format("{}", d);
  if (text.find('.') != std::string::npos) return text;
  auto e = text.find('e');
  if (e == std::string::npos) return text + ".0";
  return text.insert(e, ".0");
}

void emit(YAML::Emitter& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      out << YAML::Null;
      break;
    case json::kind::bool_:
      out << v.get_bool();
      break;
    case json::kind::int64:
      out << v.get_int64();
      break;
    case json::kind::uint64:
      out << v.get_uint64();
      break;
    case json::kind::double_:
      out << float_text(v.get_double());
      break;
    case json::kind::string: {
      std::string s(v.get_string());
      if (needs_quotes(s)) out << YAML::SingleQuoted;
      out << s;
      break;
    }
    case json::kind::array:
      if (v.get_array().empty()) {
        out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        break;
      }
      out << YAML::BeginSeq;
      for (const auto& item : v.get_array()) emit(out, item);
      out << YAML::EndSeq;
      break;
    case json::kind::object: {
      const auto& o = v.get_object();
      if (o.empty()) {
        out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        break;
      }
      std::vector<std::string> keys;
      for (const auto& kv : o) keys.emplace_back(kv.key());
      std::sort(keys.begin(), keys.end());
      out << YAML::BeginMap;
      for (const auto& k : keys) {
        out << YAML::Key;
        if (needs_quotes(k)) out << YAML::SingleQuoted;
        out << k << YAML::Value;
        emit(out, o.at(k));
      }
      out << YAML::EndMap;
      break;
    }
  }
}

// A string scalar in a YAML flow collection: PyYAML quotes what a block scalar would need
// quoted and also anything holding a flow indicator.
std::string flow_scalar(const std::string& s) {
  if (!needs_quotes(s) && s.find_first_of(",?[]{}:") == std::string::npos) return s;
  std::string quoted = "'";
  for (char c : s) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

std::string strip(const std::string& s) {
  auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

bool needs_quotes(const std::string& text) {
  if (text.empty()) return true;
  if (!config::resolve_plain_scalar(text).is_string()) return true;
  // PyYAML resolves dates and timestamps too (config::parse_yaml keeps them as text).
  static const std::regex timestamp{
      "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
      "(([Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\\.[0-9]*)?"
      "([ \\t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?"};
  if (std::regex_match(text, timestamp)) return true;
  // Indicators a plain scalar may not start with, and blanks at either end.
  static const std::string first_indicators = "-?:,[]{}#&*!|>'\"%@`";
  if (first_indicators.find(text.front()) != std::string::npos) return true;
  if (text.front() == ' ' || text.back() == ' ' || text.back() == ':') return true;
  return text.find(": ") != std::string::npos || text.find(" #") != std::string::npos ||
         text.find_first_of("\n\t\r") != std::string::npos;
}

std::string to_yaml(const json::value& v) {
  YAML::Emitter out;
  out.SetNullFormat(YAML::LowerNull);
  emit(out, v);
  return std::string(out.c_str()) + "\n";
}

std::string to_yaml_text(const json::value& v) {
  return strip(to_yaml(v));
}

std::string to_flow_yaml(const json::value& v) {
  if (v.is_string()) return flow_scalar(std::string(v.get_string()));
  if (v.is_array()) {
    std::string out = "[";
    for (const auto& item : v.get_array()) out += (out.size() > 1 ? ", " : "") + to_flow_yaml(item);
    return out + "]";
  }
  if (v.is_object()) {
    std::vector<std::string> keys;
    for (const auto& kv : v.get_object()) keys.emplace_back(kv.key());
    std::sort(keys.begin(), keys.end());
    std::string out = "{";
    for (const auto& k : keys)
      out += (out.size() > 1 ? ", " : "") + flow_scalar(k) + ": " + to_flow_yaml(v.at(k));
    return out + "}";
  }
  return to_yaml_text(v);
}

}  // namespace praetor::ctl
