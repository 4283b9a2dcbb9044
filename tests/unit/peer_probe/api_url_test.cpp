// parse_api_url: http:// and https:// api_urls, the default ports, and the refusals.
#include "actors/peer_probe/api_url.hpp"

#include <catch2/catch.hpp>

using praetor::peers::api_target;
using praetor::peers::parse_api_url;

namespace {
api_target ok(std::string_view url) {
  auto r = parse_api_url(url);
  if (auto* why = std::get_if<std::string>(&r)) FAIL(*why);
  return std::get<api_target>(r);
}
std::string refused(std::string_view url) {
  auto r = parse_api_url(url);
  REQUIRE(std::holds_alternative<std::string>(r));
  return std::get<std::string>(r);
}
}  // namespace

TEST_CASE("an https api_url: TLS, host, port and path", "[api_url]") {
  auto t = ok("https://10.0.0.2:8008/patroni");
  CHECK(t.tls);
  CHECK(t.http.host == "10.0.0.2");
  CHECK(t.http.port == "8008");
  CHECK(t.http.target == "/patroni");
  CHECK(t.http.host_header == "10.0.0.2:8008");
}

TEST_CASE("default ports: 443 for https, 80 for http, the scheme's case does not matter",
          "[api_url]") {
  auto s = ok("HTTPS://node1.example.com");
  CHECK(s.tls);
  CHECK(s.http.port == "443");
  CHECK(s.http.target == "/");
  CHECK(s.http.host_header == "node1.example.com");
  auto p = ok("http://[::1]/patroni?x=1#frag");
  CHECK_FALSE(p.tls);
  CHECK(p.http.host == "::1");
  CHECK(p.http.port == "80");
  CHECK(p.http.target == "/patroni?x=1");
  CHECK(ok("http://[::1]:8009/patroni").http.host_header == "[::1]:8009");
}

TEST_CASE("garbage, other schemes, missing hosts and port 0 are refused naming the URL",
          "[api_url]") {
  CHECK(refused("").find("not a URL") != std::string::npos);
  CHECK(refused("10.0.0.2:8008 patroni").find("10.0.0.2:8008 patroni") != std::string::npos);
  CHECK(refused("ftp://10.0.0.2/patroni") ==
        "api_url \"ftp://10.0.0.2/patroni\" is not an http:// or https:// URL");
  CHECK(refused("https:///patroni").find("names no host") != std::string::npos);
  CHECK(refused("https://10.0.0.2:0/patroni").find("no valid port") != std::string::npos);
}
