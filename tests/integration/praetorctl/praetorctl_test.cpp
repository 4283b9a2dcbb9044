// The praetorctl binary against a real ZooKeeper holding a cluster written here by hand, with
// recording_http_server standing in for the members' REST API: what it sends, prints and
// returns for switchover, failover, flush switchover, restart, reload, reinit and flush
// restart, and its fallback to the DCS; and what topology, history, show-config, edit-config
// and remove read, write and print.
#include <sys/stat.h>
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

  // A member record; `extra` fields are added to it ("scheduled_restart").
  void member(const std::string& name, const std::string& api_url, const std::string& role,
              const json::object& extra = {}) {
    json::object m{{"conn_url", "postgres://127.0.0.1:5432/postgres"},
                   {"api_url", api_url},
                   {"state", "running"},
                   {"role", role},
                   {"version", "3.0.2"},
                   {"xlog_location", 50331744},
                   {"timeline", 1}};
    for (const auto& [key, value] : extra) m[key] = value;
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

  // A znode's data and version; nullopt when it does not exist.
  std::optional<std::pair<std::string, int>> get(const std::string& path) {
    auto r = client_->get(path, false);
    if (r.error.code == dcs::error_code::no_node) return std::nullopt;
    REQUIRE(r.error.ok());
    return std::pair{r.data, r.stat.version};
  }

  // Creates an ephemeral znode of the fixture's session.
  void ephemeral(const std::string& path, const std::string& data) {
    REQUIRE(client_->create(path, data, true, true).ok());
  }

  // Deletes a znode (no children).
  void remove(const std::string& path) { REQUIRE(client_->remove(path, znode_version{-1}).ok()); }

  const std::string& dir() const { return zk_.dir(); }

  // Runs praetorctl with `args` after "-c CONFIG", `input` on its stdin; `environment` comes
  // before the command ("EDITOR=...").
  run_result run(const std::string& args, const std::string& input = "",
                 const std::string& environment = "") {
    const auto dir = zk_.dir();
    std::ofstream(dir + "/stdin") << input;
    return run_reading(args, dir + "/stdin", environment);
  }

  // run() with stdin from the file (or FIFO) `stdin_path`.
  run_result run_reading(const std::string& args, const std::string& stdin_path,
                         const std::string& environment = "") {
    const auto dir = zk_.dir();
    const auto command = environment + " timeout 120 " + PRAETORCTL_BIN + " -c " + config_ + " " +
                         args + " <" + stdin_path + " >" + dir + "/stdout 2>" + dir + "/stderr";
    int raw = std::system(command.c_str());
    run_result r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(dir + "/stdout");
    r.err = slurp(dir + "/stderr");
    return r;
  }

  // Debian's patronictl (Patroni 3.0.2) with the same configuration; nullopt when it is not
  // installed.
  std::optional<run_result> run_patronictl(const std::string& args) {
    if (std::ifstream("/usr/bin/patronictl").fail()) return std::nullopt;
    const auto dir = zk_.dir();
    const auto command = "timeout 120 /usr/bin/patronictl -c " + config_ + " " + args +
                         " </dev/null >" + dir + "/stdout 2>" + dir + "/stderr";
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
  CHECK(count(r.out, "+ Cluster: demo -") == 2);  // before and after

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

  // an https API that does not answer: the fallback applies as for http
  f.member("node1",
           "https://127.0.0.1:" + std::to_string(test::refused_loopback_port()) + "/patroni",
           "master");
  auto tls = f.run("switchover --candidate node2 --force");
  CHECK(tls.status == 0);
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

TEST_CASE("show-config prints the config key as YAML", "[praetorctl][integration]") {
  fixture f;
  auto r = f.run("show-config");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.out == "loop_wait: 2\nretry_timeout: 10\nttl: 30\n\n");  // echo's blank line too

  f.put(base + "/config", R"({"ttl":30,"postgresql":{"parameters":{"wal_level":"logical"},)"
                          R"("pg_hba":["host all all 0.0.0.0/0 md5"]},"pause":true})");
  CHECK(f.run("show-config demo").out ==
        "pause: true\npostgresql:\n  parameters:\n    wal_level: logical\n  pg_hba:\n"
        "    - host all all 0.0.0.0/0 md5\nttl: 30\n\n");
  CHECK(f.run("show-config nosuchcluster").out == "{}\n\n");
}

TEST_CASE("edit-config --set and --pg with --force write the config key with CAS",
          "[praetorctl][integration]") {
  fixture f;
  const int version = f.get(base + "/config")->second;
  auto r = f.run(
      "edit-config --set loop_wait=5 -s synchronous_mode_strict=on --pg work_mem=8MB --force");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.out ==
        "--- \n"
        "+++ \n"
        "@@ -1,3 +1,7 @@\n"
        "-loop_wait: 2\n"
        "+loop_wait: 5\n"
        "+postgresql:\n"
        "+  parameters:\n"
        "+    work_mem: 8MB\n"
        " retry_timeout: 10\n"
        "+synchronous_mode_strict: true\n"
        " ttl: 30\n"
        "Configuration changed\n");
  auto written = f.get(base + "/config");
  REQUIRE(written);
  CHECK(written->second == version + 1);
  CHECK(json::parse(written->first) ==
        json::parse(R"({"ttl":30,"loop_wait":5,"retry_timeout":10,"synchronous_mode_strict":true,)"
                    R"("postgresql":{"parameters":{"work_mem":"8MB"}}})"));
  CHECK(f.run("show-config").out ==
        "loop_wait: 5\npostgresql:\n  parameters:\n    work_mem: 8MB\nretry_timeout: 10\n"
        "synchronous_mode_strict: true\nttl: 30\n\n");

  // a null deletes, and what it leaves empty goes too; -q prints nothing
  auto quiet = f.run("edit-config demo -q --pg work_mem=null --force");
  CHECK(quiet.status == 0);
  CHECK(quiet.out == "Configuration changed\n");
  CHECK_FALSE(json::parse(f.get(base + "/config")->first).as_object().contains("postgresql"));

  auto same = f.run("edit-config --set ttl=30 --force");
  CHECK(same.status == 0);
  CHECK(same.out == "Not changed\n");
  CHECK(f.get(base + "/config")->second == version + 2);
}

