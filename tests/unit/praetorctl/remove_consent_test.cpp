// ask_removal_consent: patronictl remove's questions, in order, and its refusals.
#include <catch2/catch.hpp>
#include <deque>

#include "apps/praetorctl/remove_command.hpp"

using namespace praetor::ctl;

namespace {
// Answers from a script, recording the questions; an exhausted script is end of input.
struct scripted {
  std::deque<std::string> answers;
  std::vector<std::string> asked;
  ask_function fn() {
    return [this](const std::string& q) -> std::optional<std::string> {
      asked.push_back(q);
      if (answers.empty()) return std::nullopt;
      auto a = answers.front();
      answers.pop_front();
      return a;
    };
  }
};
const std::string name_q = "Please confirm the cluster name to remove";
const std::string aware_q =
    "You are about to remove all information in DCS for demo, please type: \"Yes I am aware\"";
const std::string leader_q =
    "This cluster currently is healthy. Please specify the leader name to continue";
}  // namespace

TEST_CASE("with a leader, three right answers give consent", "[praetorctl][remove]") {
  scripted s{{"demo", "Yes I am aware", "node1"}, {}};
  auto c = ask_removal_consent("demo", "node1", s.fn());
  CHECK(c.given);
  CHECK(s.asked == std::vector<std::string>{name_q, aware_q, leader_q});
}

TEST_CASE("without a leader two answers are enough", "[praetorctl][remove]") {
  scripted s{{"demo", "Yes I am aware"}, {}};
  CHECK(ask_removal_consent("demo", "", s.fn()).given);
  CHECK(s.asked.size() == 2);
}

TEST_CASE("a wrong answer refuses at once, with patronictl's text", "[praetorctl][remove]") {
  scripted wrong_name{{"other"}, {}};
  auto c = ask_removal_consent("demo", "node1", wrong_name.fn());
  CHECK_FALSE(c.given);
  CHECK(c.error == "Cluster names specified do not match");
  CHECK(wrong_name.asked.size() == 1);

  scripted sloppy{{"demo", "yes i am aware"}, {}};
  CHECK(ask_removal_consent("demo", "node1", sloppy.fn()).error ==
        "You did not exactly type \"Yes I am aware\"");

  scripted wrong_leader{{"demo", "Yes I am aware", "node2"}, {}};
  CHECK(ask_removal_consent("demo", "node1", wrong_leader.fn()).error ==
        "You did not specify the current leader of the cluster");
}

TEST_CASE("end of input aborts", "[praetorctl][remove]") {
  scripted s{{"demo"}, {}};
  auto c = ask_removal_consent("demo", "node1", s.fn());
  CHECK(c.aborted);
  CHECK_FALSE(c.given);
}
