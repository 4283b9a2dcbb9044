#include "actors/ha/trace.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "actors/ha/apply_event.hpp"
#include "actors/ha/decide.hpp"
#include "scenario.hpp"

using namespace praetor;
using namespace praetor::test;

namespace {
std::string temp_trace(const std::string& tag) {
  return (std::filesystem::temp_directory_path() /
          ("praetor-trace-" + tag + "-" + std::to_string(::getpid()) + ".jsonl"))
      .string();
}

// Records a bootstrap as the decider shell would: fold, decide, remember, write.
void record_bootstrap(const std::string& path) {
  ha::trace_writer w(path);
  REQUIRE(w.ok());
  auto in = fresh_node();
  w.start(in);
  std::vector<ha_event> events{loop_tick{}, dcs_result{"race_initialize", true, ""}};
  cluster_view v;
  v.initialize = "";
  events.push_back(v);
  std::int64_t t = t0;
  for (const auto& e : events) {
    in = ha::apply_event(std::move(in), e, t += 7);
    auto d = ha::decide(in);
    in.memory = d.next;
    w.record(t, e, d);
  }
}
}  // namespace

TEST_CASE("a recorded trace replays to the same decisions", "[trace]") {
  auto path = temp_trace("same");
  record_bootstrap(path);
  auto r = ha::replay_trace(path);
  CHECK(r.error == "");
  CHECK(r.ok);
  CHECK(r.events == 3);
  std::filesystem::remove(path);
}

TEST_CASE("replay stops at the first decision that differs and shows both", "[trace]") {
  auto path = temp_trace("diff");
  record_bootstrap(path);
  std::ifstream in(path);
  std::string all((std::istreambuf_iterator<char>(in)), {});
  auto pos = all.find("trying to bootstrap a new cluster");
  REQUIRE(pos != std::string::npos);
  all.replace(pos, 9, "TAMPERED!");
  std::ofstream(path, std::ios::trunc) << all;
  auto r = ha::replay_trace(path);
  CHECK_FALSE(r.ok);
  CHECK(r.line == 2);
  CHECK_THAT(r.expected, Catch::Contains("TAMPERED!"));
  CHECK_THAT(r.actual, Catch::Contains("trying to bootstrap a new cluster"));
  std::filesystem::remove(path);
}

TEST_CASE("a malformed trace is named, not crashed on", "[trace]") {
  auto path = temp_trace("bad");
  std::ofstream(path) << "{\"start\": 42}\n";
  auto r = ha::replay_trace(path);
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.error, Catch::Contains("malformed trace line"));
  std::ofstream(path, std::ios::trunc) << "not json\n";
  CHECK_FALSE(ha::replay_trace(path).ok);
  std::filesystem::remove(path);
  CHECK_THAT(ha::replay_trace(path).error, Catch::Contains("cannot read trace file"));
}
