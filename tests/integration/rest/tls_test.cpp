// HTTPS on the REST API (restapi.certfile / keyfile) over real loopback TCP, with certificates
// made by the openssl CLI at test time: the server's answers through a client that verifies
// it, keep-alive and Patroni's status-only bytes inside TLS, plain-HTTP and silent clients
// that must not disturb the others, certificates that cannot be loaded, the rest_frontend
// actor serving HTTPS, and the two clients of members' APIs (the peer prober, praetorctl's
// http_send) speaking https as Patroni's and patronictl's do.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "actors/dcs_session/dcs_session.hpp"
#include "actors/peer_probe/http_prober.hpp"
#include "actors/rest_frontend/http_server.hpp"
#include "actors/rest_frontend/rest_frontend.hpp"
#include "actors/rest_frontend/router.hpp"
#include "actors/rest_frontend/tls_server_context.hpp"
#include "apps/praetorctl/http_client.hpp"
#include "backends/dcs/memory/memory_client.hpp"
#include "tests/integration/dcs/decider_probe.hpp"
#include "tests/integration/rest/raw_client.hpp"
#include "tests/integration/rest/test_certs.hpp"
#include "tests/support/loopback_port.hpp"
#include "tests/unit/rest/snapshots.hpp"

using namespace praetor;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

