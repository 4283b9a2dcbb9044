// failover_plan: patronictl 3.0.2's checks for switchover and failover with their texts, the
// dialogue without --force, the request body, the member the request goes to, the fallback
// value, and the small helpers (schedule, auth header, timestamps).
#include "apps/praetorctl/failover_plan.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <deque>

#include "messages/iso_time.hpp"
#include "tests/unit/praetorctl/scripted_prompt.hpp"

using namespace praetor;
using namespace praetor::ctl;
using praetor::test::scripted_prompt;
namespace json = boost::json;

namespace {

member_record member(std::string name, bool nofailover = false) {
  member_record m;
  m.name = name;
  m.api_url = "http://10.0.0." + std::to_string(name.back() - '0') + ":8008/patroni";
  m.conn_url = "postgres://10.0.0." + std::to_string(name.back() - '0') + ":5432/postgres";
  m.state = "running";
  m.role = "replica";
  if (nofailover) m.tags["nofailover"] = true;
  return m;
}

// node1 (leader unless told otherwise), node2, node3.
cluster_view three_members(std::string leader = "node1") {
  cluster_view v;
  v.members = {member("node1"), member("node2"), member("node3")};
  if (!leader.empty()) v.leader = leader_lock{leader, 1};
  return v;
}

std::int64_t at(const char* iso) {
  return parse_iso_time(iso)->epoch_ms;
}

// Central European winter time, fixed: every local time is UTC+1.
local_zone plus_one_hour() {
  local_zone z;
  z.offset_of_wall = [](std::int64_t) { return std::int64_t{3600}; };
  z.offset_at = [](std::int64_t) { return std::int64_t{3600}; };
  z.now_ms = at("2026-11-27T12:00:00Z");
  return z;
}

failover_options forced(ctl_action a, std::optional<std::string> leader = std::nullopt,
                        std::optional<std::string> candidate = std::nullopt,
                        std::optional<std::string> scheduled = std::nullopt) {
  failover_options o;
  o.action = a;
  o.leader = std::move(leader);
  o.candidate = std::move(candidate);
  o.scheduled = std::move(scheduled);
  o.force = true;
  return o;
}

plan_outcome plan(const failover_options& o, const cluster_view& v) {
  scripted_prompt none;
  auto r = plan_failover(o, v, "demo", none, plus_one_hour());
  CHECK(none.asked.empty());  // --force asks nothing
  return r;
}

}  // namespace

TEST_CASE("the checks refuse with patronictl's texts", "[praetorctl][failover_plan]") {
  using A = ctl_action;
  auto paused = three_members();
  paused.config = json::object{{"pause", true}};
  auto lone_leader = three_members();
  lone_leader.members = {member("node1"), member("node2", true)};
  auto one_nofailover = three_members();
  one_nofailover.members[1] = member("node2", true);

  struct row {
    const char* what;
    failover_options options;
    cluster_view view;
    std::string error;
  };
  const std::vector<row> rows = {
      {"switchover without a leader", forced(A::switchover), three_members(""),
       "This cluster has no leader"},
      {"failover naming a leader is a switchover", forced(A::failover, "node1", "node2"),
       three_members(""), "This cluster has no leader"},
      {"a leader that is not the leader", forced(A::switchover, "node2"), three_members(),
       "Member node2 is not the leader of cluster demo"},
      {"only nofailover members besides the leader", forced(A::switchover), lone_leader,
       "No candidates found to switchover to"},
      {"no candidates, failover", forced(A::failover, std::nullopt, "node2"), lone_leader,
       "No candidates found to failover to"},
      {"failover without a candidate", forced(A::failover), three_members(),
       "Failover could be performed only to a specific candidate"},
      {"failover to an empty candidate", forced(A::failover, std::nullopt, ""), three_members(),
       "Failover could be performed only to a specific candidate"},
      {"target and source the same", forced(A::switchover, "node1", "node1"), three_members(),
       "Switchover target and source are the same."},
      {"failover to the leader", forced(A::failover, std::nullopt, "node1"), three_members(),
       "Failover target and source are the same."},
      {"an unknown candidate", forced(A::switchover, std::nullopt, "node9"), three_members(),
       "Member node9 does not exist in cluster demo"},
      {"a nofailover candidate", forced(A::switchover, std::nullopt, "node2"), one_nofailover,
       "Member node2 does not exist in cluster demo"},
      {"a schedule that does not parse", forced(A::switchover, std::nullopt, "node2", "tomorrow"),
       three_members(),
       "Unable to parse scheduled timestamp (tomorrow). It should be in an unambiguous format "
       "(e.g. ISO 8601)"},
      {"a schedule while paused", forced(A::switchover, std::nullopt, "node2", "2030-01-01T10:00"),
       paused, "Can't schedule switchover in the paused state"},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    auto out = plan(r.options, r.view);
    CHECK_FALSE(out.plan);
    CHECK_FALSE(out.aborted);
    CHECK(out.error == r.error);
  }
}