TEST_CASE("edit-config asks before applying", "[praetorctl][integration]") {
  fixture f;
  const auto before = f.get(base + "/config");
  auto declined = f.run("edit-config --set ttl=40", "n\n");
  CHECK(declined.status == 0);
  CHECK_THAT(declined.out, Catch::EndsWith("-ttl: 30\n+ttl: 40\nApply these changes? [y/N]: "));
  CHECK(f.get(base + "/config") == before);

  auto cut = f.run("edit-config --set ttl=40", "");
  CHECK(cut.status == 1);
  CHECK(cut.err == "Aborted!\n");
  CHECK(f.get(base + "/config") == before);

  auto agreed = f.run("edit-config --set ttl=40", "y\n");
  CHECK(agreed.status == 0);
  CHECK_THAT(agreed.out, Catch::EndsWith("Apply these changes? [y/N]: Configuration changed\n"));
  CHECK(json::parse(f.get(base + "/config")->first).at("ttl") == 40);
}

TEST_CASE("edit-config refuses what the daemon would refuse", "[praetorctl][integration]") {
  fixture f;
  const auto before = f.get(base + "/config");
  auto typed = f.run("edit-config --set loop_wait=soon --force");
  INFO(typed.out << typed.err);
  CHECK(typed.status == 1);
  CHECK_THAT(typed.out, Catch::Contains("+loop_wait: soon"));  // the diff is still shown
  CHECK_THAT(typed.err, Catch::StartsWith("Error: the new configuration is not valid, not "
                                          "applying it:\n  loop_wait: "));
  auto bad_pair = f.run("edit-config --set loop_wait --force");
  CHECK(bad_pair.status == 1);
  CHECK(bad_pair.err == "Error: Invalid parameter setting loop_wait\n");
  CHECK(f.get(base + "/config") == before);
}

TEST_CASE("edit-config takes a timing that breaks the rule, as patronictl, and warns",
          "[praetorctl][integration]") {
  fixture f;
  auto r = f.run("edit-config --set ttl=20 --force");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.err ==
        "Warning: retry_timeout: loop_wait (2) + 2 * retry_timeout (10) > ttl (20): using "
        "retry_timeout 9 so that a primary cut from ZooKeeper demotes before its leader lock "
        "expires\n");
  CHECK(json::parse(f.get(base + "/config")->first).at("ttl") == 20);
}

