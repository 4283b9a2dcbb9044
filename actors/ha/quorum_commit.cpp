#include "actors/ha/quorum_commit.hpp"

#include <algorithm>

namespace praetor::ha {
namespace {

std::vector<std::string> united(std::vector<std::string> a, const std::vector<std::string>& b) {
  for (const auto& n : b)
    if (!contains_name(a, n)) a.push_back(n);
  return a;
}

bool names_star(const standby_names& ssn) {
  return contains_name(ssn.names, "*");
}

std::string listed(const std::vector<std::string>& names) {
  auto sorted = names;
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const auto& n : sorted) out += (out.empty() ? "" : ", ") + n;
  return "(" + out + ")";
}

quorum_step set_names(int num, std::vector<std::string> names, std::string why) {
  return {quorum_step::kind::set_standby_names, std::move(names), num, std::move(why)};
}

quorum_step write_key(std::vector<std::string> voters, int quorum, std::string why) {
  return {quorum_step::kind::write_key, std::move(voters), quorum, std::move(why)};
}

}  // namespace

bool key_covers(const std::vector<std::string>& voters, int quorum, const standby_names& ssn) {
  if (voters.empty()) return true;
  if (ssn.names.empty() || names_star(ssn)) return false;
  return static_cast<int>(united(voters, ssn.names).size()) <= quorum + ssn.count;
}

quorum_step next_quorum_step(const quorum_state& now, const std::vector<std::string>& active,
                             int wanted, bool strict, const std::vector<std::string>& caught_up) {
  const auto& ssn = now.ssn;
  if (active.empty()) {
    if (strict) {
      if (!ssn.names.empty()) return {};  // commits wait for the standbys it names
      return set_names(1, {"*"}, "No standbys available! commits wait until one streams");
    }
    // Nobody may take over on quorum before commits stop waiting for standbys.
    if (!now.voters.empty())
      return write_key({}, 0, "no standby can be synchronous: clearing the voters");
    if (!ssn.names.empty())
      return set_names(0, {}, "no standby can be synchronous: commits no longer wait");
    return {};
  }
  const int num = std::min<int>(std::max(wanted, 1), static_cast<int>(active.size()));
  const int goal_quorum = static_cast<int>(active.size()) - num;
  const standby_names goal_ssn{true, num, active};
  const bool ssn_in_place =
      ssn.any && ssn.count == num && same_names(ssn.names, active) && !names_star(ssn);
  const bool key_in_place = same_names(now.voters, active) && now.quorum == goal_quorum;
  if (ssn_in_place && key_in_place) return {};

  if (!ssn_in_place && key_covers(now.voters, now.quorum, goal_ssn))
    return set_names(
        num, active,
        "Setting synchronous_standby_names to ANY " + std::to_string(num) + " " + listed(active));

  // The key has to move first: to the goal once the value is in place, else to a key that
  // covers both the value now and the goal (their union, with the smaller count).
  std::vector<std::string> voters = active;
  int quorum = goal_quorum;
  if (!ssn_in_place) {
    if (ssn.names.empty() || names_star(ssn) || ssn.count < 1)
      return write_key({}, 0, "clearing the voters before synchronous_standby_names changes");
    voters = united(ssn.names, active);
    quorum = static_cast<int>(voters.size()) - std::min(ssn.count, num);
  }
  int behind = 0;
  std::string waiting;
  for (const auto& v : voters)
    if (!contains_name(caught_up, v)) {
      ++behind;
      waiting += (waiting.empty() ? "" : ", ") + v;
    }
  if (behind > quorum)
    return {quorum_step::kind::wait,
            {},
            0,
            "waiting for " + waiting + " to reach the primary's position before they vote"};
  return write_key(voters, quorum,
                   "Setting quorum to " + std::to_string(quorum) + " of " + listed(voters));
}

}  // namespace praetor::ha
