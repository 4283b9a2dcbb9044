#include "actors/peer_probe/tls_client.hpp"

namespace praetor::peers {

namespace {

// config[section][key] as text; "" when absent, empty or not a string. Python's `or` chains
// skip empty values the same way.
std::string text_at(const boost::json::object& config, const char* section, const char* key) {
  const auto* s = config.if_contains(section);
  if (!s || !s->is_object()) return "";
  const auto* v = s->as_object().if_contains(key);
  if (!v || !v->is_string()) return "";
  return std::string(v->as_string());
}

// ctl.<key>, else restapi.<key> (request.py's _get_cfg_value).
std::string ctl_or_restapi(const boost::json::object& config, const char* key) {
  auto v = text_at(config, "ctl", key);
  return v.empty() ? text_at(config, "restapi", key) : v;
}

}  // namespace

tls_client_options patroni_client_tls(const boost::json::object& config,
                                      std::optional<bool> insecure) {
  bool skip_checks = false;
  if (insecure) {
    skip_checks = *insecure;
  } else if (const auto* ctl = config.if_contains("ctl"); ctl && ctl->is_object()) {
    const auto* v = ctl->as_object().if_contains("insecure");
    skip_checks = v && v->is_bool() && v->as_bool();
  }

  tls_client_options o;
  o.certfile = ctl_or_restapi(config, "certfile");
  if (!o.certfile.empty()) {
    o.keyfile = ctl_or_restapi(config, "keyfile");
    o.keyfile_password = ctl_or_restapi(config, "keyfile_password");
    o.verify_peer = true;  // urllib3 needs CERT_REQUIRED with a client certificate
  } else {
    o.verify_peer = !skip_checks;
  }
  o.verify_host = o.verify_peer && !skip_checks;
  o.cafile = text_at(config, "ctl", "cacert");
  if (o.cafile.empty()) o.cafile = text_at(config, "restapi", "cafile");
  return o;
}

}  // namespace praetor::peers
