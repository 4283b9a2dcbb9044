// Quorum commit's steps (actors/ha/quorum_commit.hpp): the goal, the order of the two writes,
// and, over every small cluster, that no step leaves a sync key that misses an acknowledged
// commit, whichever of the writes lands.
#include "actors/ha/quorum_commit.hpp"

#include <catch2/catch.hpp>
#include <functional>

#include "actors/ha/sync_replication.hpp"

using namespace praetor::ha;
using names = std::vector<std::string>;
using kind = quorum_step::kind;

namespace {

standby_names any(int n, names s) {
  return {true, n, std::move(s)};
}

}  // namespace

TEST_CASE("synchronous_standby_names is read with its count and kind", "[sync][quorum]") {
  CHECK(parse_sync_standby_names("ANY 2 (a, \"b c\")") == standby_names{true, 2, {"a", "b c"}});
  CHECK(parse_sync_standby_names("any 1 (a)") == standby_names{true, 1, {"a"}});
  CHECK(parse_sync_standby_names("FIRST 2 (a,b)") == standby_names{false, 2, {"a", "b"}});
  CHECK(parse_sync_standby_names("2 (a,b)") == standby_names{false, 2, {"a", "b"}});
  CHECK(parse_sync_standby_names("a, b") == standby_names{false, 1, {"a", "b"}});
  CHECK(parse_sync_standby_names("*") == standby_names{false, 1, {"*"}});
  CHECK(parse_sync_standby_names("") == standby_names{});
  CHECK(parse_sync_standby_names("ANY 2 (a,").count == 0);
  CHECK(format_quorum_standby_names(1, {"n3", "n2"}) == "ANY 1 (n2,n3)");
  CHECK(format_quorum_standby_names(2, {"node-2", "n3"}) == "ANY 2 (\"node-2\",n3)");
  CHECK(format_quorum_standby_names(1, {}) == "");
}

TEST_CASE("quorum commit: the goal is ANY min(w, |A|) of the standbys, quorum the rest",
          "[sync][quorum]") {
  SECTION("from nothing: the value first (an empty key covers any), then the key") {
    auto s = next_quorum_step({{}, 0, {}}, {"a", "b"}, 1, false, {"a", "b"});
    CHECK(s.what == kind::set_standby_names);
    CHECK(s.num == 1);
    CHECK(s.names == names{"a", "b"});
    s = next_quorum_step({{}, 0, any(1, {"a", "b"})}, {"a", "b"}, 1, false, {"a", "b"});
    CHECK(s.what == kind::write_key);
    CHECK(s.names == names{"a", "b"});
    CHECK(s.num == 1);
    CHECK(next_quorum_step({{"a", "b"}, 1, any(1, {"a", "b"})}, {"a", "b"}, 1, false, {}).what ==
          kind::steady);
  }
  SECTION("a standby joins: the key grows first, then the value") {
    quorum_state now{{"a"}, 0, any(1, {"a"})};
    auto s = next_quorum_step(now, {"a", "b"}, 1, false, {"a", "b"});
    CHECK(s.what == kind::write_key);
    CHECK(s.names == names{"a", "b"});
    CHECK(s.num == 1);
    now.voters = s.names;
    now.quorum = s.num;
    s = next_quorum_step(now, {"a", "b"}, 1, false, {"a", "b"});
    CHECK(s.what == kind::set_standby_names);
    CHECK(format_quorum_standby_names(s.num, s.names) == "ANY 1 (a,b)");
  }
  SECTION("a standby goes: commits stop waiting for it first, then the key shrinks") {
    quorum_state now{{"a", "b", "x"}, 2, any(1, {"a", "b", "x"})};
    auto s = next_quorum_step(now, {"a", "b"}, 1, false, {"a", "b"});
    CHECK(s.what == kind::set_standby_names);
    CHECK(format_quorum_standby_names(s.num, s.names) == "ANY 1 (a,b)");
    now.ssn = any(1, {"a", "b"});
    // The key waits for the standbys to reach the position of the change.
    s = next_quorum_step(now, {"a", "b"}, 1, false, {});
    CHECK(s.what == kind::wait);
    CHECK_THAT(s.why, Catch::Contains("a, b"));
    s = next_quorum_step(now, {"a", "b"}, 1, false, {"a", "b"});
    CHECK(s.what == kind::write_key);
    CHECK(s.names == names{"a", "b"});
    CHECK(s.num == 1);
  }
  SECTION("ANY 2 of two, one goes: the key takes their union with quorum 1 first") {
    quorum_state now{{"a", "b"}, 0, any(2, {"a", "b"})};
    auto s = next_quorum_step(now, {"a"}, 2, false, {"a"});
    CHECK(s.what == kind::write_key);
    CHECK(s.num == 1);  // b, gone, has not caught up: one voter behind is what quorum 1 allows
  }
  SECTION("strict mode without standbys keeps commits waiting") {
    CHECK(next_quorum_step({{"a"}, 0, any(1, {"a"})}, {}, 1, true, {}).what == kind::steady);
    auto s = next_quorum_step({{}, 0, {}}, {}, 1, true, {});
    CHECK(s.what == kind::set_standby_names);
    CHECK(s.names == names{"*"});
  }
  SECTION("without strict mode and no standby: the voters go, then the value") {
    auto s = next_quorum_step({{"a"}, 0, any(1, {"a"})}, {}, 1, false, {});
    CHECK(s.what == kind::write_key);
    CHECK(s.names.empty());
    s = next_quorum_step({{}, 0, any(1, {"a"})}, {}, 1, false, {});
    CHECK(s.what == kind::set_standby_names);
    CHECK(s.names.empty());
  }
  SECTION("'*' could be any standby: no voters until the value names them") {
    CHECK_FALSE(key_covers({"a"}, 0, {false, 1, {"*"}}));
    auto s = next_quorum_step({{}, 0, {false, 1, {"*"}}}, {"a"}, 1, true, {"a"});
    CHECK(s.what == kind::set_standby_names);
  }
}