TEST_CASE("edit-config refuses to overwrite a config changed since it was read",
          "[praetorctl][integration]") {
  fixture f;
  // stdin is a FIFO: praetorctl reads the config, shows the diff and waits at the question;
  // meanwhile someone else writes the key.
  const auto fifo = f.dir() + "/answers";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  run_result r;
  std::thread ctl([&] { r = f.run_reading("edit-config --set ttl=40", fifo); });
  {
    std::ofstream answers(fifo);  // opens once praetorctl's shell opened the other end
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (slurp(f.dir() + "/stdout").find("Apply these changes?") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(50ms);
    f.put(base + "/config", R"({"ttl":30,"loop_wait":3,"retry_timeout":10})");
    answers << "y\n";
  }
  ctl.join();
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  CHECK(r.err == "Error: Config modification aborted due to concurrent changes\n");
  CHECK(json::parse(f.get(base + "/config")->first) ==
        json::parse(R"({"ttl":30,"loop_wait":3,"retry_timeout":10})"));
}

TEST_CASE("edit-config creates a missing config key and takes $EDITOR and --apply",
          "[praetorctl][integration]") {
  fixture f;
  f.remove(base + "/config");
  auto created = f.run("edit-config --set ttl=30 --force");
  INFO(created.out << created.err);
  CHECK(created.status == 0);
  CHECK_THAT(created.out, Catch::Contains("-{}\n+ttl: 30\n"));
  CHECK(f.get(base + "/config")->first == R"({"ttl":30})");

  // the editor gets the YAML in a file named after the cluster and changes it in place
  const auto editor = f.dir() + "/editor.sh";
  std::ofstream(editor)
      << "#!/bin/sh\n"
      << "case \"$1\" in */demo-config-*.yaml) ;; *) exit 3 ;; esac\n"
      << "sed -i 's/^ttl: 30$/ttl: 35/' \"$1\" && echo 'loop_wait: 5' >> \"$1\"\n";
  REQUIRE(::chmod(editor.c_str(), 0755) == 0);
  auto edited = f.run("edit-config --force", "", "EDITOR=" + editor);
  INFO(edited.out << edited.err);
  CHECK(edited.status == 0);
  CHECK(json::parse(f.get(base + "/config")->first) == json::object{{"ttl", 35}, {"loop_wait", 5}});
  auto failed = f.run("edit-config --force", "", "EDITOR=false");
  CHECK(failed.status == 1);
  CHECK(failed.err == "Error: Editor exited with return code 1\n");

  std::ofstream(f.dir() + "/patch.yml") << "retry_timeout: 10\nloop_wait: null\n";
  auto applied = f.run("edit-config --force --apply " + f.dir() + "/patch.yml");
  CHECK(applied.status == 0);
  CHECK(json::parse(f.get(base + "/config")->first) ==
        json::object{{"ttl", 35}, {"retry_timeout", 10}});
  auto piped = f.run("edit-config --replace -", "ttl: 30\n");
  CHECK(piped.status == 0);
  CHECK_THAT(piped.out, Catch::EndsWith("Use --force option to apply changes\n"));
}

TEST_CASE("history prints the history key in patronictl's columns", "[praetorctl][integration]") {
  fixture f;
  auto empty = f.run("history");
  CHECK(empty.status == 0);
  CHECK(empty.out ==
        "+----+-----+--------+-----------+------------+\n"
        "| TL | LSN | Reason | Timestamp | New Leader |\n"
        "+----+-----+--------+-----------+------------+\n"
        "+----+-----+--------+-----------+------------+\n");

  f.put(base + "/history",
        R"([[1,25165984,"no recovery target specified","2023-05-01T10:00:00+00:00","node2"],)"
        R"([2,33554592,"no recovery target specified"]])");
  auto r = f.run("history demo");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(
      r.out ==
      "+----+----------+------------------------------+---------------------------+------------+\n"
      "| TL |      LSN | Reason                       | Timestamp                 | New Leader |\n"
      "+----+----------+------------------------------+---------------------------+------------+\n"
      "|  1 | 25165984 | no recovery target specified | 2023-05-01T10:00:00+00:00 | node2      |\n"
      "|  2 | 33554592 | no recovery target specified |                           |            |\n"
      "+----+----------+------------------------------+---------------------------+------------+"
      "\n");
  auto as_json = f.run("history -f json");
  CHECK(json::parse(as_json.out).as_array().at(1) ==
        json::object{{"TL", 2},
                     {"LSN", 33554592},
                     {"Reason", "no recovery target specified"},
                     {"Timestamp", ""},
                     {"New Leader", ""}});
}

TEST_CASE("topology indents replicas under the member they stream from",
          "[praetorctl][integration]") {
  fixture f;
  f.member("node1", "http://127.0.0.1:1/patroni", "master");
  f.member("node2", "http://127.0.0.1:1/patroni", "replica");
  f.put(
      base + "/members/node3",
      R"({"conn_url":"postgres://127.0.0.1:5433/postgres","api_url":"http://127.0.0.1:1/patroni",)"
      R"("state":"running","role":"replica","version":"3.0.2","xlog_location":50331744,)"
      R"("timeline":1,"tags":{"replicatefrom":"node2"}})");
  f.leader("node1");
  auto r = f.run("topology");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  std::vector<std::string> names;
  std::stringstream lines(r.out);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("| ") && !line.starts_with("| Member")) names.push_back(line.substr(2, 9));
  CHECK(names == std::vector<std::string>{"node1    ", "+ node2  ", "  + node3"});
}

