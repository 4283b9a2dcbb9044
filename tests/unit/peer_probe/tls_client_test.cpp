// patroni_client_tls: what Patroni 3.0.2's PatroniRequest verifies and presents, one row per
// configuration shape (request.py reload_config; the daemon passes insecure=True, patronictl
// ctl.insecure or -k).
#include "actors/peer_probe/tls_client.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

using praetor::peers::patroni_client_tls;
using praetor::peers::tls_client_options;

namespace {
boost::json::object doc(const char* text) {
  return boost::json::parse(text).as_object();
}
}  // namespace

TEST_CASE("a daemon without a certificate of its own verifies nothing", "[tls_client]") {
  auto o = patroni_client_tls(doc(R"({"restapi": {"listen": ":8008"}})"), true);
  CHECK(o == tls_client_options{});
}

TEST_CASE("a daemon with restapi.certfile presents it and verifies the chain, not the host",
          "[tls_client]") {
  auto o = patroni_client_tls(doc(R"({"restapi": {"certfile": "/c.pem", "keyfile": "/k.pem",
                                       "keyfile_password": "pw", "cafile": "/ca.pem"}})"),
                              true);
  CHECK(o.certfile == "/c.pem");
  CHECK(o.keyfile == "/k.pem");
  CHECK(o.keyfile_password == "pw");
  CHECK(o.cafile == "/ca.pem");
  CHECK(o.verify_peer);
  CHECK_FALSE(o.verify_host);
}

TEST_CASE("ctl's files come before restapi's", "[tls_client]") {
  auto o = patroni_client_tls(doc(R"({"ctl": {"certfile": "/ctl.pem", "cacert": "/ctl-ca.pem"},
              "restapi": {"certfile": "/c.pem", "keyfile": "/k.pem", "cafile": "/ca.pem"}})"),
                              true);
  CHECK(o.certfile == "/ctl.pem");
  CHECK(o.keyfile == "/k.pem");  // ctl.keyfile is not set: restapi's, as request.py does
  CHECK(o.cafile == "/ctl-ca.pem");
}

TEST_CASE("patronictl verifies chain and host unless insecure", "[tls_client]") {
  auto strict = patroni_client_tls(doc(R"({"restapi": {"cafile": "/ca.pem"}})"), std::nullopt);
  CHECK(strict.verify_peer);
  CHECK(strict.verify_host);
  CHECK(strict.cafile == "/ca.pem");

  auto from_config = patroni_client_tls(doc(R"({"ctl": {"insecure": true}})"), std::nullopt);
  CHECK_FALSE(from_config.verify_peer);
  CHECK_FALSE(from_config.verify_host);

  auto flag = patroni_client_tls(doc(R"({"ctl": {"insecure": false}})"), true);  // -k
  CHECK_FALSE(flag.verify_peer);

  // With a client certificate the chain is checked even when insecure; the host is not.
  auto with_cert =
      patroni_client_tls(doc(R"({"ctl": {"insecure": true, "certfile": "/c.pem"}})"), std::nullopt);
  CHECK(with_cert.verify_peer);
  CHECK_FALSE(with_cert.verify_host);
}
