// member_choice: the members patronictl 3.0.2's get_members picks for restart, reload, reinit
// and flush restart, its questions and its refusals, word for word.
#include "apps/praetorctl/member_choice.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/praetorctl/scripted_prompt.hpp"

using namespace praetor;
using namespace praetor::ctl;
using praetor::test::scripted_prompt;

namespace {

member_record member(std::string name, std::string role = "replica") {
  member_record m;
  m.name = std::move(name);
  m.api_url = "http://10.0.0.1:8008/patroni";
  m.role = std::move(role);
  return m;
}

// node1, node2 (the leader, a primary), node3.
cluster_view three_members() {
  cluster_view v;
  v.members = {member("node1"), member("node2", "master"), member("node3")};
  v.leader = leader_lock{"node2", 1};
  return v;
}

std::vector<std::string> names_of(const std::vector<member_record>& members) {
  std::vector<std::string> out;
  for (const auto& m : members) out.push_back(m.name);
  return out;
}

using names = std::vector<std::string>;

member_selection selection(names chosen, std::string role = "any", bool force = false) {
  return {std::move(chosen), std::move(role), force};
}

// choose_members with a table that counts how often it was shown.
struct chooser {
  scripted_prompt prompt;
  int tables = 0;
  member_choice operator()(const cluster_view& view, const member_selection& s,
                           const std::string& action, bool ask_confirmation = true) {
    return choose_members(view, "demo", s, action, ask_confirmation, prompt, [&] { ++tables; });
  }
};

}  // namespace

TEST_CASE("roles pick members as get_all_members does", "[praetorctl][member_choice]") {
  auto v = three_members();
  CHECK(names_of(members_with_role(v, "any")) == names{"node1", "node2", "node3"});
  CHECK(names_of(members_with_role(v, "replica")) == names{"node1", "node3"});
  CHECK(names_of(members_with_role(v, "standby")) == names{"node1", "node3"});
  CHECK(names_of(members_with_role(v, "leader")) == names{"node2"});
  CHECK(names_of(members_with_role(v, "primary")) == names{"node2"});
  CHECK(names_of(members_with_role(v, "master")) == names{"node2"});
  CHECK(members_with_role(v, "standby-leader").empty());  // the leader is a primary

  v.members[1].role = "standby_leader";
  CHECK(names_of(members_with_role(v, "standby-leader")) == names{"node2"});
  CHECK(members_with_role(v, "primary").empty());

  // a leader key without a record still names a member, one that cannot be called
  v.leader = leader_lock{"node9", 1};
  auto holder = members_with_role(v, "leader");
  REQUIRE(holder.size() == 1);
  CHECK(holder[0].name == "node9");
  CHECK(holder[0].api_url.empty());
  CHECK(names_of(members_with_role(v, "replica")) == names{"node1", "node2", "node3"});

  v.leader.reset();
  CHECK(members_with_role(v, "leader").empty());
  CHECK(names_of(members_with_role(v, "replica")) == names{"node1", "node2", "node3"});
}

TEST_CASE("every candidate is chosen when no name is given, after one confirmation",
          "[praetorctl][member_choice]") {
  chooser choose{scripted_prompt({"y"})};
  auto c = choose(three_members(), selection({}), "reload");
  CHECK_FALSE(c.refused());
  CHECK(names_of(c.members) == names{"node1", "node2", "node3"});
  CHECK(choose.tables == 1);
  CHECK(choose.prompt.asked ==
        names{"Are you sure you want to reload members node1, node2, node3?"});

  chooser declined{scripted_prompt({"n"})};
  auto no = declined(three_members(), selection({}, "replica"), "flush");
  CHECK(no.error == "Aborted flush");
  CHECK(declined.prompt.asked == names{"Are you sure you want to flush members node1, node3?"});

  chooser cut;  // input ends at the question
  CHECK(cut(three_members(), selection({}), "reload").aborted);
}

TEST_CASE("names narrow the candidates and keep the cluster's order",
          "[praetorctl][member_choice]") {
  chooser choose;
  auto c = choose(three_members(), selection({"node3", "node9", "node1", "node3"}, "any", true),
                  "restart");
  CHECK_FALSE(c.refused());
  CHECK(names_of(c.members) == names{"node1", "node3"});  // node9 is dropped, as patronictl does
  CHECK(choose.prompt.asked.empty());

  auto leader_only = choose(three_members(), selection({"node2"}, "replica", true), "restart");
  CHECK(leader_only.error == "No replica among provided members");
  auto unknown = choose(three_members(), selection({"node9"}, "any", true), "restart");
  CHECK(unknown.error == "No any among provided members");
  CHECK(choose.tables == 3);  // shown before the names are checked
}

TEST_CASE("a cluster without candidates is refused before the table",
          "[praetorctl][member_choice]") {
  chooser choose;
  cluster_view leaderless;
  leaderless.members = {member("node1")};
  auto c = choose(leaderless, selection({}, "primary", true), "restart");
  CHECK(c.error == "demo cluster doesn't have any members");
  CHECK(choose.tables == 0);
  // names given: the table first, then the names are checked
  auto named = choose(leaderless, selection({"node1"}, "leader", true), "restart");
  CHECK(named.error == "No leader among provided members");
  CHECK(choose.tables == 1);
}

TEST_CASE("reinitialize asks which member unless one is named", "[praetorctl][member_choice]") {
  chooser choose{scripted_prompt({"node3", "y"})};
  auto c = choose(three_members(), selection({}, "replica"), "reinitialize");
  CHECK(names_of(c.members) == names{"node3"});
  CHECK(choose.prompt.asked == names{"Which member do you want to reinitialize [node1, node3]? []",
                                     "Are you sure you want to reinitialize members node3?"});

  chooser leader{scripted_prompt({"node2"})};
  CHECK(leader(three_members(), selection({}, "replica"), "reinitialize").error ==
        "node2 is not a member of cluster");
  chooser empty{scripted_prompt({""})};
  CHECK(empty(three_members(), selection({}, "replica"), "reinitialize").error ==
        " is not a member of cluster");

  chooser forced;  // --force without names: nobody, and no question
  auto none = forced(three_members(), selection({}, "replica", true), "reinitialize");
  CHECK_FALSE(none.refused());
  CHECK(none.members.empty());
  CHECK(forced.prompt.asked.empty());
}

TEST_CASE("restart confirms later, with its schedule", "[praetorctl][member_choice]") {
  chooser choose;
  auto c = choose(three_members(), selection({"node1"}), "restart", false);
  CHECK(names_of(c.members) == names{"node1"});
  CHECK(choose.prompt.asked.empty());

  scripted_prompt p({"n", "y"});
  auto no = confirm_members(c.members, false, "restart", "2030-01-02 03:04:05+01:00", p);
  CHECK(no.error == "Aborted scheduled restart");
  auto yes = confirm_members(c.members, false, "restart", "", p);
  CHECK(names_of(yes.members) == names{"node1"});
  CHECK(p.asked == names{"Are you sure you want to schedule restart of members node1 at "
                         "2030-01-02 03:04:05+01:00?",
                         "Are you sure you want to restart members node1?"});
  CHECK_FALSE(confirm_members(c.members, true, "restart", "x", p).refused());
  CHECK(p.asked.size() == 2);
}

TEST_CASE("the role choices are patronictl's", "[praetorctl][member_choice]") {
  for (const char* r :
       {"leader", "primary", "standby-leader", "replica", "standby", "any", "master"})
    CHECK(is_member_role(r));
  CHECK_FALSE(is_member_role("standby_leader"));
  CHECK_FALSE(is_member_role(""));
}
