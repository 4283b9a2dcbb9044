// unified_diff against the output of Python's difflib.unified_diff as patronictl prints it
// (each expected list below was produced by difflib on the same texts).
#include "apps/praetorctl/line_diff.hpp"

#include <catch2/catch.hpp>

using praetor::ctl::unified_diff;
using lines = std::vector<std::string>;

namespace {
std::string numbers(int n) {
  std::string s;
  for (int i = 1; i <= n; ++i) s += std::to_string(i) + "\n";
  return s;
}
std::string replaced(std::string s, const std::string& from, const std::string& to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}
}  // namespace

TEST_CASE("a changed and an added line in one hunk", "[praetorctl][diff]") {
  std::string before =
      "loop_wait: 10\nmaximum_lag_on_failover: 1048576\npostgresql:\n  parameters:\n"
      "    max_connections: 100\n  use_pg_rewind: true\nretry_timeout: 10\nttl: 30\n";
  std::string after =
      "loop_wait: 5\nmaximum_lag_on_failover: 1048576\npostgresql:\n  parameters:\n"
      "    max_connections: 100\n    work_mem: 8MB\n  use_pg_rewind: true\nretry_timeout: 10\n"
      "ttl: 30\n";
  CHECK(unified_diff(before, after) ==
        lines{"--- ", "+++ ", "@@ -1,8 +1,9 @@", "-loop_wait: 10", "+loop_wait: 5",
              " maximum_lag_on_failover: 1048576",
              " postgresql:", "   parameters:", "     max_connections: 100", "+    work_mem: 8MB",
              "   use_pg_rewind: true", " retry_timeout: 10", " ttl: 30"});
}

TEST_CASE("changes far apart get hunks of their own", "[praetorctl][diff]") {
  auto before = numbers(20);
  auto after = replaced(replaced(before, "\n2\n", "\ntwo\n"), "\n18\n", "\neighteen\n");
  CHECK(unified_diff(before, after) == lines{"--- ", "+++ ", "@@ -1,5 +1,5 @@", " 1", "-2", "+two",
                                             " 3", " 4", " 5", "@@ -15,6 +15,6 @@", " 15", " 16",
                                             " 17", "-18", "+eighteen", " 19", " 20"});
  // six unchanged lines between two changes still join them; nine do not
  auto near = replaced(replaced(replaced(before, "\n2\n", "\ntwo\n"), "\n9\n", "\nnine\n"),
                       "\n19\n", "\n1nine\n");
  CHECK(unified_diff(before, near) == lines{"--- ", "+++ ",   "@@ -1,12 +1,12 @@",
                                            " 1",   "-2",     "+two",
                                            " 3",   " 4",     " 5",
                                            " 6",   " 7",     " 8",
                                            "-9",   "+nine",  " 10",
                                            " 11",  " 12",    "@@ -16,5 +16,5 @@",
                                            " 16",  " 17",    " 18",
                                            "-19",  "+1nine", " 20"});
}

TEST_CASE("single lines, ends and equal texts", "[praetorctl][diff]") {
  CHECK(unified_diff("{}\n", "ttl: 30\n") ==
        lines{"--- ", "+++ ", "@@ -1 +1 @@", "-{}", "+ttl: 30"});
  CHECK(unified_diff("a\nb\n", "a\nb\nc\n") ==
        lines{"--- ", "+++ ", "@@ -1,2 +1,3 @@", " a", " b", "+c"});
  CHECK(unified_diff("a\nb\nc\n", "b\nc\n") ==
        lines{"--- ", "+++ ", "@@ -1,3 +1,2 @@", "-a", " b", " c"});
  CHECK(unified_diff("", "a\n") == lines{"--- ", "+++ ", "@@ -1 +1 @@", "-", "+a"});
  CHECK(unified_diff("x\n", "x\n\n\n").empty());  // trailing newlines do not count
}

TEST_CASE("an insertion into the middle names the line before it", "[praetorctl][diff]") {
  auto before = numbers(10);
  auto after = replaced(before, "\n5\n", "\n5\nnew\n");
  // difflib: @@ -3,6 +3,7 @@
  CHECK(unified_diff(before, after) ==
        lines{"--- ", "+++ ", "@@ -3,6 +3,7 @@", " 3", " 4", " 5", "+new", " 6", " 7", " 8"});
  CHECK(unified_diff(before, after, 0) == lines{"--- ", "+++ ", "@@ -5,0 +6 @@", "+new"});
}
