// The praetorctl binary against a real ZooKeeper holding a cluster written here by hand, with
// recording_http_server standing in for the members' REST API: what it sends, prints and
// returns for switchover, failover and flush switchover, and its fallback to the DCS.
#include <sys/wait.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "backends/dcs/zookeeper/zookeeper_client.hpp"
#include "messages/iso_time.hpp"
#include "tests/integration/praetorctl/recording_http_server.hpp"
#include "tests/support/zk_server.hpp"

using namespace praetor;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

const std::string base = "/service/demo";
// base64("admin:s3cret"), the restapi.authentication of the configuration below
const std::string expected_auth = "Basic YWRtaW46czNjcmV0";

struct run_result {
  int status = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A ZooKeeper with the demo cluster's znodes, and praetorctl pointed at it.
class fixture {
 public:
  fixture() : client_(nullptr) {
    REQUIRE(zk_.start());
    client_ = std::make_unique<dcs::zookeeper_client>(zk_.hosts(), 10000, 2000);
    client_->start([](const dcs_session_status&) {}, [](const std::string&) {});
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (client_->session_id() == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(50ms);
    REQUIRE(client_->session_id() != 0);
    config_ = zk_.dir() + "/ctl.yml";
    std::ofstream(config_) << "scope: demo\nnamespace: /service/\nname: ctl\n"
                           << "restapi:\n  listen: 127.0.0.1:8008\n"
                           << "  connect_address: 127.0.0.1:8008\n"
                           << "  authentication:\n    username: admin\n    password: s3cret\n"
                           << "zookeeper:\n  hosts: ['" << zk_.hosts() << "']\n";
    put(base + "/initialize", "7212345678901234567");
    put(base + "/config", R"({"ttl":30,"loop_wait":2,"retry_timeout":10})");
  }

  // Creates or overwrites a persistent znode.
  void put(const std::string& path, const std::string& data) {
    auto r = client_->set(path, data, znode_version{-1});
    if (r.code == dcs::error_code::no_node) r = client_->create(path, data, false, true);
    REQUIRE(r.ok());
  }

  void member(const std::string& name, const std::string& api_url, const std::string& role) {
    json::object m{{"conn_url", "postgres://127.0.0.1:5432/postgres"},
                   {"api_url", api_url},
                   {"state", "running"},
                   {"role", role},
                   {"version", "3.0.2"},
                   {"xlog_location", 50331744},
                   {"timeline", 1}};
    put(base + "/members/" + name, json::serialize(m));
  }

  void leader(const std::string& name) { put(base + "/leader", name); }

  // The failover znode's data; nullopt when it does not exist.
  std::optional<std::string> failover_key() {
    auto r = client_->get(base + "/failover", false);
    if (r.error.code == dcs::error_code::no_node) return std::nullopt;
    REQUIRE(r.error.ok());
    return r.data;
  }

  // Runs praetorctl with `args` after "-c CONFIG", `input` on its stdin.
  run_result run(const std::string& args, const std::string& input = "") {
    const auto dir = zk_.dir();
    std::ofstream(dir + "/stdin") << input;
    const auto command = std::string("timeout 120 ") + PRAETORCTL_BIN + " -c " + config_ + " " +
                         args + " <" + dir + "/stdin >" + dir + "/stdout 2>" + dir + "/stderr";
    int raw = std::system(command.c_str());
    run_result r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(dir + "/stdout");
    r.err = slurp(dir + "/stderr");
    return r;
  }

 private:
  test::zk_server zk_;
  std::unique_ptr<dcs::zookeeper_client> client_;
  std::string config_;
};

json::object body_of(const test::recorded_request& r) {
  INFO(r.body);
  return json::parse(r.body).as_object();
}

}  // namespace

TEST_CASE("switchover --force posts to the leader with auth and prints the answer",
          "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server leader_api(200, "OK", "Successfully switched over to \"node2\"");
  test::recording_http_server replica_api(500, "Internal Server Error", "wrong member");
  f.member("node1", leader_api.api_url(), "master");
  f.member("node2", replica_api.api_url(), "replica");
  f.leader("node1");

