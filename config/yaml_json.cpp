#include "config/yaml_json.hpp"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <regex>
#include <sstream>

namespace praetor::config {
namespace {

bool is_one_of(const std::string& s, std::initializer_list<const char*> words) {
  for (const char* w : words)
    if (s == w) return true;
  return false;
}

std::string without_underscores(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != '_') out.push_back(c);
  return out;
}

// Integers of YAML 1.1 (the resolver PyYAML uses); nullopt when `text` is not one or overflows.
std::optional<boost::json::value> as_int(const std::string& text) {
  static const std::regex dec{"[-+]?(0|[1-9][0-9_]*)"};
  static const std::regex hex{"[-+]?0x[0-9a-fA-F_]+"};
  static const std::regex oct{"[-+]?0[0-7_]+"};
  static const std::regex bin{"[-+]?0b[01_]+"};
  int base = 0;
  std::size_t skip = 0;
  if (std::regex_match(text, dec)) {
    base = 10;
  } else if (std::regex_match(text, hex)) {
    base = 16, skip = 2;
  } else if (std::regex_match(text, bin)) {
    base = 2, skip = 2;
  } else if (std::regex_match(text, oct)) {
    base = 8, skip = 1;
  } else {
    return std::nullopt;
  }
  std::string digits = without_underscores(text);
  bool negative = false;
  if (digits[0] == '-' || digits[0] == '+') {
    negative = digits[0] == '-';
    digits.erase(0, 1);
  }
  digits.erase(0, skip);
  if (digits.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  unsigned long long magnitude = std::strtoull(digits.c_str(), &end, base);
  if (errno == ERANGE || *end != '\0') return std::nullopt;
  if (negative) {
    if (magnitude > static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max()) + 1)
      return std::nullopt;
    return boost::json::value(static_cast<std::int64_t>(0 - magnitude));
  }
  if (magnitude <= static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max()))
    return boost::json::value(static_cast<std::int64_t>(magnitude));
  return boost::json::value(static_cast<std::uint64_t>(magnitude));
}

std::optional<boost::json::value> as_float(const std::string& text) {
  static const std::regex num{"[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+][0-9]+)?"};
  if (is_one_of(text, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}))
    return boost::json::value(std::numeric_limits<double>::infinity());
  if (is_one_of(text, {"-.inf", "-.Inf", "-.INF"}))
    return boost::json::value(-std::numeric_limits<double>::infinity());
  if (is_one_of(text, {".nan", ".NaN", ".NAN"}))
    return boost::json::value(std::numeric_limits<double>::quiet_NaN());
  if (text == "." || !std::regex_match(text, num)) return std::nullopt;
  return boost::json::value(std::strtod(without_underscores(text).c_str(), nullptr));
}

bool is_string_tag(const std::string& tag) {
  return tag == "!" || tag == "tag:yaml.org,2002:str" || tag == "!!str";
}

boost::json::value convert(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar:
      if (is_string_tag(node.Tag())) return boost::json::value(node.Scalar());
      return resolve_plain_scalar(node.Scalar());
    case YAML::NodeType::Sequence: {
      boost::json::array out;
      for (const auto& item : node) out.push_back(convert(item));
      return out;
    }
    case YAML::NodeType::Map: {
      boost::json::object out;
      for (const auto& kv : node) {
        // A key such as `1` or `on` keeps its text: Patroni's keys are all names.
        std::string key = kv.first.IsScalar() ? kv.first.Scalar() : YAML::Dump(kv.first);
        out[key] = convert(kv.second);  // the last duplicate wins, as in PyYAML
      }
      return out;
    }
  }
  return nullptr;
}

config_error located_error(const std::string& source, const YAML::Mark& mark,
                           const std::string& what) {
  std::ostringstream msg;
  if (!mark.is_null())
    msg << "line " << mark.line + 1 << ", column " << mark.column + 1 << ": ";
  msg << what << " (fix the YAML syntax there)";
  return {source, msg.str()};
}

}  // namespace

boost::json::value resolve_plain_scalar(const std::string& text) {
  if (is_one_of(text, {"", "~", "null", "Null", "NULL"})) return nullptr;
  if (is_one_of(text, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"}))
    return true;
  if (is_one_of(text, {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"}))
    return false;
  if (auto i = as_int(text)) return *i;
  if (auto f = as_float(text)) return *f;
  return boost::json::value(text);
}

yaml_outcome parse_yaml(std::string_view text, const std::string& source) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return {convert(root), std::nullopt};
  } catch (const YAML::Exception& e) {
    return {std::nullopt, located_error(source, e.mark, e.msg)};
  } catch (const std::exception& e) {
    return {std::nullopt, config_error{source, e.what()}};
  }
}

yaml_outcome parse_yaml_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return {std::nullopt,
            config_error{path, std::string("cannot read the file: ") + std::strerror(errno)}};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_yaml(text.str(), path);
}

}  // namespace praetor::config
