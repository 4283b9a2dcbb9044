#include "actors/peer_probe/tls_client_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "backends/tls/openssl_error.hpp"

namespace praetor::peers {

namespace asio = boost::asio;

namespace {

using tls::openssl_error;

// OpenSSL's own message for a missing file is vague ("system lib"); errno says what is wrong.
std::optional<std::string> unreadable(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return std::string("cannot read it: ") + std::strerror(errno);
  std::fclose(f);
  return std::nullopt;
}

bool is_address(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

std::variant<std::shared_ptr<asio::ssl::context>, std::string> make_client_tls_context(
    const tls_client_options& options) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_compression);
  ctx->set_password_callback(
      [password = options.keyfile_password](std::size_t, asio::ssl::context::password_purpose) {
        return password;  // "" for no password: OpenSSL must never prompt on a terminal
      });
  ERR_clear_error();

  if (options.verify_peer) {
    if (!options.cafile.empty()) {
      const std::string name = "the CA file " + options.cafile;
      if (auto why = unreadable(options.cafile)) return "cannot use " + name + ": " + *why;
      if (SSL_CTX_load_verify_locations(native, options.cafile.c_str(), nullptr) != 1)
        return "cannot use " + name + ": it holds no usable PEM certificate (" + openssl_error() +
               ")";
    } else if (SSL_CTX_set_default_verify_paths(native) != 1) {
      return "cannot load the system's CA certificates: " + openssl_error();
    }
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
  } else {
    SSL_CTX_set_verify(native, SSL_VERIFY_NONE, nullptr);
  }

  if (!options.certfile.empty()) {
    const std::string cert_name = "the client certificate " + options.certfile;
    const bool key_in_cert = options.keyfile.empty();
    const std::string& key_path = key_in_cert ? options.certfile : options.keyfile;
    const std::string key_name =
        key_in_cert ? cert_name + " (as the private key)" : "the client key " + options.keyfile;
    if (auto why = unreadable(options.certfile)) return "cannot use " + cert_name + ": " + *why;
    if (!key_in_cert)
      if (auto why = unreadable(key_path)) return "cannot use " + key_name + ": " + *why;
    if (SSL_CTX_use_certificate_chain_file(native, options.certfile.c_str()) != 1)
      return "cannot use " + cert_name + ": it holds no usable PEM certificate (" +
             openssl_error() + ")";
    if (SSL_CTX_use_PrivateKey_file(native, key_path.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(native) != 1)
      return "cannot use " + key_name + ": it holds no usable PEM private key for that " +
             "certificate (" + openssl_error() + ")";
  }
  return ctx;
}

bool prepare_client_connection(ssl_st* ssl, const std::string& host,
                               const tls_client_options& options) {
  const bool address = is_address(host);
  if (!address && SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) return false;
  if (options.verify_peer && options.verify_host) {
    if (address) return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
    return SSL_set1_host(ssl, host.c_str()) == 1;
  }
  return true;
}

std::string handshake_failure(ssl_st* ssl, const boost::system::error_code& ec) {
  std::string out = ec.message();
  const long verified = SSL_get_verify_result(ssl);
  if (verified != X509_V_OK) out += std::string(": ") + X509_verify_cert_error_string(verified);
  return out;
}

bool is_cut_tls_stream(const boost::system::error_code& ec) {
  return ec == asio::ssl::error::stream_truncated;
}

}  // namespace praetor::peers
