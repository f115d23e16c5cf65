// DaemonControlClient: the command-line side of the controls (`sfsyncd --pause=NAME` ...): sends
// the action to the RUNNING daemon's admin API (POST
// /api/{jobs|chains|connections}/{name}/{action}) with the bearer token from the environment
// variable SFSYNC_ADMIN_TOKEN, so the daemon's scheduler acts on it at once and audits it under
// that token's name.
//
// Thread-safety: stateless function.
#pragma once

#include <string>

#include "sfsync/config/Config.h"
#include "sfsync/core/Result.h"

namespace sfsync::app {

// `action`: run, pause, resume, disconnect, reconnect. The kind is found from `name` in `config`
// (job, chain or connection). Returns the daemon's JSON answer, or an error naming what failed.
Result<std::string> sendControl(const config::LoadedConfig& config, const std::string& action,
                                const std::string& name);

}  // namespace sfsync::app