// The records of a paused cluster with a switchover scheduled: node2 has a restart pending
// and tags, node3 a restart scheduled for versions before 15.2 and no known position.
void write_busy_cluster(fixture& f) {
  f.member("node1", "http://127.0.0.1:1/patroni", "master");
  f.member("node2", "http://127.0.0.1:1/patroni", "replica",
           {{"xlog_location", 48000000},
            {"pending_restart", true},
            {"tags", {{"nofailover", true}, {"replicatefrom", "node3"}}}});
  f.put(
      base + "/members/node3",
      R"({"conn_url":"postgres://127.0.0.3:5433/postgres","api_url":"http://127.0.0.1:1/patroni",)"
      R"("state":"stopped","role":"replica","version":"3.0.2","timeline":1,)"
      R"("scheduled_restart":{"schedule":"2030-01-01T10:00:00+00:00","postgres_version":"15.2"}})");
  f.leader("node1");
  f.put(base + "/status", R"({"optime":50331744})");
  f.put(base + "/config", R"({"ttl":30,"loop_wait":2,"retry_timeout":10,"pause":true})");
  f.put(base + "/failover",
        R"({"leader":"node1","member":"node2","scheduled_at":"2030-01-14T10:09:57.1394+02:00"})");
}

TEST_CASE("list and topology print what Debian's patronictl prints", "[praetorctl][integration]") {
  fixture f;
  write_busy_cluster(f);
  auto list = f.run("list");
  INFO(list.out << list.err);
  CHECK(list.status == 0);
  CHECK_THAT(list.out, Catch::StartsWith("+ Cluster: demo -"));  // no system identifier
  CHECK_THAT(list.out, Catch::Contains("| node2  | 127.0.0.1:5432 | Replica | running |  1 |"
                                       "         2 | *               |"));
  CHECK_THAT(list.out,
             Catch::EndsWith("+\n"
                             " Maintenance mode: on\n"
                             " Switchover scheduled at: 2030-01-14T10:09:57.139400+02:00\n"
                             "                    from: node1\n"
                             "                      to: node2\n"));
  for (const std::string args : {"list", "list -f json", "list -f yaml", "topology"}) {
    auto ours = f.run(args);
    auto theirs = f.run_patronictl(args);
    if (!theirs) {
      WARN("patronictl is not installed; not compared");
      break;
    }
    INFO(args << "\npraetorctl:\n"
              << ours.out << ours.err << "patronictl:\n"
              << theirs->out << theirs->err);
    CHECK(theirs->status == 0);
    CHECK(ours.status == 0);
    CHECK(ours.out == theirs->out);
  }
}

// Needs main.cpp to hand -e and the tsv format to run_list / run_topology.
TEST_CASE("list -e and list -f tsv print what Debian's patronictl prints",
          "[praetorctl][integration]") {
  fixture f;
  f.member("node1", "http://127.0.0.1:1/patroni", "master");
  f.member("node2", "http://127.0.0.1:1/patroni", "replica", {{"tags", {{"nosync", true}}}});
  f.leader("node1");
  auto extended = f.run("list -e");
  INFO(extended.out << extended.err);
  CHECK(extended.status == 0);
  CHECK_THAT(extended.out,
             Catch::Contains("| Pending restart | Scheduled restart | Tags         |"));
  auto topology = f.run("topology --extended");  // patronictl's topology has no -e
  CHECK_THAT(topology.out,
             Catch::Contains("| Pending restart | Scheduled restart | Tags           |"));
  for (const std::string args : {"list -e", "list -f tsv", "list -e -f tsv", "list -e -f json"}) {
    auto ours = f.run(args);
    auto theirs = f.run_patronictl(args);
    if (!theirs) {
      WARN("patronictl is not installed; not compared");
      break;
    }
    INFO(args << "\npraetorctl:\n"
              << ours.out << ours.err << "patronictl:\n"
              << theirs->out << theirs->err);
    CHECK(theirs->status == 0);
    CHECK(ours.status == 0);
    CHECK(ours.out == theirs->out);
  }
}

TEST_CASE("remove asks three times, then deletes the whole cluster", "[praetorctl][integration]") {
  fixture f;
  f.member("node1", "http://127.0.0.1:1/patroni", "master");
  f.ephemeral(base + "/members/node2", R"({"state":"running","role":"replica"})");
  f.ephemeral(base + "/leader", "node1");
  f.put(base + "/history", "[]");
  f.put("/service/other/config", "{}");

  auto wrong = f.run("remove demo", "demo\nYes I am aware\nnode2\n");
  CHECK(wrong.status == 1);
  CHECK(wrong.err == "Error: You did not specify the current leader of the cluster\n");
  auto typo = f.run("remove demo", "demo\nyes I am aware\n");
  CHECK(typo.status == 1);
  CHECK(typo.err == "Error: You did not exactly type \"Yes I am aware\"\n");
  auto other = f.run("remove demo", "\ndemo2\n");
  CHECK(other.status == 1);
  CHECK(other.err == "Error: Cluster names specified do not match\n");
  CHECK(f.get(base + "/leader"));

  auto r = f.run("remove demo", "demo\nYes I am aware\nnode1\n");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::StartsWith("+ Cluster: demo -"));
  CHECK_THAT(r.out,
             Catch::EndsWith("Please confirm the cluster name to remove: You are about to remove "
                             "all information in DCS for demo, please type: \"Yes I am aware\": "
                             "This cluster currently is healthy. Please specify the leader name "
                             "to continue: "));
  CHECK(r.err.empty());
  CHECK_FALSE(f.get(base));
  CHECK(f.get("/service/other/config"));  // another cluster is left alone
  CHECK(f.get("/service"));

  auto usage = f.run("remove");
  CHECK(usage.status == 2);
}

