// Debian's patronictl (Patroni 3.0.2) reads the layout the dcs_session writes.
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <thread>

#include "actors/dcs_session/dcs_session.hpp"
#include "backends/dcs/zookeeper/zookeeper_client.hpp"
#include "tests/integration/dcs/decider_probe.hpp"
#include "tests/support/zk_server.hpp"

using namespace praetor;
using namespace std::chrono_literals;

namespace {
std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}
}  // namespace

TEST_CASE("patronictl list reads what dcs_session wrote",
          "[dcs][session][patronictl][integration]") {
  // scripts/install-deps.sh installs Debian's patroni: without it this test proves nothing.
  REQUIRE_FALSE(std::ifstream("/usr/bin/patronictl").fail());
  test::zk_server zk;
  REQUIRE(zk.start());

  caf::actor_system_config cfg;
  auto box = std::make_shared<test::decider_inbox>();
  {
    caf::actor_system sys{cfg};
    auto decider = sys.spawn(test::fake_decider, box);
    dcs_settings s;
    s.hosts = {zk.hosts()};
    s.base_path = "/service/demo";
    s.member_name = "node1";
    s.ttl = 10;
    auto session = sys.spawn<caf::detached>(dcs_session, decider, s,
                                            std::make_shared<dcs::zookeeper_client>(s));
    bool connected = box->wait([](test::decider_inbox& b) { return !b.views.empty(); });
    member_record m;
    m.name = "node1";
    m.conn_url = "postgres://127.0.0.1:5432/postgres";
    m.api_url = "http://127.0.0.1:8008/patroni";
    m.state = "running";
    m.role = "master";
    m.xlog_location = lsn{50331744};
    m.tl = timeline{1};
    caf::anon_send(session, race_initialize{});
    caf::anon_send(session, write_initialize{"7212345678901234567"});
    caf::anon_send(session, write_config{{{"ttl", 10}, {"loop_wait", 2}}, znode_version{-1}});
    caf::anon_send(session, publish_member{m});
    caf::anon_send(session, acquire_leader{});
    caf::anon_send(session, publish_status{lsn{50331744}, {}});
    bool written = connected &&
                   box->wait([](test::decider_inbox& b) { return b.has_result("publish_status"); });
    std::vector<dcs_result> results;
    {
      std::lock_guard lock(box->mu);
      results = box->results;
    }

    std::string out;
    if (written) {
      auto yml = zk.dir() + "/patronictl.yml";
      std::ofstream(yml) << "scope: demo\nnamespace: /service/\nzookeeper:\n  hosts: ['"
                         << zk.hosts() << "']\n";
      out = run("timeout 60 patronictl -c " + yml + " list 2>&1");
    }
    caf::anon_send_exit(session, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(decider, caf::exit_reason::user_shutdown);
    REQUIRE(written);
    for (const auto& r : results) {
      INFO(r.op << ": " << r.detail);
      CHECK(r.ok);
    }
    INFO(out);
    CHECK_THAT(out, Catch::Contains("Cluster: demo"));
    std::string row;  // the table row of node1
    for (std::size_t start = 0, end; start < out.size(); start = end + 1) {
      end = out.find('\n', start);
      if (end == std::string::npos) end = out.size();
      auto line = out.substr(start, end - start);
      if (line.find("node1") != std::string::npos) row = line;
    }
    CHECK_THAT(row, Catch::Contains("127.0.0.1"));
    CHECK_THAT(row, Catch::Contains("Leader"));
    CHECK_THAT(row, Catch::Contains("running"));
  }
}