TEST_CASE("with --force: the current leader and no candidate at once",
          "[praetorctl][failover_plan]") {
  auto out = plan(forced(ctl_action::switchover), three_members());
  REQUIRE(out.plan);
  CHECK(out.plan->action == ctl_action::switchover);
  CHECK(out.plan->leader == "node1");
  CHECK(out.plan->candidate.empty());
  CHECK(out.plan->scheduled_at.empty());
  // "now" is not a schedule, and paused does not matter then
  auto paused = three_members();
  paused.config = json::object{{"pause", true}};
  auto now = plan(forced(ctl_action::switchover, "node1", "node2", "now"), paused);
  REQUIRE(now.plan);
  CHECK(now.plan->scheduled_at.empty());
}

TEST_CASE("failover names the leader if there is one and becomes a switchover with --leader",
          "[praetorctl][failover_plan]") {
  auto with_leader = plan(forced(ctl_action::failover, std::nullopt, "node3"), three_members());
  REQUIRE(with_leader.plan);
  CHECK(with_leader.plan->action == ctl_action::failover);
  CHECK(with_leader.plan->leader == "node1");
  CHECK(with_leader.plan->candidate == "node3");

  auto leaderless = plan(forced(ctl_action::failover, std::nullopt, "node2"), three_members(""));
  REQUIRE(leaderless.plan);
  CHECK(leaderless.plan->leader.empty());
  // a leaderless cluster: every member may be the candidate
  CHECK(candidate_names(three_members(""), "") ==
        std::vector<std::string>{"node1", "node2", "node3"});

  auto named = plan(forced(ctl_action::failover, "node1", "node2"), three_members());
  REQUIRE(named.plan);
  CHECK(named.plan->action == ctl_action::switchover);
}

TEST_CASE("a schedule without a zone is local time and is sent with its offset",
          "[praetorctl][failover_plan]") {
  auto local = plan(forced(ctl_action::switchover, std::nullopt, "node2", "2030-01-02T10:00"),
                    three_members());
  REQUIRE(local.plan);
  CHECK(local.plan->scheduled_at == "2030-01-02T10:00:00+01:00");
  CHECK(parse_iso_time(local.plan->scheduled_at)->epoch_ms == at("2030-01-02T09:00:00Z"));

  // a zone given is honoured; the time is written back in local time
  auto utc = plan(forced(ctl_action::switchover, std::nullopt, "node2", "2030-01-02 10:00:00.250Z"),
                  three_members());
  REQUIRE(utc.plan);
  CHECK(utc.plan->scheduled_at == "2030-01-02T11:00:00.250000+01:00");

  CHECK(parse_scheduled(std::nullopt, plus_one_hour()).iso.empty());
  CHECK(parse_scheduled(std::string("now"), plus_one_hour()).iso.empty());
  CHECK(parse_scheduled(std::string(""), plus_one_hour()).iso.empty());
}

TEST_CASE("the offset follows the zone at that time (summer time)", "[praetorctl][failover_plan]") {
  local_zone z = plus_one_hour();
  // a zone that is UTC+2 from April to October, as if it kept summer time
  auto summer = [](std::int64_t ms) {
    return ms >= at("2030-04-01T00:00:00Z") && ms < at("2030-11-01T00:00:00Z") ? 7200 : 3600;
  };
  z.offset_at = [=](std::int64_t ms) { return std::int64_t(summer(ms)); };
  z.offset_of_wall = [=](std::int64_t ms) { return std::int64_t(summer(ms)); };
  CHECK(parse_scheduled(std::string("2030-07-01T10:00"), z).iso == "2030-07-01T10:00:00+02:00");
  CHECK(parse_scheduled(std::string("2030-12-01T10:00"), z).iso == "2030-12-01T10:00:00+01:00");
  CHECK(format_local_iso(at("2030-07-01T08:00:00Z"), z) == "2030-07-01T10:00:00+02:00");
  z.offset_at = [](std::int64_t) { return std::int64_t{-(3 * 3600 + 30 * 60)}; };
  CHECK(format_local_iso(at("2030-07-01T08:00:00Z"), z) == "2030-07-01T04:30:00-03:30");
}