namespace {

// Made once for the whole run: key generation is the slow part.
const test::test_certs& certs() {
  static test::test_certs made;
  return made;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The unit snapshots are pinned to a fixed "now"; over real time their view would be stale.
node_snapshot live(node_snapshot s) {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  if (s.view) s.view->loaded_at_ms = now;
  s.dcs_last_seen_ms = now;
  s.next_loop_ms = now + 10'000;
  return s;
}

rest_settings tls_settings(std::string certfile, std::string keyfile, int port = 0) {
  auto s = rest::test::loopback_api(port);
  s.certfile = std::move(certfile);
  s.keyfile = std::move(keyfile);
  return s;
}

struct running_server {
  explicit running_server(rest_settings settings, rest::http_limits limits = {})
      : server(std::move(settings), limits) {
    server.set_snapshot(
        std::make_shared<const node_snapshot>(live(rest::test::primary_snapshot())));
    auto error = server.start();
    if (error) FAIL("server did not start: " << *error);
    REQUIRE(server.port() > 0);
  }
  std::string url(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(server.port()) + path;
  }
  rest::http_server server;  // its destructor stops it, also when an assertion fails
};

// A client of the test's own, independent of the code under test: synchronous Beast over
// OpenSSL that verifies the server's certificate against `ca` and that it names 127.0.0.1.
class verifying_client {
 public:
  verifying_client(int port, const std::string& ca)
      : ctx_(verifying_context(ca)), stream_(ioc_, ctx_) {
    REQUIRE(X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(stream_.native_handle()), "127.0.0.1") ==
            1);
    beast::get_lowest_layer(stream_).connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    stream_.handshake(asio::ssl::stream_base::client);  // throws when verification fails
  }

  http::response<http::string_body> get(const std::string& target, bool keep_alive = true) {
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.keep_alive(keep_alive);
    http::write(stream_, req);
    http::response<http::string_body> res;
    http::read(stream_, buffer_, res);
    return res;
  }

  void send(const std::string& bytes) { asio::write(stream_, asio::buffer(bytes)); }

  // Everything until the stream ends, and how it ended: asio::error::eof is a clean TLS close
  // (close_notify), ssl::error::stream_truncated a cut one.
  std::pair<std::string, beast::error_code> read_to_end() {
    std::string out;
    beast::error_code ec;
    char buf[4096];
    for (;;) {
      auto n = stream_.read_some(asio::buffer(buf), ec);
      out.append(buf, n);
      if (ec) return {out, ec};
    }
  }

 private:
  static asio::ssl::context verifying_context(const std::string& ca) {
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.load_verify_file(ca);
    ctx.set_verify_mode(asio::ssl::verify_peer);
    return ctx;
  }

  asio::io_context ioc_;
  asio::ssl::context ctx_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

// One round of the prober, waited for.
std::vector<peers::http_answer> probe(peers::http_prober& prober, std::vector<std::string> urls,
                                      std::chrono::milliseconds timeout = 2s) {
  std::promise<std::vector<peers::http_answer>> done;
  auto answers = done.get_future();
  prober.get_all(std::move(urls), timeout,
                 [&done](std::vector<peers::http_answer> a) { done.set_value(std::move(a)); });
  REQUIRE(answers.wait_for(timeout + 2s) == std::future_status::ready);
  return answers.get();
}

ctl::http_call https_get(int port, const std::string& path, peers::tls_client_options options) {
  ctl::http_call c;
  c.method = "GET";
  c.target = peers::http_target{"127.0.0.1", std::to_string(port), path,
                                "127.0.0.1:" + std::to_string(port)};
  c.tls = true;
  c.tls_options = std::move(options);
  c.connect_timeout = 2s;
  c.answer_timeout = 2s;
  return c;
}

peers::tls_client_options verify_against(const std::string& ca) {
  peers::tls_client_options o;
  o.verify_peer = true;
  o.verify_host = true;
  o.cafile = ca;
  return o;
}

}  // namespace

TEST_CASE("GET /health over https answers a client that verifies the certificate", "[tls]") {
  running_server srv(tls_settings(certs().cert(), certs().key()));
  verifying_client c(srv.server.port(), certs().cert());
  auto res = c.get("/health");
  CHECK(res.result_int() == 200);
  CHECK(res[http::field::content_type] == "application/json");
  CHECK(json::parse(res.body()).at("state") == "running");
  // Keep-alive holds inside TLS: a second request on the same connection.
  auto second = c.get("/primary", false);
  CHECK(second.result_int() == 200);
  CHECK(json::parse(second.body()).at("role") == "master");
}

TEST_CASE("a certfile holding the key too serves https without a keyfile", "[tls]") {
  CHECK_FALSE(rest::check_server_tls(tls_settings(certs().combined(), "")));
  running_server srv(tls_settings(certs().combined(), ""));
  verifying_client c(srv.server.port(), certs().cert());
  CHECK(c.get("/health").result_int() == 200);
}

TEST_CASE("over https, HTTP/1.0 status-only answers are Patroni's bytes, then a clean TLS close",
          "[tls]") {
  running_server srv(tls_settings(certs().cert(), certs().key()));
  verifying_client c(srv.server.port(), certs().cert());
  c.send("OPTIONS /primary HTTP/1.0\r\n\r\n");
  auto [bytes, how] = c.read_to_end();
  CHECK(bytes == "HTTP/1.0 200 OK\r\n\r\n");
  CHECK(how == asio::error::eof);  // close_notify came: the client knows the answer is whole
}

TEST_CASE("over https, a body over the limit gets 413 and only that connection closes", "[tls]") {
  rest::http_limits limits;
  limits.body_limit = 1024;
  running_server srv(tls_settings(certs().cert(), certs().key()), limits);
  verifying_client big(srv.server.port(), certs().cert());
  big.send("POST /switchover HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" +
           std::string(4096, 'x'));
  auto [bytes, how] = big.read_to_end();
  CHECK(bytes.starts_with("HTTP/1.1 413 "));
  CHECK(contains(bytes, "Request body too large"));
  verifying_client other(srv.server.port(), certs().cert());
  CHECK(other.get("/health").result_int() == 200);
}

TEST_CASE("plain http to the https port gets no HTTP answer, and others are still served",
          "[tls]") {
  rest::http_limits limits;
  limits.read_timeout = 500ms;
  running_server srv(tls_settings(certs().cert(), certs().key()), limits);
  {
    rest::test::raw_client plain(srv.server.port());
    plain.send("GET /health HTTP/1.0\r\nHost: x\r\n\r\n");
    auto r = plain.read_to_close(3s);
    CHECK_FALSE(r.starts_with("HTTP/"));  // at most a TLS alert, then the close
  }
  // Clients that connect and say nothing hold a handshake open each; they must not stop a
  // verifying client from being served at once, and they are dropped after read_timeout.
  std::vector<std::unique_ptr<rest::test::raw_client>> silent;
  for (int i = 0; i < 5; ++i)
    silent.push_back(std::make_unique<rest::test::raw_client>(srv.server.port()));
  auto t0 = std::chrono::steady_clock::now();
  verifying_client c(srv.server.port(), certs().cert());
  CHECK(c.get("/health").result_int() == 200);
  CHECK(std::chrono::steady_clock::now() - t0 < 400ms);
  for (auto& s : silent) CHECK(s->closed_by_server(3s));
}

TEST_CASE("a certificate or key that cannot be loaded refuses to start, naming the file and why",
          "[tls]") {
  auto refused = [](rest_settings s) {
    auto why = rest::check_server_tls(s);
    REQUIRE(why);
    rest::http_server server(s);
    auto started = server.start();
    REQUIRE(started);
    CHECK(*started == *why);  // the server refuses with the same sentence
    CHECK(server.port() == 0);
    return *why;
  };
  SECTION("a missing certfile") {
    auto why = refused(tls_settings(certs().missing(), certs().key()));
    CHECK(why == "cannot use restapi.certfile " + certs().missing() +
                     ": cannot read it: No such file or directory");
  }
  SECTION("a missing keyfile") {
    auto why = refused(tls_settings(certs().cert(), certs().missing()));
    CHECK(why == "cannot use restapi.keyfile " + certs().missing() +
                     ": cannot read it: No such file or directory");
  }
  SECTION("a certfile that is not PEM") {
    auto why = refused(tls_settings(certs().garbage(), certs().key()));
    CHECK(contains(why, "cannot use restapi.certfile " + certs().garbage() +
                            ": it holds no usable PEM certificate (no start line"));
  }
  SECTION("no keyfile, and no key in the certfile") {
    auto why = refused(tls_settings(certs().cert(), ""));
    CHECK(contains(why, "cannot use restapi.certfile " + certs().cert() +
                            " (as the private key: restapi.keyfile is not set): it holds no "
                            "usable PEM private key ("));
  }
  SECTION("a key of another certificate") {
    auto why = refused(tls_settings(certs().cert(), certs().other_key()));
    CHECK(why == "cannot use restapi.keyfile " + certs().other_key() +
                     ": the key does not belong to the certificate in restapi.certfile " +
                     certs().cert());
  }
  SECTION("an encrypted key without a password (never a prompt)") {
    auto why = refused(tls_settings(certs().cert(), certs().encrypted_key()));
    CHECK(contains(why, "cannot use restapi.keyfile " + certs().encrypted_key() +
                            ": it holds no usable PEM private key ("));
    CHECK(contains(why, "bad decrypt"));
    CHECK(contains(why, "restapi.keyfile_password"));
  }
}

TEST_CASE("the rest_frontend actor serves https, and quits when its certificate is unusable",
          "[tls]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto box = std::make_shared<test::decider_inbox>();
  auto decider = sys.spawn(test::fake_decider, box);
  dcs_settings d;
  d.base_path = "/service/demo";
  d.member_name = "node1";
  auto session = sys.spawn<caf::detached>(
      dcs_session, decider, d,
      std::shared_ptr<dcs::client>(
          std::make_shared<dcs::memory_client>(std::make_shared<dcs::memory_store>())));
  rest_peers peers;
  peers.dcs = session;
  const int port = test::free_loopback_port();
  caf::scoped_actor self{sys};

  SECTION("serves https") {
    auto rest = sys.spawn(rest_frontend, tls_settings(certs().cert(), certs().key(), port), peers);
    caf::anon_send(rest, live(rest::test::primary_snapshot()));
    int status = 0;
    for (int i = 0; i < 100 && status != 200; ++i) {
      try {
        verifying_client c(port, certs().cert());
        status = static_cast<int>(c.get("/health").result_int());
      } catch (const std::exception&) {
        std::this_thread::sleep_for(20ms);
      }
    }
    CHECK(status == 200);
    self->send_exit(rest, caf::exit_reason::user_shutdown);
    self->wait_for(rest);
  }
  SECTION("quits, naming the file") {
    auto rest = sys.spawn(rest_frontend, tls_settings(certs().missing(), "", port), peers);
    self->monitor(rest);
    std::string reason;
    self->receive(
        [&](const caf::down_msg& m) { reason = caf::to_string(m.reason); },
        caf::after(std::chrono::seconds(5)) >> [] { FAIL("rest_frontend did not quit"); });
    CHECK(contains(reason, certs().missing()));
    CHECK(contains(reason, "No such file or directory"));
  }
  self->send_exit(session, caf::exit_reason::user_shutdown);
  self->send_exit(decider, caf::exit_reason::user_shutdown);
  self->wait_for(session, decider);
}

TEST_CASE("the peer prober GETs https api_urls as a Patroni daemon does", "[tls][peer_probe]") {
  running_server srv(tls_settings(certs().cert(), certs().key()));
  SECTION("by default nothing is verified (a daemon whose own API is plain http)") {
    peers::http_prober prober;
    auto a = probe(prober, {srv.url("/health")});
    INFO(a[0].error);
    REQUIRE(a[0].answered);
    CHECK(a[0].http_status == 200);
    CHECK(json::parse(a[0].body).at("role") == "master");
  }
  SECTION("verifying the chain against the CA file") {
    peers::tls_client_options o;
    o.verify_peer = true;
    o.cafile = certs().cert();
    peers::http_prober prober({}, o);
    auto a = probe(prober, {srv.url("/health")});
    INFO(a[0].error);
    CHECK(a[0].answered);
  }
  SECTION("a certificate no anchor vouches for is refused with OpenSSL's reason") {
    peers::tls_client_options o;
    o.verify_peer = true;
    o.cafile = certs().other_cert();
    peers::http_prober prober({}, o);
    auto a = probe(prober, {srv.url("/health")});
    CHECK_FALSE(a[0].answered);
    CHECK(contains(a[0].error, "TLS handshake failed: certificate verify failed"));
    CHECK(contains(a[0].error, "self-signed certificate"));
  }
  SECTION("a CA file that cannot be read fails every https fetch, naming it") {
    peers::tls_client_options o;
    o.verify_peer = true;
    o.cafile = certs().missing();
    peers::http_prober prober({}, o);
    auto a = probe(prober, {srv.url("/health")});
    CHECK(a[0].error == "cannot speak TLS: cannot use the CA file " + certs().missing() +
                            ": cannot read it: No such file or directory");
  }
  SECTION("an https URL on a plain-http server fails within the timeout") {
    rest::http_server plain(rest::test::loopback_api(0));
    REQUIRE_FALSE(plain.start());
    peers::http_prober prober;
    auto t0 = std::chrono::steady_clock::now();
    auto a = probe(prober, {"https://127.0.0.1:" + std::to_string(plain.port()) + "/patroni"}, 1s);
    CHECK_FALSE(a[0].answered);
    CHECK(contains(a[0].error, "TLS handshake failed"));
    CHECK(std::chrono::steady_clock::now() - t0 < 1500ms);
  }
}

TEST_CASE("praetorctl's http_send speaks https as patronictl does", "[tls][praetorctl]") {
  running_server srv(tls_settings(certs().cert(), certs().key()));
  const int port = srv.server.port();
  SECTION("verifying chain and address against the CA file") {
    auto out = ctl::http_send(https_get(port, "/health", verify_against(certs().cert())));
    INFO(out.error);
    REQUIRE(out.reply);
    CHECK(out.reply->status == 200);
    CHECK(json::parse(out.reply->body).at("state") == "running");
  }
  SECTION("without a CA file the system's anchors do not know a self-signed certificate") {
    auto out = ctl::http_send(https_get(port, "/health", verify_against("")));
    CHECK_FALSE(out.reply);
    CHECK_FALSE(out.delivered);
    CHECK(contains(out.error, "TLS handshake with 127.0.0.1:" + std::to_string(port) +
                                  " failed: certificate verify failed"));
  }
  SECTION("a certificate that does not name the address is refused unless insecure") {
    running_server other(tls_settings(certs().other_cert(), certs().other_key()));
    auto out = ctl::http_send(
        https_get(other.server.port(), "/health", verify_against(certs().other_cert())));
    CHECK_FALSE(out.reply);
    CHECK(contains(out.error, "IP address mismatch"));
    // -k / ctl.insecure: nothing is verified.
    out = ctl::http_send(https_get(other.server.port(), "/health", {}));
    INFO(out.error);
    REQUIRE(out.reply);
    CHECK(out.reply->status == 200);
  }
}

TEST_CASE("restapi.verify_client: unsafe requests need a client certificate the cafile vouches for",
          "[tls]") {
  // The client's certificate is self-signed, so it is its own authority: the server's cafile.
  auto settings = tls_settings(certs().cert(), certs().key());
  settings.cafile = certs().other_cert();
  peers::tls_client_options with_certificate = verify_against(certs().cert());
  with_certificate.certfile = certs().other_cert();
  with_certificate.keyfile = certs().other_key();
  peers::tls_client_options signed_by_another = verify_against(certs().cert());
  signed_by_another.certfile = certs().cert();
  signed_by_another.keyfile = certs().key();
  const peers::tls_client_options without_certificate = verify_against(certs().cert());
  auto call = [](int port, const std::string& method, const peers::tls_client_options& tls) {
    auto c = https_get(port, method == "GET" ? "/health" : "/reload", tls);
    c.method = method;
    return ctl::http_send(c);
  };
  // The answer's status, 0 when the handshake or the request failed (the reason is logged).
  auto status_of = [&call](int port, const std::string& method,
                           const peers::tls_client_options& tls) {
    auto out = call(port, method, tls);
    UNSCOPED_INFO(method << " " << out.error);
    return out.reply ? out.reply->status : 0;
  };
  auto serve = [](rest_settings s) {
    auto server = std::make_unique<rest::http_server>(
        std::move(s), rest::http_limits{},
        [](http_request, http_reply reply) { reply(rest::text_response(202, "handed over")); });
    server->set_snapshot(
        std::make_shared<const node_snapshot>(live(rest::test::primary_snapshot())));
    REQUIRE_FALSE(server->start());
    return server;
  };

  SECTION("optional: reads without one, unsafe methods only with one") {
    settings.verify_client = "optional";
    auto server = serve(settings);
    const int port = server->port();
    CHECK(status_of(port, "GET", without_certificate) == 200);
    auto refused = call(port, "POST", without_certificate);
    REQUIRE(refused.reply);
    CHECK(refused.reply->status == 403);
    CHECK(refused.reply->body == "client certificate required");
    CHECK(status_of(port, "POST", with_certificate) == 202);
    // A certificate the cafile does not vouch for ends the handshake.
    CHECK(status_of(port, "POST", signed_by_another) == 0);
  }
  SECTION("required: no handshake without one") {
    settings.verify_client = "required";
    auto server = serve(settings);
    const int port = server->port();
    CHECK(status_of(port, "GET", without_certificate) == 0);
    CHECK(status_of(port, "POST", with_certificate) == 202);
  }
  SECTION("none, the default: nothing is asked") {
    settings.verify_client = "none";
    auto server = serve(settings);
    CHECK(status_of(server->port(), "POST", without_certificate) == 202);
  }
  SECTION("a cafile that cannot be read refuses to start, naming it") {
    settings.verify_client = "required";
    settings.cafile = certs().missing();
    auto why = rest::check_server_tls(settings);
    REQUIRE(why);
    CHECK(contains(*why, "cannot use restapi.cafile " + certs().missing()));
  }
}
