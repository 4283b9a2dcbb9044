// The REST API's TLS side: loading restapi.certfile / keyfile into a server context, as
// Patroni's api.py does with ssl.load_cert_chain (the key may sit in the certfile when keyfile
// is not set). Loading is the only thing that can fail, so it happens once, before the server
// listens, and the failure is a sentence naming the setting, the file and the reason.
//
// Client certificates as Patroni's: restapi.verify_client optional or required asks the
// client for one and verifies it against restapi.cafile (else the system's anchors); required
// ends a handshake without one. Not yet supported (Patroni 3.0.2 has them): ciphers, and
// reloading a certificate whose file changed under the same name.
//
// Reads files only; any thread. The context that comes back is immutable afterwards, so any
// number of connections may share it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "messages/settings.hpp"

namespace boost::asio::ssl {
class context;
}

namespace praetor::rest {

struct server_tls_files {
  std::string certfile;          // PEM: the certificate chain (and the key, when keyfile is "")
  std::string keyfile;           // PEM private key; "" = read it from certfile
  std::string keyfile_password;  // for an encrypted key; "" = the key is not encrypted
  std::string cafile;            // anchors for client certificates; "" = the system's
  std::string verify_client;     // "optional" or "required" ask for one; else none is asked
};

// restapi.verify_client asks for a client certificate (optional or required).
bool wants_client_certificate(const std::string& verify_client);

// What TLS the settings ask for; nullopt = none (restapi.certfile is not set): plain HTTP.
std::optional<server_tls_files> server_tls_files_of(const rest_settings& settings);

// The context to serve HTTPS with, or why it cannot be made, e.g. "cannot use restapi.certfile
// /etc/praetor/api.pem: cannot read it: No such file or directory". Never prompts for a
// password: an encrypted key without keyfile_password fails.
std::variant<std::shared_ptr<boost::asio::ssl::context>, std::string> make_server_tls_context(
    const server_tls_files& files);

// The check a daemon makes before it starts anything: nullopt when the settings ask for no TLS
// or their certificate and key load; else the sentence make_server_tls_context gives.
std::optional<std::string> check_server_tls(const rest_settings& settings);

}  // namespace praetor::rest