// Every cluster of up to four standbys, every synchronous_node_count, from every state the
// steps can reach: after each step, applied or not, the key covers what the value acknowledges,
// and no more voters are behind than the quorum allows; the steps reach the goal.
TEST_CASE("quorum commit never leaves an acknowledged commit out of reach",
          "[sync][quorum][safety]") {
  const names everyone{"a", "b", "c", "d"};
  auto subsets = [&] {
    std::vector<names> out;
    for (unsigned mask = 0; mask < 16; ++mask) {
      names s;
      for (unsigned i = 0; i < 4; ++i)
        if (mask & (1u << i)) s.push_back(everyone[i]);
      out.push_back(s);
    }
    return out;
  }();
  int runs = 0;
  for (const auto& start : subsets)
    for (const auto& active : subsets)
      for (int wanted = 1; wanted <= 3; ++wanted)
        for (bool strict : {false, true}) {
          // A steady state for `start`, then the standbys change to `active`.
          quorum_state now;
          if (!start.empty()) {
            int n = std::min<int>(wanted, static_cast<int>(start.size()));
            now = {start, static_cast<int>(start.size()) - n, any(n, start)};
          }
          bool steady = false;
          for (int step = 0; step < 8 && !steady; ++step) {
            // Standbys that left have not caught up; those streaming have.
            auto s = next_quorum_step(now, active, wanted, strict, active);
            INFO("start " << start.size() << " active " << active.size() << " w " << wanted
                          << " step " << step << ": " << s.why);
            switch (s.what) {
              case kind::steady:
                steady = true;
                break;
              case kind::wait:
                FAIL("waits although every active standby caught up");
                break;
              case kind::set_standby_names:
                now.ssn = s.names.empty() ? standby_names{}
                                          : standby_names{s.names != names{"*"}, s.num, s.names};
                break;
              case kind::write_key: {
                int behind = 0;
                for (const auto& v : s.names)
                  if (!contains_name(active, v)) ++behind;
                CHECK(behind <= s.num);
                now.voters = s.names;
                now.quorum = s.num;
                break;
              }
            }
            CHECK(key_covers(now.voters, now.quorum, now.ssn));
            CHECK((now.voters.empty() || now.quorum < static_cast<int>(now.voters.size())));
          }
          CHECK(steady);
          if (!active.empty()) {
            CHECK(same_names(now.voters, active));
            CHECK(now.ssn.count == std::min<int>(wanted, static_cast<int>(active.size())));
          }
          ++runs;
        }
  CHECK(runs == 16 * 16 * 3 * 2);
}
