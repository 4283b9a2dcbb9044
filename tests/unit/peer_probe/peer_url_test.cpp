// parse_http_url: the part of an api_url a GET needs, and the refusals.
#include <catch2/catch.hpp>

#include "actors/peer_probe/peer_url.hpp"

using praetor::peers::http_target;
using praetor::peers::parse_http_url;

namespace {
http_target ok(std::string_view url) {
  auto r = parse_http_url(url);
  REQUIRE(std::holds_alternative<http_target>(r));
  return std::get<http_target>(r);
}
std::string refused(std::string_view url) {
  auto r = parse_http_url(url);
  REQUIRE(std::holds_alternative<std::string>(r));
  return std::get<std::string>(r);
}
}  // namespace

TEST_CASE("an api_url with host, port and path", "[peer_url]") {
  auto t = ok("http://10.0.0.2:8008/patroni");
  CHECK(t.host == "10.0.0.2");
  CHECK(t.port == "8008");
  CHECK(t.target == "/patroni");
  CHECK(t.host_header == "10.0.0.2:8008");
}

TEST_CASE("defaults: port 80 and path /", "[peer_url]") {
  auto t = ok("http://node1.example.com");
  CHECK(t.host == "node1.example.com");
  CHECK(t.port == "80");
  CHECK(t.target == "/");
  CHECK(t.host_header == "node1.example.com");
}

TEST_CASE("an IPv6 literal loses its brackets, the query stays, the fragment goes",
          "[peer_url]") {
  auto t = ok("http://[::1]:8009/patroni?x=1#frag");
  CHECK(t.host == "::1");
  CHECK(t.port == "8009");
  CHECK(t.target == "/patroni?x=1");
  CHECK(t.host_header == "[::1]:8009");
}

TEST_CASE("https is refused as not supported yet", "[peer_url]") {
  auto e = refused("https://10.0.0.2:8008/patroni");
  CHECK(e.find("https peers are not supported yet") != std::string::npos);
  CHECK(e.find("https://10.0.0.2:8008/patroni") != std::string::npos);
}

TEST_CASE("garbage, other schemes and missing hosts are refused naming the URL",
          "[peer_url]") {
  CHECK(refused("").find("not a URL") != std::string::npos);
  CHECK(refused("10.0.0.2:8008 patroni").find("10.0.0.2:8008 patroni") != std::string::npos);
  CHECK(refused("ftp://10.0.0.2/patroni").find("not an http:// URL") != std::string::npos);
  CHECK(refused("http:///patroni").find("names no host") != std::string::npos);
  CHECK(refused("http://10.0.0.2:0/patroni").find("no valid port") != std::string::npos);
}
