#include "acked_rows.hpp"

#include <set>
#include <string>

namespace praetor::test {

std::optional<acked_rows_check> check_acked_rows(
    praetor_cluster& c, std::size_t i, const pg_writer& w,
    std::optional<std::chrono::steady_clock::time_point> before) {
  auto rows = c.query(i, "SELECT id FROM " + w.table());
  if (!rows) return std::nullopt;
  std::set<std::int64_t> on_node;
  for (const auto& r : *rows) on_node.insert(std::stoll(r[0].value_or("0")));
  acked_rows_check out;
  for (const auto& a : w.acknowledged()) {
    if (before && a.at >= *before) continue;
    ++out.acknowledged;
    if (on_node.count(a.id))
      ++out.present;
    else
      out.missing_ids.push_back(a.id);
  }
  return out;
}

std::size_t acked_since(const pg_writer& w, std::chrono::steady_clock::time_point t) {
  std::size_t n = 0;
  for (const auto& a : w.acknowledged()) n += a.at >= t ? 1 : 0;
  return n;
}

}  // namespace praetor::test
