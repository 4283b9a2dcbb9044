// The OpenSSL side of tls_client.hpp, for the two clients that speak https to members' REST
// APIs (http_prober.cpp, praetorctl's http_client.cpp): one context per client made from the
// options, and the per-connection steps around the handshake. Kept out of tls_client.hpp so
// that its pure derivation needs no OpenSSL; this header still names no Asio or OpenSSL type
// beyond forward declarations.
//
// A context is immutable once made: connections on any thread may share it.
#pragma once

#include <boost/system/error_code.hpp>
#include <memory>
#include <string>
#include <variant>

#include "actors/peer_probe/tls_client.hpp"

namespace boost::asio::ssl {
class context;
}
struct ssl_st;  // OpenSSL's SSL

namespace praetor::peers {

// The context for https requests under `options`, or why it cannot be made, naming the file
// and the reason ("cannot use the CA file /etc/ssl/ca.pem: cannot read it: No such file or
// directory"). Never prompts for a key's password.
std::variant<std::shared_ptr<boost::asio::ssl::context>, std::string> make_client_tls_context(
    const tls_client_options& options);

// Before the handshake of one connection to `host` (a name, or an address without brackets):
// sends it as SNI when it is a name, and has the handshake check that the certificate names it
// when options.verify_host. False when OpenSSL refuses (out of memory).
bool prepare_client_connection(ssl_st* ssl, const std::string& host,
                               const tls_client_options& options);

// Why a handshake failed, in words: the error, and for a certificate that did not verify,
// OpenSSL's reason ("certificate verify failed: self-signed certificate").
std::string handshake_failure(ssl_st* ssl, const boost::system::error_code& ec);

// The server ended TCP without TLS's close_notify. An answer whose body runs to the end of the
// stream (HTTP/1.0 without Content-Length) is then taken as whole, as Python's ssl module and
// curl take it; any other answer read so far is cut.
bool is_cut_tls_stream(const boost::system::error_code& ec);

}  // namespace praetor::peers
