// POST /switchover, POST /failover and DELETE /switchover checks: one case per branch of
// Patroni's do_POST_failover and is_failover_possible, plus the member-record judgement that
// replaces its peer probes.
#include "actors/rest_frontend/switchover_request.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/unit/rest/snapshots.hpp"

using namespace praetor;
using namespace praetor::rest;
using praetor::rest::test::now_ms;
namespace json = boost::json;

namespace {

http_request post(std::string body, bool with_length = true) {
  http_request r;
  r.method = "POST";
  r.target = "/switchover";
  if (with_length) r.headers.emplace_back("content-length", std::to_string(body.size()));
  r.body = std::move(body);
  return r;
}

failover_check check(failover_action a, const std::string& body,
                     const node_snapshot& s = test::primary_snapshot()) {
  return check_failover_request(a, post(body), s, now_ms);
}

// The refusal's status and body; fails the test when the request was accepted.
std::pair<int, std::string> refusal(const failover_check& c) {
  REQUIRE(std::holds_alternative<http_response>(c));
  const auto& r = std::get<http_response>(c);
  return {r.status, r.body};
}

failover_plan plan_of(const failover_check& c) {
  if (auto* r = std::get_if<http_response>(&c)) FAIL("refused: " << r->status << " " << r->body);
  return std::get<failover_plan>(c);
}

constexpr auto switchover = failover_action::switchover;
constexpr auto failover = failover_action::failover;

node_snapshot paused() {
  auto s = test::primary_snapshot();
  (*s.view->config)["pause"] = true;
  return s;
}

member_record& member(node_snapshot& s, std::string_view name) {
  for (auto& m : s.view->members)
    if (m.name == name) return m;
  FAIL("no member " << name);
  throw 0;
}

}  // namespace

TEST_CASE("the body must be a non-empty JSON object with a Content-Length", "[switchover]") {
  auto s = test::primary_snapshot();
  auto c = check_failover_request(switchover, post(R"({"leader":"node1"})", false), s, now_ms);
  auto [code, body] = refusal(c);
  CHECK(code == 411);
  CHECK(std::get<http_response>(c).content_type == "text/html;charset=utf-8");
  CHECK(body.find("Client must specify Content-Length") != std::string::npos);

  for (const char* bad : {"{", "[]", "{}", "\"node1\"", ""}) {
    INFO(bad);
    auto [status, page] = refusal(check(switchover, bad));
    CHECK(status == 400);
    CHECK(page.find("Error code: 400") != std::string::npos);
  }
}

TEST_CASE("who may be named", "[switchover]") {
  CHECK(refusal(check(failover, R"({"leader":"node1"})")) ==
        std::pair{400, std::string("Failover could be performed only to a specific candidate")});
  CHECK(refusal(check(switchover, R"({"candidate":"node2"})")) ==
        std::pair{400, std::string("Switchover could be performed only from a specific leader")});
  CHECK(refusal(check(switchover, R"({"leader":false,"candidate":"node2"})")).first == 400);

  auto p = plan_of(check(switchover, R"({"leader":"node1","member":"node2"})"));
  CHECK(p.request.member == "node2");  // "member" is the candidate's alias
  p = plan_of(check(failover, R"({"candidate":"node2"})"));
  CHECK(p.request.leader.empty());  // a failover needs no leader
  CHECK(p.request.member == "node2");
}

TEST_CASE("scheduled requests", "[switchover]") {
  CHECK(refusal(check(failover, R"({"candidate":"node2","scheduled_at":"2030-01-01T00:00Z"})")) ==
        std::pair{400, std::string("Scheduled failover is possible only from a specific leader")});
  CHECK(refusal(check(switchover, R"({"leader":"node1","scheduled_at":"2030-01-01T00:00Z"})",
                      paused())) ==
        std::pair{400, std::string("Can't schedule switchover in the paused state")});
  CHECK(refusal(check(switchover, R"({"leader":"node1","scheduled_at":"2030-01-01T00:00"})")) ==
        std::pair{400,
                  std::string("Timezone information is mandatory for the scheduled switchover")});
  CHECK(refusal(check(switchover, R"({"leader":"node1","scheduled_at":"2024-05-01T10:00Z"})")) ==
        std::pair{422, std::string("Cannot schedule switchover in the past")});
  for (const char* bad : {R"("tomorrow")", "5", R"("2024-13-01T10:00Z")"}) {
    INFO(bad);
    CHECK(refusal(
              check(switchover, std::string(R"({"leader":"node1","scheduled_at":)") + bad + "}")) ==
          std::pair{422, std::string("Unable to parse scheduled timestamp. It should be in an "
                                     "unambiguous format, e.g. ISO 8601")});
  }

  auto p = plan_of(
      check(switchover,
            R"({"leader":"node1","candidate":"node2","scheduled_at":"2024-05-01 13:00+02"})"));
  CHECK(p.scheduled);
  CHECK(p.request.scheduled_at == "2024-05-01T11:00:00+00:00");  // written as isoformat() in UTC
  CHECK(p.request.leader == "node1");
  CHECK(p.request.member == "node2");

  // As in Patroni, a scheduled request is not checked against the members now: the leader
  // checks it when the time comes.
  p = plan_of(check(switchover, R"({"leader":"nodeX","scheduled_at":"2030-01-01T00:00:00Z"})"));
  CHECK(p.scheduled);
  CHECK(p.request.leader == "nodeX");
}

