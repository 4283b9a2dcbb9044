// Strong types for WAL positions, timelines and znode versions, so that a byte offset is
// never passed where a timeline is expected. All three travel as plain JSON integers,
// as Patroni writes them ("LSN int" = X*2^32+Y for the text form X/Y).
#pragma once

#include <boost/json/fwd.hpp>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace praetor {

// A WAL position in bytes.
struct lsn {
  std::uint64_t value = 0;
  auto operator<=>(const lsn&) const = default;
  // PostgreSQL's text form, e.g. "0/3000060".
  std::string to_string() const;
  // Parses "X/Y" (hex halves); nullopt when malformed.
  static std::optional<lsn> parse(std::string_view text);
};

// A PostgreSQL timeline id; 0 means unknown.
struct timeline {
  std::uint32_t value = 0;
  auto operator<=>(const timeline&) const = default;
};

// A ZooKeeper znode data version, used for compare-and-set. -1 means "any version".
struct znode_version {
  std::int32_t value = -1;
  auto operator<=>(const znode_version&) const = default;
};

void tag_invoke(const boost::json::value_from_tag&, boost::json::value& v, const lsn& x);
lsn tag_invoke(const boost::json::value_to_tag<lsn>&, const boost::json::value& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& v, const timeline& x);
timeline tag_invoke(const boost::json::value_to_tag<timeline>&, const boost::json::value& v);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& v, const znode_version& x);
znode_version tag_invoke(const boost::json::value_to_tag<znode_version>&,
                         const boost::json::value& v);

}  // namespace praetor