  auto r = f.run("switchover --candidate node2 --force");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.out.starts_with("Current cluster topology\n"));
  CHECK_THAT(r.out, Catch::Contains(" Successfully switched over to \"node2\"\n"));
  CHECK(count(r.out, "Cluster: demo (7212345678901234567)") == 2);  // before and after

  auto requests = leader_api.requests();
  REQUIRE(requests.size() == 1);
  CHECK(replica_api.requests().empty());
  CHECK(requests[0].request_line == "POST /switchover HTTP/1.1");
  CHECK(requests[0].header("authorization") == expected_auth);
  CHECK(requests[0].header("content-type") == "application/json");
  CHECK(body_of(requests[0]) ==
        json::object{{"leader", "node1"}, {"candidate", "node2"}, {"scheduled_at", nullptr}});
  CHECK_FALSE(f.failover_key());  // the REST API answered: no fallback write
}

TEST_CASE("a scheduled switchover sends its time with an offset and prints 202's text",
          "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server leader_api(202, "Accepted", "Switchover scheduled");
  f.member("node1", leader_api.api_url(), "master");
  f.member("node2", "http://127.0.0.1:1/patroni", "replica");
  f.leader("node1");

  auto r = f.run("switchover --force --scheduled 2030-01-02T03:04:05+00:00");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains(" Switchover scheduled\n"));
  auto requests = leader_api.requests();
  REQUIRE(requests.size() == 1);
  auto body = body_of(requests[0]);
  CHECK(body.at("leader") == "node1");
  CHECK(body.at("candidate").is_null());
  REQUIRE(body.at("scheduled_at").is_string());
  auto when = parse_iso_time(body.at("scheduled_at").get_string());
  REQUIRE(when);
  CHECK(when->has_timezone);
  CHECK(when->epoch_ms == parse_iso_time("2030-01-02T03:04:05Z")->epoch_ms);
}

TEST_CASE("failover refused by the API is reported and exits non-zero",
          "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server leader_api(503, "Service Unavailable", "Failover failed");
  f.member("node1", leader_api.api_url(), "master");
  f.member("node2", "http://127.0.0.1:1/patroni", "replica");
  f.leader("node1");

  auto r = f.run("failover --candidate node2 --force");
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains("Failover failed, details: 503, Failover failed\n"));
  CHECK(count(r.out, "Cluster: demo") == 1);  // patronictl shows no table after a failure
  auto requests = leader_api.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].request_line == "POST /failover HTTP/1.1");
  CHECK(body_of(requests[0]) ==
        json::object{{"leader", "node1"}, {"candidate", "node2"}, {"scheduled_at", nullptr}});
  CHECK_FALSE(f.failover_key());
}

TEST_CASE("checks refuse before any request is made", "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server leader_api(200, "OK", "should not be called");
  f.member("node1", leader_api.api_url(), "master");
  f.member("node2", "http://127.0.0.1:1/patroni", "replica");
  f.leader("node1");

  auto unknown = f.run("switchover --candidate node9 --force");
  CHECK(unknown.status == 1);
  CHECK(unknown.err == "Error: Member node9 does not exist in cluster demo\n");
  auto mismatch = f.run("switchover --leader node2 --force");
  CHECK(mismatch.status == 1);
  CHECK(mismatch.err == "Error: Member node2 is not the leader of cluster demo\n");
  auto no_candidate = f.run("failover --force");
  CHECK(no_candidate.status == 1);
  CHECK(no_candidate.err == "Error: Failover could be performed only to a specific candidate\n");
  auto usage = f.run("failover --scheduled now");
  CHECK(usage.status == 2);
  CHECK_THAT(usage.err, Catch::Contains("--scheduled does not apply to failover"));
  CHECK(leader_api.requests().empty());
  CHECK_FALSE(f.failover_key());
}

