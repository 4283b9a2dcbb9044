#include "actors/rest_frontend/tls_server_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl/context.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "backends/tls/openssl_error.hpp"

namespace praetor::rest {

namespace asio = boost::asio;

namespace {

using tls::openssl_error;

bool is_key_mismatch() {
  auto mismatch = [](unsigned long e) {
    return ERR_GET_LIB(e) == ERR_LIB_X509 && ERR_GET_REASON(e) == X509_R_KEY_VALUES_MISMATCH;
  };
  return mismatch(ERR_peek_error()) || mismatch(ERR_peek_last_error());
}

// OpenSSL's own message for a missing file is vague ("system lib"); errno says what is wrong.
std::optional<std::string> unreadable(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return std::string("cannot read it: ") + std::strerror(errno);
  std::fclose(f);
  return std::nullopt;
}

}  // namespace

bool wants_client_certificate(const std::string& verify_client) {
  return verify_client == "optional" || verify_client == "required";
}

std::optional<server_tls_files> server_tls_files_of(const rest_settings& settings) {
  if (settings.certfile.empty()) return std::nullopt;
  return server_tls_files{settings.certfile, settings.keyfile, settings.keyfile_password,
                          settings.cafile, settings.verify_client};
}

std::variant<std::shared_ptr<asio::ssl::context>, std::string> make_server_tls_context(
    const server_tls_files& files) {
  const std::string cert_name = "restapi.certfile " + files.certfile;
  const bool key_in_cert = files.keyfile.empty();
  const std::string key_name = key_in_cert
                                   ? cert_name + " (as the private key: restapi.keyfile is not set)"
                                   : "restapi.keyfile " + files.keyfile;
  const std::string& key_path = key_in_cert ? files.certfile : files.keyfile;

  if (auto why = unreadable(files.certfile)) return "cannot use " + cert_name + ": " + *why;
  if (!key_in_cert)
    if (auto why = unreadable(key_path)) return "cannot use " + key_name + ": " + *why;

  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  // As Python's default server context: TLS 1.2 or newer, no compression.
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_compression |
                   asio::ssl::context::single_dh_use);
  // Always answer the password question, so that OpenSSL never prompts on a terminal: an
  // encrypted key without a password then fails to load, which is reported below.
  ctx->set_password_callback(
      [password = files.keyfile_password](std::size_t, asio::ssl::context::password_purpose) {
        return password;
      });

  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(native, files.certfile.c_str()) != 1)
    return "cannot use " + cert_name + ": it holds no usable PEM certificate (" + openssl_error() +
           ")";
  ERR_clear_error();
  if (SSL_CTX_use_PrivateKey_file(native, key_path.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (is_key_mismatch()) {
      ERR_clear_error();
      return "cannot use " + key_name + ": the key does not belong to the certificate in " +
             cert_name;
    }
    std::string why = openssl_error();
    if (files.keyfile_password.empty() && why.find("decrypt") != std::string::npos)
      why += "; an encrypted key needs restapi.keyfile_password";
    return "cannot use " + key_name + ": it holds no usable PEM private key (" + why + ")";
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return "cannot use " + key_name + ": the key does not belong to the certificate in " +
           cert_name;
  }
  if (wants_client_certificate(files.verify_client)) {
    if (files.cafile.empty()) {
      SSL_CTX_set_default_verify_paths(native);
    } else {
      const std::string ca_name = "restapi.cafile " + files.cafile;
      if (auto why = unreadable(files.cafile)) return "cannot use " + ca_name + ": " + *why;
      ERR_clear_error();
      if (SSL_CTX_load_verify_locations(native, files.cafile.c_str(), nullptr) != 1)
        return "cannot use " + ca_name + ": it holds no usable PEM certificate (" +
               openssl_error() + ")";
      // Named in the handshake, so that a client holding several certificates picks one of
      // these authorities'.
      SSL_CTX_set_client_CA_list(native, SSL_load_client_CA_file(files.cafile.c_str()));
    }
    int mode = SSL_VERIFY_PEER;
    if (files.verify_client == "required") mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    SSL_CTX_set_verify(native, mode, nullptr);
    // Session resumption with verified clients needs a context id, or OpenSSL refuses it.
    static const unsigned char id[] = "praetor-rest";
    SSL_CTX_set_session_id_context(native, id, sizeof id - 1);
  }
  return ctx;
}

std::optional<std::string> check_server_tls(const rest_settings& settings) {
  auto files = server_tls_files_of(settings);
  if (!files) return std::nullopt;
  auto made = make_server_tls_context(*files);
  if (auto* why = std::get_if<std::string>(&made)) return *why;
  return std::nullopt;
}

}  // namespace praetor::rest