TEST_CASE("paused clusters need a named candidate", "[switchover]") {
  CHECK(refusal(check(switchover, R"({"leader":"node1"})", paused())) ==
        std::pair{400, std::string("Switchover is possible only to a specific candidate in a "
                                   "paused state")});
  auto p = plan_of(check(switchover, R"({"leader":"node1","candidate":"node2"})", paused()));
  CHECK(p.request.member == "node2");
  CHECK_FALSE(p.scheduled);
}

TEST_CASE("is the switchover possible", "[switchover]") {
  CHECK(refusal(check(switchover, R"({"leader":"node2"})")) ==
        std::pair{412, std::string("leader name does not match")});
  auto unlocked = test::primary_snapshot();
  unlocked.view->leader.reset();
  CHECK(refusal(check(switchover, R"({"leader":"node1"})", unlocked)) ==
        std::pair{412, std::string("leader name does not match")});
  auto no_view = test::primary_snapshot();
  no_view.view.reset();
  CHECK(refusal(check(switchover, R"({"leader":"node1"})", no_view)) ==
        std::pair{412, std::string("leader name does not match")});

  CHECK(refusal(check(switchover, R"({"leader":"node1","candidate":"node9"})")) ==
        std::pair{412, std::string("candidate does not exists")});
  CHECK(refusal(check(failover, R"({"candidate":5})")) ==
        std::pair{412, std::string("candidate does not exists")});

  auto alone = test::primary_snapshot();
  std::erase_if(alone.view->members, [](const member_record& m) { return m.name == "node2"; });
  CHECK(refusal(check(switchover, R"({"leader":"node1"})", alone)) ==
        std::pair{412, std::string("switchover is not possible: cluster does not have members "
                                   "except leader")});
  auto no_api = test::primary_snapshot();
  member(no_api, "node2").api_url.clear();  // Patroni cannot ask it, so does not count it
  CHECK(refusal(check(switchover, R"({"leader":"node1"})", no_api)).second ==
        "switchover is not possible: cluster does not have members except leader");

  auto stopped = test::primary_snapshot();
  member(stopped, "node2").state = "stopped";
  CHECK(refusal(check(switchover, R"({"leader":"node1"})", stopped)) ==
        std::pair{412,
                  std::string("switchover is not possible: no good candidates have been found")});
  // Another member that qualifies is enough.
  auto three = stopped;
  auto node3 = member(three, "node2");
  node3.name = "node3";
  node3.state = "running";
  three.view->members.push_back(node3);
  auto p = plan_of(check(switchover, R"({"leader":"node1"})", three));
  CHECK(p.request.member.empty());
  CHECK(p.leader_at_request == "node1");
  CHECK_FALSE(p.scheduled);
}

TEST_CASE("a named candidate that cannot take over is refused with the reason", "[switchover]") {
  const std::string ask = R"({"leader":"node1","candidate":"node2"})";
  auto s = test::primary_snapshot();
  member(s, "node2").state = "starting";
  CHECK(refusal(check(switchover, ask, s)) ==
        std::pair{412, std::string("switchover is not possible: candidate \"node2\" is not "
                                   "running (its state is \"starting\")")});

  s = test::primary_snapshot();
  member(s, "node2").tags["nofailover"] = true;
  CHECK(refusal(check(failover, ask, s)) ==
        std::pair{412, std::string("failover is not possible: candidate \"node2\" is tagged "
                                   "nofailover")});
  member(s, "node2").tags["nofailover"] = false;
  CHECK(std::holds_alternative<failover_plan>(check(failover, ask, s)));

  // Lag is not judged here (the records' positions are up to a loop old): the leader probes
  // the candidate when it acts and clears the request if it lags.
  s = test::primary_snapshot();
  member(s, "node2").xlog_location = lsn{s.view->optime.value - 16 * 1048576};
  CHECK(std::holds_alternative<failover_plan>(check(switchover, ask, s)));

  s = test::primary_snapshot();
  member(s, "node2").xlog_location = lsn{s.view->optime.value + 10};  // ahead: no lag
  auto p = plan_of(check(switchover, ask, s));
  CHECK(p.request.leader == "node1");
  CHECK(p.request.member == "node2");
  CHECK(p.request.scheduled_at.empty());
  CHECK(p.leader_at_request == "node1");
}