TEST_CASE("pause and resume patch the config through the leader's API, as patronictl does",
          "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server leader_api(200, "OK", "{}");
  test::recording_http_server replica_api(200, "OK", "{}");
  f.member("node1", replica_api.api_url(), "replica");
  f.member("node2", leader_api.api_url(), "master");
  f.leader("node2");
  f.put(base + "/config", R"({"ttl":30,"loop_wait":10,"retry_timeout":10})");

  auto resume = f.run("resume");
  CHECK(resume.status == 1);
  CHECK(resume.err == "Error: Cluster is not paused\n");
  CHECK(leader_api.requests().empty());

  auto pause = f.run("pause demo");
  INFO(pause.out << pause.err);
  CHECK(pause.status == 0);
  CHECK(pause.out == "Success: cluster management is paused\n");
  auto requests = leader_api.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].request_line == "PATCH /config HTTP/1.1");
  CHECK(requests[0].header("authorization") == expected_auth);
  CHECK(json::parse(requests[0].body) == json::parse(R"({"pause": true})"));
  CHECK(replica_api.requests().empty());

  // The stand-in API wrote nothing: the key says paused only once we put it there.
  f.put(base + "/config", R"({"ttl":30,"loop_wait":10,"retry_timeout":10,"pause":true})");
  auto again = f.run("pause");
  CHECK(again.status == 1);
  CHECK(again.err == "Error: Cluster is already paused\n");
  auto resumed = f.run("resume --wait");
  INFO(resumed.out << resumed.err);
  CHECK(resumed.status == 0);
  // The member records never say pause, which is what resume waits for: done at once.
  CHECK(resumed.out ==
        "'resume' request sent, waiting until it is recognized by all nodes\n"
        "Success: cluster management is resumed\n");
  requests = leader_api.requests();
  REQUIRE(requests.size() == 2);
  CHECK(json::parse(requests[1].body) == json::parse(R"({"pause": null})"));
}

TEST_CASE("restart posts its conditions to each chosen member and prints patronictl's lines",
          "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server leader_api(200, "OK", "restarted successfully");
  test::recording_http_server replica_api(503, "Service Unavailable",
                                          "restart conditions are not satisfied");
  f.member("node1", replica_api.api_url(), "replica");
  f.member("node2", leader_api.api_url(), "master");
  f.leader("node2");

  auto r = f.run("restart demo --pending --pg-version 15.4 --force");
  INFO(r.out << r.err);
  CHECK(r.status == 1);  // one member refused
  // as patronictl: the table first
  CHECK_THAT(r.out, Catch::StartsWith("+ Cluster: demo -"));
  CHECK_THAT(r.out, Catch::Contains("Success: restart on member node2\n"));
  CHECK_THAT(r.out, Catch::Contains("Failed: restart for member node1, status code=503, (restart "
                                    "conditions are not satisfied)\n"));
  auto requests = leader_api.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].request_line == "POST /restart HTTP/1.1");
  CHECK(requests[0].header("authorization") == expected_auth);
  CHECK(json::parse(requests[0].body) ==
        json::parse(R"({"restart_pending": true, "postgres_version": "15.4"})"));

  auto primary_only = f.run("restart demo --role primary --force");
  CHECK(primary_only.status == 0);
  CHECK_THAT(primary_only.out, Catch::EndsWith("+\nSuccess: restart on member node2\n"));
  CHECK(replica_api.requests().size() == 1);  // only the first run reached node1

  // names that are not candidates are dropped, as patronictl does; none left is refused
  auto unknown = f.run("restart demo node9 --force");
  CHECK(unknown.status == 1);
  CHECK(unknown.err == "Error: No any among provided members\n");
  auto leader_as_replica = f.run("restart demo node2 node9 --role replica --force");
  CHECK(leader_as_replica.status == 1);
  CHECK(leader_as_replica.err == "Error: No replica among provided members\n");
  CHECK(leader_api.requests().size() == 2);
  auto bad_version = f.run("restart demo --pg-version fifteen --force");
  CHECK(bad_version.status == 1);
  CHECK(bad_version.err == "Error: Invalid PostgreSQL version: fifteen\n");
  auto old_style = f.run("restart demo --pg-version 9.6 --force");  // X.Y only from 10 on
  CHECK(old_style.status == 1);
  CHECK_THAT(old_style.err, Catch::Contains("Invalid PostgreSQL version format"));
}

