// PATCH and PUT /config, judged the way Patroni 3.0.2's do_PATCH_config and do_PUT_config do
// (docs/compatibility.md, "REST API"), plus what Patroni leaves out: the result is validated as the
// dynamic configuration the daemons will apply, and refused with 400 and the reasons.
//
// Pure: the snapshot is an argument, no I/O. Any thread.
#pragma once

#include <variant>

#include "actors/rest_frontend/http_types.hpp"
#include "messages/dcs.hpp"
#include "messages/rest.hpp"

namespace praetor::rest {

// What to write, or the answer to give at once (the config unchanged: 200 with it as it is).
using config_check = std::variant<http_response, change_config>;

// PATCH: the body merged over the configuration in the latest view (objects key by key, null
// deletes), compare-and-set on the version read. 503 when the cluster has no configuration.
config_check check_patch_config(const http_request& request, const node_snapshot& snapshot);
// PUT: the body replaces the configuration, whatever its version.
config_check check_put_config(const http_request& request, const node_snapshot& snapshot);

// The answer once the DCS took the change or refused it: 200 with the configuration written;
// PATCH: 409 when the node changed since it was read, else 503; PUT: 502.
http_response config_change_answer(bool put, const change_config& asked,
                                   const config_change_result& result);

}  // namespace praetor::rest