TEST_CASE("without --force the leader and candidate and time are asked and then confirmed",
          "[praetorctl][failover_plan]") {
  failover_options o;  // switchover, nothing given
  scripted_prompt p({"", "node2", "", "y"});
  auto out = plan_failover(o, three_members(), "demo", p, plus_one_hour());
  REQUIRE(out.plan);
  CHECK(out.plan->leader == "node1");
  CHECK(out.plan->candidate == "node2");
  CHECK(out.plan->scheduled_at.empty());
  CHECK(p.asked == std::vector<std::string>{
                       "Primary [node1]",
                       "Candidate ['node2', 'node3'] []",
                       // an hour after 12:00 UTC, in local time (UTC+1)
                       "When should the switchover take place (e.g. 2026-11-27T14:00 )  [now]",
                       "Are you sure you want to switchover cluster demo, demoting current "
                       "leader node1?",
                   });
}

TEST_CASE("without --force a scheduled switchover is confirmed with its time",
          "[praetorctl][failover_plan]") {
  failover_options o;
  o.leader = "node1";
  o.candidate = "node3";
  scripted_prompt p({"2030-01-02T10:00", "y"});
  auto out = plan_failover(o, three_members(), "demo", p, plus_one_hour());
  REQUIRE(out.plan);
  CHECK(out.plan->scheduled_at == "2030-01-02T10:00:00+01:00");
  REQUIRE(p.asked.size() == 2);
  CHECK(p.asked[1] ==
        "Are you sure you want to schedule switchover of cluster demo at "
        "2030-01-02T10:00:00+01:00, demoting current leader node1?");
}

TEST_CASE("without --force a standby cluster asks for the standby leader and failover asks no time",
          "[praetorctl][failover_plan]") {
  auto standby = three_members();
  standby.config = json::object{{"standby_cluster", json::object{{"host", "10.1.0.1"}}}};
  failover_options o;
  scripted_prompt p({"", "node2", "", "y"});
  REQUIRE(plan_failover(o, standby, "demo", p, plus_one_hour()).plan);
  CHECK(p.asked.front() == "Standby Leader [node1]");

  failover_options f;
  f.action = ctl_action::failover;
  scripted_prompt q({"node2", "y"});
  auto out = plan_failover(f, three_members(), "demo", q, plus_one_hour());
  REQUIRE(out.plan);
  CHECK(q.asked == std::vector<std::string>{
                       "Candidate ['node2', 'node3'] []",
                       "Are you sure you want to failover cluster demo, demoting current leader "
                       "node1?",
                   });
  // a leaderless failover demotes nobody
  scripted_prompt r({"node2", "y"});
  REQUIRE(plan_failover(f, three_members(""), "demo", r, plus_one_hour()).plan);
  CHECK(r.asked.back() == "Are you sure you want to failover cluster demo?");
}

TEST_CASE("saying no or ending the input aborts", "[praetorctl][failover_plan]") {
  failover_options o;
  o.candidate = "node2";
  scripted_prompt no({"", "", "n"});
  auto out = plan_failover(o, three_members(), "demo", no, plus_one_hour());
  CHECK_FALSE(out.plan);
  CHECK(out.error == "Aborting switchover");

  scripted_prompt no_scheduled({"", "2030-01-02T10:00", "n"});
  out = plan_failover(o, three_members(), "demo", no_scheduled, plus_one_hour());
  CHECK(out.error == "Aborting scheduled switchover");

  for (std::size_t answered = 0; answered < 3; ++answered) {
    std::deque<std::string> answers = {"", "", "y"};
    answers.resize(answered);
    scripted_prompt eof(answers);
    auto cut = plan_failover(o, three_members(), "demo", eof, plus_one_hour());
    INFO(answered << " answers");
    CHECK_FALSE(cut.plan);
    CHECK(cut.aborted);
  }

  // an answer to the leader question is checked like --leader
  scripted_prompt wrong({"node3"});
  out = plan_failover(o, three_members(), "demo", wrong, plus_one_hour());
  CHECK(out.error == "Member node3 is not the leader of cluster demo");
}

TEST_CASE("the request body has all three keys with null when missing",
          "[praetorctl][failover_plan]") {
  failover_plan p;
  p.leader = "node1";
  p.candidate = "node2";
  p.scheduled_at = "2030-01-02T10:00:00+01:00";
  CHECK(json::serialize(request_body(p)) ==
        R"({"leader":"node1","candidate":"node2","scheduled_at":"2030-01-02T10:00:00+01:00"})");
  failover_plan bare;
  bare.candidate = "node2";
  CHECK(json::serialize(request_body(bare)) ==
        R"({"leader":null,"candidate":"node2","scheduled_at":null})");
}

