#include "messages/slots.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "messages/json_fields.hpp"

namespace praetor {

std::string slot_name_for_member(std::string_view member_name) {
  std::string out;
  // Decode UTF-8 so that a non-ASCII letter becomes one u<code point>, as Patroni does.
  for (std::size_t i = 0; i < member_name.size();) {
    unsigned char c = static_cast<unsigned char>(member_name[i]);
    std::uint32_t cp = c;
    std::size_t len = 1;
    if (c >= 0xF0) {
      cp = c & 0x07, len = 4;
    } else if (c >= 0xE0) {
      cp = c & 0x0F, len = 3;
    } else if (c >= 0xC0) {
      cp = c & 0x1F, len = 2;
    }
    for (std::size_t k = 1; k < len && i + k < member_name.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(member_name[i + k]) & 0x3F);
    i += len;
    if (cp < 0x80) {
      char ch = static_cast<char>(cp);
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      if (ch == '-' || ch == '.') ch = '_';
      if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_') {
        out += ch;
        continue;
      }
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "u%04u", static_cast<unsigned>(cp));
    out += buf;
  }
  if (out.size() > 63) out.resize(63);
  return out;
}

boost::json::object slot_positions_to_json(const slot_positions& p) {
  boost::json::object out;
  for (const auto& [name, at] : p) out[name] = at.value;
  return out;
}

slot_positions slot_positions_from_json(const boost::json::value* v) {
  slot_positions out;
  if (!v || !v->is_object()) return out;
  for (const auto& [name, value] : v->get_object())
    if (auto n = json_fields::optional_int(v->get_object(), name); n && *n >= 0)
      out[std::string(name)] = lsn{static_cast<std::uint64_t>(*n)};
  return out;
}

bool valid_slot_name(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

}  // namespace praetor