TEST_CASE("in synchronous mode only a sync standby may take over by switchover",
          "[switchover][sync]") {
  // sync_view: node1 leads, node2 is the sync standby, node3 an asynchronous replica.
  const auto s = test::sync_primary_snapshot();
  SECTION("a named candidate must be in the sync key, for a switchover") {
    CHECK(refusal(check(switchover, R"({"leader":"node1","candidate":"node3"})", s)) ==
          std::pair{412, std::string("candidate name does not match with sync_standby")});
    // checked before the candidate's existence, as Patroni does
    CHECK(refusal(check(switchover, R"({"leader":"node1","candidate":"node9"})", s)) ==
          std::pair{412, std::string("candidate name does not match with sync_standby")});
    // by exact name
    CHECK(refusal(check(switchover, R"({"leader":"node1","candidate":"NODE2"})", s)) ==
          std::pair{412, std::string("candidate name does not match with sync_standby")});
    auto p = plan_of(check(switchover, R"({"leader":"node1","candidate":"node2"})", s));
    CHECK(p.request.member == "node2");
  }
  SECTION("a failover may name any member") {
    auto p = plan_of(check(failover, R"({"candidate":"node3"})", s));
    CHECK(p.request.member == "node3");
    CHECK(refusal(check(failover, R"({"candidate":"node9"})", s)) ==
          std::pair{412, std::string("candidate does not exists")});
  }
  SECTION("a named sync standby that cannot take over is still refused with the reason") {
    auto t = s;
    member(t, "node2").state = "stopped";
    CHECK(refusal(check(switchover, R"({"leader":"node1","candidate":"node2"})", t)) ==
          std::pair{412, std::string("switchover is not possible: candidate \"node2\" is not "
                                     "running (its state is \"stopped\")")});
  }
  SECTION("without a candidate only the sync standbys are asked") {
    auto p = plan_of(check(switchover, R"({"leader":"node1"})", s));
    CHECK(p.request.member.empty());

    auto stopped = s;
    member(stopped, "node2").state = "stopped";  // node3 would do, but is not synchronous
    CHECK(refusal(check(switchover, R"({"leader":"node1"})", stopped)) ==
          std::pair{412,
                    std::string("switchover is not possible: no good candidates have been found")});

    auto none = s;
    none.view->sync.members.clear();
    CHECK(refusal(check(switchover, R"({"leader":"node1"})", none)) ==
          std::pair{412, std::string("switchover is not possible: can not find sync_standby")});
    none.view->sync.members = {"node9"};  // names no member
    CHECK(refusal(check(switchover, R"({"leader":"node1"})", none)) ==
          std::pair{412, std::string("switchover is not possible: can not find sync_standby")});
  }
  SECTION("synchronous mode off: the sync key does not matter") {
    auto off = s;
    (*off.view->config)["synchronous_mode"] = "off";
    auto p = plan_of(check(switchover, R"({"leader":"node1","candidate":"node3"})", off));
    CHECK(p.request.member == "node3");
    off.view->sync.members.clear();
    CHECK(std::holds_alternative<failover_plan>(check(switchover, R"({"leader":"node1"})", off)));
  }
  SECTION("a scheduled switchover is not checked against the sync key, as in Patroni") {
    auto p = plan_of(check(switchover,
                           R"({"leader":"node1","candidate":"node3",)"
                           R"("scheduled_at":"2030-01-01T00:00:00+00:00"})",
                           s));
    CHECK(p.scheduled);
    CHECK(p.request.member == "node3");
  }
}

TEST_CASE("DELETE /switchover clears only a scheduled request", "[switchover]") {
  auto s = test::primary_snapshot();
  auto c = check_delete_switchover(s);
  REQUIRE(std::holds_alternative<http_response>(c));
  CHECK(std::get<http_response>(c).status == 404);
  CHECK(std::get<http_response>(c).body == "no switchover is scheduled");
  CHECK(std::get<http_response>(c).content_type == "text/html");

  s.view->failover = failover_request{"node1", "node2", "", znode_version{3}};
  CHECK(std::holds_alternative<http_response>(check_delete_switchover(s)));  // not scheduled

  s.view->failover->scheduled_at = "2030-01-01T00:00:00+00:00";
  c = check_delete_switchover(s);
  REQUIRE(std::holds_alternative<write_failover>(c));
  CHECK(std::get<write_failover>(c).expected == znode_version{3});
  CHECK(failover_to_json(std::get<write_failover>(c).request).empty());  // writes {}
}
