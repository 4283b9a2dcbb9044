// terminal_prompt: click's prompt and confirm over streams.
#include "apps/praetorctl/terminal_prompt.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace praetor::ctl;

TEST_CASE("ask shows the default and takes it on an empty answer", "[praetorctl][prompt]") {
  std::istringstream in("\nnode3\n");
  std::ostringstream out;
  terminal_prompt p(in, out);
  CHECK(p.ask("Primary", "node1") == std::optional<std::string>("node1"));
  CHECK(p.ask("Candidate ['node2', 'node3']", "") == std::optional<std::string>("node3"));
  CHECK(out.str() == "Primary [node1]: Candidate ['node2', 'node3'] []: ");
  CHECK_FALSE(p.ask("Primary", "node1"));  // end of input
}

TEST_CASE("confirm takes y or yes or n or no or nothing and asks again otherwise",
          "[praetorctl][prompt]") {
  std::istringstream in("maybe\n YES \n\nn\n");
  std::ostringstream out;
  terminal_prompt p(in, out);
  CHECK(p.confirm("Sure?") == std::optional<bool>(true));
  CHECK(out.str() == "Sure? [y/N]: Error: invalid input\nSure? [y/N]: ");
  CHECK(p.confirm("Sure?") == std::optional<bool>(false));  // empty = No
  CHECK(p.confirm("Sure?") == std::optional<bool>(false));
  CHECK_FALSE(p.confirm("Sure?"));  // end of input
  CHECK(confirm_answer("Y") == std::optional<bool>(true));
  CHECK(confirm_answer("no") == std::optional<bool>(false));
  CHECK_FALSE(confirm_answer("yep"));
}

TEST_CASE("ask_required asks again on an empty answer and has no default", "[praetorctl][prompt]") {
  std::istringstream in("\n demo\n");
  std::ostringstream out;
  terminal_prompt p(in, out);
  CHECK(p.ask_required("Cluster") == std::optional<std::string>(" demo"));
  CHECK(out.str() == "Cluster: Cluster: ");
  CHECK_FALSE(p.ask_required("Cluster"));  // end of input
}
