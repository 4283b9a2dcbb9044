#include "config/patroni_values.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <charconv>
#include <cmath>

namespace praetor::config {
namespace {

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return lower(std::string(s));
}

}  // namespace

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::optional<bool> parse_bool(const boost::json::value& v) {
  if (v.is_bool()) return v.get_bool();
  std::string text;
  if (v.is_string()) {
    text = lower_trimmed(v.get_string());
  } else if (v.is_int64() || v.is_uint64()) {
    text = scalar_text(v);
  } else {
    return std::nullopt;
  }
  if (text == "on" || text == "true" || text == "yes" || text == "1") return true;
  if (text == "off" || text == "false" || text == "no" || text == "0") return false;
  return std::nullopt;
}

std::optional<synchronous_mode> parse_synchronous_mode(const boost::json::value& v) {
  if (v.is_string() && lower(std::string(v.get_string())) == "quorum")
    return synchronous_mode::quorum;
  auto b = parse_bool(v);
  if (!b) return std::nullopt;
  return *b ? synchronous_mode::on : synchronous_mode::off;
}

std::optional<std::int64_t> parse_int(const boost::json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(v.get_uint64());
  }
  if (v.is_double()) {
    double d = v.get_double();
    if (!std::isfinite(d) || std::fabs(d) > 9.2e18) return std::nullopt;
    return static_cast<std::int64_t>(d);
  }
  if (!v.is_string()) return std::nullopt;
  std::string text = lower_trimmed(v.get_string());
  if (!text.empty() && text[0] == '+') text.erase(0, 1);
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return out;
}

std::string python_str(const boost::json::value& v) {
  if (v.is_bool()) return v.get_bool() ? "True" : "False";
  if (v.is_null()) return "None";
  return scalar_text(v);
}

std::string scalar_text(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "on" : "off";
  if (v.is_null()) return "";
  if (v.is_double()) {
    // Shortest round-trip form ("0.5"), not Boost.JSON's exponent form ("5E-1").
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.get_double());
    if (ec == std::errc{}) return std::string(buf, end);
  }
  return boost::json::serialize(v);
}

std::string describe_type(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      return "an integer";
    case boost::json::kind::double_:
      return "a number";
    case boost::json::kind::string:
      return "the string \"" + std::string(v.get_string()) + "\"";
    case boost::json::kind::array:
      return "a list";
    case boost::json::kind::object:
      return "a map";
  }
  return "a value";
}

}  // namespace praetor::config