TEST_CASE("restart --scheduled sends the schedule, asks patronictl's questions without --force",
          "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server replica_api(202, "Accepted", "Restart scheduled");
  replica_api.answer("DELETE /restart", 200, "OK", "scheduled restart deleted");
  test::recording_http_server leader_api(409, "Conflict", "Another restart is already scheduled");
  const json::object scheduled{
      {"scheduled_restart", {{"schedule", "2030-01-01T00:00:00+00:00"}, {"role", "replica"}}}};
  f.member("node1", replica_api.api_url(), "replica", scheduled);
  f.member("node2", leader_api.api_url(), "master");
  f.leader("node2");

  auto r = f.run("restart demo --scheduled 2030-01-02T03:04:05+00:00 --force");
  INFO(r.out << r.err);
  CHECK(r.status == 1);  // node2 has one scheduled already
  CHECK_THAT(r.out, Catch::EndsWith("+\nSuccess: restart scheduled on member node1\n"
                                    "Failed: another restart is already scheduled on member "
                                    "node2\n"));
  // --force replaced node1's earlier schedule first, silently
  auto requests = replica_api.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].request_line == "DELETE /restart HTTP/1.1");
  CHECK(requests[0].header("authorization") == expected_auth);
  CHECK(requests[1].request_line == "POST /restart HTTP/1.1");
  CHECK(requests[1].header("authorization") == expected_auth);
  auto body = body_of(requests[1]);
  CHECK(body.size() == 1);
  auto when = parse_iso_time(body.at("schedule").as_string());
  REQUIRE(when);
  CHECK(when->has_timezone);
  CHECK(when->epoch_ms == parse_iso_time("2030-01-02T03:04:05Z")->epoch_ms);
  REQUIRE(leader_api.requests().size() == 1);  // no scheduled_restart in its record: no DELETE
  CHECK(leader_api.requests()[0].request_line == "POST /restart HTTP/1.1");

  // without --force: the time, the confirmation, then the version
  auto asked = f.run("restart demo node1", "2030-01-02T03:04:05+00:00\ny\n15.4\n");
  INFO(asked.out << asked.err);
  CHECK(asked.status == 0);
  CHECK_THAT(asked.out, Catch::Contains("When should the restart take place (e.g. "));
  CHECK_THAT(asked.out, Catch::Contains(")  [now]: Are you sure you want to schedule restart of "
                                        "members node1 at 2030-01-0"));
  CHECK_THAT(asked.out, Catch::EndsWith("? [y/N]: Restart if the PostgreSQL version is less than "
                                        "provided (e.g. 9.5.2)  []: Success: restart scheduled on "
                                        "member node1\n"));
  requests = replica_api.requests();
  REQUIRE(requests.size() == 3);  // no DELETE without --force
  CHECK(body_of(requests[2]).at("postgres_version") == "15.4");
  CHECK(body_of(requests[2]).contains("schedule"));

  auto declined = f.run("restart demo node1", "\nn\n");  // now, then No
  CHECK(declined.status == 1);
  CHECK_THAT(declined.out,
             Catch::EndsWith("Are you sure you want to restart members node1? [y/N]: "));
  CHECK(declined.err == "Error: Aborted restart\n");
  auto cut = f.run("restart demo node1", "");
  CHECK(cut.status == 1);
  CHECK(cut.err == "Aborted!\n");
  auto bad_time = f.run("restart demo --scheduled tomorrow --force");
  CHECK(bad_time.status == 1);
  CHECK(bad_time.err ==
        "Error: Unable to parse scheduled timestamp (tomorrow). It should be in an "
        "unambiguous format (e.g. ISO 8601)\n");
  f.put(base + "/config", R"({"ttl":30,"loop_wait":2,"retry_timeout":10,"pause":true})");
  auto paused = f.run("restart demo --scheduled 2030-01-02T03:04:05+00:00 --force");
  CHECK(paused.status == 1);
  CHECK(paused.err == "Error: Can't schedule restart in the paused state\n");
  CHECK(replica_api.requests().size() == 3);
  CHECK(leader_api.requests().size() == 1);

  // "now" is at once, paused or not
  auto now = f.run("restart demo node1 --scheduled now --force");
  CHECK(now.status == 0);
  requests = replica_api.requests();
  REQUIRE(requests.size() == 4);
  CHECK(requests[3].request_line == "POST /restart HTTP/1.1");
  CHECK(body_of(requests[3]).empty());
}

