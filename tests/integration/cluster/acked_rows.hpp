// What a cluster test asks of the rows a pg_writer had acknowledged: are they on a node?
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "praetor_cluster.hpp"
#include "tests/support/pg_writer.hpp"

namespace praetor::test {

struct acked_rows_check {
  std::size_t acknowledged = 0;  // rows acknowledged (before `before`, when given)
  std::size_t present = 0;       // of those, the ones on the node
  std::vector<std::int64_t> missing_ids;
};

// The rows `w` had acknowledged before `before` (all of them without it) that node i has.
// nullopt when node i cannot be queried.
std::optional<acked_rows_check> check_acked_rows(
    praetor_cluster& c, std::size_t i, const pg_writer& w,
    std::optional<std::chrono::steady_clock::time_point> before = std::nullopt);

// How many rows `w` acknowledged at or after `t`.
std::size_t acked_since(const pg_writer& w, std::chrono::steady_clock::time_point t);

}  // namespace praetor::test