TEST_CASE("without --force the questions are answered on stdin", "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server leader_api(200, "OK", "Successfully switched over to \"node2\"");
  f.member("node1", leader_api.api_url(), "master");
  f.member("node2", "http://127.0.0.1:1/patroni", "replica");
  f.member("node3", "http://127.0.0.1:1/patroni", "replica");
  f.leader("node1");

  // leader: the default; candidate node3; time: now; then No
  auto declined = f.run("switchover", "\nnode3\nnow\nn\n");
  INFO(declined.out << declined.err);
  CHECK(declined.status == 1);
  CHECK_THAT(declined.out, Catch::Contains("Primary [node1]: "));
  CHECK_THAT(declined.out, Catch::Contains("Candidate ['node2', 'node3'] []: "));
  CHECK_THAT(declined.out, Catch::Contains("When should the switchover take place (e.g. "));
  CHECK_THAT(declined.out,
             Catch::Contains("Are you sure you want to switchover cluster demo, demoting current "
                             "leader node1? [y/N]: "));
  CHECK(declined.err == "Error: Aborting switchover\n");
  CHECK(leader_api.requests().empty());

  auto cut = f.run("switchover", "\n");  // input ends at the candidate question
  CHECK(cut.status == 1);
  CHECK(cut.err == "Aborted!\n");
  CHECK(leader_api.requests().empty());

  auto agreed = f.run("switchover", "\nnode3\n\nyes\n");
  INFO(agreed.out << agreed.err);
  CHECK(agreed.status == 0);
  auto requests = leader_api.requests();
  REQUIRE(requests.size() == 1);
  CHECK(body_of(requests[0]) ==
        json::object{{"leader", "node1"}, {"candidate", "node3"}, {"scheduled_at", nullptr}});
}

TEST_CASE("without an answering REST API the failover key is written in ZooKeeper",
          "[praetorctl][integration]") {
  fixture f;
  const auto nobody =
      "http://127.0.0.1:" + std::to_string(test::refused_loopback_port()) + "/patroni";
  f.member("node1", nobody, "master");
  f.member("node2", nobody, "replica");
  f.leader("node1");

  auto r = f.run("switchover --candidate node2 --force");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.out,
             Catch::Contains(" Could not switchover using Patroni api, falling back to DCS\n"));
  CHECK_THAT(r.err, Catch::Contains("member node1: cannot connect to 127.0.0.1:"));
  CHECK(count(r.out, "Cluster: demo") == 2);
  auto key = f.failover_key();
  REQUIRE(key);
  CHECK(json::parse(*key) == json::object{{"leader", "node1"}, {"member", "node2"}});

  // an existing key is overwritten, whatever its version
  f.put(base + "/failover", R"({"leader":"node1","member":"node9"})");
  auto again = f.run("switchover --candidate node2 --force --scheduled 2030-01-02T03:04:05Z");
  CHECK(again.status == 0);
  key = f.failover_key();
  REQUIRE(key);
  auto written = json::parse(*key).as_object();
  CHECK(written.at("member") == "node2");
  CHECK(parse_iso_time(written.at("scheduled_at").get_string())->epoch_ms ==
        parse_iso_time("2030-01-02T03:04:05Z")->epoch_ms);

  // https is refused as not supported, and the fallback applies
  f.member("node1", "https://127.0.0.1:8008/patroni", "master");
  auto tls = f.run("switchover --candidate node2 --force");
  CHECK(tls.status == 0);
  CHECK_THAT(tls.err, Catch::Contains("TLS (https) is not supported yet"));
  CHECK_THAT(tls.out, Catch::Contains("falling back to DCS"));
}