TEST_CASE("reload posts to each chosen member and prints patronictl's line per answer",
          "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server node1_api(202, "Accepted", "reload scheduled");
  test::recording_http_server node2_api(200, "OK", "");
  test::recording_http_server node3_api(503, "Service Unavailable", "reload failed");
  f.member("node1", node1_api.api_url(), "replica");
  f.member("node2", node2_api.api_url(), "master");
  f.member("node3", node3_api.api_url(), "replica");
  f.leader("node2");

  auto r = f.run("reload demo --force");
  INFO(r.out << r.err);
  CHECK(r.status == 1);  // node3 refused
  CHECK_THAT(r.out, Catch::StartsWith("+ Cluster: demo -"));
  CHECK_THAT(r.out, Catch::EndsWith("+\n"
                                    "Reload request received for member node1 and will be "
                                    "processed within 2 seconds\n"
                                    "No changes to apply on member node2\n"
                                    "Failed: reload for member node3, status code=503, (reload "
                                    "failed)\n"));
  for (const auto* api : {&node1_api, &node2_api, &node3_api}) {
    auto requests = api->requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].request_line == "POST /reload HTTP/1.1");
    CHECK(requests[0].header("authorization") == expected_auth);
    CHECK(requests[0].body.empty());
  }

  auto asked = f.run("reload demo node1 node3 --role replica", "y\n");
  INFO(asked.out << asked.err);
  CHECK(asked.status == 1);
  CHECK_THAT(asked.out, Catch::Contains("+\nAre you sure you want to reload members node1, node3? "
                                        "[y/N]: Reload request received for member node1"));
  CHECK(node2_api.requests().size() == 1);

  auto declined = f.run("reload demo node1", "n\n");
  CHECK(declined.status == 1);
  CHECK(declined.err == "Error: Aborted reload\n");
  auto leader_only = f.run("reload demo node2 -r replica --force");
  CHECK(leader_only.status == 1);
  CHECK(leader_only.err == "Error: No replica among provided members\n");
  auto primary = f.run("reload demo -r primary --force");
  CHECK(primary.status == 0);
  CHECK_THAT(primary.out, Catch::EndsWith("+\nNo changes to apply on member node2\n"));
  CHECK(node1_api.requests().size() == 2);
  CHECK(node2_api.requests().size() == 2);
  auto bad_role = f.run("reload demo --role boss");
  CHECK(bad_role.status == 2);
  CHECK_THAT(bad_role.err, Catch::Contains("invalid --role boss"));
}

TEST_CASE("reinit asks replicas only, retries with force and waits for the new replica",
          "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server leader_api(200, "OK", "should not be called");
  test::recording_http_server node2_api(200, "OK", "reinitialize started");
  node2_api.answer("GET /patroni", 200, "OK", R"({"state":"creating replica","role":"replica"})");
  node2_api.answer("GET /patroni", 200, "OK", R"({"state":"running","role":"replica"})");
  test::recording_http_server node3_api(503, "Service Unavailable", "restart already in progress");
  node3_api.answer("POST /reinitialize", 503, "Service Unavailable", "restart already in progress");
  node3_api.answer("POST /reinitialize", 200, "OK", "reinitialize started");
  f.member("node1", leader_api.api_url(), "master");
  f.member("node2", node2_api.api_url(), "replica");
  f.member("node3", node3_api.api_url(), "replica");
  f.leader("node1");

  auto leader = f.run("reinit demo node1 --force");
  CHECK(leader.status == 1);
  CHECK(leader.err == "Error: No replica among provided members\n");
  auto nobody = f.run("reinit demo --force");  // --force without names: nobody, as patronictl
  CHECK(nobody.status == 0);
  CHECK_THAT(nobody.out, Catch::EndsWith("+\n"));
  CHECK(leader_api.requests().empty());

  auto waited = f.run("reinit demo node2 --force --wait");
  INFO(waited.out << waited.err);
  CHECK(waited.status == 0);
  CHECK_THAT(waited.out, Catch::EndsWith("+\nSuccess: reinitialize for member node2\n"
                                         "Waiting for reinitialize to complete on: node2\n"
                                         "Reinitialize is completed on: node2\n"));
  auto requests = node2_api.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[0].request_line == "POST /reinitialize HTTP/1.1");
  CHECK(requests[0].header("authorization") == expected_auth);
  CHECK(json::parse(requests[0].body) == json::parse(R"({"force": true})"));
  CHECK(requests[1].request_line == "GET /patroni HTTP/1.1");
  CHECK(requests[2].request_line == "GET /patroni HTTP/1.1");

  // asked which member; the answer "already in progress" asks again, then sends with force
  auto asked = f.run("reinit demo", "node3\ny\ny\n");
  INFO(asked.out << asked.err);
  CHECK(asked.status == 0);
  CHECK_THAT(asked.out,
             Catch::EndsWith("+\nWhich member do you want to reinitialize [node2, node3]? []: "
                             "Are you sure you want to reinitialize members node3? [y/N]: "
                             "Failed: reinitialize for member node3, status code=503, (restart "
                             "already in progress)\n"
                             "Do you want to cancel it and reinitialize anyway? [y/N]: "
                             "Success: reinitialize for member node3\n"));
  requests = node3_api.requests();
  REQUIRE(requests.size() == 2);
  CHECK(json::parse(requests[0].body) == json::parse(R"({"force": false})"));
  CHECK(json::parse(requests[1].body) == json::parse(R"({"force": true})"));

  // the daemon's refusal is printed as it comes, and the exit status says so
  test::recording_http_server refusing(503, "Service Unavailable",
                                       "Cluster has no leader, can not reinitialize");
  f.member("node3", refusing.api_url(), "replica");
  auto refused = f.run("reinit demo node3 --force");
  CHECK(refused.status == 1);
  CHECK_THAT(refused.out, Catch::EndsWith("+\nFailed: reinitialize for member node3, status "
                                          "code=503, (Cluster has no leader, can not "
                                          "reinitialize)\n"));
  CHECK(refusing.requests().size() == 1);
  auto declined = f.run("reinit demo node3", "n\n");
  CHECK(declined.status == 1);
  CHECK(declined.err == "Error: Aborted reinitialize\n");
  CHECK(refusing.requests().size() == 1);
}

