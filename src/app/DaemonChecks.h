// DaemonChecks: configuration checks that need modules the loader does not depend on - what serve
// checks before it listens (admin.host parses or resolves; the admin TLS certificate and key load),
// the scheduling catalog (chain plans, schedules shared by chains; a disabled job may be in a
// chain), each job's and chain's "notifications" object and the notify.* properties (SMTP / webhook
// settings, taken from AppConfig::notifyProperties). Problems use the loader's format
// (file: json.path: message) so --validate lists them with the rest. Runs also when the loader
// found problems (then without the catalog, which would miss the files left out), so one
// --validate lists every problem.
//
// Thread-safety: pure function over its arguments (may resolve admin.host and read the TLS files).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/notify/NotificationSettings.h"

namespace sfsync::app {

// `overrides` are already applied by the loader (kept for the callers' signature).
std::vector<config::ConfigProblem> checkDaemonConfig(
    const config::LoadedConfig& config, const std::map<std::string, std::string>& overrides,
    notify::NotificationSettings* notifications);

}  // namespace sfsync::app
