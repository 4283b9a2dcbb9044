// restapi.authentication: which methods need it, and Patroni's two refusals.
#include "actors/rest_frontend/basic_auth.hpp"

#include <catch2/catch.hpp>

using namespace praetor;
using namespace praetor::rest;

namespace {

http_request post_with(std::optional<std::pair<std::string, std::string>> header) {
  http_request r;
  r.method = "POST";
  r.target = "/switchover";
  if (header) r.headers.push_back(*header);
  return r;
}

bool has_challenge(const http_response& r) {
  for (const auto& [name, value] : r.headers)
    if (name == "WWW-Authenticate" && value == "Basic realm=\"Patroni\"") return true;
  return false;
}

}  // namespace

TEST_CASE("base64 as in RFC 4648", "[auth]") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64_encode("patroni:s\xc3\xa9\xff") == "cGF0cm9uaTpzw6n/");
}

TEST_CASE("the client's header for restapi.authentication", "[auth]") {
  CHECK(basic_authorization("admin", "s3cret") == "Basic YWRtaW46czNjcmV0");
  CHECK(basic_authorization("", "whatever").empty());
}

TEST_CASE("the unsafe methods", "[auth]") {
  for (const char* m : {"POST", "PUT", "PATCH", "DELETE"}) CHECK(is_unsafe_method(m));
  for (const char* m : {"GET", "HEAD", "OPTIONS", "post"}) CHECK_FALSE(is_unsafe_method(m));
}

TEST_CASE("without restapi.authentication everyone may", "[auth]") {
  basic_auth open(rest_settings{});
  CHECK_FALSE(open.check(post_with(std::nullopt)));
  CHECK_FALSE(open.check(post_with(std::pair{"Authorization", "Basic garbage"})));
}

TEST_CASE("with restapi.authentication", "[auth]") {
  rest_settings s;
  s.username = "admin";
  s.password = "secret";
  basic_auth auth(s);
  const std::string good = "Basic " + base64_encode("admin:secret");

  auto r = auth.check(post_with(std::nullopt));
  REQUIRE(r);
  CHECK(r->status == 401);
  CHECK(r->body == "no auth header received");
  CHECK(r->content_type == "text/html");
  CHECK(has_challenge(*r));

  for (const std::string& wrong :
       {"Basic " + base64_encode("admin:secreT"), "Basic " + base64_encode("admin:secret2"),
        "Basic " + base64_encode("admin:secret").substr(0, 8), std::string("Basic "),
        "basic " + base64_encode("admin:secret"), "Bearer " + base64_encode("admin:secret")}) {
    INFO(wrong);
    r = auth.check(post_with(std::pair{"Authorization", wrong}));
    REQUIRE(r);
    CHECK(r->status == 401);
    CHECK(r->body == "not authenticated");
    CHECK(has_challenge(*r));
  }

  CHECK_FALSE(auth.check(post_with(std::pair{"Authorization", good})));
  CHECK_FALSE(auth.check(post_with(std::pair{"authorization", good})));  // names ignore case
}
