#include "actors/rest_frontend/request_target.hpp"

#include <cctype>

namespace praetor::rest {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding; a broken %XX stays as written (as Python does).
std::string form_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 &&
               hex_digit(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

request_target parse_request_target(std::string_view target) {
  request_target result;
  if (auto hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
  auto qmark = target.find('?');
  result.path = std::string(target.substr(0, qmark));
  if (result.path.empty()) result.path = "/";
  if (qmark == std::string_view::npos) return result;

  std::string_view query = target.substr(qmark + 1);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;  // parse_qs drops "key" without '='
    std::string value = form_decode(pair.substr(eq + 1));
    if (value.empty()) continue;                 // ... and blank values
    result.query.try_emplace(form_decode(pair.substr(0, eq)), std::move(value));
  }
  return result;
}

std::string_view first_path_segment(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return path.substr(0, path.find('/'));
}

}  // namespace praetor::rest