TEST_CASE("the fallback failover key omits what is missing", "[praetorctl][failover_plan]") {
  failover_plan p;
  p.leader = "node1";
  CHECK(json::serialize(failover_to_json(dcs_fallback_value(p))) == R"({"leader":"node1"})");
  p.candidate = "node2";
  p.scheduled_at = "2030-01-02T10:00:00+01:00";
  CHECK(json::serialize(failover_to_json(dcs_fallback_value(p))) ==
        R"({"leader":"node1","member":"node2","scheduled_at":"2030-01-02T10:00:00+01:00"})");
}

TEST_CASE("the request goes to the leader or to the candidate when there is no leader",
          "[praetorctl][failover_plan]") {
  failover_plan p;
  p.leader = "node1";
  p.candidate = "node3";
  auto v = three_members();
  REQUIRE(request_target(v, p));
  CHECK(request_target(v, p)->name == "node1");

  auto leaderless = three_members("");
  p.leader.clear();
  REQUIRE(request_target(leaderless, p));
  CHECK(request_target(leaderless, p)->name == "node3");

  // a leader whose member record is gone: no request can be made
  auto ghost = three_members("node7");
  CHECK(request_target(ghost, p) == nullptr);
  p.candidate.clear();
  CHECK(request_target(leaderless, p) == nullptr);
}

TEST_CASE("flush asks the leader first and skips members without api_url",
          "[praetorctl][failover_plan]") {
  auto v = three_members("node2");
  v.members[2].api_url.clear();
  auto order = members_leader_first(v);
  REQUIRE(order.size() == 2);
  CHECK(order[0]->name == "node2");
  CHECK(order[1]->name == "node1");

  CHECK_FALSE(has_scheduled_switchover(v));
  v.failover = failover_request{"node2", "", "", {}};
  CHECK_FALSE(has_scheduled_switchover(v));
  v.failover->scheduled_at = "2030-01-02T10:00:00+01:00";
  CHECK(has_scheduled_switchover(v));
}

TEST_CASE("endpoint_target replaces the path of the api_url and refuses garbage",
          "[praetorctl][failover_plan]") {
  auto t = endpoint_target("http://10.0.0.2:8008/patroni?x=1", "switchover");
  REQUIRE(std::holds_alternative<peers::api_target>(t));
  auto target = std::get<peers::api_target>(t);
  CHECK_FALSE(target.tls);
  CHECK(target.http.host == "10.0.0.2");
  CHECK(target.http.port == "8008");
  CHECK(target.http.target == "/switchover");
  CHECK(target.http.host_header == "10.0.0.2:8008");

  auto tls = endpoint_target("HTTPS://10.0.0.2:8008/patroni", "switchover");
  REQUIRE(std::holds_alternative<peers::api_target>(tls));
  CHECK(std::get<peers::api_target>(tls).tls);
  CHECK(std::get<peers::api_target>(tls).http.target == "/switchover");
  CHECK(std::get<std::string>(endpoint_target("", "failover")) == "no api_url is known");
  CHECK(std::holds_alternative<std::string>(endpoint_target("10.0.0.2 8008", "failover")));
}

TEST_CASE("the answer timeout covers the daemon's wait for the new leader",
          "[praetorctl][failover_plan]") {
  cluster_view v;
  CHECK(answer_timeout_s(v) == 35);
  v.config = json::object{{"loop_wait", 30}};
  CHECK(answer_timeout_s(v) == 75);
  v.config = json::object{{"loop_wait", 3}};
  CHECK(answer_timeout_s(v) == 35);
  v.config = json::object{{"loop_wait", "garbage"}};
  CHECK(answer_timeout_s(v) == 35);
}

TEST_CASE("timestamps and the candidate list look like patronictl's",
          "[praetorctl][failover_plan]") {
  CHECK(ctl_timestamp(at("2026-11-27T12:34:56.789Z"), plus_one_hour()) ==
        "2026-11-27 13:34:56.78900");
  CHECK(python_list({}) == "[]");
  CHECK(python_list({"node2", "node3"}) == "['node2', 'node3']");
  CHECK(action_name(ctl_action::failover) == "failover");
  CHECK(action_title(ctl_action::switchover) == "Switchover");
}