TEST_CASE("a request sent but not answered is not followed by a DCS write",
          "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server leader_api(0, "", "");  // reads the request, then hangs up
  f.member("node1", leader_api.api_url(), "master");
  f.member("node2", "http://127.0.0.1:1/patroni", "replica");
  f.leader("node1");

  auto r = f.run("switchover --candidate node2 --force");
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains("Switchover status unknown: the request was sent but not "
                                    "answered; not falling back to DCS\n"));
  CHECK_THAT(r.out, !Catch::Contains("Could not switchover using Patroni api"));
  CHECK(leader_api.requests().size() == 1);
  CHECK_FALSE(f.failover_key());
}

TEST_CASE("failover of a leaderless cluster asks the candidate's REST API",
          "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server node1_api(200, "OK", "wrong member");
  test::recording_http_server node2_api(200, "OK", "Successfully failed over to \"node2\"");
  f.member("node1", node1_api.api_url(), "replica");
  f.member("node2", node2_api.api_url(), "replica");

  auto switchover = f.run("switchover --force");
  CHECK(switchover.status == 1);
  CHECK(switchover.err == "Error: This cluster has no leader\n");

  auto r = f.run("failover --candidate node2 --force");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains(" Successfully failed over to \"node2\"\n"));
  CHECK(node1_api.requests().empty());
  auto requests = node2_api.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].request_line == "POST /failover HTTP/1.1");
  CHECK(body_of(requests[0]) ==
        json::object{{"leader", nullptr}, {"candidate", "node2"}, {"scheduled_at", nullptr}});
}

TEST_CASE("flush switchover asks the leader's API first and else clears the key in ZooKeeper",
          "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server leader_api(200, "OK", "scheduled switchover deleted");
  test::recording_http_server replica_api(200, "OK", "wrong member");
  f.member("node1", replica_api.api_url(), "replica");
  f.member("node2", leader_api.api_url(), "master");
  f.leader("node2");

  auto nothing = f.run("flush switchover");
  CHECK(nothing.status == 0);
  CHECK(nothing.out == "No pending scheduled switchover\n");
  CHECK(leader_api.requests().empty());

  const std::string scheduled =
      R"({"leader":"node2","member":"node1","scheduled_at":"2030-01-02T03:04:05+00:00"})";
  f.put(base + "/failover", scheduled);
  auto r = f.run("flush demo switchover");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.out == "Success: scheduled switchover deleted\n");
  CHECK(replica_api.requests().empty());  // the leader (node2) answered first
  auto requests = leader_api.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].request_line == "DELETE /switchover HTTP/1.1");
  CHECK(requests[0].header("authorization") == expected_auth);
  CHECK(f.failover_key() == scheduled);  // the stand-in API cleared nothing

  // nobody answers: a CAS clear of the key
  const auto nobody =
      "http://127.0.0.1:" + std::to_string(test::refused_loopback_port()) + "/patroni";
  f.member("node1", nobody, "replica");
  f.member("node2", nobody, "master");
  auto fallback = f.run("flush switchover");
  INFO(fallback.out << fallback.err);
  CHECK(fallback.status == 0);
  CHECK_THAT(fallback.out,
             Catch::Contains(" Could not find any accessible member of cluster demo\n"));
  CHECK_THAT(fallback.err, Catch::Contains("member node2 is not accessible"));
  CHECK_THAT(fallback.err, Catch::Contains("member node1 is not accessible"));
  CHECK(f.failover_key() == std::optional<std::string>("{}"));
}

TEST_CASE("flush switchover reports a 404 from the API as patronictl does",
          "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server leader_api(404, "Not Found", "no switchover is scheduled");
  f.member("node1", leader_api.api_url(), "master");
  f.leader("node1");
  f.put(base + "/failover", R"({"leader":"node1","scheduled_at":"2030-01-02T03:04:05+00:00"})");
  auto r = f.run("flush switchover");
  CHECK(r.status == 0);  // nothing is scheduled any more, which is what flush wanted
  CHECK(r.out == "Failed: no switchover is scheduled\n");
  CHECK(leader_api.requests().size() == 1);
}
