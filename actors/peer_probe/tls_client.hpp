// How a client of members' REST APIs speaks TLS to an https:// api_url, and how Patroni 3.0.2
// derives that from its configuration (request.py, PatroniRequest.reload_config), so that
// praetor's peer probes and praetorctl verify exactly when Patroni's and patronictl's do:
//
//   client certificate = ctl.certfile, else restapi.certfile (key: ctl.keyfile, else
//                        restapi.keyfile, else in the certificate file; likewise
//                        keyfile_password)
//   trust anchors      = ctl.cacert, else restapi.cafile, else the system's CA store
//   insecure           = given by the caller (the daemon: always; praetorctl: -k), else
//                        ctl.insecure
//   with a client certificate:    verify the chain; verify the host name unless insecure
//   without one:                  insecure -> verify nothing; else the chain and the host name
//
// So a daemon verifies its peers only when it presents a certificate itself (restapi.certfile
// is set, i.e. its own API is https), and then does not check host names; patronictl verifies
// everything unless told -k / ctl.insecure.
//
// Pure; any thread. tls_client_context.hpp turns the options into an OpenSSL context.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

namespace praetor::peers {

struct tls_client_options {
  bool verify_peer = false;      // check the server's certificate chain against the anchors
  bool verify_host = false;      // and that it names the URL's host (only with verify_peer)
  std::string cafile;            // PEM trust anchors; "" = the system's default CA store
  std::string certfile;          // PEM client certificate to present; "" = none
  std::string keyfile;           // its PEM key; "" = in certfile
  std::string keyfile_password;  // for an encrypted key; "" = not encrypted
  bool operator==(const tls_client_options&) const = default;
};

// Patroni's derivation above, from a node's whole configuration document (the merged YAML and
// PATRONI_* overrides, node_config::raw). `insecure`: nullopt = read ctl.insecure (a boolean).
tls_client_options patroni_client_tls(const boost::json::object& config,
                                      std::optional<bool> insecure);

}  // namespace praetor::peers
