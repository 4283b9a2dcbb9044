#include "messages/wal.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cstdio>

namespace praetor {

std::string lsn::to_string() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%X/%X", static_cast<unsigned>(value >> 32),
                static_cast<unsigned>(value & 0xffffffffu));
  return buf;
}

std::optional<lsn> lsn::parse(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size()) return {};
  std::uint32_t hi = 0, lo = 0;
  auto a = std::from_chars(text.data(), text.data() + slash, hi, 16);
  auto b = std::from_chars(text.data() + slash + 1, text.data() + text.size(), lo, 16);
  if (a.ec != std::errc{} || a.ptr != text.data() + slash) return {};
  if (b.ec != std::errc{} || b.ptr != text.data() + text.size()) return {};
  return lsn{(static_cast<std::uint64_t>(hi) << 32) | lo};
}

void tag_invoke(const boost::json::value_from_tag&, boost::json::value& v, const lsn& x) {
  v = x.value;
}
lsn tag_invoke(const boost::json::value_to_tag<lsn>&, const boost::json::value& v) {
  return lsn{boost::json::value_to<std::uint64_t>(v)};
}
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& v, const timeline& x) {
  v = x.value;
}
timeline tag_invoke(const boost::json::value_to_tag<timeline>&, const boost::json::value& v) {
  return timeline{boost::json::value_to<std::uint32_t>(v)};
}
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& v,
                const znode_version& x) {
  v = x.value;
}
znode_version tag_invoke(const boost::json::value_to_tag<znode_version>&,
                         const boost::json::value& v) {
  return znode_version{boost::json::value_to<std::int32_t>(v)};
}

}  // namespace praetor