TEST_CASE("flush restart deletes the restarts the member records show",
          "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server node1_api(200, "OK", "scheduled restart deleted");
  test::recording_http_server node2_api(200, "OK", "should not be called");
  test::recording_http_server node3_api(404, "Not Found", "no restarts are scheduled");
  const json::object scheduled{
      {"scheduled_restart", {{"schedule", "2030-01-02T03:04:05+00:00"}, {"role", "replica"}}}};
  f.member("node1", node1_api.api_url(), "replica", scheduled);
  f.member("node2", node2_api.api_url(), "master");
  f.member("node3", node3_api.api_url(), "replica", scheduled);
  f.leader("node2");

  auto r = f.run("flush demo restart --force");
  INFO(r.out << r.err);
  CHECK(r.status == 0);  // a 404 means nothing is scheduled any more: what flush wanted
  CHECK_THAT(r.out, Catch::StartsWith("+ Cluster: demo -"));
  CHECK_THAT(r.out, Catch::EndsWith("+\nSuccess: flush scheduled restart for member node1\n"
                                    "No scheduled restart for member node2\n"
                                    "Failed: flush scheduled restart for member node3, status "
                                    "code=404, (no restarts are scheduled)\n"));
  CHECK(node2_api.requests().empty());
  for (const auto* api : {&node1_api, &node3_api}) {
    auto requests = api->requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].request_line == "DELETE /restart HTTP/1.1");
    CHECK(requests[0].header("authorization") == expected_auth);
  }

  auto declined = f.run("flush demo node1 node2 restart", "n\n");
  CHECK(declined.status == 1);
  CHECK_THAT(declined.out,
             Catch::EndsWith("Are you sure you want to flush members node1, node2? [y/N]: "));
  CHECK(declined.err == "Error: Aborted flush\n");
  auto primary = f.run("flush demo restart -r primary --force");
  CHECK(primary.status == 0);
  CHECK_THAT(primary.out, Catch::EndsWith("+\nNo scheduled restart for member node2\n"));
  CHECK(node1_api.requests().size() == 1);

  // a member that cannot be asked fails the command
  f.member("node1",
           "http://127.0.0.1:" + std::to_string(test::refused_loopback_port()) + "/patroni",
           "replica", scheduled);
  auto unreachable = f.run("flush demo node1 restart --force");
  CHECK(unreachable.status == 1);
  CHECK_THAT(unreachable.out,
             Catch::Contains("Failed: flush scheduled restart for member node1, cannot connect"));
}

TEST_CASE("version prints the tool's and each member's as patronictl does",
          "[praetorctl][integration]") {
  fixture f;
  test::recording_http_server node1_api(
      200, "OK",
      R"({"state": "running", "server_version": 150005, "patroni": {"version": "3.0.2", "scope": "demo"}})");
  test::recording_http_server node2_api(200, "OK", "not json");
  f.member("node1", node1_api.api_url(), "master");
  f.member("node2", node2_api.api_url(), "replica");
  f.leader("node1");

  auto r = f.run("version demo");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::StartsWith("praetorctl version ") &&
                        Catch::Contains("\n\nnode1: Patroni 3.0.2 PostgreSQL 15.5\n") &&
                        Catch::Contains("node2: failed to get version: "));
  REQUIRE(node1_api.requests().size() == 1);
  CHECK(node1_api.requests()[0].request_line == "GET /patroni HTTP/1.1");

  auto one = f.run("version demo node2");
  CHECK(one.status == 0);
  CHECK_FALSE(Catch::Contains("node1").match(one.out));
  CHECK(node1_api.requests().size() == 1);

  // The member lines are patronictl's (its first line names itself).
  auto theirs = f.run_patronictl("version demo node1");
  REQUIRE(theirs);
  auto ours = f.run("version demo node1");
  auto after_first_line = [](const std::string& s) { return s.substr(s.find('\n')); };
  CHECK(after_first_line(ours.out) == after_first_line(theirs->out));
}
